"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from storage.migrations.initial import case_tables, organisation_tables, service_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    service_tables.create()
    organisation_tables.create()  # units and people before the cases that name them
    case_tables.create()


def downgrade() -> None:
    case_tables.drop()
    organisation_tables.drop()
    service_tables.drop()
