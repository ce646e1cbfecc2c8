"""cases: how many times the reporter's follow-up reopened the case

Revision ID: 0009_dfx2
Revises: 0008_dfx

``cases`` gains ``reopen_count`` (重办 rounds): the cards show it and the second
reopening sends the case to supervision (督办) automatically. Existing cases are
counted from their ``reopened`` events.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_dfx2"
down_revision = "0008_dfx"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        sa.text(
            "UPDATE cases SET reopen_count = (SELECT COUNT(*) FROM case_events e "
            "WHERE e.case_id = cases.id AND e.type = 'reopened')"
        )
    )


def downgrade() -> None:
    # Plain DROP COLUMN, as in 0008_dfx: a batch rebuild of ``cases`` is refused by the
    # foreign keys of a database with cases.
    op.execute(sa.text("ALTER TABLE cases DROP COLUMN reopen_count"))
