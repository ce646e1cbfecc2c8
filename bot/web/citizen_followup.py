"""Follow-up (回访) on the status page, for reporters without Telegram.

Web-form and Open311 reporters answer the follow-up question on
``/report/status`` once their case is 办结: the page shows the four answers
when the case number *and* the phone or 查询码 matched (the same check as the
status). ``POST /report/followup`` checks them again, then:

* 已解决·满意 / 基本满意 are recorded at once through the case service, exactly
  as the Telegram buttons do (channel web): the case closes.
* 未解决 and 不满意 first ask, as the bot does, what is still wrong (optional;
  trial D23): the page shows a text box with 提交 and 跳过 and records
  nothing yet. Its form carries a short-lived HMAC token bound to the case number and
  the answer (so the phone or code need not be typed or echoed again);
  ``POST /report/followup/comment`` checks it and records the answer with the
  comment, which reopens the case (重办) to the same unit with the reporter's
  words. The page then says what happens next: which unit, the new deadline,
  and that the reporter will be asked again once it is 办结.

Without a phone or 查询码 nothing can be answered (the case closes for no
response after the configured time, as before).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import timedelta

from sqlalchemy import select

from bot.services.cases import CaseView
from bot.services.lifecycle import CaseError
from bot.services.notifications import FOLLOW_UP_ANSWERS
from bot.web.citizen_intake import CitizenFormContext
from bot.web.citizen_status import StatusResult, lookup_status
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case

#: How long the comment step may be sent after the answer was chosen.
COMMENT_TTL = timedelta(hours=1)
#: Answers that first ask what is still wrong.
ASKS_COMMENT = frozenset(
    key
    for key, (_label, solved, sat) in FOLLOW_UP_ANSWERS.items()
    if not solved or sat == "unsatisfied"
)
_TOKEN_RE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")


def follow_up_open(result: StatusResult | None) -> bool:
    """Whether the page may offer the follow-up answers (proof matched, case 办结)."""
    return result is not None and result.detailed and result.status == CaseStatus.RESOLVED


async def check_answer(
    ctx: CitizenFormContext, number: str, proof: str | None, answer: str
) -> StatusResult | None:
    """The case's status if the answer may be given now; None if number/proof do not match.

    Raises:
        CaseError: ``bad_input`` (unknown answer) or ``already_answered``.
    """
    if answer not in FOLLOW_UP_ANSWERS:
        raise CaseError("bad_input", "请选择一项回访答复。")
    result = await lookup_status(ctx, number, proof)
    if not follow_up_open(result):
        if result is not None and result.detailed:
            raise CaseError("already_answered", "该诉求目前不在待回访状态，感谢您的关注。")
        return None
    return result


async def record_answer(
    ctx: CitizenFormContext, number: str, answer: str, comment: str | None = None
) -> CaseView | None:
    """Record the reporter's answer (and comment) through the case service.

    Raises:
        CaseError: the service's refusals (``already_answered``, ``bad_input`` ...).
    """
    async with ctx.db.session() as s:
        case = await s.scalar(
            select(Case).where(
                Case.number == number.strip().upper(), Case.kind == CaseKind.REQUEST.value
            )
        )
    if case is None or case.reporter_id is None:
        return None
    _label, solved, satisfaction = FOLLOW_UP_ANSWERS[answer]
    text = (comment or "").strip() or None
    return await ctx.cases.answer_follow_up(
        case.id, case.reporter_id, solved, satisfaction, text, Channel.WEB
    )


async def answer_from_status(
    ctx: CitizenFormContext, number: str, proof: str | None, answer: str
) -> StatusResult | None:
    """Check and record an answer in one step; the fresh status (None if no match).

    Raises:
        CaseError: as :func:`check_answer` and :func:`record_answer`.
    """
    if await check_answer(ctx, number, proof, answer) is None:
        return None
    if await record_answer(ctx, number, answer) is None:
        return None
    return await lookup_status(ctx, number, proof)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _tag(secret: bytes, number: str, answer: str, expires: int) -> str:
    body = f"followup-comment|{number.upper()}|{answer}|{expires}".encode()
    return _b64(hmac.new(secret, body, hashlib.sha256).digest())


async def comment_token(ctx: CitizenFormContext, number: str, answer: str) -> str:
    """A token that lets this browser send the comment step for ``number`` and ``answer``."""
    expires = int((ctx.clock.now() + COMMENT_TTL).timestamp())
    return f"{expires}.{_tag(await ctx.form_secret(), number, answer, expires)}"


async def check_comment_token(
    ctx: CitizenFormContext, token: str, number: str, answer: str
) -> bool:
    """Whether ``token`` was issued for ``number`` and ``answer`` and is still valid."""
    match = _TOKEN_RE.match(token or "")
    if match is None or answer not in ASKS_COMMENT:
        return False
    expires, tag = int(match.group(1)), match.group(2)
    expected = _tag(await ctx.form_secret(), number, answer, expires)
    if not hmac.compare_digest(expected.encode(), tag.encode()):
        return False
    return ctx.clock.now().timestamp() <= expires
