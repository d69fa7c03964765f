"""Persistence: SQLAlchemy models, queries and Alembic migrations."""
