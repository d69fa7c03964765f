"""background jobs: the jobs table and huey's queue tables (SqlHuey, prefixed huey_)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(36), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("artifact", sa.LargeBinary(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("heartbeat_at", TS, nullable=True),
    )
    op.create_index("ix_jobs_tenant_id", "jobs", ["tenant_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_index("ix_jobs_dedupe_key", "jobs", ["dedupe_key"])
    for name, last in (("huey_task", sa.Column("priority", sa.Float(), nullable=False)),
                       ("huey_schedule", sa.Column("timestamp", sa.BigInteger(), nullable=False))):
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("queue", sa.String(255), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            last,
        )
    op.create_index("ix_huey_schedule_timestamp", "huey_schedule", ["timestamp"])
    for name, value in (("huey_kv", sa.LargeBinary()), ("huey_counter", sa.Integer())):
        op.create_table(
            name,
            sa.Column("queue", sa.String(255), primary_key=True),
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column("value", value, nullable=False),
        )


def downgrade() -> None:
    for name in ("huey_counter", "huey_kv", "huey_schedule", "huey_task", "jobs"):
        op.drop_table(name)
