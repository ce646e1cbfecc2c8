"""Which open case comes first, and which deadline its list row shows (trial 32 D22, D29).

The bot's /pending and the dashboard's case list put open critical (danger-now) cases
first, then overdue ones, then by the nearest deadline; and the 时限 a row shows is the one
its badge speaks of: a case 办理超期 shows its 办结时限, not a 督办签收时限 long past.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.cases.model import CaseView
from bot.services.lifecycle import AWAITING_ACK

_ACK = frozenset(s.value for s in AWAITING_ACK)
_HANDLING = frozenset({"acknowledged", "in_progress"})
_FAR = datetime.max.replace(tzinfo=UTC)


def shown_deadline(view: CaseView) -> datetime | None:
    """The deadline the case's badge speaks of: the 办结时限 when it is 办理超期 or the
    case is being handled, the 签收/派单时限 while it waits to be taken, else None."""
    if view.overdue_label == "办理超期" or view.status in _HANDLING:
        return view.resolve_due_at
    if view.status in _ACK:
        return view.ack_due_at
    return None


def attention_key(view: CaseView) -> tuple[bool, bool, datetime, int]:
    """Sort key: open critical cases first, then overdue, then the nearest deadline."""
    due = shown_deadline(view) or view.resolve_due_at or view.ack_due_at
    if due is not None and due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    return (view.severity != "critical", not view.overdue, due or _FAR, view.id)


def by_attention(views: list[CaseView]) -> list[CaseView]:
    """``views`` in the order a supervisor must read them (:func:`attention_key`)."""
    return sorted(views, key=attention_key)
