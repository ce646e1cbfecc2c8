"""open311_filings: which Open311 key filed a case (tfb33, trial 33 D15)

Revision ID: 0012_tfb33
Revises: 0011_fix32a

A partner's key reads back only the requests it filed. Cases filed before this
revision are linked where an ``o311:API_KEY_ID:…`` intake key (an Idempotency-Key)
tells which key filed them; the others are read by no key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_tfb33"
down_revision = "0011_fix32a"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "open311_filings",
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("api_key_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_open311_filings_api_key_id_api_keys")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_open311_filings_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_open311_filings")),
    )
    with op.batch_alter_table("open311_filings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_open311_filings_api_key_id"), ["api_key_id"], unique=False
        )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT key, case_id FROM intake_keys WHERE key LIKE 'o311:%'")
    ).all()
    keys = {int(k) for (k,) in bind.execute(sa.text("SELECT id FROM api_keys")).all()}
    seen: set[int] = set()
    for key, case_id in rows:
        parts = str(key).split(":", 2)
        if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) not in keys:
            continue
        if case_id in seen:
            continue
        seen.add(case_id)
        bind.execute(
            sa.text("INSERT INTO open311_filings (case_id, api_key_id) VALUES (:c, :k)"),
            {"c": case_id, "k": int(parts[1])},
        )


def downgrade() -> None:
    with op.batch_alter_table("open311_filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open311_filings_api_key_id"))
    op.drop_table("open311_filings")
