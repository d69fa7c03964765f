"""The browser-test plumbing itself: live server, Chromium, screenshots, the accessibility check."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from .conftest import (
    DOCS_SCREENSHOTS,
    REPO,
    SCREENSHOTS,
    SCREENSHOTS_ENV,
    assert_accessible,
    axe_violations,
    external_requests,
    screenshots_dir,
    shot,
    sign_in,
)

GOOD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Good page</title></head>
<body>
  <header><p>skillmatch</p></header>
  <main>
    <h1>Sign in</h1>
    <form>
      <label for="key">API key</label> <input id="key" name="key" type="password">
      <button type="submit">Sign in</button>
    </form>
    <p style="color:#222;background:#fff">Readable text.</p>
  </main>
</body></html>"""

BAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad page</title></head>
<body><main>
  <h1>Bad</h1>
  <input id="nolabel" type="text">
  <p id="faint" style="color:#eee;background:#fff">Barely visible text.</p>
</main></body></html>"""


def test_live_server_answers_through_the_browser(live_server, page):
    assert live_server.url.startswith("http://127.0.0.1:")
    assert set(live_server.tokens) >= {"recruiter", "ats", "admin"}
    assert all(t.startswith("sk_") for t in live_server.tokens.values())
    response = page.goto(live_server.url + "/healthz")
    assert response is not None and response.status == 200
    assert '"status":"ok"' in page.locator("body").inner_text().replace(" ", "")
    assert external_requests(page) == []


def test_seeded_keys_work_and_candidate_keys_can_be_made(live_server):
    status, body = live_server.api("GET", "/v1/keys", role="admin")
    assert status == 200 and {k["role"] for k in body["items"]} >= {"admin", "recruiter", "ats"}
    assert live_server.api("GET", "/v1/candidates", role="recruiter")[0] == 200
    cid = live_server.add_candidate("Jane Doe\n\nSKILLS\nPython, PyTorch\n", name="Jane Doe")
    token = live_server.make_key("candidate", candidate_id=cid)
    assert live_server.api("GET", f"/v1/candidates/{cid}", token=token)[0] == 200


def test_requests_off_the_machine_are_blocked(page):
    page.set_content('<img src="https://cdn.example.invalid/x.png" alt="">')
    page.wait_for_load_state("load")
    assert external_requests(page) == ["https://cdn.example.invalid/x.png"]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29]), "bad IHDR checksum"
    return struct.unpack(">II", data[16:24])


def test_shot_writes_a_full_page_png(page, phone_page, tmp_path):
    tall = '<meta name="viewport" content="width=device-width, initial-scale=1"><main><h1>Tall</h1>' + "".join(f"<p>line {i}</p>" for i in range(120)) + "</main>"
    page.set_content(tall)
    path = shot(page, "harness-desktop", directory=tmp_path)
    assert path == tmp_path / "harness-desktop.png"
    data = path.read_bytes()
    width, height = _png_size(data)
    assert width == 1280 and height > 900  # full page, not just the viewport
    assert 5_000 < len(data) < 5_000_000
    phone_page.set_content(tall)
    width, _ = _png_size(shot(phone_page, "harness-phone", directory=tmp_path).read_bytes())
    assert width == 390 * 3  # device scale factor 3 (needs the viewport meta, else 980 CSS px wide)
    # By default screenshots go under build/ (ignored by git), so a test run leaves the tree clean; docs/screenshots/
    # is written only when SKILLMATCH_SCREENSHOTS_DIR asks for it.
    assert screenshots_dir({}) == REPO / "build" / "screenshots"
    assert screenshots_dir({SCREENSHOTS_ENV: "docs/screenshots"}) == DOCS_SCREENSHOTS
    assert screenshots_dir({SCREENSHOTS_ENV: "/tmp/shots"}) == Path("/tmp/shots")
    assert SCREENSHOTS == screenshots_dir()
    with pytest.raises(ValueError):
        shot(page, "../escape", directory=tmp_path)


def test_accessibility_check_passes_a_good_page(page):
    page.set_content(GOOD)
    assert_accessible(page, context="the good snippet")


def test_accessibility_check_fails_on_missing_label_and_low_contrast(page):
    page.set_content(BAD)
    with pytest.raises(pytest.fail.Exception) as info:
        assert_accessible(page, context="the bad snippet")
    message = str(info.value)
    assert "on the bad snippet" in message
    assert "- label [critical]" in message and "#nolabel" in message
    assert "- color-contrast [serious]" in message and "#faint" in message
    assert {v["id"] for v in axe_violations(page)} == {"label", "color-contrast"}


def test_accessibility_check_covers_headings_and_landmarks(page):
    page.set_content('<html lang="en"><head><title>t</title></head><body><h2>No h1</h2><p>Outside any landmark</p></body></html>')
    ids = {v["id"] for v in axe_violations(page)}
    assert {"landmark-one-main", "page-has-heading-one", "region"} <= ids


def test_axe_needs_no_network(page):
    # Every request is aborted: axe-core still runs, so it is injected from the bundled file.
    page.context.route("**/*", lambda r: r.abort())
    page.set_content(GOOD)
    assert axe_violations(page) == []
    assert external_requests(page) == []


def test_sign_in_helper_is_importable():
    assert callable(sign_in)  # exercised by the page tests once /web/sign-in exists
