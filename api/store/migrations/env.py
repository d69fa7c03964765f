"""Alembic environment: run with the connection handed in by ``api.store.db.migrate`` or from the URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from api.store.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    """DATABASE_URL (as the app reads it) when set, else the config's sqlalchemy.url."""
    if os.environ.get("DATABASE_URL") or os.environ.get("SKILLMATCH_DATABASE_URL"):
        from api.settings import Settings

        return Settings().sqlalchemy_url()
    return config.get_main_option("sqlalchemy.url")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
