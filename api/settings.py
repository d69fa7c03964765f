"""Settings from the environment (prefix ``SKILLMATCH_``; ``DATABASE_URL`` too). Nothing is built here."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher import ReadLimits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLMATCH_", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite:///./skillmatch.db",
        validation_alias=AliasChoices("DATABASE_URL", "SKILLMATCH_DATABASE_URL"),
        description="SQLAlchemy URL: sqlite:///file.db or postgresql+psycopg://user:pw@host/db",
    )
    taxonomy_path: str | None = Field(default=None, description="A taxonomy JSON file; default: the bundled one.")
    log_level: str = "INFO"

    # Hostile-input limits.
    max_body_bytes: int = Field(default=25_000_000, description="Request body bytes, counted as they arrive.")
    body_read_timeout_seconds: float = Field(
        default=120.0, description="Time a client has to send the whole request body (slow-trickle uploads get 408).")
    max_file_bytes: int = 20_000_000
    max_pages: int = 50
    max_decompressed_bytes: int = 100_000_000
    max_chars: int = 2_000_000
    parse_timeout_seconds: float = 30.0
    parse_memory_mb: int = Field(default=2048, description="Address space a parse worker may add beyond its start.")
    parse_workers: int = 2
    parse_fast_workers: int = Field(default=1, ge=0, description="Extra workers only for small plain text (at most "
                                    "parse_fast_bytes): text résumés keep flowing while big documents hold the others.")
    parse_fast_bytes: int = 256_000
    parse_worker_nice: int = Field(default=10, ge=0, le=19, description="Parse workers run this much nicer than the "
                                   "server process, so its event loop (health checks, reading requests) gets a core at "
                                   "once while documents parse; the workers still have every idle cycle.")
    max_batch: int = 50
    tenant_engines: int = Field(default=8, ge=1, description="Engines for tenants with taxonomy additions of their "
                                "own kept per process (the server and each parse worker), least recently used out "
                                "first; each takes ~0.65 s to build and a few MB. More tenants with additions than "
                                "this, active at once, rebuild.")

    # Rate limits and per-key fairness (api/ratelimit.py); 429 problem+json with Retry-After past them.
    rate_limit_per_minute: int = Field(default=600, ge=0, description="Requests a minute per API key (0: no limit).")
    sign_in_attempts_per_minute: int = Field(default=10, ge=0, description="Web sign-in attempts a minute per "
                                             "client address (0: no limit).")
    parses_in_flight_per_key: int = Field(default=0, ge=0, description="Parses one API key may have running at "
                                          "once in a server process (0: the parse lanes less one).")
    key_cache_seconds: float = Field(default=5.0, ge=0, description="A verified API key is remembered this long "
                                     "by a server process (0: every request reads the key). A key revoked through "
                                     "another server process stops working here within this time.")
    rate_limit_storage: Literal["auto", "memory", "database"] = Field(
        default="auto", description="Where the per-minute counters live: auto = the database when it is "
        "PostgreSQL (shared by every server process), process memory with SQLite.")

    # Fairness operations (api/usecases/audit.py, api/store/events.py).
    audit_retention_days: int = Field(default=365, ge=183, description="Audit events (scores shown, review "
                                      "requests) are kept this long, then `skillmatch-api purge-audit-log` deletes "
                                      "them; at least six months. Decisions are kept with their candidate.")

    # Background jobs (api/jobs.py: huey's SqlHuey on this database; `skillmatch-api worker` runs them).
    job_retries: int = Field(default=3, ge=0, description="Retries of a job that fails (not of one refused).")
    job_retry_delay_seconds: float = Field(default=2.0, ge=0, description="First retry delay; doubles each time.")
    job_lease_seconds: float = Field(default=30.0, gt=0, description="A running job renews its lease as it "
                                     "progresses; past it (its worker died) the job is queued again.")
    worker_threads: int = Field(default=2, ge=1, description="Jobs a `skillmatch-api worker` runs at once.")
    ranking_inline_max: int = Field(default=2000, ge=0, description="A ranking GET rescores up to this many stale "
                                    "candidates inline; past it a refresh job runs and the last ranking is served "
                                    "with stale: true.")
    export_max_rows: int = Field(default=100_000, ge=1, description="Rows one CSV export job writes at most.")
    import_max_files: int = Field(default=5000, ge=1, description="Résumés one import job may hold.")

    # Webhooks (api/webhooks.py): sent by the job worker, signed, retried with backoff.
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, description="Connect and read timeout of one "
                                           "delivery attempt.")
    webhook_max_attempts: int = Field(default=6, ge=1, description="Attempts of one delivery before it ends failed.")
    webhook_retry_delay_seconds: float = Field(default=10.0, ge=0, description="Delay before the second attempt; "
                                               "doubles each time (10 s, 20 s, 40 s, ...), at most an hour.")
    webhooks_per_tenant: int = Field(default=10, ge=1, description="Webhooks one tenant may register.")

    # Web pages (api/web/).
    web_session_minutes: int = Field(default=480, ge=1, description="A browser session lasts this long.")
    web_cookie_secure: bool = Field(default=True, description="Send the session cookie only over HTTPS "
                                    "(browsers also accept it from http://localhost).")

    def read_limits(self) -> ReadLimits:
        return ReadLimits(
            max_bytes=self.max_file_bytes,
            max_pages=self.max_pages,
            max_decompressed_bytes=self.max_decompressed_bytes,
            max_chars=self.max_chars,
        )

    def sqlalchemy_url(self) -> str:
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
