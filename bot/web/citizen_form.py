"""A plain web form for citizens without Telegram: report a problem, follow it up.

Routes::

    GET  /report            the form (Chinese, mobile-friendly, no JavaScript)
    POST /report/preview    "which office?": classify and show the office; files nothing
    POST /report            file the request (CSRF-checked); shows number and deadline
    GET  /report/status     ?number=MQ… : the look-up form (and, see below, the status)
    POST /report/status     number + phone: the case's status and public timeline
    POST /report/followup   number + phone + answer: the follow-up (回访), see citizen_followup

Decisions:

* **CSRF.** Double-submit cookie bound by an HMAC. ``GET /report`` sets a
  random browser nonce in an HttpOnly, SameSite=Strict cookie; each rendered
  form carries ``issued.form_id.tag`` with ``tag`` = HMAC-SHA256 (installation
  secret ``web_form``) over the issue time, a fresh form id and the browser
  nonce. ``POST /report`` files only when the tag verifies in constant time
  for the cookie that came with it and the form is younger than
  :data:`FORM_TTL`; otherwise 403 and nothing is filed. Another site can
  neither read the cookie nor forge the tag.
* **Each form files once.** The form id is claimed in ``bot_state`` before
  filing; sending the same form again (double click, refresh) shows the case
  it already filed instead of filing a second one.
* **Status look-up, privacy first.** The case number alone is guessable, so:
  if the reporter gave a phone number, status details (office, deadlines,
  result, the public timeline) are shown only to someone who gives the case
  number *and* that phone number; a wrong or missing phone gets exactly the
  answer an unknown number gets. If the reporter gave no phone, the number
  alone shows the status, the office and the deadline — what the public
  Open311 API shows anyway — but never the text or the timeline. Early
  warnings (预警) are never shown. The look-up form posts the phone number,
  so it never lands in URLs, access logs or browser history; a phone number
  in the query string of ``GET /report/status`` is honoured for links made
  elsewhere.
* The public timeline shows when each step happened and which unit took it,
  never who acted; of the notes only the resolution note (办理结果) is shown,
  with phone and identity numbers masked.
* Text longer than 5000 characters, an empty text or a malformed phone number
  re-shows the form with the input kept and a clear Chinese message (HTTP
  400); nothing is filed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from aiohttp import web

from bot.services.cases import MAX_TEXT, CaseView, Preview
from bot.services.lifecycle import CaseError
from bot.services.notifications import FOLLOW_UP_ANSWERS, fmt_duration, fmt_time
from bot.services.triage import emergency_of
from bot.web.citizen_followup import answer_from_status, follow_up_open
from bot.web.citizen_intake import (
    DONE,
    FORM_SECRET_NAME,
    MAX_ADDRESS,
    CitizenFormContext,
    Filed,
    FormError,
    FormValues,
    NotARequest,
    StatusResult,
    build_draft,
    file_from_form,
    lookup_status,
    places,
    preview_request,
)
from bot.web.errors import install_error_pages
from bot.web.html import Page, html_response, read_form, setup_templates
from bot.web.throttle import TOO_MANY
from storage.enums import CaseStatus

#: The browser nonce cookie.
FORM_COOKIE = "minqing_form"
#: How long a rendered form may be submitted.
FORM_TTL = timedelta(hours=2)

_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
_TOKEN_RE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


# --- CSRF tokens ------------------------------------------------------------------------


def new_nonce() -> str:
    """A fresh browser nonce or form id (128 bits)."""
    return secrets.token_urlsafe(16)


def _tag(secret: bytes, issued: int, form_id: str, browser_nonce: str) -> str:
    body = f"report-form|{issued}|{form_id}|{browser_nonce}".encode("ascii")
    return _b64(hmac.new(secret, body, hashlib.sha256).digest())


def issue_token(secret: bytes, browser_nonce: str, now: datetime) -> str:
    """A form token bound to ``browser_nonce``: ``issued.form_id.tag``."""
    issued = int(now.timestamp())
    form_id = new_nonce()
    return f"{issued}.{form_id}.{_tag(secret, issued, form_id, browser_nonce)}"


def check_token(secret: bytes, token: str, browser_nonce: str | None, now: datetime) -> str | None:
    """The form id of a valid token for this browser, or None (forged, foreign or expired)."""
    match = _TOKEN_RE.match(token or "")
    if match is None or browser_nonce is None or not _NONCE_RE.match(browser_nonce):
        return None
    issued, form_id, tag = int(match.group(1)), match.group(2), match.group(3)
    expected = _tag(secret, issued, form_id, browser_nonce)
    if not hmac.compare_digest(expected.encode("ascii"), tag.encode("ascii")):
        return None
    age = now.timestamp() - issued
    if age > FORM_TTL.total_seconds() or age < -300:
        return None
    return form_id


# --- pages -------------------------------------------------------------------------------


def render_form(
    ctx: CitizenFormContext,
    token: str,
    values: FormValues | None = None,
    *,
    error: str | None = None,
    preview: Preview | None = None,
    talk: str | None = None,
) -> Page:
    """The report form (with a preview answer, or the answer to small talk, above it)."""
    return Page(
        "report_form.html",
        {
            "talk": talk,
            "district_name": ctx.district.name,
            "token": token,
            "values": values or FormValues(),
            "places": places(ctx.district),
            "max_text": MAX_TEXT,
            "max_address": MAX_ADDRESS,
            "error": error,
            "preview": preview_answer(preview) if preview else None,
            "emergency": _emergency_line(values.text) if preview and values else None,
        },
    )


def _emergency_line(text: str) -> str | None:
    """The emergency line for a text that describes danger now."""
    danger = emergency_of(text)
    return danger.line if danger is not None else None


def preview_answer(p: Preview) -> dict[str, object]:
    """The "which office?" answer: the office, what else is known, and whether it is a guess."""
    rows: list[tuple[str, str]] = []
    if p.bureau_name:
        office = p.bureau_name + (f"（负责{p.bureau_duties}）" if p.bureau_duties else "")
        rows.append(("受理窗口", p.room_name))
    elif p.room_name:
        office = p.room_name
    else:
        office = "暂时无法确定，提交后由群众服务中心人工分派"
    rows += [
        (label, value)
        for label, value in (("办公地点", p.address), ("办公时间", p.hours), ("联系电话", p.phone))
        if value
    ]
    if p.keywords:
        rows.append(("判断依据", "、".join(p.keywords)))
    return {"office": office, "rows": rows, "unsure": bool(p.unsure and p.room_name)}


def _deadline_text(ctx: CitizenFormContext, view: CaseView) -> str:
    if view.status in (CaseStatus.REGISTERED, CaseStatus.RETURNED):
        resolve = ctx.district.deadlines[view.priority].resolve
        return f"正在分派承办单位，派单后{fmt_duration(resolve)}内办结"
    return fmt_time(view.resolve_due_at, ctx.tz)


def status_link(number: str) -> str:
    """The status page of a case number."""
    return "/report/status?" + urlencode({"number": number})


def render_filed(ctx: CitizenFormContext, filed: Filed) -> Page:
    """The confirmation after filing."""
    view = filed.view
    return Page(
        "report_filed.html",
        {
            "repeated": filed.repeated,
            "number": view.number,
            "unit": view.owning_unit_name,
            "deadline": _deadline_text(ctx, view),
            "link": status_link(view.number),
            "has_phone": bool(view.contact_phone),
            "emergency": filed.emergency,
            "at_desk": view.owning_unit_id == ctx.district.dispatcher,
        },
    )


def render_status_page(
    ctx: CitizenFormContext,
    number: str,
    result: StatusResult | None,
    *,
    asked: bool,
    error: str | None = None,
    ok: str | None = None,
) -> Page:
    """The status page: the result (if any), the follow-up answers, then the look-up form."""
    done = result is not None and result.status in DONE
    answers = [(k, v[0]) for k, v in FOLLOW_UP_ANSWERS.items()] if follow_up_open(result) else []
    return Page(
        "report_status.html",
        {
            "number": number,
            "result": result,
            "asked": asked,
            "done": done,
            "tz": ctx.tz,
            "answers": answers,
            "error": error,
            "ok": ok,
        },
    )


# --- routes --------------------------------------------------------------------------------


FORM_KEY: web.AppKey[CitizenFormContext] = web.AppKey("minqing_citizen_form", CitizenFormContext)


def _cookie_nonce(request: web.Request) -> str | None:
    value = request.cookies.get(FORM_COOKIE)
    return value if value and _NONCE_RE.match(value) else None


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
    """POST /report/preview: which office would handle it (nothing is filed)."""
    ctx = request.app[FORM_KEY]
    values = FormValues.from_post(await read_form(request))
    try:
        answer = preview_request(ctx, values)
    except NotARequest as exc:
        return await _not_a_request(request, ctx, values, exc)
    except FormError as exc:
        message = exc.message
        return await _form_response(
            request,
            lambda token: render_form(ctx, token, values, error=message),
            status=400,
        )
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


async def handle_submit(request: web.Request) -> web.Response:
    """POST /report: check the token, then file."""
    ctx = request.app[FORM_KEY]
    data = await read_form(request)
    token = data.get("csrf_token")
    form_id = check_token(
        await ctx.form_secret(),
        token if isinstance(token, str) else "",
        _cookie_nonce(request),
        ctx.clock.now(),
    )
    if form_id is None:
        return html_response(request, Page("report_forbidden.html"), status=403)
    values = FormValues.from_post(data)
    try:
        build_draft(ctx, values)  # input errors are answered before they count
        limits = (
            ("file_ip", request.remote or "-"),
            ("file_session", _cookie_nonce(request) or form_id),
        )
        if not ctx.throttle.hit(*limits):
            return throttled(request)
        filed = await file_from_form(ctx, form_id, values)
    except NotARequest as exc:
        return await _not_a_request(request, ctx, values, exc)
    except FormError as exc:
        message = exc.message
        return await _form_response(
            request,
            lambda token: render_form(ctx, token, values, error=message),
            status=400,
        )
    return html_response(request, render_filed(ctx, filed))


async def _status(request: web.Request, number: str, phone: str | None) -> web.Response:
    ctx = request.app[FORM_KEY]
    if not number.strip():
        return html_response(request, render_status_page(ctx, "", None, asked=False))
    asked = bool(phone and phone.strip())
    checks = (("status_ip", request.remote or "-"), ("status_case", number.strip().upper()))
    if asked and not ctx.throttle.allows(*checks):
        return throttled(request)
    result = await lookup_status(ctx, number, phone)
    if asked:
        # Every look-up with a phone counts for the address; a wrong phone for the case too.
        ctx.throttle.count(checks[0])
        if result is None or not result.detailed:
            ctx.throttle.count(checks[1])
    page_ = render_status_page(ctx, number, result, asked=asked)
    return html_response(request, page_)


def throttled(request: web.Request) -> web.Response:
    """429 with the polite Chinese message and a Retry-After."""
    page_ = Page("report_throttled.html", {"message": TOO_MANY})
    return html_response(request, page_, status=429, headers={"Retry-After": "60"})


async def handle_follow_up(request: web.Request) -> web.Response:
    """POST /report/followup: number, phone and the answer to the follow-up question."""
    ctx = request.app[FORM_KEY]
    data = await read_form(request)
    number, phone, answer = (data.get(k) for k in ("number", "phone", "answer"))
    number_ = number if isinstance(number, str) else ""
    phone_ = phone if isinstance(phone, str) else ""
    # The answer proves the phone like a look-up does: the same limits on guessing.
    checks = (("status_ip", request.remote or "-"), ("status_case", number_.strip().upper()))
    if not ctx.throttle.allows(*checks):
        return throttled(request)
    ctx.throttle.count(checks[0])
    try:
        result = await answer_from_status(
            ctx, number_, phone_, answer if isinstance(answer, str) else ""
        )
    except CaseError as exc:
        result = await lookup_status(ctx, number_, phone_)
        if result is None or not result.detailed:
            ctx.throttle.count(checks[1])
        page_ = render_status_page(ctx, number_, result, asked=True, error=exc.message)
        return html_response(request, page_, status=400)
    if result is None or not result.detailed:
        ctx.throttle.count(checks[1])
    page_ = render_status_page(
        ctx,
        number_,
        result,
        asked=True,
        ok="感谢您的评价，已记录。" if result else None,
    )
    return html_response(request, page_)


async def handle_status_get(request: web.Request) -> web.Response:
    """GET /report/status?number=…[&phone=…]."""
    return await _status(request, request.query.get("number", ""), request.query.get("phone"))


async def handle_status_post(request: web.Request) -> web.Response:
    """POST /report/status: number and phone from the look-up form."""
    data = await read_form(request)
    number, phone = data.get("number"), data.get("phone")
    return await _status(
        request,
        number if isinstance(number, str) else "",
        phone if isinstance(phone, str) else "",
    )


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


__all__ = [
    "FORM_COOKIE",
    "FORM_KEY",
    "FORM_SECRET_NAME",
    "FORM_TTL",
    "CitizenFormContext",
    "FormError",
    "FormValues",
    "add_citizen_form_routes",
    "check_token",
    "file_from_form",
    "issue_token",
    "lookup_status",
]
