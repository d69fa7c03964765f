"""fairness operations: self-identification apart from profiles, anonymous applicants left by
erasure, the audit event log

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.String(36), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "self_identifications",
        sa.Column("candidate_id", sa.String(36), sa.ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True),
        _tenant(),
        sa.Column("sex", sa.String(32), nullable=False),
        sa.Column("race_ethnicity", sa.String(64), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "anonymous_applicants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _tenant(),
        sa.Column("role_id", sa.String(36), sa.ForeignKey("roles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("applied_at", TS, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("selected", sa.Boolean(), nullable=False),
        sa.Column("sex", sa.String(32), nullable=False),
        sa.Column("race_ethnicity", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _tenant(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("role_id", sa.String(36), nullable=True),
        sa.Column("candidate_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
    )
    for table, cols in (("self_identifications", ["tenant_id"]), ("anonymous_applicants", ["tenant_id", "role_id"]),
                        ("audit_events", ["tenant_id", "role_id", "candidate_id"])):
        for col in cols:
            op.create_index(f"ix_{table}_{col}", table, [col])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("anonymous_applicants")
    op.drop_table("self_identifications")
