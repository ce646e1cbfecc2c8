"""Follow-up (回访) on the status page, for reporters without Telegram.

Web-form and Open311 reporters who left a phone number answer the follow-up
question on ``/report/status`` once their case is 办结: the page shows the four
answers when the case number *and* the phone matched (the same check as the
detailed status). ``POST /report/followup`` checks them again and records the
answer through the case service exactly as the Telegram buttons do (channel
web): solved and satisfied closes the case, anything else reopens it (重办).
Without a phone number nothing can be answered (the case closes for no
response after the configured time, as before).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.services.lifecycle import CaseError
from bot.services.notifications import FOLLOW_UP_ANSWERS
from bot.web.citizen_intake import CitizenFormContext, StatusResult, lookup_status
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case


def follow_up_open(result: StatusResult | None) -> bool:
    """Whether the page may offer the follow-up answers (phone matched, case 办结)."""
    return result is not None and result.detailed and result.status == CaseStatus.RESOLVED


async def answer_from_status(
    ctx: CitizenFormContext, number: str, phone: str | None, answer: str
) -> StatusResult | None:
    """Record the reporter's answer; the fresh status (None if number/phone do not match).

    Raises:
        CaseError: ``bad_input`` (unknown answer), ``already_answered``, or the
            service's refusals.
    """
    if answer not in FOLLOW_UP_ANSWERS:
        raise CaseError("bad_input", "请选择一项回访答复。")
    result = await lookup_status(ctx, number, phone)
    if not follow_up_open(result):
        if result is not None and result.detailed:
            raise CaseError("already_answered", "该诉求目前不在待回访状态，感谢您的关注。")
        return None
    async with ctx.db.session() as s:
        case = await s.scalar(
            select(Case).where(
                Case.number == number.strip().upper(), Case.kind == CaseKind.REQUEST.value
            )
        )
    if case is None or case.reporter_id is None:
        return None
    _label, solved, satisfaction = FOLLOW_UP_ANSWERS[answer]
    await ctx.cases.answer_follow_up(
        case.id, case.reporter_id, solved, satisfaction, None, Channel.WEB
    )
    return await lookup_status(ctx, number, phone)
