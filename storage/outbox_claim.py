"""Claiming outbox rows: which row of which chat goes next (priority, order, fairness).

Every row has a delivery class (:data:`PRIORITY_ALERT`, :data:`PRIORITY_INTERACTIVE`,
:data:`PRIORITY_ROUTINE`). Only the *head* of a chat's queue is ever claimable: its
undelivered row of the most urgent class, the oldest of that class. So within a class
a newer row never overtakes an older one, while an alert overtakes the routine notices
queued before it in the same chat. A chat with a row in flight (``sending`` under a
live lease) has no claimable row, so one chat never has two rows in flight at once.
Across chats a claim takes the most urgent class first and, within a class, the chat
served least recently first (round-robin), so one busy chat does not hold the others.

:mod:`storage.outbox` re-exports everything here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.enums import OutboxStatus
from storage.models import CaseCard, OutboxMessage

#: Row kinds.
KIND_MESSAGE = "message"
KIND_CARD = "card"
#: Photos of a case: ``text`` is the caption, ``reply_markup`` is ``{"photos": [file ids]}``
#: (one ``sendPhoto``, or one ``sendMediaGroup`` for 2-10).
KIND_PHOTOS = "photos"
#: A voice, video, video note, audio, animation, sticker or file a reporter sent, sent on
#: by its Telegram file_id: ``text`` is the caption, ``reply_markup`` is
#: ``{"media": {"type": "voice", "file_id": "…"}}`` (``sendVoice``, ``sendVideo`` …).
KIND_MEDIA = "media"
#: An edit of a notice already sent (``message_id`` names it): new text, buttons gone.
#: A failed edit (the message is gone, too old) is delivered with a note, never resent.
KIND_EDIT = "edit"
#: Most photos one photo row carries (Telegram's limit for a media group).
MAX_PHOTOS_PER_ROW = 10

#: Note stored on a card row that was not sent because a newer one replaced it.
SUPERSEDED_NOTE = "superseded by a newer card"

UNDELIVERED = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)

#: Delivery classes, most urgent first: high and critical cases (alerts), replies a
#: person is waiting for (their receipts and status answers), routine notices.
PRIORITY_ALERT = 0
PRIORITY_INTERACTIVE = 1
PRIORITY_ROUTINE = 2
PRIORITY_NAMES = {
    PRIORITY_ALERT: "alert",
    PRIORITY_INTERACTIVE: "reply",
    PRIORITY_ROUTINE: "routine",
}
#: Case severities whose notifications are alerts.
ALERT_SEVERITIES = frozenset({"high", "critical"})


def priority_for(severity: str | None, *, to_reporter: bool = False) -> int:
    """The delivery class of a row about a case of ``severity``.

    Args:
        severity: The case's severity (``low`` … ``critical``), or ``None``.
        to_reporter: The row answers the case's reporter (a receipt or a status).

    Returns:
        :data:`PRIORITY_ALERT` for a high or critical case's handlers,
        :data:`PRIORITY_INTERACTIVE` for its reporter, else :data:`PRIORITY_ROUTINE`.
    """
    if to_reporter:
        return PRIORITY_INTERACTIVE
    return PRIORITY_ALERT if severity in ALERT_SEVERITIES else PRIORITY_ROUTINE


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A snapshot of one claimed outbox row, safe to use outside its session.

    Attributes:
        id: The outbox row.
        chat_id: Telegram chat to deliver to.
        person_id: The recipient, if known.
        case_id: The case the message is about, if any.
        kind: ``"message"``, ``"card"`` or ``"photos"``.
        text: Message text (a photo row's caption).
        reply_markup: A Telegram reply markup as a dict, or ``None``.
        attempts: Attempts so far, this one included.
        priority: The row's delivery class.
        card_message_id: For a card row: the message currently showing the card in
            this chat (edit it), or ``None`` (send a new one); for an edit row, the
            notice to edit.
    """

    id: int
    chat_id: int
    person_id: int | None
    case_id: int | None
    kind: str
    text: str
    reply_markup: dict[str, Any] | None
    attempts: int
    priority: int = PRIORITY_ROUTINE
    card_message_id: int | None = None

    @property
    def is_card(self) -> bool:
        """Whether this row shows a case card (edited in place)."""
        return self.kind == KIND_CARD and self.case_id is not None


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """What one claim round took.

    Attributes:
        claimed: Rows now leased to the caller, oldest first (at most one per chat).
        superseded: Card rows marked done without sending because a newer card for
            the same case and chat is waiting.
    """

    claimed: list[ClaimedMessage]
    superseded: int


