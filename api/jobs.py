"""Background jobs on huey's SqlHuey: the queue lives in the service's own database (SQLite or
PostgreSQL; its tables ``huey_*`` are made by our migrations), so the embedded default needs no
broker. The queue carries only job ids; the ``jobs`` row is the truth.

A worker **claims** a job with one conditional UPDATE (queued, or running with its lease run out),
renews the lease as it progresses (``heartbeat_at``) and writes the result. A job whose worker was
killed (even ``kill -9``, after huey deleted the queue entry) keeps a stale lease: every worker's
reaper puts such jobs back on the queue. A second delivery of a job already claimed is a no-op, so
jobs are idempotent whoever runs them twice. A failing job is retried by huey with exponential
backoff (``job_retries``, ``job_retry_delay_seconds`` x 2^n); one that fails for good, or whose input
is refused (:class:`JobRefused`), ends ``failed`` with a problem-shaped ``error``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from .errors import ApiError
from .store.models import Job, utcnow

log = logging.getLogger("api.jobs")

QUEUE_NAME = "skillmatch"
TASK_NAME = "skillmatch.run_job"
DONE = ("succeeded", "failed")


class JobRefused(Exception):
    """The job's input can't be used: it fails at once, without retries."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


#: kind -> runner(state, db, job) returning the job's result (``api/usecases/jobs.py`` fills it)
KINDS: dict[str, Callable[[Any, Session, Job], dict[str, Any]]] = {}


# ------------------------------------------------------------------ huey on our database

def peewee_database(sqlalchemy_url: str):
    """The peewee database SqlHuey talks to: the same SQLite file, or the same PostgreSQL (psycopg 3)."""
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url)
    if url.get_backend_name() == "sqlite":
        from peewee import SqliteDatabase

        return SqliteDatabase(url.database, pragmas={"busy_timeout": 30_000}, check_same_thread=False)
    from playhouse.postgres_ext import Psycopg3Database

    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return Psycopg3Database(libpq)


def make_queue(settings, run: Callable[[str, int], None], deliver: Callable[[], Any] = lambda: None) -> Queue:
    """A huey instance on the service's database with two tasks: ``run(job_id, retries_left)`` and
    ``deliver()`` (sends due webhook deliveries, ``api/webhooks.py``)."""
    from huey import Huey
    from huey.contrib.sql_huey import SqlStorage

    class Storage(SqlStorage):  # the tables our migrations made, not peewee's own names
        def create_models(self):
            models = super().create_models()
            for model, name in zip(models, ("huey_kv", "huey_schedule", "huey_task", "huey_counter"), strict=True):
                model._meta.set_table_name(name)
            return models

    huey = Huey(QUEUE_NAME, storage_class=Storage, database=peewee_database(settings.sqlalchemy_url()),
                create_tables=False, results=False, utc=True)

    def run_job(job_id: str, task=None) -> None:
        run(job_id, task.retries if task is not None else 0)

    task = huey.task(retries=settings.job_retries, retry_delay=settings.job_retry_delay_seconds, retry_backoff=2.0,
                     context=True, name=TASK_NAME)(run_job)
    from .webhooks import TASK_NAME as DELIVER_TASK

    def deliver_webhooks() -> None:
        deliver()

    return Queue(huey, task, huey.task(name=DELIVER_TASK)(deliver_webhooks))


@dataclass(frozen=True)
class Queue:
    huey: Any
    task: Any  # calling it enqueues a job id
    deliver: Any  # calling it enqueues a drain of due webhook deliveries


def enqueue(state, job_id: str) -> None:
    state.queue().task(job_id)


def queue_health(state) -> dict[str, int]:
    """``/readyz``: jobs waiting in the queue, and workers whose reaper wrote in the last two leases."""
    from .store.models import HueyKV

    with state.sessions() as db:
        stamps = db.scalars(select(HueyKV.value).where(HueyKV.queue == QUEUE_NAME, HueyKV.key.like("worker:%")))
        recent = time.time() - 2 * max(state.settings.job_lease_seconds, 1.0)
        live = sum(1 for v in stamps if float(bytes(v)) > recent)
        depth = db.scalar(select(func.count()).select_from(Job).where(Job.status == "queued")) or 0
    return {"queued_jobs": depth, "live_workers": live}


# ------------------------------------------------------------------ the jobs table

def submit(state, db: Session, tenant_id: str, kind: str, params: dict[str, Any], *, payload: bytes | None = None,
           dedupe_key: str | None = None, total: int | None = None) -> Job:
    """A new job, committed and queued; with ``dedupe_key``, the live job of that key if there is one."""
    if dedupe_key:
        live = db.scalar(select(Job).where(Job.tenant_id == tenant_id, Job.dedupe_key == dedupe_key,
                                           Job.status.not_in(DONE)).limit(1))
        if live is not None:
            return live
    job = Job(id=str(uuid.uuid4()), tenant_id=tenant_id, kind=kind, status="queued", dedupe_key=dedupe_key,
              params=params, payload=payload, progress=0, total=total, attempts=0, heartbeat_at=utcnow())
    db.add(job)
    db.commit()
    enqueue(state, job.id)
    return job


def get_job(db: Session, tenant_id: str, job_id: str) -> Job | None:
    return db.scalar(select(Job).where(Job.id == job_id, Job.tenant_id == tenant_id))


def claim(db: Session, job_id: str, lease: float) -> Job | None:
    """Take the job (queued, or running on a lease that ran out); None when someone else has it or it is done."""
    now = utcnow()
    res = db.execute(update(Job).where(Job.id == job_id, or_(
        Job.status == "queued", (Job.status == "running") & (Job.heartbeat_at < now - timedelta(seconds=lease))))
        .values(status="running", attempts=Job.attempts + 1, heartbeat_at=now, started_at=now))
    db.commit()
    return db.get(Job, job_id) if res.rowcount == 1 else None


