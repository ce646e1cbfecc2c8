"""The case lifecycle's rules: statuses, actions, the transition table, labels, overdue.

The event log that applies them is :mod:`bot.services.lifecycle`, which also
re-exports every name here (import from there).

Statuses (``storage.enums.CaseStatus``) and the actions that move between them::

    registered   --dispatch-->          dispatched     (the dispatcher desk sends it out)
    dispatched   --acknowledge-->       acknowledged   (签收)
    dispatched   --return-->            returned       (退单, back to the dispatcher desk)
    acknowledged --start-->             in_progress    (处理中)
    acknowledged --resolve-->           resolved       (办结)
    acknowledged --return-->            returned
    in_progress  --resolve-->           resolved
    returned     --dispatch-->          dispatched     (re-dispatched by the desk)
    resolved     --follow_up-->         followed_up    (回访 answered)
    resolved     --close-->             closed         (no answer to the follow-up)
    followed_up  --close-->             closed         (solved and satisfied)
    followed_up  --reopen-->            reopened       (重办: unsolved or unsatisfied)
    reopened     --acknowledge-->       acknowledged   (then in_progress / resolved again)
    registered   --reject-->            rejected       (不予受理: junk, abuse, nonsense; the desk)
    returned     --reject-->            rejected
    (any open)   --withdraw-->          withdrawn      (撤回: the reporter, before 办结)

``rejected`` is final, like ``closed``: the desk's chief (or an admin) decided, with
a reason kept in the event, that the case is not admissible. It was never
dispatched (or was returned by the unit it went to), so it counts against no
unit; it is never overdue, escalated or followed up.

A case waiting at the dispatcher desk is ``registered`` (new, unclear) or
``returned``; its owning unit is then the desk itself.

Escalation (上报 / 督办) and overdue are not statuses: escalation is an event plus
the case fields ``escalation_level`` and ``escalated_to_unit_id`` and may happen
while a case is registered, returned, dispatched, acknowledged, in progress or
reopened; overdue is derived from the deadlines (see :func:`is_overdue`).

Every change goes through :func:`bot.services.lifecycle.apply` (a status
transition) or :func:`bot.services.lifecycle.record` (an event that is not a
transition, e.g. an escalation).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.enums import CaseStatus
from storage.models import Case

#: What a case id that does not exist and one the reader may not see both answer: the
#: same words, so case ids cannot be enumerated (stop 35 D16).
NO_SUCH_CASE = "没有找到该案件，或者您无权查看。"


class CaseError(Exception):
    """A case operation is refused; ``message`` is for the user (Simplified Chinese).

    Attributes:
        code: a stable machine-readable reason, e.g. ``illegal_transition``,
            ``stale``, ``forbidden``, ``not_found``, ``bad_input``.
        message: what to tell the person, in Chinese.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class Action(StrEnum):
    """What moves a case from one status to another."""

    DISPATCH = "dispatch"
    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RESOLVE = "resolve"
    RETURN = "return"
    FOLLOW_UP = "follow_up"
    REOPEN = "reopen"
    CLOSE = "close"
    #: 不予受理: the desk closes a junk case (spam, abuse, nonsense) with a reason.
    REJECT = "reject"
    #: 撤回: the reporter withdraws an open case (not a critical one; ``docs/lifecycle.md``).
    WITHDRAW = "withdraw"


