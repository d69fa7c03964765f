"""web pages: candidate status, profile corrections, invitations, browser sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("candidates") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="parsed"))
    op.create_table(
        "profile_corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(36), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("candidate_id", sa.String(36), sa.ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False),
        sa.Column("skill_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("years", sa.Float(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("candidate_id", "skill_id", name="uq_correction_candidate_skill"),
    )
    op.create_index("ix_profile_corrections_tenant_id", "profile_corrections", ["tenant_id"])
    op.create_index("ix_profile_corrections_candidate_id", "profile_corrections", ["candidate_id"])
    op.create_table(
        "invitations",
        sa.Column("candidate_id", sa.String(36), sa.ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role_id", sa.String(36), sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tenant_id", sa.String(36), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_invitations_role_id", "invitations", ["role_id"])
    op.create_index("ix_invitations_tenant_id", "invitations", ["tenant_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.String(32), sa.ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_web_sessions_key_id", "web_sessions", ["key_id"])


def downgrade() -> None:
    for table in ("web_sessions", "invitations", "profile_corrections"):
        op.drop_table(table)
    with op.batch_alter_table("candidates") as batch:
        batch.drop_column("status")
