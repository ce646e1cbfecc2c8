"""i17 assessment: closure kind, the sticky missed-deadline flag, pending extension on cases

Revision ID: 0004_i17
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_i17"
down_revision = "0002_i15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("closure_kind", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("deadline_missed", sa.Boolean(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("extension_due_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("extension_due_at")
        batch.drop_column("deadline_missed")
        batch.drop_column("closure_kind")
