"""Follow-up (回访) on the status page, for reporters without Telegram.

Web-form and Open311 reporters answer the follow-up question on
``/report/status`` once their case is 办结. The follow-up is the citizen's word
on the station and feeds its 满意率/解决率, so the station must not be able to
give it (trial T9): the phone is on the handling station's card, so it opens
the status but not the follow-up. The page shows the four answers only when the
case was filed on the web or through Open311 *and* the proof was the 查询码
(which only the reporter received); their form carries a short-lived HMAC
token bound to the case number (:func:`answer_token`), which ``POST
/report/followup`` requires (it is also the form's CSRF token: another site
cannot read it). A case filed in Telegram takes its follow-up only from the
reporter's Telegram account. Then:

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

Without the 查询码 nothing can be answered on the web (the case closes for no
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
from bot.web.citizen_status import StatusResult, lookup_proven
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case

#: How long the comment step may be sent after the answer was chosen, and the
#: follow-up answers after the status page was shown.
COMMENT_TTL = timedelta(hours=1)
#: The ``answer`` a follow-up form's token is bound to (any answer may be chosen).
ANY_ANSWER = "*"
#: Answers that first ask what is still wrong.
ASKS_COMMENT = frozenset(
    key
    for key, (_label, solved, sat) in FOLLOW_UP_ANSWERS.items()
    if not solved or sat == "unsatisfied"
)
_TOKEN_RE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")


def follow_up_open(result: StatusResult | None) -> bool:
    """Whether the page may offer the follow-up answers.

    The case is 办结, it was filed on the web or through Open311, and the
    proof was the 查询码 (not the phone every handler sees, trial T9).
    """
    return (
        result is not None
        and result.detailed
        and result.status == CaseStatus.RESOLVED
        and result.by_code
        and result.channel != Channel.TELEGRAM.value
    )


def follow_up_hint(result: StatusResult | None) -> str | None:
    """Why a 办结 case shows no follow-up answers here, in Chinese (None if it does)."""
    if result is None or not result.detailed or result.status != CaseStatus.RESOLVED:
        return None
    if result.channel == Channel.TELEGRAM.value:
        return "该诉求通过 Telegram 反映，请在机器人中回复回访。"
    if not result.by_code:
        return (
            "如需评价办理结果，请使用提交后显示的查询码查询"
            "（为防止他人代为评价，联系电话不能用于回访）。"
        )
    return None


async def check_answer(
    ctx: CitizenFormContext, number: str, token: str, answer: str
) -> StatusResult | None:
    """The case's status if the answer may be given now; None if the token does not fit.

    Raises:
        CaseError: ``bad_input`` (unknown answer) or ``already_answered``.
    """
    if answer not in FOLLOW_UP_ANSWERS:
        raise CaseError("bad_input", "请选择一项回访答复。")
    if not await _check(ctx, token, number, ANY_ANSWER):
        return None
    result = await lookup_proven(ctx, number)
    if not follow_up_open(result):
        if result is not None:
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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _tag(secret: bytes, number: str, answer: str, expires: int) -> str:
    body = f"followup-comment|{number.strip().upper()}|{answer}|{expires}".encode()
    return _b64(hmac.new(secret, body, hashlib.sha256).digest())


async def comment_token(ctx: CitizenFormContext, number: str, answer: str) -> str:
    """A token that lets this browser send the comment step for ``number`` and ``answer``."""
    expires = int((ctx.clock.now() + COMMENT_TTL).timestamp())
    return f"{expires}.{_tag(await ctx.form_secret(), number, answer, expires)}"


async def answer_token(ctx: CitizenFormContext, number: str) -> str:
    """The token of the follow-up answers' form, shown only after a 查询码 proof."""
    return await comment_token(ctx, number, ANY_ANSWER)


async def check_comment_token(
    ctx: CitizenFormContext, token: str, number: str, answer: str
) -> bool:
    """Whether ``token`` was issued for ``number`` and ``answer`` and is still valid."""
    if answer not in ASKS_COMMENT:
        return False
    return await _check(ctx, token, number, answer)


async def _check(ctx: CitizenFormContext, token: str, number: str, answer: str) -> bool:
    match = _TOKEN_RE.match(token or "")
    if match is None:
        return False
    expires, tag = int(match.group(1)), match.group(2)
    expected = _tag(await ctx.form_secret(), number, answer, expires)
    if not hmac.compare_digest(expected.encode(), tag.encode()):
        return False
    return ctx.clock.now().timestamp() <= expires
