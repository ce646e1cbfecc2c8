"""case_unit_scores rebuilt: a 退单 sent back to the same unit no longer exempts it (fix32a)

Revision ID: 0011_fix32a
Revises: 0010_rel26

``case_unit_scores.returned`` now means "the unit's last 退单 came after its last
dispatch" (trial 32 D10, docs/assessment.md); the summary is recomputed from the event
log with the new definition. No schema change.
"""

from __future__ import annotations

from alembic import op

revision = "0011_fix32a"
down_revision = "0010_rel26"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from storage.case_scores import rebuild_sync

    rebuild_sync(op.get_bind())


def downgrade() -> None:
    # The summary is derived data; the previous definition is not restored.
    pass
