"""Cases and what hangs on them: events, the scores' summary, timers, intake keys, corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UserString, UserText, utcnow


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


class Open311Filing(Base):
    """Which Open311 key filed a case (trial 33 D15): a partner reads back only its own.

    Written right after the case is filed; a case without a row (filed before this table,
    with no ``o311:`` intake key to tell, or a crash between the two writes) is read by
    no key.
    """

    __tablename__ = "open311_filings"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)


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
