"""SQLAlchemy 2 models: the whole schema of minqing.

Times are stored as UTC (naive on SQLite, ``timestamptz`` on PostgreSQL) and are
always returned timezone-aware in UTC.

The tables are declared by topic: :mod:`~storage.models.base` (the declarative
base, naming convention and column types), :mod:`~storage.models.org` (units,
people, invites, login tokens, API keys), :mod:`~storage.models.cases` (cases,
their events, the scores' summary, timers, intake keys, routing corrections),
:mod:`~storage.models.delivery` (inbound updates, the outbox, case cards, bot
state) and :mod:`~storage.models.records` (diary, residential files). This package
imports them all, so that ``Base.metadata`` is the whole schema, and re-exports
every name: callers write ``from storage.models import Case``.
"""

from __future__ import annotations

from storage.models.base import (
    NAMING_CONVENTION,
    Base,
    BigId,
    UserString,
    UserText,
    UTCDateTime,
    utcnow,
)
from storage.models.cases import (
    Case,
    CaseEvent,
    CaseUnitScore,
    IntakeKey,
    Open311Filing,
    RoutingCorrection,
    Timer,
)
from storage.models.delivery import CaseCard, InboundUpdate, OutboxMessage, PersistedState
from storage.models.org import ApiKey, Invite, InviteAttempt, LoginToken, Person, Unit
from storage.models.records import DiaryEntry, ResidentialFileRevision

__all__ = [
    "NAMING_CONVENTION",
    "ApiKey",
    "Base",
    "BigId",
    "Case",
    "CaseCard",
    "CaseEvent",
    "CaseUnitScore",
    "DiaryEntry",
    "InboundUpdate",
    "IntakeKey",
    "Invite",
    "InviteAttempt",
    "LoginToken",
    "Open311Filing",
    "OutboxMessage",
    "PersistedState",
    "Person",
    "ResidentialFileRevision",
    "RoutingCorrection",
    "Timer",
    "UTCDateTime",
    "Unit",
    "UserString",
    "UserText",
    "utcnow",
]
