"""SQLAlchemy 2 models: the whole schema of minqing.

Times are stored as UTC (naive on SQLite, ``timestamptz`` on PostgreSQL) and are
always returned timezone-aware in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: An auto-incrementing 64-bit key (SQLite needs INTEGER for its rowid alias).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _storable(value: str | None) -> str | None:
    """PostgreSQL's text cannot hold U+0000 (a ``%00`` in a form field): store U+FFFD."""
    return None if value is None else value.replace("\x00", "\ufffd")


class UserText(TypeDecorator[str]):
    """Free text from people: stored verbatim but for U+0000 (see :func:`_storable`)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _storable(value)


class UserString(TypeDecorator[str]):
    """A length-limited :class:`UserText` (names, addresses, phone numbers)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _storable(value)


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Unit(Base):
    """A unit of the organisation: office, centre, room, station, work room, school."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Person(Base):
    """Someone who uses minqing: a citizen, officer, staff member, chief or admin."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(UserString(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: Set for leaders of deputy-section rank or above, who owe a diary entry a month.
    leader_rank: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(UserString(32))
    blocked_at: Mapped[datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Invite(Base):
    """A one-time code that binds a Telegram user to a unit and role."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    leader_rank: Mapped[str | None] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class InviteAttempt(Base):
    """A try at redeeming an invite code, for rate limiting guessers."""

    __tablename__ = "invite_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Case(Base):
    """A citizen's request or an officer's early warning, and where it stands."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_owner_status", "owning_unit_id", "status"),
        Index("ix_cases_escalated_status", "escalated_to_unit_id", "status"),
        Index("ix_cases_reporter", "reporter_id", "created_at"),
        Index("ix_cases_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    original_text: Mapped[str] = mapped_column(UserText)
    normalized_text: Mapped[str] = mapped_column(UserText)
    room: Mapped[str] = mapped_column(String(32))
    bureau: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    severity: Mapped[str] = mapped_column(String(16), default="low")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="registered")
    owning_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    territorial_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # Optional details given by the reporter.
    address: Mapped[str | None] = mapped_column(UserString(500))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str | None] = mapped_column(UserString(200))
    contact_phone: Mapped[str | None] = mapped_column(UserString(32))
    photo_file_ids: Mapped[list[Any]] = mapped_column(default=list)
    head_count: Mapped[int | None] = mapped_column(Integer)
    # Deadlines and milestones.
    ack_due_at: Mapped[datetime | None] = mapped_column()
    first_contact_due_at: Mapped[datetime | None] = mapped_column()
    resolve_due_at: Mapped[datetime | None] = mapped_column()
    dispatched_at: Mapped[datetime | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_to_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    resolution_note: Mapped[str | None] = mapped_column(UserText)
    #: The station's 办结 claim: solved (实际解决), explained (解释说明), unfounded (不属实).
    closure_kind: Mapped[str | None] = mapped_column(String(16))
    #: The classifier's room and bureau when the reporter chose another office at filing
    #: (换一个部门 / 更改部门), for the card; cleared when the desk dispatches by hand.
    suggested_room: Mapped[str | None] = mapped_column(String(32))
    suggested_bureau: Mapped[str | None] = mapped_column(String(32))
    #: How many times the reporter's follow-up reopened the case (重办); the second
    #: reopening sends it to supervision (督办).
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Set once any deadline of the case passed unmet; escalation or a later step never clears it.
    deadline_missed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: A pending 延期申请: the resolution deadline the station asked for.
    extension_due_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Optimistic lock: incremented by every state change.
    version: Mapped[int] = mapped_column(Integer, default=1)


class CaseEvent(Base):
    """One append-only entry of a case's history; scores are computed from these."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_case", "case_id", "id"),
        Index("ix_case_events_unit_type_time", "unit_id", "type", "created_at"),
        Index("ix_case_events_type_time", "type", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    type: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    #: The unit the event concerns (the owner at the time, or the new owner).
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16), default="system")
    note: Mapped[str | None] = mapped_column(UserText)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseUnitScore(Base):
    """One case's assessment facts for one unit it was dispatched to (the scores' summary).

    Derived, never edited by hand: rewritten from the case's events and its row in
    the transaction that writes them (:mod:`storage.case_scores`), so that a
    month's scores read one row per case and unit instead of every case's history.
    ``bot.services.scores_events`` computes the same figures from the event log;
    the tests compare the two.
    """

    __tablename__ = "case_unit_scores"
    __table_args__ = (Index("ix_case_unit_scores_month", "dispatched_at", "unit_id"),)

    case_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The unit's first ``dispatched`` event of the case (lowest id) and its time:
    #: the month the case counts in.
    first_dispatch_id: Mapped[int] = mapped_column(BigInteger)
    dispatched_at: Mapped[datetime] = mapped_column()
    #: 0/1 flags and counts over the unit's events of the case (see storage.case_scores).
    returned: Mapped[int] = mapped_column(Integer)
    acked: Mapped[int] = mapped_column(Integer)
    ack_missed: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)
    resolve_missed: Mapped[int] = mapped_column(Integer)
    reopened: Mapped[int] = mapped_column(Integer)
    extended: Mapped[int] = mapped_column(Integer)
    disputed: Mapped[int] = mapped_column(Integer)
    followed_up: Mapped[int] = mapped_column(Integer)
    #: The last follow-up answer: 1 satisfied, 2 basically satisfied, 3 unsatisfied, 0 none.
    last_answer: Mapped[int] = mapped_column(Integer)
    #: The case's state now (copied from ``cases``): what "as of" and "stands" need.
    status: Mapped[str] = mapped_column(String(16))
    closure_kind: Mapped[str | None] = mapped_column(String(16))
    ack_due_at: Mapped[datetime | None] = mapped_column()
    resolve_due_at: Mapped[datetime | None] = mapped_column()


class OutboxMessage(Base):
    """A notification written with the state change that caused it, delivered later."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    #: "message" sends a new message; "card" sends or edits the case card in place.
    kind: Mapped[str] = mapped_column(String(16), default="message")
    text: Mapped[str] = mapped_column(UserText)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Delivery class (storage.outbox.PRIORITY_*): 0 alerts, 1 replies, 2 routine notices.
    priority: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(UserText)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class CaseCard(Base):
    """The message that shows a case to one chat, edited in place on every change."""

    __tablename__ = "case_cards"
    __table_args__ = (UniqueConstraint("case_id", "chat_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Timer(Base):
    """A deadline kept in the database so that restarts and second instances lose nothing."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_due", "fired_at", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fired_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DiaryEntry(Base):
    """A leader's public-sentiment diary entry (民情日记)."""

    __tablename__ = "diary_entries"
    __table_args__ = (Index("ix_diary_author_date", "author_id", "visited_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(UserText)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResidentialFileRevision(Base):
    """One revision of one section of a community's residential file (居情档案).

    The file's current state is the newest revision per section; older ones are
    its history.
    """

    __tablename__ = "residential_file_revisions"
    __table_args__ = (Index("ix_resfile_unit_section", "unit_id", "section", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    section: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(UserText)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersistedState(Base):
    """The bot's conversation state and user/chat data (a PTB persistence)."""

    __tablename__ = "bot_state"
    __table_args__ = (Index("ix_bot_state_kind_key", "kind", "key"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InboundUpdate(Base):
    """A Telegram update taken in, kept until the bot has handled it.

    Written before Telegram is told "received" (the webhook's 200, or the next
    ``getUpdates`` offset), so that an update is never lost to a crash: one
    still unhandled when its lease runs out is handed to the bot again. The
    update id also makes a retried webhook delivery a no-op.
    """

    __tablename__ = "inbound_updates"
    __table_args__ = (Index("ix_inbound_updates_pending", "processed_at", "lease_until"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(16), default="webhook")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lease_until: Mapped[datetime | None] = mapped_column()
    #: The process holding the lease (``host:pid:boot:pidns``): its successor on the same host
    #: takes the update back at once when that process is gone.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    processed_at: Mapped[datetime | None] = mapped_column()
    #: Dead-lettered: failed ``attempts`` times for a transient reason, or unparseable.
    dead_at: Mapped[datetime | None] = mapped_column()
    #: Why (an exception type name, never user text).
    last_error: Mapped[str | None] = mapped_column(String(120))


class IntakeKey(Base):
    """What a filed case came in as (a Telegram update), so it is never filed twice.

    Written in the transaction that files the case: a replay of the same update (the
    process was killed after the case committed but before the update was marked
    handled, or a second instance took it up) finds the key and files nothing. The
    primary key makes two instances filing the same update at once fail in the
    second's transaction. ``key`` is ``tg:UPDATE_ID`` (``#N`` for the N-th case one
    update files, N ≥ 2), ``web:FORM_ID`` or ``o311:API_KEY_ID:IDEMPOTENCY_KEY``.
    """

    __tablename__ = "intake_keys"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ApiKey(Base):
    """A key for the Open311 API, stored hashed."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class LoginToken(Base):
    """A one-time dashboard login link, stored hashed."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoutingCorrection(Base):
    """One correction of the classifier's routing (issue 14): what it said, where it belonged.

    Written in the same transaction as the change that corrected it: a dispatcher's
    派单 (after a 退单 or for a case left at the desk), a citizen's 换一个部门 or an
    officer's 更改部门 at filing. ``learnt_at`` is set by ``minqing lexicon learn
    --apply`` once the correction has gone into the lexicon overlay.
    """

    __tablename__ = "routing_corrections"
    __table_args__ = (Index("ix_routing_corrections_time", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: ``returned`` (退单 then 派单), ``desk`` (派单 of a case left at the desk),
    #: ``citizen`` (换一个部门), ``officer`` (更改部门).
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(UserText)
    classified_room: Mapped[str] = mapped_column(String(32))
    classified_bureau: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    final_room: Mapped[str] = mapped_column(String(32))
    final_bureau: Mapped[str] = mapped_column(String(32))
    final_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    learnt_at: Mapped[datetime | None] = mapped_column()
