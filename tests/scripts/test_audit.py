"""scripts/audit_latest.py (the audit's fallback) against a real local HTTP server that answers like
PyPI's project JSON: a known vulnerability fails, an older install is reported as not audited."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECTS = {
    "leaky": {"info": {"version": "2.0.0"},
              "vulnerabilities": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fixed_in": ["2.0.1"]},
                                  {"id": "PYSEC-2099-2", "aliases": [], "fixed_in": [], "withdrawn": "2099-01-01"}]},
    "clean": {"info": {"version": "1.0.0"}, "vulnerabilities": []},
}


class _PyPI(BaseHTTPRequestHandler):
    def do_GET(self):  # /pypi/<name>/json
        name = self.path.strip("/").split("/")[1]
        body = json.dumps(PROJECTS[name]).encode() if name in PROJECTS else b"{}"
        self.send_response(200 if name in PROJECTS else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def index():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PyPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/pypi/{{name}}/json"
    server.shutdown()


def _run(index, *specs):
    env = {"SKILLMATCH_AUDIT_INDEX": index, "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "audit_latest.py"), *specs], capture_output=True,
                       text=True, env=env, timeout=60)
    return r.returncode, json.loads(r.stdout)


@pytest.mark.parametrize(
    ("specs", "status", "vulnerable", "not_audited"),
    [
        (["leaky==2.0.0"], 1, ["PYSEC-2099-1"], []),
        (["clean==1.0.0"], 0, [], []),
        (["leaky==1.0.0"], 0, [], ["leaky"]),
        (["missing==1.0"], 0, [], ["missing"]),
        (["clean==1.0.0", "leaky==2.0.0"], 1, ["PYSEC-2099-1"], []),
    ],
    ids=["vulnerable-latest", "clean-latest", "older-than-latest", "unknown-project", "mixed"],
)
def test_fallback_audit(index, specs, status, vulnerable, not_audited):
    code, out = _run(index, *specs)
    assert code == status
    assert [v["id"] for v in out["vulnerable"]] == vulnerable
    assert [n["name"] for n in out["not_audited"]] == not_audited
