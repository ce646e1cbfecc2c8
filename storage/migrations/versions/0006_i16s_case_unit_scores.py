"""i16s: the scores' summary table case_unit_scores, backfilled from the event log

Revision ID: 0006_i16s
Revises: 0003_i16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_i16s"
down_revision = "0003_i16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_unit_scores",
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("first_dispatch_id", sa.BigInteger(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("acked", sa.Integer(), nullable=False),
        sa.Column("ack_missed", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("resolve_missed", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("extended", sa.Integer(), nullable=False),
        sa.Column("disputed", sa.Integer(), nullable=False),
        sa.Column("followed_up", sa.Integer(), nullable=False),
        sa.Column("last_answer", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closure_kind", sa.String(length=16), nullable=True),
        sa.Column("ack_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolve_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "unit_id", name=op.f("pk_case_unit_scores")),
    )
    op.create_index(
        "ix_case_unit_scores_month", "case_unit_scores", ["dispatched_at", "unit_id"], unique=False
    )
    # Backfill from the event log with the statement that maintains the rows.
    from storage.case_scores import rebuild_sync

    rebuild_sync(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_case_unit_scores_month", table_name="case_unit_scores")
    op.drop_table("case_unit_scores")
