"""Fallback audit for packages pip-audit could not check: PyPI's project JSON (``/pypi/NAME/json``)
lists the known vulnerabilities of the project's *latest* release, so a package installed at its
latest version is audited exactly from it. (Where only package registries are reachable, PyPI's
per-version JSON that pip-audit uses, and OSV, may not be.) Packages older than their latest release
stay "not audited" and are listed.

    python scripts/audit_latest.py NAME==VERSION ...    # exit 1: a known vulnerability; else 0
Prints one JSON object: {"audited": [...], "vulnerable": [...], "not_audited": [...]}.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

INDEX = os.environ.get("SKILLMATCH_AUDIT_INDEX", "https://pypi.org/pypi/{name}/json")


def check(name: str, version: str, timeout: float = 10.0) -> tuple[str, list[dict]]:
    """("audited" | "not_audited: why", vulnerabilities of this version)."""
    try:
        with urllib.request.urlopen(INDEX.format(name=name), timeout=timeout) as r:
            data = json.load(r)
    except Exception as exc:  # noqa: BLE001 - any failure to fetch or read means "not audited", never a pass
        return f"not_audited: {type(exc).__name__}: {exc}", []
    latest = data.get("info", {}).get("version")
    if latest != version:
        return f"not_audited: installed {version}, advisories are published for the latest ({latest})", []
    vulns = [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]
    return "audited", vulns


def main(argv: list[str]) -> int:
    out: dict[str, list] = {"audited": [], "vulnerable": [], "not_audited": []}
    for spec in argv:
        name, _, version = spec.partition("==")
        status, vulns = check(name, version)
        if status != "audited":
            out["not_audited"].append({"name": name, "version": version, "why": status.split(": ", 1)[1]})
            continue
        out["audited"].append(f"{name}=={version}")
        for v in vulns:
            out["vulnerable"].append({"name": name, "version": version, "id": v.get("id"),
                                      "aliases": v.get("aliases", []), "fixed_in": v.get("fixed_in", [])})
    print(json.dumps(out))
    return 1 if out["vulnerable"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
