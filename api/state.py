"""What one app instance holds: settings, the database, the engine (built lazily, once), each tenant's
engine on its own taxonomy additions (built on first use, kept least recently used first out) and the
parse pool."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import OrderedDict

from matcher import (
    SCORING_VERSION,
    CompiledRole,
    Engine,
    Role,
    TaxonomyAdditions,
    build_engine,
    compile_role,
    load_taxonomy,
)

from .auth import KeyCache
from .ratelimit import build_rate_limits
from .settings import Settings
from .store.db import make_engine, migrate, session_factory
from .workers import ParsePool, tenant_engine

log = logging.getLogger("api")


class AppState:
    def __init__(self, settings: Settings, engine: Engine | None = None, pool: ParsePool | None = None) -> None:
        self.settings = settings
        self.db = make_engine(settings.sqlalchemy_url())
        self.sessions = session_factory(self.db)
        # A handed-in engine (tests) still reads with this app's configured limits.
        self._engine = dataclasses.replace(engine, limits=settings.read_limits()) if engine is not None else None
        self._pool = pool
        self._own_pool = pool is None
        self._lock = threading.Lock()
        self.migrated = False
        self.limits = build_rate_limits(settings, self.db)
        self.key_cache = KeyCache(settings.key_cache_seconds)
        self._queue = None
        self._compiled: OrderedDict[tuple, CompiledRole] = OrderedDict()
        self._compiled_lock = threading.Lock()
        self._tenant_engines: OrderedDict[TaxonomyAdditions, Engine] = OrderedDict()
        self._tenant_lock = threading.Lock()
        self._tenant_build_lock = threading.Lock()

    def migrate(self) -> None:
        if not self.migrated:
            migrate(self.db)
            self.migrated = True

    @property
    def engine_ready(self) -> bool:
        return self._engine is not None

    def engine(self, tenant_id: str | None = None, db=None) -> Engine:
        """The engine on the bundled taxonomy; with ``tenant_id``, on that tenant's taxonomy (its own
        additions read from ``db``, or from a short session of its own)."""
        if tenant_id is not None:
            return self.engine_for(self.additions(tenant_id, db))
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    t0 = time.perf_counter()
                    taxonomy = load_taxonomy(self.settings.taxonomy_path)
                    self._engine = build_engine(taxonomy, limits=self.settings.read_limits())
                    log.info("engine built in %.1f s (taxonomy %s)", time.perf_counter() - t0, self._engine.taxonomy.version)
        return self._engine

    def additions(self, tenant_id: str, db=None) -> TaxonomyAdditions:
        """The tenant's own taxonomy additions (``api/store/taxonomy.py``): one indexed query."""
        from .store.taxonomy import additions_of

        if db is not None:
            return additions_of(db, tenant_id)
        with self.sessions() as own:
            return additions_of(own, tenant_id)

    def engine_for(self, additions: TaxonomyAdditions | None) -> Engine:
        """The engine extended by ``additions`` (``workers.tenant_engine``, cached per process; the base
        engine for none)."""
        base = self.engine()
        if not additions:
            return base
        with self._tenant_lock:  # a cached engine: no wait behind a build
            hit = self._tenant_engines.get(additions)
            if hit is not None:
                self._tenant_engines.move_to_end(additions)
                return hit
        # builds (~0.65 s) one at a time (they add to the shared spaCy pipeline's vocabulary), outside
        # the cache's lock, so requests of tenants whose engines are cached go on meanwhile
        with self._tenant_build_lock:
            with self._tenant_lock:
                hit = self._tenant_engines.get(additions)
            if hit is None:
                built = tenant_engine(base, additions)
                with self._tenant_lock:
                    hit = self._tenant_engines.setdefault(additions, built)
                    while len(self._tenant_engines) > self.settings.tenant_engines:
                        self._tenant_engines.popitem(last=False)
            return hit

    #: compiled roles kept per process (each is ~5 KB pickled)
    COMPILED_ROLES = 256

    def compiled(self, role: Role, engine: Engine | None = None) -> CompiledRole:
        """``compile_role`` (~3 ms) once per (role, scoring version, taxonomy version): a stored role's
        revision resolves to one ``Role`` value, so this is the cache per (role revision, scoring version,
        taxonomy version); an edited role is a new value and compiles anew. Least recently used go first.
        ``engine``: the tenant's (``engine(tenant_id)``), whose taxonomy version is in the key."""
        engine = engine or self.engine()
        key = (role, SCORING_VERSION, engine.taxonomy.version)
        with self._compiled_lock:
            hit = self._compiled.get(key)
            if hit is not None:
                self._compiled.move_to_end(key)
                return hit
        compiled = compile_role(role, engine.taxonomy)
        with self._compiled_lock:
            self._compiled[key] = compiled
            while len(self._compiled) > self.COMPILED_ROLES:
                self._compiled.popitem(last=False)
        return compiled

    @property
    def pool_ready(self) -> bool:
        """The pool exists (``pool()`` returns at once, without building the engine or forking)."""
        return self._pool is not None

    def pool(self) -> ParsePool:
        if self._pool is None:
            engine = self.engine()
            with self._lock:
                if self._pool is None:
                    s = self.settings
                    self._pool = ParsePool(engine, workers=s.parse_workers, timeout=s.parse_timeout_seconds,
                                           memory_mb=s.parse_memory_mb, fast_workers=s.parse_fast_workers,
                                           fast_bytes=s.parse_fast_bytes, nice=s.parse_worker_nice,
                                           tenant_engines=s.tenant_engines)
                    self._pool.start()
        return self._pool

    def queue(self):
        """The job queue (``api/jobs.py``), made on first use."""
        if self._queue is None:
            from . import jobs, webhooks

            with self._lock:
                if self._queue is None:
                    self._queue = jobs.make_queue(self.settings, lambda job_id, left: jobs.run(self, job_id, left),
                                                  lambda: webhooks.drain(self))
        return self._queue

    def close(self) -> None:
        if self._pool is not None and self._own_pool:
            self._pool.close()
        self.db.dispose()
