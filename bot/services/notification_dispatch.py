"""The messages of the dispatcher desk's 派单 round: a case returned to the desk, the
desk sending it back (维持派单, with its reason) and a 改派 (no I/O; each takes a
:class:`~bot.services.cases.model.CaseView` already masked as the recipient may see it).
Split from :mod:`bot.services.notification_messages` (review 2 Q11);
:mod:`bot.services.notifications` re-exports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.notification_labels import DISTRICT_TZ, fmt_time

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView


def desk_returned(
    view: CaseView,
    from_unit_name: str,
    reason: str,
    tz: ZoneInfo = DISTRICT_TZ,
    *,
    urgent: bool = False,
) -> str:
    """To the dispatcher desk: a unit returned a case; a danger-now case urgently."""
    if urgent:
        return (
            f"【紧急退单】{view.number}（特别重大，危险正在发生）被{from_unit_name}退回，"
            f"请立即重新派单（派单时限：{fmt_time(view.ack_due_at, tz)}）。\n"
            f"退单理由：{view.shown(reason)}"
        )
    return (
        f"【退单】{view.number} 被{from_unit_name}退回，请重新派单。\n"
        f"退单理由：{view.shown(reason)}"
    )


def district_critical_returned(
    view: CaseView, from_unit_name: str, reason: str, tz: ZoneInfo = DISTRICT_TZ
) -> str:
    """To the supervision centre and the district office: a danger-now case was returned
    to the dispatcher desk and has no unit acting on it until the desk re-dispatches it
    (pf30 #1). They watch that it does not wait: the desk may be unstaffed."""
    return (
        f"【紧急退单】{view.number}（特别重大，危险正在发生）被{from_unit_name}退回分派台，"
        f"目前无承办单位，请立即督促重新派单，必要时直接协调处置"
        f"（派单时限：{fmt_time(view.ack_due_at, tz)}）。\n"
        f"退单理由：{view.shown(reason)}\n内容：{view.text}"
    )


def desk_kept(view: CaseView, reason: str, why: str | None = None) -> str:
    """To a unit the desk sent a case back to after its 退单 (trial 32 D2), with the
    desk's reason for it (b33 #4)."""
    return (
        f"【维持派单】{view.number} 分派台审核后维持派至{view.owning_unit_name}，"
        "请在案件卡片上签收办理。"
        + (f"\n分派台理由：{why}" if why else "")
        + f"\n原退单理由：{reason}"
    )


def desk_kept_why(view: CaseView, why: str) -> str:
    """The desk's reason, after it sent a danger-now case back in one tap (b33 #4)."""
    return f"【维持派单理由】{view.number} 分派台说明：{why}"


def staff_redispatched(view: CaseView, left: str, by: str) -> str:
    """To the unit a case left and its supervising levels: 改派 (trial 32 D14)."""
    return (
        f"【改派】{view.number} 超时未签收，已由{by}改派至{view.owning_unit_name}承办。"
        f"{left}无需再办理此件。"
    )