def _due(now: datetime) -> Any:
    o = OutboxMessage
    return or_(
        and_(o.status == OutboxStatus.PENDING.value, o.next_attempt_at <= now),
        and_(o.status == OutboxStatus.SENDING.value, o.lease_until < now),
    )


async def claim(
    session: AsyncSession,
    *,
    worker_id: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    private_interval: timedelta,
    group_interval: timedelta,
    exclude_ids: frozenset[int] = frozenset(),
) -> ClaimResult:
    """Lease up to ``limit`` due rows, at most one per chat, most urgent first.

    A row is claimable when it is due (``pending`` and ``next_attempt_at`` passed,
    or ``sending`` with an expired lease), it is the head of its chat's queue (its
    most urgent class, oldest first), no other row of its chat is in flight, and
    its chat was not sent to within its pacing interval (private chats:
    ``private_interval``, groups: ``group_interval``; measured from the newest
    ``sent_at`` of the chat, so that it holds across workers). The claimable rows
    are taken by class (alerts, replies, routine), then the chat served least
    recently first, then the oldest row.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so that
    concurrent claimers take disjoint rows; on SQLite ``BEGIN IMMEDIATE`` makes
    claimers take turns. Claimed rows become ``sending`` with a lease owned by
    ``worker_id`` until ``now + lease``; their ``attempts`` goes up by one.

    A due head that is a card with newer pending cards for the same case and
    chat is sent with the newest one's text and buttons, in its own place in the
    queue; the newer rows are marked ``sent`` with :data:`SUPERSEDED_NOTE`. (So
    the card shows the latest state, and photos written after the first card
    still come after a card.)

    Args:
        session: An open transaction (commit it to publish the lease).
        worker_id: The claimer.
        now: Current time.
        lease: How long the claim lasts.
        limit: Most rows to claim.
        private_interval: Minimum gap between two messages to a private chat.
        group_interval: Minimum gap between two messages to a group.
        exclude_ids: Rows not to claim (e.g. already retried in this round).

    Returns:
        The claimed rows and the number of superseded ones.
    """
    o = OutboxMessage
    undelivered = aliased(OutboxMessage)
    candidate = aliased(OutboxMessage)
    busy = aliased(OutboxMessage)
    newer = aliased(OutboxMessage)
    last = aliased(OutboxMessage)
    # The head of each chat's queue: the oldest row of its most urgent class. Grouping
    # the undelivered rows (found through the status index) costs the size of the
    # backlog, not of the chats' history.
    urgency = (
        select(undelivered.chat_id.label("chat_id"), func.min(undelivered.priority).label("p"))
        .where(undelivered.status.in_(UNDELIVERED))
        .group_by(undelivered.chat_id)
        .subquery()
    )
    heads = (
        select(func.min(candidate.id))
        .join(
            urgency,
            and_(candidate.chat_id == urgency.c.chat_id, candidate.priority == urgency.c.p),
        )
        .where(candidate.status.in_(UNDELIVERED))
        .group_by(candidate.chat_id)
    )
    in_flight = select(busy.chat_id).where(
        busy.status == OutboxStatus.SENDING.value, busy.lease_until >= now
    )
    last_sent = (
        select(last.sent_at)
        .where(last.chat_id == o.chat_id, last.sent_at.is_not(None))
        .order_by(last.id.desc())
        .limit(1)
        .correlate(o)
        .scalar_subquery()
    )
    paced = or_(
        last_sent.is_(None),
        and_(o.chat_id > 0, last_sent <= now - private_interval),
        and_(o.chat_id < 0, last_sent <= now - group_interval),
    )
    stmt = select(o).where(_due(now), o.id.in_(heads), o.chat_id.not_in(in_flight), paced)
    if exclude_ids:
        stmt = stmt.where(o.id.not_in(sorted(exclude_ids)))
    # Round-robin within a class: chats never sent to, then the longest unserved.
    stmt = (
        stmt.order_by(o.priority, last_sent.is_not(None), last_sent, o.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=o)
    )
    rows = list((await session.scalars(stmt)).all())

    claimed: list[ClaimedMessage] = []
    superseded = 0
    lease_until = now + lease
    for row in rows:
        if row.kind == KIND_CARD and row.case_id is not None:
            newest = await session.scalar(
                select(func.max(newer.id)).where(
                    newer.kind == KIND_CARD,
                    newer.case_id == row.case_id,
                    newer.chat_id == row.chat_id,
                    newer.status == OutboxStatus.PENDING.value,
                    newer.id > row.id,
                )
            )
            if newest is not None:
                # The head keeps its place in the queue (photos written after it stay
                # after it) but shows the newest card; the newer rows are superseded.
                superseded += await _fold_newer_cards(session, row, newest, now)
        row.status = OutboxStatus.SENDING.value
        row.lease_owner = worker_id
        row.lease_until = lease_until
        row.attempts = (row.attempts or 0) + 1
        card_message_id: int | None = None
        if row.kind == KIND_CARD and row.case_id is not None:
            card = await get_card(session, row.case_id, row.chat_id)
            card_message_id = card.message_id if card is not None else None
        elif row.kind == KIND_EDIT:
            card_message_id = row.message_id
        claimed.append(
            ClaimedMessage(
                id=row.id,
                chat_id=row.chat_id,
                person_id=row.person_id,
                case_id=row.case_id,
                kind=row.kind,
                text=row.text,
                reply_markup=row.reply_markup,
                attempts=row.attempts,
                priority=row.priority,
                card_message_id=card_message_id,
            )
        )
    await session.flush()
    return ClaimResult(claimed=claimed, superseded=superseded)


