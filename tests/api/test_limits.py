"""Hostile input: body bytes counted as they arrive, parse time and memory limits in worker processes."""

from __future__ import annotations

import asyncio
import time

import pytest

from .conftest import RESUME, make_settings, new_tenant


def test_declared_body_too_large_is_413(client, tenant):
    big = b"x" * 3_100_000
    r = client.post("/v1/candidates", files={"file": ("big.txt", big)}, headers=tenant.h())
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"


def test_chunked_body_counted_as_it_arrives(client, tenant):
    sent = {"n": 0}

    def chunks():
        for _ in range(100):
            sent["n"] += 1
            yield b'{"text": "' if sent["n"] == 1 else b"a" * 100_000

    r = client.post("/v1/candidates", content=chunks(), headers={**tenant.h(), "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"
    assert r.headers["content-type"].startswith("application/problem+json")


def _limited_client(db_url, engine, **settings):
    from fastapi.testclient import TestClient

    from api.main import create_app

    app = create_app(make_settings(db_url, **settings), engine=engine)
    return app, TestClient(app)


def test_parse_timeout_kills_the_worker_not_the_server(db_url, engine):
    app, c = _limited_client(db_url, engine, parse_timeout_seconds=0.05, parse_workers=1)
    with c:
        t = new_tenant(app)
        huge = ("Senior Engineer at Acme, 2019 - 2024\n- Python, PyTorch, Kubernetes and SQL every day\n" * 8000)
        t0 = time.perf_counter()
        r = c.post("/v1/candidates", json={"text": huge}, headers=t.h())
        assert r.status_code == 422 and r.json()["code"] == "parse_timeout", r.text
        assert time.perf_counter() - t0 < 10
        pool = app.state.sm.pool()
        pool.timeout = 60  # the replaced worker serves the next request
        r = c.post("/v1/candidates", json={"text": RESUME}, headers=t.h())
        assert r.status_code == 201, r.text
        assert c.get("/readyz").status_code == 200


def test_configured_read_limits(db_url, engine):
    pytest.importorskip("reportlab")
    import io

    from reportlab.pdfgen import canvas

    app, c = _limited_client(db_url, engine, max_file_bytes=50_000, max_chars=500, max_pages=2, parse_workers=1)
    with c:
        t = new_tenant(app)
        r = c.post("/v1/candidates", files={"file": ("cv.txt", b"x" * 60_000)}, headers=t.h())
        assert (r.status_code, r.json()["code"]) == (413, "document_too_large"), r.text
        r = c.post("/v1/candidates", files={"file": ("cv.txt", b"Python developer\n" * 100)}, headers=t.h())
        assert (r.status_code, r.json()["code"]) == (413, "document_too_large"), r.text
        buf = io.BytesIO()
        cv = canvas.Canvas(buf)
        for i in range(3):
            cv.drawString(60, 800, f"Page {i} Python")
            cv.showPage()
        cv.save()
        r = c.post("/v1/candidates", files={"file": ("cv.pdf", buf.getvalue())}, headers=t.h())
        assert (r.status_code, r.json()["code"]) == (413, "document_too_large"), r.text
        assert "page" in r.json()["detail"].lower()


def test_decompression_limit(db_url, engine):
    import io
    import zipfile

    from docx import Document

    d = Document()
    d.add_paragraph("Python developer")
    raw = io.BytesIO()
    d.save(raw)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/media/zeros.bin", b"\0" * 20_000_000)  # ~20 KB compressed
    assert len(bomb.getvalue()) < 200_000
    app, c = _limited_client(db_url, engine, max_decompressed_bytes=5_000_000, parse_workers=1)
    with c:
        t = new_tenant(app)
        r = c.post("/v1/candidates", files={"file": ("cv.docx", bomb.getvalue())}, headers=t.h())
        assert (r.status_code, r.json()["code"]) == (413, "document_too_large"), r.text


# ---------------------------------------------------------------- the pool on its own, with injected tasks

def _sleepy(engine, data, as_of):
    time.sleep(float(data))
    return "slept"


def _hog(engine, data, as_of):
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def _boom(engine, data, as_of):
    import os

    os._exit(3)


@pytest.fixture(scope="module")
def tiny_pool(engine):
    from api.workers import ParsePool

    pool = ParsePool(engine, workers=1, timeout=0.5, memory_mb=256, tasks={"sleep": _sleepy, "hog": _hog, "boom": _boom})
    yield pool
    pool.close()


def _run(pool, mode: str, kind: str, data: bytes, **kw):
    """``pool.run`` from a thread, or ``pool.run_async`` awaited on an event loop."""
    if mode == "thread":
        return pool.run(kind, data, **kw)
    return asyncio.run(pool.run_async(kind, data, **kw))


MODES = pytest.mark.parametrize("mode", ["thread", "event loop"])


@MODES
@pytest.mark.parametrize(
    ("kind", "data", "timeout", "code"),
    [("sleep", b"5", None, "parse_timeout"), ("hog", b"", 20, "parse_memory_exceeded"), ("boom", b"", None, "parse_crashed")],
    ids=["timeout", "memory", "crash"],
)
def test_a_failed_worker_is_replaced(tiny_pool, mode, kind, data, timeout, code):
    from api.workers import ParseFailed

    with pytest.raises(ParseFailed) as exc:
        _run(tiny_pool, mode, kind, data, timeout=timeout)
    assert exc.value.code == code
    assert _run(tiny_pool, mode, "sleep", b"0") == "slept"


@MODES
def test_pool_engine_errors_pass_through(tiny_pool, mode):
    from matcher.errors import EmptyDocument

    with pytest.raises(EmptyDocument):
        _run(tiny_pool, mode, "profile", b"   ")


def _echo_after(engine, data, as_of):
    time.sleep(float(data.split(b" ")[0]))
    return data.split(b" ")[1].decode()


def test_waiters_get_a_worker_in_arrival_order(engine):
    """Threads and coroutines waiting for the one worker are served first come, first served."""
    import threading

    from api.workers import ParsePool

    pool = ParsePool(engine, workers=1, timeout=10, memory_mb=512, tasks={"echo": _echo_after})
    done: list[str] = []
    try:
        pool.start()
        holder = threading.Thread(target=lambda: done.append(pool.run("echo", b"0.8 first")))
        holder.start()
        time.sleep(0.3)

        async def waiters() -> None:
            async def one(name: str) -> None:
                done.append(await pool.run_async("echo", b"0.05 " + name.encode()))

            tasks = []
            for name in ("a", "b", "c"):
                tasks.append(asyncio.create_task(one(name)))
                await asyncio.sleep(0.05)
                if name == "a":  # a thread arrives between two coroutines
                    late = threading.Thread(target=lambda: done.append(pool.run("echo", b"0.05 thread")))
                    late.start()
                    await asyncio.sleep(0.05)
            await asyncio.gather(*tasks)
            await asyncio.to_thread(late.join)

        asyncio.run(waiters())
        holder.join()
        assert done == ["first", "a", "thread", "b", "c"]
    finally:
        pool.close()


def test_a_coroutine_that_gives_up_waiting_leaves_the_worker_to_the_next(engine):
    from api.workers import ParsePool

    pool = ParsePool(engine, workers=1, timeout=5, memory_mb=512, tasks={"echo": _echo_after})

    async def scenario() -> tuple[str, str, float]:
        holder = asyncio.create_task(pool.run_async("echo", b"0.5 held"))
        await asyncio.sleep(0.1)
        waiter = asyncio.create_task(pool.run_async("echo", b"0 cancelled"))
        await asyncio.sleep(0.1)
        waiter.cancel()  # the client went away while waiting for a worker
        with pytest.raises(asyncio.CancelledError):
            await waiter
        held = await holder
        t0 = time.monotonic()
        after = await pool.run_async("echo", b"0 next")
        return held, after, time.monotonic() - t0

    try:
        pool.start()
        held, after, waited = asyncio.run(scenario())
        assert (held, after) == ("held", "next")
        assert waited < 1.0  # not held by the waiter that left
    finally:
        pool.close()


def test_a_coroutine_waiting_too_long_for_a_worker_is_told_busy(engine):
    from api.workers import ParseFailed, ParsePool

    pool = ParsePool(engine, workers=1, timeout=6, memory_mb=512, tasks={"echo": _echo_after})

    async def scenario() -> str:
        holder = asyncio.create_task(pool.run_async("echo", b"4.5 held"))
        await asyncio.sleep(0.2)
        with pytest.raises(ParseFailed, match="busy") as exc:
            await pool.run_async("echo", b"0 late", timeout=0.2)  # waits 4 x max(0.2, 1 s) = 4 s
        assert (exc.value.code, exc.value.status) == ("parse_busy", 503)
        return await holder

    try:
        pool.start()
        assert asyncio.run(scenario()) == "held"
    finally:
        pool.close()


def _sleep_padded(engine, data, as_of):
    time.sleep(float(data.split(b" ")[0]))
    return len(data)


def test_small_inputs_have_a_lane_of_their_own(engine):
    """Big inputs hold the main worker; a small one still runs at once in the fast lane, while a second
    big one waits for the main lane (and is refused when it waits too long)."""
    import threading

    from api.workers import ParseFailed, ParsePool

    pool = ParsePool(engine, workers=1, fast_workers=1, fast_bytes=100, timeout=3, memory_mb=512,
                     tasks={"nap": _sleep_padded})
    try:
        pool.start()
        big = b"0.5 " + b"x" * 200  # over fast_bytes: main lane only
        t = threading.Thread(target=pool.run, args=("nap", b"5.5 " + b"x" * 200), kwargs={"timeout": 10})
        t.start()
        time.sleep(0.3)  # the big one holds the main worker
        t0 = time.monotonic()
        assert pool.run("nap", b"0") == 1
        assert time.monotonic() - t0 < 1.0
        with pytest.raises(ParseFailed, match="busy") as exc:
            pool.run("nap", big, timeout=0.2)  # waits 4 x max(timeout, 1 s) = 4 s for the main lane
        assert exc.value.code == "parse_busy"
        t.join()
        assert pool.run("nap", big) == len(big)  # the main lane is free again
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("data", "fast"),
    [(b"Jane Doe\nPython", True), (b"%PDF-1.7\n" + b"x" * 50, False), (b"PK\x03\x04" + b"x" * 50, False),
     (b"x" * 300, False), (b"\n" * 10 + b"%PDF-1.4", False)],
    ids=["text", "pdf", "zip", "big-text", "pdf-after-junk"],
)
def test_only_small_plain_text_takes_the_fast_lane(engine, data, fast):
    from api.workers import ParsePool

    assert ParsePool(engine, fast_workers=1, fast_bytes=200)._small_text(data) is fast
