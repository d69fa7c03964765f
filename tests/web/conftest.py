"""Browser-test fixtures: the real service in a subprocess, Debian's Chromium through Playwright, and
helpers for screenshots, accessibility (axe-core) and signing in.

    live_server   (session) `skillmatch-api serve` in its own process on a free loopback port, on a
                  temp SQLite file, seeded through the CLI with a tenant and keys; a `LiveServer`
    browser       (session) headless /usr/bin/chromium (never a Playwright download)
    page          a fresh context, 1280x900
    phone_page    a fresh context, 390x844, mobile with touch

    shot(page, name) -> Path                         full-page PNG in SCREENSHOTS/<name>.png
    assert_accessible(page, *, context="")           axe-core, WCAG 2.x A/AA + heading/landmark rules
    sign_in(page, server, token)                     the /web/sign-in form

Pages in a `page`/`phone_page` context may load only loopback, data: and blob: URLs: any other request
is aborted and listed in `external_requests(page)` (so a page that needs a CDN fails visibly, and nothing
leaves the machine). Each xdist worker starts its own server and browser. Without /usr/bin/chromium
the browser tests are skipped, except in CI (`CI=true`), where they fail: `bash scripts/browser.sh`.

Screenshots go to build/screenshots/ (ignored by git), so a test run leaves the tree as it was. To refresh
the README's pictures in docs/screenshots/, point SKILLMATCH_SCREENSHOTS_DIR there (a path relative to the
repository, or absolute):

    SKILLMATCH_SCREENSHOTS_DIR=docs/screenshots python -m pytest -p no:cacheprovider tests/web/test_pages.py
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS_ENV = "SKILLMATCH_SCREENSHOTS_DIR"
DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"  # the README's pictures: written only on request (above)


def screenshots_dir(environ=os.environ) -> Path:
    """build/screenshots/, or the folder SKILLMATCH_SCREENSHOTS_DIR names (relative to the repository)."""
    return REPO / (environ.get(SCREENSHOTS_ENV) or Path("build", "screenshots"))


SCREENSHOTS = screenshots_dir()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed as root (CI containers); harmless otherwise
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
READY_TIMEOUT = 120.0  # engine build is ~3-5 s alone; two xdist workers on two cores take longer
CLI_TIMEOUT = 120.0
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# axe files the heading and landmark checks under "best-practice", not under a WCAG tag: enabled by name.
AXE_EXTRA_RULES = ("landmark-one-main", "region", "page-has-heading-one", "heading-order", "empty-heading",
                   "landmark-unique", "landmark-no-duplicate-main", "landmark-banner-is-top-level",
                   "landmark-main-is-top-level", "landmark-contentinfo-is-top-level")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


# ------------------------------------------------------------------------------------------ live server

@dataclass
class LiveServer:
    """The running service. `tokens` maps a key role ("recruiter", "ats", "admin") to its API key."""

    url: str
    env: dict[str, str] = field(repr=False)  # the server's environment (DATABASE_URL...), for `cli()`
    log_path: Path = field(repr=False)
    tenant_id: str = ""
    tenant_name: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def api(self, method: str, path: str, *, token: str | None = None, role: str = "admin",
            json_body: Any = None, expect: int | None = None) -> tuple[int, Any]:
        """Call the JSON API as `role` (or with `token`); returns (status, decoded body or text)."""
        data = None if json_body is None else json.dumps(json_body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token or self.tokens[role]}",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        body = json.loads(raw) if raw and "json" in ctype else raw.decode("utf-8", "replace")
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path}: {status}, expected {expect}: {body}")
        return status, body

    def make_key(self, role: str, candidate_id: str | None = None, name: str = "") -> str:
        """A new key of this tenant (through the admin API, POST /v1/keys); candidate keys need a candidate."""
        body = {"role": role, "name": name or role, "candidate_id": candidate_id}
        return self.api("POST", "/v1/keys", json_body=body, expect=201)[1]["token"]

    def add_candidate(self, text: str, *, name: str | None = None) -> str:
        """Upload a plain-text résumé (as the ats key); returns the candidate id."""
        body = {"text": text, **({"name": name} if name else {})}
        return self.api("POST", "/v1/candidates", role="ats", json_body=body, expect=201)[1]["id"]

    def cli(self, *args: str) -> str:
        """Run `skillmatch-api ARGS` against this server's database; returns stdout (stripped)."""
        return _finish_cli(_start_cli(self.env, *args), args)

    def log_text(self, start: int = 0) -> str:
        try:
            with self.log_path.open("rb") as f:
                f.seek(start)
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "api", *args]  # what the `skillmatch-api` entry point runs


