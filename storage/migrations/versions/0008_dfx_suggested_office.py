"""cases: the classifier's proposal when the reporter chose another office

Revision ID: 0008_dfx
Revises: 0007_i16h

``cases`` gains ``suggested_room`` and ``suggested_bureau``: when a citizen (换一个部门)
or an officer (更改部门) files with another office than the classifier proposed, the
chief's card says so (群众自选部门，系统建议：…). Existing cases are filled from the
routing corrections recorded at filing (``routing_corrections`` of kind ``citizen`` or
``officer``), unless the desk has dispatched the case by hand since.

The status ``rejected`` (不予受理) needs no schema change: ``cases.status`` is a plain
``String(16)`` without a check constraint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_dfx"
down_revision = "0007_i16h"
branch_labels = None
depends_on = None

_CHOICE = (
    "FROM routing_corrections rc WHERE rc.case_id = cases.id AND rc.kind IN ('citizen', 'officer')"
)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggested_room", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("suggested_bureau", sa.String(length=32), nullable=True))
    op.execute(
        sa.text(
            "UPDATE cases SET "
            f"suggested_room = (SELECT rc.classified_room {_CHOICE} ORDER BY rc.id LIMIT 1), "
            f"suggested_bureau = (SELECT rc.classified_bureau {_CHOICE} ORDER BY rc.id LIMIT 1) "
            f"WHERE EXISTS (SELECT 1 {_CHOICE}) "
            "AND NOT EXISTS (SELECT 1 FROM routing_corrections hand "
            "WHERE hand.case_id = cases.id AND hand.kind IN ('desk', 'returned'))"
        )
    )
    # The classifier's "unknown" is no proposal.
    op.execute(sa.text("UPDATE cases SET suggested_room = NULL WHERE suggested_room = 'unknown'"))
    op.execute(
        sa.text("UPDATE cases SET suggested_bureau = NULL WHERE suggested_bureau = 'unknown'")
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch rebuild of ``cases`` would
    # drop the table, which the foreign keys of a database with cases refuse.
    op.execute(sa.text("ALTER TABLE cases DROP COLUMN suggested_bureau"))
    op.execute(sa.text("ALTER TABLE cases DROP COLUMN suggested_room"))
