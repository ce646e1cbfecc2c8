"""A notice sent to several people loses its buttons once one of them acted.

An escalation reaches every chief of the unit above, a 【退单】 every member of
the desk, a reminder every handler: each copy carries the recipient's card
buttons. When one of them acts (签收, 办结, 退单, 上报, 派单, 催办, 不予受理, a
延期 decision, or the reporter's 撤回), every earlier notice of the case that
still shows buttons in someone else's chat is edited through the outbox (row
kind ``edit``): the text gains who acted and when, and the buttons go (a 催办
settles the supervisors' notices only: the owning unit still has to act). The case
card itself is already redrawn in place, and the actor's own pressed message is
the handler's to answer (it shows the decision already). An edit Telegram
refuses (the message is gone or too old) is recorded as delivered with a note
and never resent: nothing is lost, the button
pressed later is refused as out of date as before.

Notices not yet delivered when the act happens are not edited (they are sent as
written; their buttons are checked against the case's version when pressed).

The actor's own notices are settled too when the handler says which message was
pressed (:data:`PRESSED`, set around a card button's act): only that one is the
handler's to answer. The desk that dispatched from the card no longer keeps live
派至 buttons on its 【退单】 notice (trial 28 P10). Without it (a typed note, the
web) the actor's notices are left alone, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.lifecycle import EventType
from bot.services.notification_labels import EVENT_LABELS, fmt_time
from storage.enums import OutboxStatus
from storage.models import Case, CaseEvent, OutboxMessage, Person
from storage.outbox_claim import KIND_EDIT, KIND_MESSAGE, PRIORITY_ROUTINE

#: Events by which one recipient of a notice acted on it.
SETTLING = frozenset(
    {
        EventType.ACKNOWLEDGED,
        EventType.IN_PROGRESS,
        EventType.RESOLVED,
        EventType.RETURNED,
        EventType.ESCALATED,
        EventType.DISPATCHED,
        EventType.REJECTED,
        EventType.URGED,
        EventType.EXTENSION_APPROVED,
        EventType.EXTENSION_REFUSED,
        EventType.WITHDRAWN,
    }
)


#: ``(chat id, message id)`` of the message whose button the actor pressed, when known.
PRESSED: ContextVar[tuple[int, int] | None] = ContextVar("minqing_pressed", default=None)

#: Labels of the acts the general event labels lack or name for the log.
_LABELS = {EventType.URGED.value: "催办", EventType.WITHDRAWN.value: "撤回"}


def settled_text(text: str, who: str, label: str, when: str) -> str:
    """The notice's text once somebody acted on it."""
    return f"{text}\n\n——{who}已于{when}{label}，此消息的按钮已失效，请以案件卡片为准。"


async def settle_notices_tx(
    s: AsyncSession,
    case: Case,
    now: datetime,
    unit_name: Callable[[str | None], str],
    tz: ZoneInfo,
) -> int:
    """Edit the case's earlier notices with buttons if the change just written is an act.

    Returns:
        How many edit rows were written.
    """
    event = await s.scalar(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(1)
    )
    if (
        event is None
        or event.actor_id is None
        or event.type not in SETTLING
        or event.created_at.replace(tzinfo=None) != now.replace(tzinfo=None)
    ):
        return 0
    rows = (
        await s.scalars(
            select(OutboxMessage).where(
                OutboxMessage.case_id == case.id,
                OutboxMessage.kind.in_((KIND_MESSAGE, KIND_EDIT)),
            )
        )
    ).all()
    done = {(r.chat_id, r.message_id) for r in rows if r.kind == KIND_EDIT}
    actor = await s.get(Person, event.actor_id)
    if actor is None:
        return 0
    if actor.id == case.reporter_id:
        who = "报送人" if case.kind == "warning" else "群众"
    else:
        who = f"{unit_name(actor.unit_id)}{actor.name}" if actor.unit_id else actor.name
    label = _LABELS.get(event.type) or EVENT_LABELS.get(event.type, event.type)
    when = fmt_time(now, tz)
    written = 0
    pressed = PRESSED.get()
    handlers = await _owning_unit_people(s, case, event.type, rows)
    for row in rows:
        markup = row.reply_markup or {}
        mine = row.person_id == actor.id
        if (
            row.person_id in handlers
            or row.kind != KIND_MESSAGE
            or row.status != OutboxStatus.SENT.value
            or row.message_id is None
            or not markup.get("inline_keyboard")
            or row.person_id == case.reporter_id
            or (mine and (pressed is None or pressed == (row.chat_id, row.message_id)))
            or (row.chat_id, row.message_id) in done
        ):
            continue
        edit = OutboxMessage(
            chat_id=row.chat_id,
            person_id=row.person_id,
            case_id=case.id,
            kind=KIND_EDIT,
            text=settled_text(row.text, who, label, when),
            reply_markup=None,
            message_id=row.message_id,
            priority=PRIORITY_ROUTINE,
            created_at=now,
            next_attempt_at=now,
        )
        s.add(edit)
        done.add((row.chat_id, row.message_id))
        written += 1
    return written


async def _owning_unit_people(
    s: AsyncSession, case: Case, kind: str, rows: Sequence[OutboxMessage]
) -> set[int]:
    """Whose notices a 催办 leaves alone: the owning unit's people.

    A supervisor's 催办 settles the other supervisors' notices (their 催办 button waits
    out the interval now), but it takes nothing off the unit that handles the case: its
    【催签收】 or 【上报督办】 still asks it to act, and read 「督查督办中心…已于…催办，此消息的
    按钮已失效」 as if the supervisor had taken the case over (trial 32 D5).
    """
    if kind != EventType.URGED.value:
        return set()
    ids = {r.person_id for r in rows if r.person_id is not None}
    if not ids:
        return set()
    found = await s.scalars(
        select(Person.id).where(Person.id.in_(ids), Person.unit_id == case.owning_unit_id)
    )
    return set(found.all())
