"""Parsing hostile documents in worker processes with a time limit and a memory limit.

Each worker is forked from the server after the engine is built (so it shares the engine's memory
copy-on-write and starts instantly), caps its own address space with ``RLIMIT_AS`` and serves one
task at a time over a pipe. A task that runs past the time limit gets its worker killed and
replaced; a worker that runs out of memory (``MemoryError``) or dies is replaced too. The server
process never runs the document readers itself.

Errors come back as :class:`ParseFailed` with a stable code: ``parse_timeout``,
``parse_memory_exceeded``, ``parse_crashed``; the engine's own errors (``DocumentError``,
``RoleError``) are re-raised as they were.

A task may carry a tenant's own taxonomy additions (``matcher.TaxonomyAdditions``, a few hundred
bytes): the worker parses with the engine extended by them (:func:`engine_with`, built once per set
of additions and kept, least recently used first out, the ``tenant_engines`` setting's number of them).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import multiprocessing as mp
import os
import resource
import signal
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from matcher import (
    CompiledRole,
    Engine,
    MatcherError,
    TaxonomyAdditions,
    extend_engine,
    load_role,
    parse_bytes,
    usable_additions,
)

log = logging.getLogger("api.workers")


#: tenants' engines kept per process by default (each ~0.65 s to build, a phrase matcher of a few MB;
#: setting ``tenant_engines``)
TENANT_ENGINES = 8


def tenant_engine(base: Engine, additions: TaxonomyAdditions) -> Engine:
    """``base`` extended by a tenant's additions (~0.65 s): those that still fit ``base`` (one that a newer
    bundled taxonomy took is left out, and logged)."""
    kept, dropped = usable_additions(base.taxonomy, additions)
    for why in dropped:
        log.warning("taxonomy addition left out: %s", why)
    return extend_engine(base, kept)


def engine_with(base: Engine, additions: TaxonomyAdditions | None, cache: OrderedDict, size: int = TENANT_ENGINES) -> Engine:
    """:func:`tenant_engine` from ``cache`` (additions -> engine; least recently used go first past
    ``size``); ``base`` itself without additions."""
    if not additions:
        return base
    hit = cache.get(additions)
    if hit is not None:
        cache.move_to_end(additions)
        return hit
    engine = cache[additions] = tenant_engine(base, additions)
    while len(cache) > size:
        cache.popitem(last=False)
    return engine

class ParseFailed(Exception):
    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


# ---------------------------------------------------------------- tasks (run inside the worker)

def task_profile(engine: Engine, data: bytes, as_of: date | None):
    return parse_bytes(data, engine, as_of)


def task_role(engine: Engine, data: bytes, filename: str | None):
    return load_role(data, engine, filename=filename)


def task_match(engine: Engine, data: bytes, arg: tuple[date | None, CompiledRole]) -> dict[str, Any]:
    """A résumé's fit report (``FitReport``) against a compiled role: the report (~2 KB pickled)
    crosses the pipe, not the profile (~10 KB), and the server process does no report building."""
    from .usecases.reports import report_view

    as_of, compiled = arg
    return report_view(parse_bytes(data, engine, as_of), compiled.role, engine, compiled)


#: kind -> task(engine, data, arg): ``arg`` is the as-of date for a profile, the file name for a role,
#: (as-of date, compiled role) for a match.
TASKS: dict[str, Callable[[Engine, bytes, Any], Any]] = {"profile": task_profile, "role": task_role,
                                                         "match": task_match}


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - non-Linux
        return 0


def _worker_main(conn, engine: Engine, memory_bytes: int, tasks: dict[str, Callable], server_ends=(), nice: int = 0,
                 engines_kept: int = TENANT_ENGINES) -> None:
    # fork copied the server's end of every worker's pipe (this one's too): close them, so that the
    # worker reads EOF -- and exits -- the moment its server dies, even by SIGKILL
    for end in server_ends:
        with contextlib.suppress(OSError):
            end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if nice > 0:  # below the server's event loop: a health check is answered while documents parse
        with contextlib.suppress(OSError):
            os.nice(nice)
    if memory_bytes > 0:
        limit = _vm_bytes() + memory_bytes
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):  # pragma: no cover
            pass
    engines: OrderedDict = OrderedDict()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        kind, as_of, additions = msg
        try:
            data = conn.recv_bytes()  # the document's bytes as they are: no pickling of a big upload
        except (EOFError, OSError):
            break
        try:
            result = ("ok", tasks[kind](engine_with(engine, additions, engines, engines_kept), data, as_of))
        except MemoryError:
            result = ("memory", None)
        except MatcherError as exc:
            result = ("engine", exc)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not kill the worker loop
            result = ("crash", f"{type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(result)
        except MemoryError:
            conn.send(("memory", None))
        except OSError:  # the server is gone
            break
        if result[0] == "memory":
            break  # a worker that hit its limit may be in a bad state: replace it
    os._exit(0)


class _Worker:
    def __init__(self, ctx, engine: Engine, memory_bytes: int, tasks: dict[str, Callable], others=(), nice: int = 0,
                 engines_kept: int = TENANT_ENGINES) -> None:
        self.conn, child = ctx.Pipe()
        server_ends = (*others, self.conn)
        self.proc = ctx.Process(target=_worker_main, args=(child, engine, memory_bytes, tasks, server_ends, nice, engines_kept),
                                daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # already gone / already closed
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class _Waiter:
    """A request waiting for a worker: ``deliver(lane, worker)`` hands it one (outside the pool's lock)."""

    __slots__ = ("deliver", "small")

    def __init__(self, small: bool, deliver: Callable[[str, _Worker], None]) -> None:
        self.small, self.deliver = small, deliver


class ParsePool:
    """Forked parse workers in two lanes. ``run()`` blocks the calling thread (use a threadpool);
    ``run_async()`` waits on the event loop (no thread is held while the worker parses).

    The main lane (``workers``) takes any task. The fast lane (``fast_workers``) takes only small
    plain-text inputs (at most ``fast_bytes``, not a PDF or a ZIP/OLE container: a text résumé, a
    job description), so a résumé from an ATS is not queued behind hostile documents that each
    hold a main worker up to the time limit; a compressed document can be tiny and still slow, so
    size alone is not the test. A fast-lane task takes whichever lane frees first. Waiting requests,
    threads and coroutines alike, are served in arrival order (a freed worker goes to the first
    waiter that may use its lane)."""

    def __init__(self, engine: Engine, *, workers: int = 2, timeout: float = 30.0, memory_mb: int = 1024,
                 tasks: dict[str, Callable] | None = None, fast_workers: int = 0, fast_bytes: int = 256_000,
                 nice: int = 0, tenant_engines: int = TENANT_ENGINES) -> None:
        self.engine = engine
        self.nice = nice
        self.tenant_engines = tenant_engines
        self.size = max(1, workers)
        self.fast_size = max(0, fast_workers)
        self.fast_bytes = fast_bytes
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self.tasks = dict(TASKS, **(tasks or {}))
        self._ctx = mp.get_context("fork")
        self._idle: dict[str, list[_Worker]] = {"main": [], "fast": []}
        self._waiters: collections.deque[_Waiter] = collections.deque()
        self._cond = threading.Lock()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()  # idle and busy: their pipe ends are closed in each new worker
        self._live_lock = threading.Lock()
        self._started = False
        self._closed = False

    def _spawn(self) -> _Worker:
        with self._live_lock:
            w = _Worker(self._ctx, self.engine, self.memory_bytes, self.tasks, [x.conn for x in self._live], self.nice,
                        self.tenant_engines)
            self._live.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._live_lock:
            self._live.discard(w)

    def _put(self, lane: str, w: _Worker) -> None:
        """A free worker: to the first waiter that may use its lane, else to the idle list."""
        with self._cond:
            for waiter in self._waiters:
                if lane == "main" or waiter.small:
                    self._waiters.remove(waiter)
                    break
            else:
                self._idle[lane].append(w)
                return
        waiter.deliver(lane, w)

    def _idle_for(self, small: bool) -> tuple[str, _Worker] | None:
        """Under ``_cond``: an idle worker for this task, if one is free and nobody waits before it."""
        if small and self._idle["fast"]:
            return "fast", self._idle["fast"].pop(0)
        if self._idle["main"]:
            return "main", self._idle["main"].pop(0)
        return None

    def _take(self, small: bool, wait: float) -> tuple[str, _Worker]:
        got: list[tuple[str, _Worker]] = []
        ready = threading.Event()
        with self._cond:
            hit = self._idle_for(small)
            if hit is not None:
                return hit
            waiter = _Waiter(small, lambda lane, w: (got.append((lane, w)), ready.set()))
            self._waiters.append(waiter)
        if not ready.wait(wait):
            with self._cond:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                    raise _busy()
            ready.wait()  # chosen just now: the worker is on its way
        return got[0]

    async def _take_async(self, small: bool, wait: float) -> tuple[str, _Worker]:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future = loop.create_future()

        def on_loop(lane: str, w: _Worker) -> None:
            if fut.done():  # the waiter gave up (timeout, cancelled request): pass the worker on
                self._put(lane, w)
            else:
                fut.set_result((lane, w))

        def deliver(lane: str, w: _Worker) -> None:
            try:
                loop.call_soon_threadsafe(on_loop, lane, w)
            except RuntimeError:  # the loop is closed
                self._put(lane, w)

        with self._cond:
            hit = self._idle_for(small)
            if hit is not None:
                return hit
            waiter = _Waiter(small, deliver)
            self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(fut, wait)
        except BaseException as exc:
            # if it was chosen meanwhile, ``on_loop`` sees the cancelled future and passes the worker on
            with self._cond:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if fut.done() and not fut.cancelled():  # delivered just as the wait ended (Python 3.12+ wait_for)
                self._put(*fut.result())
            if isinstance(exc, TimeoutError):
                raise _busy() from None
            raise

    def _small_text(self, data: bytes) -> bool:
        from matcher import is_container

        return len(data) <= self.fast_bytes and not is_container(data)

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            for _ in range(self.size):
                self._put("main", self._spawn())
            for _ in range(self.fast_size):
                self._put("fast", self._spawn())
            self._started = True

    def close(self) -> None:
        self._closed = True
        with self._cond:
            idle = self._idle["main"] + self._idle["fast"]
            self._idle = {"main": [], "fast": []}
        for w in idle:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send(None)
            self._retire(w)

    def run(self, kind: str, data: bytes, as_of: Any = None, *, timeout: float | None = None,
            taxonomy: TaxonomyAdditions | None = None) -> Any:
        """``tasks[kind](engine, data, as_of)`` in a worker; with ``taxonomy``, on the engine extended by
        those additions (a tenant's)."""
        self.start()
        limit = self.timeout if timeout is None else timeout
        lane, worker = self._take(self._small_text(data), max(limit, 1.0) * 4)
        replace = True
        try:
            try:
                _send_task(worker.conn, kind, data, as_of, taxonomy)
            except (OSError, EOFError):
                raise ParseFailed("parse_crashed", "the parse worker failed; retry", 503) from None
            if not worker.conn.poll(limit):
                raise _timed_out(limit)
            try:
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                raise self._death(worker) from None
            replace = status == "memory"
            return _outcome(status, payload)
        finally:
            self._release(lane, worker, replace, kind)

    async def run_async(self, kind: str, data: bytes, as_of: Any = None, *, timeout: float | None = None,
                        taxonomy: TaxonomyAdditions | None = None) -> Any:
        """``run`` for a coroutine: the worker's answer is awaited on the event loop (a reader on its
        pipe), so no threadpool thread waits meanwhile; forking a replacement runs in a thread."""
        if not self._started:
            await asyncio.to_thread(self.start)
        limit = self.timeout if timeout is None else timeout
        lane, worker = await self._take_async(self._small_text(data), max(limit, 1.0) * 4)
        replace = True
        try:
            try:
                if len(data) > _SEND_ON_LOOP:  # a big document is written from a thread
                    await asyncio.to_thread(_send_task, worker.conn, kind, data, as_of, taxonomy)
                else:
                    _send_task(worker.conn, kind, data, as_of, taxonomy)
            except (OSError, EOFError):
                raise ParseFailed("parse_crashed", "the parse worker failed; retry", 503) from None
            if not await _readable(worker.conn, limit):
                raise _timed_out(limit)
            try:
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                raise await asyncio.to_thread(self._death, worker) from None
            replace = status == "memory"
            return _outcome(status, payload)
        finally:
            if replace:  # killing and forking off the event loop; not awaited (the request may be cancelled)
                asyncio.get_running_loop().run_in_executor(None, self._release, lane, worker, True, kind)
            else:
                self._release(lane, worker, False, kind)

    def _release(self, lane: str, worker: _Worker, replace: bool, kind: str) -> None:
        if replace or not worker.proc.is_alive():
            self._retire(worker)
            if not self._closed:
                self._put(lane, self._spawn())
            log.warning("parse worker replaced (task %s)", kind)
        else:
            self._put(lane, worker)

    @staticmethod
    def _death(worker: _Worker) -> ParseFailed:
        """What a worker that died mid-task means. ``RLIMIT_AS`` never sends SIGKILL (a C allocation
        past it aborts or faults): SIGKILL came from outside (the kernel's OOM killer, an operator),
        not from the document, so the client may retry (503)."""
        worker.proc.join(timeout=1)
        if worker.proc.exitcode == -signal.SIGKILL:
            return ParseFailed("parse_crashed", "the parse worker was killed; retry", 503)
        if worker.proc.exitcode in (-signal.SIGSEGV, -signal.SIGABRT):
            return ParseFailed("parse_memory_exceeded", "the document could not be parsed within the worker's limits")
        return ParseFailed("parse_crashed", "the document could not be parsed within the worker's limits")

    def alive(self) -> bool:
        return self._started and not self._closed


#: inputs up to this size are written to a worker's pipe from the event loop (the pipe takes them at once)
_SEND_ON_LOOP = 64 * 1024


def _send_task(conn, kind: str, data: bytes, arg: Any, additions: TaxonomyAdditions | None = None) -> None:
    """A task on a worker's pipe: (kind, arg, the tenant's additions or None) pickled, then the input's
    bytes as they are."""
    conn.send((kind, arg, additions or None))
    conn.send_bytes(data)


def _busy() -> ParseFailed:
    return ParseFailed("parse_busy", "all parse workers are busy; retry later", 503)


def _timed_out(limit: float) -> ParseFailed:
    return ParseFailed("parse_timeout", f"parsing took longer than {limit:g} s and was stopped")


def _outcome(status: str, payload: Any) -> Any:
    """A worker's answer: its result, or the error it stands for."""
    if status == "ok":
        return payload
    if status == "engine":
        raise payload
    if status == "memory":
        raise ParseFailed("parse_memory_exceeded", "parsing this document needed more memory than allowed")
    raise ParseFailed("parse_crashed", "the document could not be parsed")


async def _readable(conn, timeout: float) -> bool:
    """Wait on the event loop until ``conn`` has something to read (an answer, or EOF); False on timeout."""
    if conn.poll(0):
        return True
    loop = asyncio.get_running_loop()
    fut: asyncio.Future = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: fut.done() or fut.set_result(True))
    try:
        await asyncio.wait_for(fut, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
