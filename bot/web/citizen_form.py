"""A plain web form for citizens without Telegram: report a problem, follow it up.

Routes::

    GET  /report            the form (Chinese, mobile-friendly, no JavaScript)
    POST /report/preview    "which office?": classify and show the office; files nothing,
                            except danger now, which is filed at once (stop 32 #6)
    POST /report            file the request (CSRF-checked); shows number and deadline
    GET  /report/status     ?number=MQ… : the look-up form (and, see below, the status)
    POST /report/status     number + phone or 查询码: the case's status and public timeline
    POST /report/followup   number + the token of a status page opened with the 查询码 +
                            answer: the follow-up (回访), see citizen_followup
                            (未解决/不满意 first ask what is still wrong; never by phone, T9)

Decisions:

* **CSRF.** Double-submit cookie bound by an HMAC
  (:mod:`bot.web.citizen_form_tokens`). ``GET /report`` sets a random browser
  nonce in an HttpOnly, SameSite=Strict cookie; each rendered form carries a
  token bound to it. ``POST /report`` files only when the tag verifies in
  constant time for the cookie that came with it and the form is younger than
  :data:`~bot.web.citizen_form_tokens.FORM_TTL`; otherwise 403 and nothing is
  filed, but the 403 page is the form again with a fresh token and everything
  typed kept (the emergency line first for danger now), so one click files it.
  A danger report whose token is genuine for this browser but only too old is
  filed (trial 26 T10). Another site can neither read the cookie nor forge the tag.
* **Each form files once.** The form id is claimed in ``bot_state`` before
  filing; sending the same form again (double click, refresh) shows the case
  it already filed instead of filing a second one.
* **Status look-up, privacy first (trial D13).** Case numbers are sequential
  and guessable, so the number alone shows nothing, not even whether the case
  exists. Status details (state, office, deadlines, the text, the result, the
  public timeline) are shown only to someone who gives the case number *and*
  a proof: the phone number given at filing, or the 查询码 (lookup code)
  printed on the confirmation page of every web filing
  (:mod:`bot.web.lookup_codes`). A wrong, partial or missing proof gets exactly
  the answer an unknown number gets. Cases filed in Telegram without a phone
  are followed in the bot (/status), not here. Early warnings (预警) are
  never shown. The look-up form posts the proof, so it never lands in URLs,
  access logs or browser history; ``phone``/``code`` in the query string of
  ``GET /report/status`` are honoured for links made elsewhere. Look-ups are
  limited per address (:mod:`bot.web.throttle`); wrong *phone numbers* are
  also limited per case, but the 查询码 (about 40 bits) always opens the page
  and the follow-up answers' token is never held back by a case's limit, so
  strangers guessing at a sequential number cannot lock the citizen out
  (trial 29 P9).
* The public timeline shows when each step happened and which unit took it,
  never who acted; of the notes only the resolution note (办理结果) is shown,
  with phone and identity numbers masked.
* Text longer than 5000 characters, an empty text or a malformed phone number
  re-shows the form with the input kept and a clear Chinese message (HTTP
  400); nothing is filed.

The form's routes are here, those of the status look-up and the follow-up answers in
:mod:`bot.web.citizen_lookup`; the pages they render in :mod:`bot.web.citizen_form_pages`,
the form's service side (input checks, filing once) in
:mod:`bot.web.citizen_intake`, the status look-up in :mod:`bot.web.citizen_status`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aiohttp import web
from multidict import MultiDictProxy

from bot.services.triage import emergency_of
from bot.web.citizen_form_pages import (
    render_filed,
    render_form,
    throttled_message,
)
from bot.web.citizen_form_tokens import (
    FORM_COOKIE,
    check_token,
    expired_form_id,
    is_nonce,
    issue_token,
    new_nonce,
)
from bot.web.citizen_intake import (
    FORM_KEY,
    CitizenFormContext,
    FormError,
    FormValues,
    NotARequest,
    build_draft,
    file_from_form,
    lenient_values,
    preview_request,
    rated_critical,
)
from bot.web.citizen_lookup import (
    handle_follow_up,
    handle_follow_up_comment,
    handle_status_get,
    handle_status_post,
)
from bot.web.errors import install_error_pages
from bot.web.html import Page, html_response, read_form, setup_templates

#: A refused token (expired, missing, forged): the form comes back with the text kept.
FORM_EXPIRED = (
    "页面已过期或来源无法验证，您的诉求尚未提交。您填写的内容已保留在下方，请核对后点击“提交诉求”。"
)


def _cookie_nonce(request: web.Request) -> str | None:
    value = request.cookies.get(FORM_COOKIE)
    return value if value and is_nonce(value) else None


async def _form_response(
    request: web.Request,
    render_page: Callable[[str], Page],
    *,
    status: int = 200,
) -> web.Response:
    """Render a page that contains the form, with a fresh token bound to the browser."""
    ctx = request.app[FORM_KEY]
    nonce = _cookie_nonce(request) or new_nonce()
    token = issue_token(await ctx.form_secret(), nonce, ctx.clock.now())
    response = html_response(request, render_page(token), status=status)
    response.set_cookie(
        FORM_COOKIE,
        nonce,
        path="/report",
        httponly=True,
        samesite="Strict",
        secure=ctx.secure_cookies,
    )
    return response


async def handle_form(request: web.Request) -> web.Response:
    """GET /report: the empty form."""
    ctx = request.app[FORM_KEY]
    return await _form_response(request, lambda token: render_form(ctx, token))


async def handle_preview(request: web.Request) -> web.Response:
    """POST /report/preview: which office would handle it (nothing is filed).

    Danger now is filed at once, as 提交诉求 would file it, and the receipt says so
    (stop 32 #6): a person who reads the emergency line on the preview and closes the
    page must not have reported nothing. The token is checked as for 提交诉求 (a post
    from another site files nothing; this browser's form left open too long still files).
    """
    ctx = request.app[FORM_KEY]
    data = await read_form(request)
    values = FormValues.from_post(data)
    if values.text.strip() and emergency_of(values.text) is not None:
        return await _submit(request, data, on_preview=True)
    try:
        answer = preview_request(ctx, values)
    except NotARequest as exc:
        return await _not_a_request(request, ctx, values, exc)
    except FormError as exc:
        return await _form_error(request, ctx, values, exc)
    return await _form_response(
        request, lambda token: render_form(ctx, token, values, preview=answer)
    )


async def _not_a_request(
    request: web.Request, ctx: CitizenFormContext, values: FormValues, exc: NotARequest
) -> web.Response:
    """你好 / 谢谢 / 我有个问题: the bot's answer and what to write; nothing is filed."""
    kept = replace(values, text="")
    kind = exc.kind
    return await _form_response(request, lambda token: render_form(ctx, token, kept, talk=kind))


async def _form_error(
    request: web.Request, ctx: CitizenFormContext, values: FormValues, exc: FormError
) -> web.Response:
    """The form again with the input kept and the Chinese message above it (400)."""
    message = exc.message
    return await _form_response(
        request,
        lambda token: render_form(ctx, token, values, error=message),
        status=400,
    )


async def handle_submit(request: web.Request) -> web.Response:
    """POST /report: check the token, then file."""
    return await _submit(request, await read_form(request))


async def _submit(
    request: web.Request,
    data: MultiDictProxy[str | bytes | bytearray | web.FileField],
    *,
    on_preview: bool = False,
) -> web.Response:
    """Check the token, then file the form's ``data`` (``on_preview``: danger now sent with
    「先看看由哪个部门办理」, filed at once and told so on the receipt)."""
    ctx = request.app[FORM_KEY]
    token = data.get("csrf_token")
    form_id = check_token(
        await ctx.form_secret(),
        token if isinstance(token, str) else "",
        _cookie_nonce(request),
        ctx.clock.now(),
    )
    values = FormValues.from_post(data)
    # Danger now is read before anything can refuse the filing (trial D24).
    danger = emergency_of(values.text) if values.text.strip() else None
    if form_id is None and danger is not None:
        # A danger report on this browser's own form left open too long is filed (T10).
        form_id = expired_form_id(
            await ctx.form_secret(),
            token if isinstance(token, str) else "",
            _cookie_nonce(request),
            ctx.clock.now(),
        )
    if form_id is None:
        # Nothing is filed without a genuine token, but nothing typed is thrown away: the
        # form again with a fresh token and the text kept (the emergency line first for
        # danger), one click files it (trial 26 T10).
        return await _form_response(
            request,
            lambda fresh: render_form(ctx, fresh, values, error=FORM_EXPIRED),
            status=403,
        )
    # A danger report is not sent back for an optional field (a phone a digit short): it is
    # filed without it, and the receipt says so. ``values`` stays as typed for any page.
    to_file, dropped, kept = lenient_values(ctx, values) if danger is not None else (values, [], [])
    try:
        build_draft(ctx, to_file)  # input errors are answered before they count
        ip = request.remote or "-"
        limits = (("file_ip", ip), ("file_session", _cookie_nonce(request) or form_id))
        if danger is None and ctx.throttle.hit(*limits):
            pass  # an ordinary filing within the limits, counted
        elif danger is None and not rated_critical(ctx.cases, to_file.text):
            return await _throttled_form(request, ctx, values, limits)
        else:
            # Danger now, or what the classifier rates critical though the emergency line
            # missed it (pf30 #5): counted like any filing, never refused by the ordinary
            # limits; only a flood from one address meets the danger ceiling, and then
            # the numbers are shown.
            ctx.throttle.count(*limits)
            if not ctx.throttle.hit(("file_danger_ip", ip)):
                return await _throttled_form(request, ctx, values, (("file_danger_ip", ip),))
        filed = await file_from_form(ctx, form_id, to_file)
        filed = replace(filed, dropped=tuple(dropped), kept=tuple(kept))
    except NotARequest as exc:
        return await _not_a_request(request, ctx, values, exc)
    except FormError as exc:
        return await _form_error(request, ctx, values, exc)
    return html_response(request, render_filed(ctx, filed, on_preview=on_preview))


async def _throttled_form(
    request: web.Request,
    ctx: CitizenFormContext,
    values: FormValues,
    checks: tuple[tuple[str, str], ...],
) -> web.Response:
    """429: the form again, everything typed kept, the wait and whom to call (Chinese)."""
    wait = ctx.throttle.retry_after(*checks)
    message = throttled_message(ctx, wait, form=True)
    response = await _form_response(
        request,
        lambda token: render_form(ctx, token, values, error=message),
        status=429,
    )
    response.headers["Retry-After"] = str(wait)
    return response


def add_citizen_form_routes(app: web.Application, ctx: CitizenFormContext) -> None:
    """Mount the citizen form under ``/report``."""
    app[FORM_KEY] = ctx
    setup_templates(app)
    install_error_pages(app)
    app.router.add_get("/report", handle_form)
    app.router.add_post("/report", handle_submit)
    app.router.add_post("/report/preview", handle_preview)
    app.router.add_get("/report/status", handle_status_get)
    app.router.add_post("/report/status", handle_status_post)
    app.router.add_post("/report/followup", handle_follow_up)
    app.router.add_post("/report/followup/comment", handle_follow_up_comment)


__all__ = [
    "FORM_KEY",
    "add_citizen_form_routes",
]
