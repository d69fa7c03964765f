#!/usr/bin/env bash
# Audit the installed environment (.venv) for known vulnerabilities with pip-audit.
#
#     bash scripts/audit.sh            # exit 0: nothing known; 1: a known vulnerability;
#                                      # 2: (SKILLMATCH_AUDIT_STRICT=1 only) packages could not be audited
#
# The project itself is installed editable and isn't on PyPI: skipped (--skip-editable). pip-audit
# reports "No known vulnerabilities found" and exits 0 even when it could audit nothing (every
# package "not found on PyPI" because its per-version service can't be reached, as on machines that
# reach only package registries). Packages pip-audit skipped are then checked by
# scripts/audit_latest.py against PyPI's project JSON, which lists the advisories of the latest
# release: exact for a package installed at its latest version. Whatever is still unaudited is listed
# as a warning (an error with SKILLMATCH_AUDIT_STRICT=1). SKILLMATCH_AUDIT_SERVICE: pypi (default) or osv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SERVICE=${SKILLMATCH_AUDIT_SERVICE:-pypi}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

set +e
"$PY" -m pip_audit --path "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
  --skip-editable -s "$SERVICE" -f json --progress-spinner off -o "$OUT" 2> >(grep -v '^$' >&2)
STATUS=$?
set -e
if [ ! -s "$OUT" ]; then
  echo "audit.sh: pip-audit produced no report (exit $STATUS)" >&2
  exit 2
fi
"$PY" - "$OUT" "$STATUS" <<'EOF'
import json, os, sys

report = json.load(open(sys.argv[1]))
deps = report.get("dependencies", [])
vulns = [(d["name"], d["version"], v) for d in deps for v in d.get("vulns", [])]
skipped = [d for d in deps if d.get("skip_reason") and "editable" not in d["skip_reason"].lower()]
audited = len(deps) - len(skipped)
if skipped:  # the fallback: PyPI's project JSON (advisories of the latest release)
    import re
    import subprocess

    def version_of(d):  # skipped entries carry the version only in their reason: "... name (1.2.3)"
        m = re.search(r"\(([^()]+)\)\s*$", d.get("skip_reason", ""))
        return d.get("version") or (m.group(1) if m else "")

    run = subprocess.run([sys.executable, "scripts/audit_latest.py", *[f"{d['name']}=={version_of(d)}" for d in skipped]],
                         capture_output=True, text=True)
    try:
        fb = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"audit.sh: the fallback audit failed (exit {run.returncode}): {run.stderr[-500:]}", file=sys.stderr)
        sys.exit(2)
    audited += len(fb["audited"])
    vulns += [(v["name"], v["version"], {"id": v["id"], "aliases": v["aliases"], "fix_versions": v["fixed_in"]})
              for v in fb["vulnerable"]]
    left = {n["name"]: n["why"] for n in fb["not_audited"]}
    skipped = [{"name": d["name"], "skip_reason": left[d["name"]]} for d in skipped if d["name"] in left]
for name, version, v in vulns:
    ids = ", ".join([v["id"], *v.get("aliases", [])])
    print(f"VULNERABLE {name} {version}: {ids}; fixed in {', '.join(v.get('fix_versions', [])) or '?'}")
print(f"audit.sh: {audited} packages audited, {len(vulns)} known vulnerabilities, {len(skipped)} not audited")
if vulns:
    sys.exit(1)
if skipped:
    print("audit.sh: not audited: " + ", ".join(f"{d['name']} ({d['skip_reason']})" for d in skipped[:5])
          + (" ..." if len(skipped) > 5 else ""), file=sys.stderr)
    if os.environ.get("SKILLMATCH_AUDIT_STRICT") == "1":
        sys.exit(2)
    print("audit.sh: WARNING: these packages could not be audited from here", file=sys.stderr)
EOF
