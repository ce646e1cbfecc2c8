"""routing corrections (issue 14)

Revision ID: 0005_i14
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_i14"
down_revision = "0004_i17"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "routing_corrections",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("classified_room", sa.String(length=32), nullable=False),
        sa.Column("classified_bureau", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("final_room", sa.String(length=32), nullable=False),
        sa.Column("final_bureau", sa.String(length=32), nullable=False),
        sa.Column("final_unit_id", sa.String(length=64), nullable=True),
        sa.Column("actor_id", _ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("learnt_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_routing_corrections_actor_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_routing_corrections_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["final_unit_id"],
            ["units.id"],
            name=op.f("fk_routing_corrections_final_unit_id_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_corrections")),
    )
    with op.batch_alter_table("routing_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_routing_corrections_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index("ix_routing_corrections_time", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("routing_corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_corrections_time")
        batch_op.drop_index(batch_op.f("ix_routing_corrections_case_id"))
    op.drop_table("routing_corrections")