def _start_cli(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(_cli_argv(*args), env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish_cli(proc: subprocess.Popen, args: tuple[str, ...]) -> str:
    try:
        out, err = proc.communicate(timeout=CLI_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"skillmatch-api {' '.join(args)} exited {proc.returncode}:\n{out}\n{err}")
    return out.strip()


def _server_env(db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLMATCH_") and k != "DATABASE_URL"}
    env.update({
        "DATABASE_URL": f"sqlite:///{db_path}",
        "SKILLMATCH_PARSE_WORKERS": "1",
        # every browser test signs in from 127.0.0.1; the per-address limit is tested in tests/api/test_hardening.py
        "SKILLMATCH_SIGN_IN_ATTEMPTS_PER_MINUTE": "1000",
        "SKILLMATCH_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _wait_ready(server: LiveServer, deadline: float, on_wait=None) -> None:
    last = "no answer"
    while time.monotonic() < deadline:
        if on_wait is not None:
            on_wait()
        if server.proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(server.url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
                last = f"HTTP {r.status}"
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}: {e.read()[:200]!r}"
        except OSError as e:
            last = repr(e)
        time.sleep(0.1)
    raise RuntimeError(f"the server was not ready within {READY_TIMEOUT:.0f} s (last /readyz: {last})")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (uvicorn shuts down; the lifespan closes the parse pool); if it hangs, kill it and its children."""
    if proc.poll() is not None:
        return
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    for child in children:  # parse workers left behind by a hung or killed server
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


class _Seeder:
    """CLI seeding that overlaps the server's engine build: `create-tenant`, then `create-key --role admin`."""

    def __init__(self, env: dict[str, str], tenant: str) -> None:
        self.env, self.tenant = env, tenant
        self.tenant_id = self.admin_token = None
        self.proc = _start_cli(env, "create-tenant", tenant)

    def step(self, block: bool = False) -> None:
        if self.tenant_id is None and (block or self.proc.poll() is not None):
            self.tenant_id = _finish_cli(self.proc, ("create-tenant", self.tenant))
            self.proc = _start_cli(self.env, "create-key", "--tenant", self.tenant, "--role", "admin",
                                   "--name", "web tests")
        if self.tenant_id is not None and self.admin_token is None and (block or self.proc.poll() is not None):
            self.admin_token = _finish_cli(self.proc, ("create-key", "--role", "admin"))

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _start_server(env: dict[str, str], log_path: Path, tenant: str, seeder: _Seeder) -> LiveServer:
    for attempt in range(3):  # the free port may be taken between choosing and binding it: then retry
        port = _free_port()
        server = LiveServer(url=f"http://127.0.0.1:{port}", env=env, log_path=log_path, tenant_name=tenant)
        with log_path.open("ab") as log:
            server.proc = subprocess.Popen(_cli_argv("serve", "--host", "127.0.0.1", "--port", str(port)),
                                           env=env, cwd=REPO, stdin=subprocess.DEVNULL,
                                           stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(server, time.monotonic() + READY_TIMEOUT, on_wait=seeder.step)
            return server
        except RuntimeError as exc:
            _stop(server.proc)
            if attempt < 2 and "address already in use" in server.log_text():
                log_path.write_bytes(b"")
                continue
            seeder.kill()
            pytest.fail(f"live server failed to start: {exc}\n--- server log ({log_path}) ---\n"
                        f"{server.log_text()[-20000:]}", pytrace=False)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, worker_id) -> LiveServer:
    """`skillmatch-api serve` in a subprocess (one per xdist worker), seeded with a tenant and keys.

    The temp database is migrated here first, so that the server and the CLI (both migrate on start) can
    run side by side; the CLI's `create-tenant` and `create-key --role admin` run while the server builds
    its engine; the recruiter and ats keys then come from the admin API (POST /v1/keys).
    The server's output goes to `log_path`: it is shown if the server fails to start, and a failing test
    that uses this fixture gets the lines logged during it as a report section ("live server log").
    """
    root = tmp_path_factory.mktemp(f"live-{worker_id}")
    env = _server_env(root / "web.db")
    log_path = root / "server.log"
    tenant = f"web-{worker_id}-{uuid.uuid4().hex[:6]}"

    # Migrate here first (sqlalchemy + alembic only, no engine: well under a second).
    from api.store.db import make_engine, migrate

    db = make_engine(env["DATABASE_URL"])
    migrate(db)
    db.dispose()

    seeder = _Seeder(env, tenant)
    server = _start_server(env, log_path, tenant, seeder)
    try:
        seeder.step(block=True)
        server.tenant_id, server.tokens["admin"] = seeder.tenant_id, seeder.admin_token
        for role in ("recruiter", "ats"):
            server.tokens[role] = server.make_key(role)
    except Exception:
        seeder.kill()
        _stop(server.proc)
        print(f"--- live server log ({log_path}) ---\n{server.log_text()[-20000:]}", file=sys.stderr)
        raise
    try:
        yield server
    finally:
        _stop(server.proc)


def pytest_collection_modifyitems(items):
    """Group the browser tests for `pytest -n 2 --dist loadgroup` (one server and one browser, on one
    worker); under plain `-n 2` (load) each worker that gets a browser test starts its own."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.xdist_group("web"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    server = item.funcargs.get("live_server")
    start = server.log_size() if isinstance(server, LiveServer) else None
    item._live_log_start = start
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
    start = getattr(item, "_live_log_start", None)
    if report.when == "call" and report.failed and isinstance(server, LiveServer) and start is not None:
        text = server.log_text(start)
        report.sections.append(("live server log", text[-20000:] or "(nothing logged during the test)"))


# ------------------------------------------------------------------------------------------ browser

def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    msg = f"{CHROMIUM} is missing: install it with `bash scripts/browser.sh` (Debian's chromium package)"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (Playwright drives /usr/bin/chromium; nothing is downloaded)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _offline_only(context) -> None:
    """Abort every request that is not to a loopback host (or data:/blob:), and list it on the page."""

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or (parts.hostname or "") in LOOPBACK_HOSTS:
            r.continue_()
        else:
            with contextlib.suppress(Exception):  # a request without a frame (service worker): still aborted
                external_requests(r.request.frame.page).append(url)
            r.abort("blockedbyclient")

    context.route("**/*", route)


def external_requests(page) -> list[str]:
    """The non-loopback URLs this page tried to load (all were aborted)."""
    if not hasattr(page, "_sm_external"):
        page._sm_external = []
    return page._sm_external


def _new_page(browser, **context_args):
    context = browser.new_context(locale="en-GB", timezone_id="UTC", color_scheme="light",
                                  reduced_motion="reduce", **context_args)
    context.set_default_timeout(10_000)
    _offline_only(context)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A page in a fresh context (no cookies), 1280x900."""
    context, p = _new_page(browser, viewport=DESKTOP)
    try:
        yield p
    finally:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A page in a fresh context sized like a phone: 390x844, is_mobile, has_touch, DPR 3."""
    context, p = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    try:
        yield p
    finally:
        context.close()


# ------------------------------------------------------------------------------------------ helpers

def shot(page, name: str, *, directory: Path | None = None, full_page: bool = True) -> Path:
    """Save a PNG of the whole page (or of the viewport: `full_page=False`) as SCREENSHOTS/<name>.png
    (build/screenshots/ unless SKILLMATCH_SCREENSHOTS_DIR says otherwise), or in `directory`; returns its path."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or ".." in name:
        raise ValueError(f"screenshot name {name!r}: use letters, digits, '.', '_' and '-' only")
    out_dir = Path(directory) if directory is not None else SCREENSHOTS
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


_AXE = None


def _axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()  # the axe-core bundled with the package (axe.min.js), injected with page.evaluate
    return _AXE


def axe_violations(page, *, tags: tuple[str, ...] = AXE_TAGS, extra_rules: tuple[str, ...] = AXE_EXTRA_RULES,
                   disable: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the current page (rules with `tags`, plus `extra_rules`, minus `disable`)."""
    rules = {r: {"enabled": True} for r in extra_rules}
    rules.update({r: {"enabled": False} for r in disable})
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "rules": rules, "resultTypes": ["violations"]}
    return _axe().run(page, options=options).response["violations"]


def format_violations(violations: list[dict], *, targets: int = 3) -> str:
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        shown = ", ".join(" ".join(map(str, n.get("target", []))) for n in nodes[:targets])
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"- {v['id']} [{v.get('impact')}] {v.get('help')}: {shown}{more}\n  {v.get('helpUrl', '')}")
    return "\n".join(lines)


def assert_accessible(page, *, context: str = "", disable: tuple[str, ...] = ()) -> None:
    """Fail with a readable list if axe-core finds WCAG 2.0/2.1 A/AA violations (labels, contrast, names,
    language, title...) or heading/landmark problems on the current page. `disable` turns rules off by id."""
    violations = axe_violations(page, disable=disable)
    if violations:
        where = f" on {context}" if context else f" on {page.url}"
        pytest.fail(f"{len(violations)} accessibility violation(s){where}:\n{format_violations(violations)}",
                    pytrace=False)


def sign_in(page, server: LiveServer, token: str) -> None:
    """Sign in through the form at /web/sign-in: fill "API key", press "Sign in", wait for the next page."""
    page.goto(f"{server.url}/web/sign-in")
    page.get_by_label("API key").fill(token)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
