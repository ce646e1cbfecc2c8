"""intake keys: a Telegram update files its case at most once (rel26)

Revision ID: 0010_rel26
Revises: 0009_dfx2

``intake_keys`` maps what a case came in as (``tg:UPDATE_ID``) to the case, written in
the transaction that files it: a replayed update (``kill -9`` after the case committed,
before the update was marked handled) finds its key and files nothing, and the primary
key stops two instances filing the same update at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_rel26"
down_revision = "0009_dfx2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_keys",
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_intake_keys_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_intake_keys")),
    )
    with op.batch_alter_table("intake_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_keys_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_keys_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_keys_created_at"))
        batch_op.drop_index(batch_op.f("ix_intake_keys_case_id"))
    op.drop_table("intake_keys")