class EventType(StrEnum):
    """The ``type`` of a case event."""

    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    RETURNED = "returned"
    FOLLOWED_UP = "followed_up"
    REOPENED = "reopened"
    CLOSED = "closed"
    #: 不予受理 (note: the reason the reporter is told).
    REJECTED = "rejected"
    #: Moved one level up the escalation chain (by hand or by a timer).
    ESCALATED = "escalated"
    #: The acknowledgement deadline passed; the responsible people were pinged again.
    RENOTIFIED = "renotified"
    #: The resolution deadline passed; the owners got a reminder (催办).
    REMINDED = "reminded"
    #: A supervising (escalated-to) unit urged the owner by hand (催办; payload: unit_id).
    URGED = "urged"
    #: 延期申请: the station asked for more time (payload: reason, requested_due, due).
    EXTENSION_REQUESTED = "extension_requested"
    #: The supervision centre approved (payload: original_due, new_due).
    EXTENSION_APPROVED = "extension_approved"
    #: The supervision centre refused (payload: requested_due, due).
    EXTENSION_REFUSED = "extension_refused"
    #: The reporting officer filed a level other than the rubric's (note: why it was lowered).
    SEVERITY_CHANGED = "severity_changed"
    #: The reporting officer added a place, head count or photos after filing (payload: what).
    DETAILS_ADDED = "details_added"
    #: 撤回: the reporter withdrew the case before 办结 (note: their reason, if any).
    WITHDRAWN = "withdrawn"
    #: The reporter asked to withdraw a critical case: recorded, the case stays open.
    WITHDRAW_REQUESTED = "withdraw_requested"
    #: The district's 群工办 (its leadership and the warning centres) alerted of a matter
    #: that is theirs at once: a withdrawal under threat (payload: unit_ids, reason).
    DISTRICT_ALERTED = "district_alerted"
    #: 补充说明: the reporter added information to the filed case (note: the text).
    NOTE_ADDED = "note_added"
    #: 办理记录: a handler's words on the case, a reply to its card (note: the text).
    STAFF_NOTE = "staff_note"
    #: 拆分: a separate matter of this case's text was filed as a new case
    #: (note: 已拆分出MQ…; payload: into_case_id, into_number, text).
    SPLIT = "split"
    #: The first act on a case split out of another (note: 拆分自MQ…; payload:
    #: from_case_id, from_number).
    SPLIT_FROM = "split_from"


class TimerKind(StrEnum):
    """The ``kind`` of a row in the ``timers`` table."""

    #: The acknowledgement deadline of the current level (payload: unit_id, level, round).
    ACK_DUE = "ack_due"
    #: The resolution deadline (payload: unit_id).
    RESOLVE_DUE = "resolve_due"
    #: The follow-up got no answer in time: close as "no response".
    FOLLOW_UP_DUE = "follow_up_due"


S = CaseStatus
A = Action

