"""intake: dead-lettered updates, per-user conversation state lookups (issue 16)

Revision ID: 0003_i16
Revises: 0005_i14

``inbound_updates`` gains ``dead_at`` and ``last_error``: an update that kept
failing for a transient reason, or that cannot be parsed, is dead-lettered
(kept with its payload for an operator) instead of blocking the inbox.
``bot_state`` gains an index on (kind, key) so that the state of the one user an
update concerns is read without scanning a kind's rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_i16"
down_revision = "0005_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=120), nullable=True))
    with op.batch_alter_table("bot_state", schema=None) as batch_op:
        batch_op.create_index("ix_bot_state_kind_key", ["kind", "key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bot_state", schema=None) as batch_op:
        batch_op.drop_index("ix_bot_state_kind_key")
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("dead_at")
