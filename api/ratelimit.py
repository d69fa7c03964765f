"""Rate limits and per-key fairness, on the ``limits`` library (fixed windows).

Three limits, each answered with ``429 too_many_requests`` problem+json and ``Retry-After``:

- **requests per API key** per minute (``SKILLMATCH_RATE_LIMIT_PER_MINUTE``, default 600; 0 turns it
  off): every authenticated request counts, from the API or from a web session of that key;
- **sign-in attempts per client address** per minute (``SKILLMATCH_SIGN_IN_ATTEMPTS_PER_MINUTE``,
  default 10): every ``POST /web/sign-in``, right or wrong, counts;
- **parses in flight per API key** (``SKILLMATCH_PARSES_IN_FLIGHT_PER_KEY``; default: the parse lanes
  less one, i.e. 2 of 3 with the default two main workers and one fast worker), so one key can never
  fill the lanes that every tenant shares.

Where the counters live (``SKILLMATCH_RATE_LIMIT_STORAGE``): ``auto`` (the default) keeps the two
per-minute counters in the database when it is PostgreSQL, so they hold across server processes and
machines, and in process memory with SQLite (the embedded default is one server process; a counter
write per request would queue behind SQLite's single writer). ``database`` and ``memory`` force one.
The in-flight count is always per process: the parse lanes it protects are per process.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from .errors import ApiError


class TooManyRequests(ApiError):
    def __init__(self, detail: str, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(429, "too_many_requests", detail, headers={"Retry-After": str(seconds)},
                         extra={"retry_after": seconds})


class SQLStorage(Storage):
    """Fixed-window counters in the ``rate_limits`` table (migration 0003): one atomic upsert per
    hit, so every server process sharing the database shares the counts."""

    STORAGE_SCHEME = ["skillmatch-sql"]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as conn:
            hits = conn.execute(text(
                "INSERT INTO rate_limits (bucket, hits, expires_at) VALUES (:k, :n, :exp) "
                "ON CONFLICT (bucket) DO UPDATE SET "
                "hits = CASE WHEN rate_limits.expires_at <= :now THEN :n ELSE rate_limits.hits + :n END, "
                "expires_at = CASE WHEN rate_limits.expires_at <= :now THEN :exp ELSE rate_limits.expires_at END "
                "RETURNING hits"), {"k": key[:200], "n": amount, "exp": now + expiry, "now": now}).scalar_one()
            if random.random() < 0.01:  # now and then, forget windows that ended long ago
                conn.execute(text("DELETE FROM rate_limits WHERE expires_at < :t"), {"t": now - 3600})
        return int(hits)

    def _row(self, key: str) -> tuple[int, float] | None:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT hits, expires_at FROM rate_limits WHERE bucket = :k"),
                               {"k": key[:200]}).first()
        if row is None or row[1] <= time.time():
            return None
        return int(row[0]), float(row[1])

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(text("DELETE FROM rate_limits")).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM rate_limits WHERE bucket = :k"), {"k": key[:200]})


class RateLimits:
    """The service's limits; ``check_key`` / ``check_sign_in`` raise :class:`TooManyRequests`."""

    def __init__(self, *, per_key_per_minute: int, sign_in_per_minute: int, parses_in_flight_per_key: int,
                 storage: Storage) -> None:
        self.storage = storage
        self.limiter = FixedWindowRateLimiter(storage)
        self.per_key: RateLimitItem | None = RateLimitItemPerMinute(per_key_per_minute) if per_key_per_minute > 0 else None
        self.sign_in: RateLimitItem | None = RateLimitItemPerMinute(sign_in_per_minute) if sign_in_per_minute > 0 else None
        self.parses_in_flight_per_key = max(1, parses_in_flight_per_key)
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def in_memory(self) -> bool:
        """The counters are in this process (checking one does no I/O)."""
        return isinstance(self.storage, MemoryStorage)

    def _hit(self, item: RateLimitItem | None, what: str, ident: str, detail: str) -> None:
        if item is None:
            return
        if not self.limiter.hit(item, what, ident):
            reset = self.limiter.get_window_stats(item, what, ident).reset_time
            raise TooManyRequests(detail, reset - time.time())

    def check_key(self, key_id: str) -> None:
        self._hit(self.per_key, "key", key_id,
                  f"this API key is over its limit of {self.per_key.amount if self.per_key else 0} requests a minute")

    def check_sign_in(self, address: str) -> None:
        self._hit(self.sign_in, "sign-in", address,
                  f"too many sign-in attempts from this address (at most {self.sign_in.amount if self.sign_in else 0} "
                  "a minute)")

    @contextmanager
    def parse_slot(self, key_id: str) -> Iterator[None]:
        """Hold one of the key's parse slots for the block, or raise 429 if it has none left."""
        with self._lock:
            n = self._in_flight.get(key_id, 0)
            if n >= self.parses_in_flight_per_key:
                raise TooManyRequests(
                    f"this API key already has {n} parse(s) in flight (at most {self.parses_in_flight_per_key}); "
                    "wait for one to finish", 1)
            self._in_flight[key_id] = n + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._in_flight.get(key_id, 1) - 1
                if left <= 0:
                    self._in_flight.pop(key_id, None)
                else:
                    self._in_flight[key_id] = left


def build_rate_limits(settings, engine: Engine) -> RateLimits:
    mode = settings.rate_limit_storage
    use_db = mode == "database" or (mode == "auto" and engine.dialect.name != "sqlite")
    storage: Storage = SQLStorage(engine) if use_db else MemoryStorage()
    lanes = settings.parse_workers + settings.parse_fast_workers
    in_flight = settings.parses_in_flight_per_key or max(1, lanes - 1)
    return RateLimits(per_key_per_minute=settings.rate_limit_per_minute,
                      sign_in_per_minute=settings.sign_in_attempts_per_minute,
                      parses_in_flight_per_key=in_flight, storage=storage)
