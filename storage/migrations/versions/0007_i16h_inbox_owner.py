"""inbox: the process that holds an update's lease (issue 16)

Revision ID: 0007_i16h
Revises: 0006_i16s

``inbound_updates`` gains ``lease_owner`` (``host:pid:boot:pidns``): a restarted service
hands back at once the updates its killed predecessor on the same host had taken
in, instead of waiting out their 30 s lease.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_i16h"
down_revision = "0006_i16s"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.drop_column("lease_owner")
