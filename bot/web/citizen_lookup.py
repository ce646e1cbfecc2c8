"""The citizen's status look-up and follow-up answers on the web: their routes.

``GET``/``POST /report/status`` (number + phone or 查询码: the case's status and public
timeline), ``POST /report/followup`` and ``POST /report/followup/comment`` (the 回访
answers, :mod:`bot.web.citizen_followup`). Mounted by
:func:`bot.web.citizen_form.add_citizen_form_routes`, whose docstring holds the
decisions (privacy first, look-ups limited per address and per case); split from
:mod:`bot.web.citizen_form` (pf31 #8).
"""

from __future__ import annotations

from aiohttp import web

from bot.services.cases import MAX_NOTE
from bot.services.lifecycle import CaseError
from bot.web.citizen_followup import (
    ASKS_COMMENT,
    answer_token,
    check_answer,
    check_comment_token,
    comment_token,
    follow_up_open,
    record_answer,
)
from bot.web.citizen_form_pages import (
    render_comment_step,
    render_reopened,
    render_status_page,
    throttled_message,
)
from bot.web.citizen_intake import FORM_KEY, CitizenFormContext
from bot.web.citizen_status import StatusResult, lookup_status
from bot.web.html import Page, html_response, read_form
from bot.web.lookup_codes import looks_like_code

__all__ = [
    "handle_follow_up",
    "handle_follow_up_comment",
    "handle_status_get",
    "handle_status_post",
    "throttled",
]


async def _status(request: web.Request, number: str, phone: str | None) -> web.Response:
    ctx = request.app[FORM_KEY]
    if not number.strip():
        return html_response(request, render_status_page(ctx, "", None, asked=False))
    asked = bool(phone and phone.strip())
    # The guesser is limited by address; the case's own limit holds back guessing a
    # phone number (few digits to guess) from many addresses, and never a 查询码: 40
    # bits cannot be guessed, so the real citizen's code always opens the page, even
    # after strangers' wrong guesses locked the case for phone look-ups (trial 29 P9).
    by_code = looks_like_code(phone)
    checks = (("status_ip", request.remote or "-"), ("status_case", number.strip().upper()))
    gate = checks[:1] if by_code else checks
    if asked and not ctx.throttle.allows(*gate):
        return throttled(request, gate)
    result = await lookup_status(ctx, number, phone)
    if asked:
        # Every look-up counts for the address; a wrong phone for the case too.
        ctx.throttle.count(checks[0])
        if not by_code and (result is None or not result.detailed):
            ctx.throttle.count(checks[1])
    token = await _answers_token(ctx, result)
    page_ = render_status_page(ctx, number, result, asked=asked, token=token)
    return html_response(request, page_)


async def _answers_token(ctx: CitizenFormContext, result: StatusResult | None) -> str | None:
    """The follow-up form's token when the page may offer the answers (T9)."""
    if result is None or not follow_up_open(result):
        return None
    return await answer_token(ctx, result.number)


def throttled(request: web.Request, checks: tuple[tuple[str, str], ...] = ()) -> web.Response:
    """429 with the polite Chinese message, the wait and a Retry-After."""
    ctx = request.app[FORM_KEY]
    wait = ctx.throttle.retry_after(*checks) if checks else 60
    page_ = Page("report_throttled.html", {"message": throttled_message(ctx, wait)})
    return html_response(request, page_, status=429, headers={"Retry-After": str(wait)})


async def handle_follow_up(request: web.Request) -> web.Response:
    """POST /report/followup: number, the answers' token and the answer (never a phone, T9)."""
    ctx = request.app[FORM_KEY]
    data = await read_form(request)
    number, token, answer = (data.get(k) for k in ("number", "token", "answer"))
    number_ = number.strip().upper() if isinstance(number, str) else ""
    token_ = token if isinstance(token, str) else ""
    answer_ = answer if isinstance(answer, str) else ""
    # The answers' token is an unguessable secret: only the address is limited, so
    # strangers' guesses cannot keep the citizen from answering (trial 29 P9).
    checks = (("status_ip", request.remote or "-"),)
    if not ctx.throttle.allows(*checks):
        return throttled(request, checks)
    ctx.throttle.count(checks[0])
    try:
        result = await check_answer(ctx, number_, token_, answer_)
        if result is not None and answer_ in ASKS_COMMENT:
            # 未解决 / 不满意: first ask what is still wrong, as the bot does (trial D23).
            step_token = await comment_token(ctx, result.number, answer_)
            return html_response(request, render_comment_step(result.number, answer_, step_token))
        if result is not None:
            await record_answer(ctx, number_, answer_)
    except CaseError as exc:
        page_ = render_status_page(ctx, number_, None, asked=False, error=exc.message)
        return html_response(request, page_, status=400)
    if result is None:
        # No valid token: a forged, foreign or expired form; nothing is recorded.
        expired = "页面已过期，请用案件编号和查询码重新查询后再回访。"
        page_ = render_status_page(ctx, number_, None, asked=False, error=expired)
        return html_response(request, page_, status=403)
    page_ = render_status_page(ctx, number_, None, asked=False, ok="感谢您的评价！您的诉求已结案。")
    return html_response(request, page_)


async def handle_follow_up_comment(request: web.Request) -> web.Response:
    """POST /report/followup/comment: what is still wrong (optional), then 重办."""
    ctx = request.app[FORM_KEY]
    data = await read_form(request)
    number, answer, token, comment, skip = (
        data.get(k) for k in ("number", "answer", "token", "comment", "skip")
    )
    number_ = number.strip().upper() if isinstance(number, str) else ""
    answer_ = answer if isinstance(answer, str) else ""
    token_ = token if isinstance(token, str) else ""
    comment_ = "" if skip or not isinstance(comment, str) else comment.replace("\r\n", "\n")
    if not await check_comment_token(ctx, token_, number_, answer_):
        page_ = render_status_page(
            ctx, number_, None, asked=False, error="页面已过期，请重新查询后再回访。"
        )
        return html_response(request, page_, status=400)
    if len(comment_.strip()) > MAX_NOTE:
        error = f"意见最多{MAX_NOTE}字，您填写了{len(comment_.strip())}字。请精简后再提交。"
        return html_response(
            request,
            render_comment_step(number_, answer_, token_, comment=comment_, error=error),
            status=400,
        )
    try:
        view = await record_answer(ctx, number_, answer_, comment_)
    except CaseError as exc:
        page_ = render_status_page(ctx, number_, None, asked=False, error=exc.message)
        return html_response(request, page_, status=400)
    if view is None:
        raise web.HTTPNotFound()
    return html_response(request, render_reopened(ctx, view, commented=bool(comment_.strip())))


async def handle_status_get(request: web.Request) -> web.Response:
    """GET /report/status?number=…[&phone=…|&code=…]."""
    query = request.query
    return await _status(request, query.get("number", ""), query.get("code") or query.get("phone"))


async def handle_status_post(request: web.Request) -> web.Response:
    """POST /report/status: number and phone (or 查询码) from the look-up form."""
    data = await read_form(request)
    number, phone = data.get("number"), data.get("code") or data.get("phone")
    return await _status(
        request,
        number if isinstance(number, str) else "",
        phone if isinstance(phone, str) else "",
    )