def progress(db: Session, job: Job, done: int, total: int | None = None) -> None:
    """Record progress and renew the lease (commits whatever the job wrote with it)."""
    job.progress = done
    if total is not None:
        job.total = total
    job.heartbeat_at = utcnow()
    db.commit()


def _finish(state, db: Session, job: Job, status: str, *, result: dict | None = None,
            error: dict | None = None) -> None:
    """The job's outcome, committed with its ``job.completed`` / ``job.failed`` webhook event."""
    from .webhooks import emit, job_payload

    job.status, job.result, job.error = status, result, error
    job.finished_at = job.heartbeat_at = utcnow()
    job.payload = None  # the upload is not kept once it has been read
    emit(state, db, job.tenant_id, "job.completed" if status == "succeeded" else "job.failed", [job_payload(job)])
    db.commit()


def run(state, job_id: str, retries_left: int) -> None:
    """One delivery of a job (a huey task body). Raises to have huey retry it later."""
    with state.sessions() as db:
        job = claim(db, job_id, state.settings.job_lease_seconds)
        if job is None:
            return
        done = threading.Event()
        threading.Thread(target=_keep_lease, args=(state, job_id, done), daemon=True).start()
        try:
            _run_claimed(db, state, job, retries_left)
        finally:
            done.set()


def _run_claimed(db: Session, state, job: Job, retries_left: int) -> None:
    job_id = job.id
    try:
        result = KINDS[job.kind](state, db, job)
    except (JobRefused, ApiError) as exc:
        db.rollback()
        code, detail = (exc.code, exc.detail) if isinstance(exc, JobRefused) else (exc.code, str(exc.detail))
        _finish(state, db, db.get(Job, job_id), "failed", error={"code": code, "detail": detail})
        return
    except Exception as exc:
        db.rollback()
        job = db.get(Job, job_id)
        detail = f"{type(exc).__name__}: {exc}"[:500]
        if retries_left <= 0:
            _finish(state, db, job, "failed", error={"code": "job_failed", "detail": detail})
            return
        log.warning("job %s (%s) failed, retrying: %s", job_id, job.kind, detail)
        job.status, job.error = "queued", {"code": "retrying", "detail": detail}
        db.commit()
        raise
    _finish(state, db, job, "succeeded", result=result)


def _keep_lease(state, job_id: str, done: threading.Event) -> None:
    """Renew a running job's lease every third of it while this process lives: a slow step (a chunk of
    big documents) never looks like a dead worker; a killed worker stops renewing and the job is reaped."""
    lease = state.settings.job_lease_seconds
    while not done.wait(lease / 3):
        try:
            with state.sessions() as db:
                db.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(heartbeat_at=utcnow()))
                db.commit()
        except Exception:  # noqa: BLE001 - try again at the next beat
            log.warning("job %s: lease not renewed", job_id, exc_info=True)


def reap(state) -> int:
    """Put back on the queue every job whose lease ran out (its worker died): returns how many."""
    lease = state.settings.job_lease_seconds
    with state.sessions() as db:
        cutoff = utcnow() - timedelta(seconds=lease)
        ids = list(db.scalars(select(Job.id).where(Job.status.not_in(DONE), Job.heartbeat_at < cutoff)))
        for job_id in ids:  # claimable again; the fresh stamp keeps the next reaper pass from queueing it twice
            db.execute(update(Job).where(Job.id == job_id).values(status="queued", heartbeat_at=utcnow()))
        db.commit()
    for job_id in ids:
        log.info("job %s lost its worker: queued again", job_id)
        enqueue(state, job_id)
    return len(ids)


def run_worker(state, threads: int = 2, stop: threading.Event | None = None) -> None:
    """``skillmatch-api worker``: huey's consumer with ``threads`` worker threads (parsing still happens
    in the parse pool's limited processes) and a reaper every half lease."""
    from .usecases import jobs as _kinds  # noqa: F401 - registers the job kinds
    from .webhooks import queue_if_due

    in_test = stop is not None
    stop = stop or threading.Event()

    me = f"worker:{os.getpid()}:{threading.get_ident()}"

    def reaper() -> None:
        while not stop.is_set():
            try:
                state.queue().huey.storage.put_data(me, str(time.time()).encode())  # /readyz counts live workers
                reap(state)
                queue_if_due(state)  # webhook deliveries whose drain task was lost
            except Exception:  # noqa: BLE001 - a database hiccup must not end the reaper
                log.exception("reaper")
            stop.wait(max(0.5, state.settings.job_lease_seconds / 2))

    threading.Thread(target=reaper, daemon=True, name="job-reaper").start()
    consumer = state.queue().huey.create_consumer(workers=threads, worker_type="thread", periodic=False,
                                             initial_delay=0.05, max_delay=1.0, check_worker_health=True)
    if in_test:
        consumer._set_signal_handlers = lambda: None  # a thread of the test process: no signal handlers
        consumer.start()
        stop.wait()
        consumer.stop(graceful=True)
        return
    consumer.run()


def wait_for(state, job_id: str, timeout: float = 60.0) -> Job:
    """Poll until the job is done (tests, the demo)."""
    end = time.monotonic() + timeout
    while True:
        with state.sessions() as db:
            job = db.get(Job, job_id)
            if job is not None and job.status in DONE or time.monotonic() > end:
                return job
        time.sleep(0.05)
