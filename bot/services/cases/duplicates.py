"""The same request filed twice by the same citizen (trial T11).

A citizen who thinks the first try failed sends the same text again. Nothing a
citizen files is ever dropped or merged by the machine: the second case is filed
as usual (it may be a genuinely new occurrence), and then

* the citizen is told, in Chinese, that the same text is already being handled
  under the earlier number, and how to add to it (补充说明) or withdraw the new
  one (/status);
* the new case's owner (the desk or a station) and the earlier case's owner get
  【疑似重复】 naming both numbers, so one team handles both.

A duplicate is an open request of the same reporter with the same normalised
text filed within :data:`DUPLICATE_WINDOW`. A report of danger now is never
treated as a duplicate (it is filed and alerted as every emergency is), and a
case is never linked to a critical one or the reverse: danger is never folded
into routine work.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases.model import CaseView
from bot.services.notification_labels import fmt_time
from storage.enums import OPEN_STATUSES, CaseKind
from storage.models import Case

#: How far back an identical open request of the same citizen counts as the same one.
DUPLICATE_WINDOW = timedelta(hours=24)

Ping = tuple[Iterable[str], Callable[[CaseView], str]]


async def earlier_duplicate(s: AsyncSession, case: Case, now: datetime) -> Case | None:
    """The newest open request of ``case``'s reporter with the same normalised text
    filed within :data:`DUPLICATE_WINDOW`, if any (never for or to a critical case)."""
    if case.reporter_id is None or not case.normalized_text or case.severity == "critical":
        return None
    found = await s.scalar(
        select(Case)
        .where(
            Case.reporter_id == case.reporter_id,
            Case.kind == CaseKind.REQUEST.value,
            Case.id != case.id,
            Case.normalized_text == case.normalized_text,
            Case.status.in_([x.value for x in OPEN_STATUSES]),
            Case.created_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
    )
    if found is None or found.severity == "critical":
        return None
    return found


def reporter_hint(earlier: Case, tz: ZoneInfo) -> Callable[[CaseView], str]:
    """The citizen's notice: the same problem is already being handled."""

    def text(view: CaseView) -> str:
        return (
            f"提示：您在{fmt_time(earlier.created_at, tz)}已提交过相同的问题"
            f"（编号{earlier.number}），正在办理中。本次已另行登记为{view.number}，不会丢失。"
            f"如需补充情况，请发送 /status，在 {earlier.number} 下选择「补充说明」；"
            f"如本次为重复提交，可在 /status 中撤回 {view.number}。"
        )

    return text


def unit_pings(earlier: Case, owner: str | None, tz: ZoneInfo) -> Sequence[Ping]:
    """【疑似重复】 to the new case's owner and the earlier case's owner."""

    def text(view: CaseView) -> str:
        return (
            f"【疑似重复】{view.number} 与 {earlier.number}（同一反映人于"
            f"{fmt_time(earlier.created_at, tz)}提交）内容相同，请核对后一并办理，避免重复处置。"
        )

    units = [u for u in dict.fromkeys((owner, earlier.owning_unit_id)) if u is not None]
    return [(units, text)]


#: Two normalised texts at least this similar (difflib's ratio) are near-identical:
#: 和平社区第3栋楼道堆放杂物 and 和平社区第4栋楼道堆放杂物 (trial 28 P4).
NEAR_IDENTICAL = 0.85


def near_identical(a: str, b: str) -> bool:
    """Whether two normalised texts say the same, or nearly (a number or a word apart)."""
    if not a or not b:
        return False
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_IDENTICAL


async def similar_open_warning(
    s: AsyncSession, officer_id: int, normalized: str, now: datetime
) -> Case | None:
    """The newest open warning of ``officer_id`` filed within :data:`DUPLICATE_WINDOW`
    whose text is the same as or near-identical to ``normalized``, if any."""
    rows = await s.scalars(
        select(Case)
        .where(
            Case.reporter_id == officer_id,
            Case.kind == CaseKind.WARNING.value,
            Case.status.in_([x.value for x in OPEN_STATUSES]),
            Case.created_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(50)
    )
    for case in rows:
        if near_identical(normalized, case.normalized_text or ""):
            return case
    return None