async def _fold_newer_cards(
    session: AsyncSession, head: OutboxMessage, newest: int, now: datetime
) -> int:
    """Give ``head`` the newest pending card of its (case, chat); supersede the newer ones.

    Sending the newest card in the oldest card's place keeps the order of the chat's
    queue: a case's photos, written right after its first card, never arrive before
    a card (which they would if the first card were skipped for a later one).
    """
    o = OutboxMessage
    # The others are not heads of their chat, so no other claimer is holding them;
    # SKIP LOCKED merely avoids waiting on a concurrent supersede of the same pair.
    others = list(
        (
            await session.scalars(
                select(o)
                .where(
                    o.kind == KIND_CARD,
                    o.case_id == head.case_id,
                    o.chat_id == head.chat_id,
                    o.status == OutboxStatus.PENDING.value,
                    o.id > head.id,
                    o.id <= newest,
                )
                .order_by(o.id)
                .with_for_update(skip_locked=True, of=o)
            )
        ).all()
    )
    if not others:
        return 0
    latest = others[-1]
    head.text = latest.text
    head.reply_markup = latest.reply_markup
    for row in others:
        row.status = OutboxStatus.SENT.value
        row.sent_at = now
        row.last_error = SUPERSEDED_NOTE
    return len(others)


async def get_card(session: AsyncSession, case_id: int, chat_id: int) -> CaseCard | None:
    """The message showing a case's card in a chat, if any."""
    return await session.scalar(
        select(CaseCard).where(CaseCard.case_id == case_id, CaseCard.chat_id == chat_id)
    )