#: status -> action -> new status. Anything not listed is illegal.
TRANSITIONS: dict[CaseStatus, dict[Action, CaseStatus]] = {
    S.REGISTERED: {A.DISPATCH: S.DISPATCHED, A.REJECT: S.REJECTED, A.WITHDRAW: S.WITHDRAWN},
    # 派单 from DISPATCHED / REOPENED is the 改派 of a case escalated for a missed 签收
    # (trial 32 D14; who may: ``CasePermissions.may_redispatch``).
    S.DISPATCHED: {
        A.ACKNOWLEDGE: S.ACKNOWLEDGED,
        A.RETURN: S.RETURNED,
        A.WITHDRAW: S.WITHDRAWN,
        A.DISPATCH: S.DISPATCHED,
    },
    S.ACKNOWLEDGED: {
        A.START: S.IN_PROGRESS,
        A.RESOLVE: S.RESOLVED,
        A.RETURN: S.RETURNED,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.IN_PROGRESS: {A.RESOLVE: S.RESOLVED, A.WITHDRAW: S.WITHDRAWN},
    S.RETURNED: {A.DISPATCH: S.DISPATCHED, A.REJECT: S.REJECTED, A.WITHDRAW: S.WITHDRAWN},
    S.RESOLVED: {A.FOLLOW_UP: S.FOLLOWED_UP, A.CLOSE: S.CLOSED},
    S.FOLLOWED_UP: {A.CLOSE: S.CLOSED, A.REOPEN: S.REOPENED},
    S.REOPENED: {A.ACKNOWLEDGE: S.ACKNOWLEDGED, A.WITHDRAW: S.WITHDRAWN, A.DISPATCH: S.DISPATCHED},
    S.CLOSED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}

#: The event type written for each action.
ACTION_EVENT: dict[Action, EventType] = {
    A.DISPATCH: EventType.DISPATCHED,
    A.ACKNOWLEDGE: EventType.ACKNOWLEDGED,
    A.START: EventType.IN_PROGRESS,
    A.RESOLVE: EventType.RESOLVED,
    A.RETURN: EventType.RETURNED,
    A.FOLLOW_UP: EventType.FOLLOWED_UP,
    A.REOPEN: EventType.REOPENED,
    A.CLOSE: EventType.CLOSED,
    A.REJECT: EventType.REJECTED,
    A.WITHDRAW: EventType.WITHDRAWN,
}

#: Statuses in which a case may be escalated (by hand or by a timer).
ESCALATABLE = frozenset(
    {S.REGISTERED, S.RETURNED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}
)
#: Statuses in which the responsible unit has not yet taken the case (签收, or for
#: the dispatcher desk: dispatched it); the acknowledgement deadline applies.
AWAITING_ACK = frozenset({S.REGISTERED, S.RETURNED, S.DISPATCHED, S.REOPENED})
#: Statuses in which the resolution deadline applies.
AWAITING_RESOLUTION = frozenset({S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED})
#: Statuses at the dispatcher desk.
AT_DESK = frozenset({S.REGISTERED, S.RETURNED})

_ACTION_LABELS: dict[Action, str] = {
    A.DISPATCH: "派单",
    A.ACKNOWLEDGE: "签收",
    A.START: "开始处理",
    A.RESOLVE: "办结",
    A.RETURN: "退单",
    A.FOLLOW_UP: "回访",
    A.REOPEN: "重办",
    A.CLOSE: "结案",
    A.REJECT: "不予受理",
    A.WITHDRAW: "撤回",
}
_STATUS_LABELS: dict[CaseStatus, str] = {
    S.REGISTERED: "已登记",
    S.DISPATCHED: "已派单",
    S.ACKNOWLEDGED: "已签收",
    S.IN_PROGRESS: "处理中",
    S.RESOLVED: "已办结",
    S.FOLLOWED_UP: "已回访",
    S.CLOSED: "已结案",
    S.RETURNED: "已退单",
    S.REOPENED: "重办中",
    S.REJECTED: "不予受理",
    S.WITHDRAWN: "已撤回",
}


def status_label(status: str) -> str:
    """The Chinese label of a status (the raw value if unknown)."""
    try:
        return _STATUS_LABELS[CaseStatus(status)]
    except ValueError:
        return status


#: What the reporter reads where the units' word would mislead: 已退单 reads as "your
#: request was turned down" while the desk is finding the right unit (trial 32 D26);
#: 已登记 says nothing of where the case is: it waits at the desk, 待分派 (fix32c).
_PUBLIC_STATUS_LABELS: dict[CaseStatus, str] = {S.RETURNED: "重新分派中", S.REGISTERED: "待分派"}


def public_status_label(status: str) -> str:
    """The label of a status for the case's reporter (citizen or officer)."""
    try:
        return _PUBLIC_STATUS_LABELS.get(CaseStatus(status)) or status_label(status)
    except ValueError:
        return status


def next_status(status: str, action: Action) -> CaseStatus:
    """The status that ``action`` leads to from ``status``.

    Raises:
        CaseError: ``illegal_transition`` when the table does not allow it.
    """
    current = CaseStatus(status)
    target = TRANSITIONS[current].get(action)
    if target is None:
        raise CaseError(
            "illegal_transition",
            f"案件当前状态为“{_STATUS_LABELS[current]}”，不能{_ACTION_LABELS[action]}。",
        )
    return target


def allowed_actions(status: str) -> tuple[Action, ...]:
    """The actions the table allows from ``status``, in table order."""
    return tuple(TRANSITIONS[CaseStatus(status)])


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change made against an out-of-date view of the case.

    Raises:
        CaseError: ``stale`` when ``expected_version`` is given and differs.
    """
    if expected_version is not None and expected_version != case.version:
        raise CaseError(
            "stale",
            "案件已被他人更新，您看到的不是最新状态，请查看最新卡片后再操作。",
        )


def is_overdue(case: Case, now: datetime) -> bool:
    """Whether a deadline was missed: one in force has passed, or one passed earlier.

    A missed deadline stays missed (``Case.deadline_missed``): escalation, a
    late acknowledgement or a late 办结 do not erase it. A case rejected as not
    admissible (不予受理) is never overdue: it was never taken on.
    """
    if case.status in (CaseStatus.REJECTED, CaseStatus.WITHDRAWN):
        return False
    if case.deadline_missed:
        return True
    status = CaseStatus(case.status)
    if status in AWAITING_ACK and case.ack_due_at is not None and case.ack_due_at < now:
        return True
    return (
        status in AWAITING_RESOLUTION
        and case.resolve_due_at is not None
        and case.resolve_due_at < now
    )


def overdue_label(case: Case, now: datetime) -> str:
    """What was late, for a card (trial 29 P11): ``""`` when nothing was.

    办理超期 when the resolution deadline passed (now, or 办结 came after it);
    派单超时 / 签收超时 when only the desk's dispatch or the unit's acknowledgement
    was late — a case acknowledged late and resolved in time is not 超期 to a
    reader who takes 超期 for "missed the resolution deadline".
    """
    if not is_overdue(case, now):
        return ""
    status = CaseStatus(case.status)
    due = case.resolve_due_at
    if due is not None:
        if status in AWAITING_RESOLUTION and due < now:
            return "办理超期"
        if case.resolved_at is not None and case.resolved_at > due:
            return "办理超期"
    # Just returned to the desk (its hour running, not escalated since): what was late
    # was the returning unit's 签收, not the desk's 派单 (trial 31 #8).
    fresh_return = (
        status == CaseStatus.RETURNED
        and case.escalation_level == 0
        and case.ack_due_at is not None
        and case.ack_due_at >= now
    )
    if status in AT_DESK and not fresh_return:
        return "派单超时"
    return "签收超时"


def meaningful_length(text: str | None) -> int:
    """How many characters of ``text`` carry meaning: letters, digits and CJK
    characters, not punctuation, symbols, emoji or whitespace. A run of one
    repeated character counts once (``好好好好`` says no more than ``好``)."""
    count = 0
    previous = ""
    for char in text or "":
        if not char.isalnum():
            continue
        if char != previous:
            count += 1
        previous = char
    return count


#: Characters that say nothing by themselves in a reason or a result: negations,
#: assent and filler (不是不是不是, 没有没有没有, 好的好的, 嗯嗯啊: trial 27 N1).
FILLER_CHARS = frozenset("不是没有无否非对错好的行可以嗯啊哦噢呃哈呀吧呢吗嘛了么哎唉")

#: Distinct characters besides :data:`FILLER_CHARS` a real reason needs.
MIN_CONTENT_CHARS = 3


def _repeats_one_word(letters: str) -> bool:
    """Whether ``letters`` is one word said again and again (不是不是不是, abab)."""
    size = len(letters)
    return any(
        size % n == 0 and letters[:n] * (size // n) == letters for n in range(1, size // 2 + 1)
    )


def is_meaningful(text: str | None, minimum: int) -> bool:
    """Whether ``text`` is a real reason or result — the one check wherever one is asked
    (a lowered level before or after filing, 办结, 退单, 不同意延期):

    * at least ``minimum`` meaningful characters (:func:`meaningful_length`);
    * not one word repeated (不是不是不是, 好好好好);
    * at least :data:`MIN_CONTENT_CHARS` distinct characters that are not only
      negations, assent or filler (:data:`FILLER_CHARS`: 没有没有没有, 好的好的).
    """
    letters = "".join(c.lower() for c in text or "" if c.isalnum())
    if len(set(letters)) <= 1 or meaningful_length(text) < minimum:
        return False
    if _repeats_one_word(letters):
        return False
    return len(set(letters) - FILLER_CHARS) >= MIN_CONTENT_CHARS
