"""open311_filings back-filled from what identifies the partner (review 2 Q4)

Revision ID: 0013_rfix2
Revises: 0012_tfb33

0012 linked an existing Open311 case to its key only where an Idempotency-Key intake
row (``o311:API_KEY_ID:…``) was still there: a case filed without the header, or older
than the intake keys' 30 days, was read by no key. Nothing else on a case names the key
(the channel says ``open311``; the events, the reporter and the intake keys of other
channels do not), so the key is told by the keys themselves: an ``open311`` case still
unlinked is linked to the only key that existed when it was filed (created before it
and not revoked by then), and to the only key there ever was when there is one. A case
that several keys could have filed stays unlinked: the partner's citizen still reads
it on /report/status with its number and 查询码, and the count is logged here.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0013_rfix2"
down_revision = "0012_tfb33"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _when(value: object) -> datetime | None:
    """A timestamp as SQLite (text) or PostgreSQL (datetime) returns it, naive."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=None)


def upgrade() -> None:
    bind = op.get_bind()
    keys = [
        (int(i), _when(c), _when(r))
        for i, c, r in bind.execute(
            sa.text("SELECT id, created_at, revoked_at FROM api_keys")
        ).all()
    ]
    cases = bind.execute(
        sa.text(
            "SELECT id, created_at FROM cases WHERE channel = 'open311' "
            "AND id NOT IN (SELECT case_id FROM open311_filings)"
        )
    ).all()
    unlinked = 0
    for case_id, created in cases:
        filed = _when(created)
        if len(keys) == 1:
            owners = [keys[0][0]]
        else:
            owners = [
                key_id
                for key_id, made, revoked in keys
                if filed is not None
                and (made is None or made <= filed)
                and (revoked is None or revoked > filed)
            ]
        if len(owners) != 1:
            unlinked += 1
            continue
        bind.execute(
            sa.text("INSERT INTO open311_filings (case_id, api_key_id) VALUES (:c, :k)"),
            {"c": case_id, "k": owners[0]},
        )
    if unlinked:
        log.warning(
            "open311_filings: %d Open311 case(s) could have been filed by several keys and "
            "stay unlinked (readable by their 查询码 on /report/status)",
            unlinked,
        )


def downgrade() -> None:
    # The links written here cannot be told from 0012's; they are kept (harmless).
    pass
