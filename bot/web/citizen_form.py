"""A plain web form for citizens without Telegram: report a problem, follow it up.

Routes::

    GET  /report            the form (Chinese, mobile-friendly, no JavaScript)
    POST /report/preview    "which office?": classify and show the office; files nothing
    POST /report            file the request (CSRF-checked); shows number and deadline
    GET  /report/status     ?number=MQ… : the look-up form (and, see below, the status)
    POST /report/status     number + phone: the case's status and public timeline

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
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.services.cases import MAX_TEXT, CaseService, CaseView, Preview, RequestDraft
from bot.services.clock import Clock
from bot.services.keys import installation_secret
from bot.services.lifecycle import CaseError, status_label
from bot.services.notifications import EVENT_LABELS, fmt_duration, fmt_time
from bot.web.html import Markup, attrs, html_response, join, page, read_form, render
from bot.web.people import ContactError, clean_name, clean_phone, create_web_reporter, phone_digits
from config.district import District, UnitKind
from nlp import mask_sensitive
from storage.db import Database
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case
from storage.state import delete_state, get_state, put_state

log = logging.getLogger(__name__)

#: The installation secret that signs form tokens.
FORM_SECRET_NAME = "web_form"
#: The browser nonce cookie.
FORM_COOKIE = "minqing_form"
#: How long a rendered form may be submitted.
FORM_TTL = timedelta(hours=2)
#: ``bot_state`` kind that records which form filed which case.
FORM_STATE_KIND = "web_form"
MAX_ADDRESS = 200
SITE_NAME = "群众诉求在线反映"
#: Unit kinds a citizen may pick as the place of the problem (属地).
PLACE_KINDS = frozenset({UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM})
#: Timeline events shown to the public.
PUBLIC_EVENTS = (
    "registered",
    "dispatched",
    "acknowledged",
    "in_progress",
    "resolved",
    "returned",
    "followed_up",
    "reopened",
    "closed",
    "escalated",
)

#: Statuses in which the bureau's work is done (the result is shown).
_DONE = frozenset({CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED})

_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
_TOKEN_RE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$")
_NUMBER_RE = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


# --- context ----------------------------------------------------------------------------


@dataclass
class CitizenFormContext:
    """What the citizen form needs from the running service."""

    cases: CaseService
    db: Database
    district: District
    clock: Clock
    #: Mark cookies ``Secure`` (set when the site is served over HTTPS).
    secure_cookies: bool = False
    _secret: bytes | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_service(
        cls, cases: CaseService, *, secure_cookies: bool = False
    ) -> CitizenFormContext:
        """A context sharing the case service's database, district and clock."""
        return cls(
            cases=cases,
            db=cases.db,
            district=cases.district,
            clock=cases.clock,
            secure_cookies=secure_cookies,
        )

    @property
    def tz(self) -> ZoneInfo:
        """The district's time zone."""
        return self.cases.tz

    async def form_secret(self) -> bytes:
        """The installation secret for form tokens (read once, then cached)."""
        if self._secret is None:
            self._secret = await installation_secret(self.db, FORM_SECRET_NAME)
        return self._secret


FORM_KEY: web.AppKey[CitizenFormContext] = web.AppKey("minqing_citizen_form", CitizenFormContext)


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


# --- the service side ------------------------------------------------------------------


class FormError(ValueError):
    """Input the form cannot take; ``message`` is shown above the form (Chinese)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class FormValues:
    """What the citizen typed (kept to show the form again)."""

    text: str = ""
    address: str = ""
    name: str = ""
    phone: str = ""
    place: str = ""

    @classmethod
    def from_post(cls, data: Mapping[str, Any]) -> FormValues:
        """The text fields of a posted form (anything else is ignored)."""

        def get(key: str) -> str:
            value = data.get(key, "")
            return value if isinstance(value, str) else ""

        return cls(
            text=get("text").replace("\r\n", "\n"),
            address=get("address"),
            name=get("name"),
            phone=get("phone"),
            place=get("place"),
        )


def places(district: District) -> list[tuple[str, str]]:
    """Communities and residential areas to choose from: ``(unit id, label)``."""
    out: list[tuple[str, str]] = []
    for unit in district.units.values():
        if unit.kind in PLACE_KINDS:
            parent = district.units.get(unit.parent_id) if unit.parent_id else None
            out.append((unit.id, f"{parent.name} · {unit.name}" if parent else unit.name))
    return out


def check_text(text: str) -> str:
    """The description, trimmed.

    Raises:
        FormError: empty or longer than :data:`bot.services.cases.MAX_TEXT` characters.
    """
    cleaned = text.strip()
    if not cleaned:
        raise FormError("请填写您要反映的问题。")
    if len(cleaned) > MAX_TEXT:
        raise FormError(f"内容过长：最多{MAX_TEXT}字，您填写了{len(cleaned)}字。请精简后再提交。")
    return cleaned


def build_draft(ctx: CitizenFormContext, values: FormValues) -> RequestDraft:
    """Check every field and build the request.

    Raises:
        FormError: the first problem found.
    """
    text = check_text(values.text)
    address = " ".join(values.address.split())
    if len(address) > MAX_ADDRESS:
        raise FormError(f"地址请控制在{MAX_ADDRESS}字以内。")
    place = values.place.strip() or None
    if place is not None and (
        place not in ctx.district.units or ctx.district.units[place].kind not in PLACE_KINDS
    ):
        raise FormError("请从列表中选择所在社区。")
    try:
        name = clean_name(values.name)
        phone = clean_phone(values.phone)
    except ContactError as exc:
        raise FormError(exc.message) from None
    return RequestDraft(
        text=text,
        address=address or None,
        territorial_unit_id=place,
        contact_name=name,
        contact_phone=phone,
    )


def preview_request(ctx: CitizenFormContext, values: FormValues) -> Preview:
    """Which office would handle the text; files nothing.

    Raises:
        FormError: empty or too long text.
    """
    text = check_text(values.text)
    try:
        return ctx.cases.preview(text)
    except CaseError as exc:
        raise FormError(exc.message) from None


@dataclass(frozen=True)
class Filed:
    """A request filed from the form (or found again for a repeated form)."""

    view: CaseView
    repeated: bool = False


async def _claim_form(ctx: CitizenFormContext, form_id: str) -> dict[str, Any] | None:
    """Claim a form id before filing; the stored record if it was used already."""
    try:
        async with ctx.db.session() as s:
            used = await get_state(s, FORM_STATE_KIND, "", form_id)
            if used is not None:
                return dict(used) if isinstance(used, dict) else {}
            await put_state(s, FORM_STATE_KIND, "", form_id, {"case_id": None})
    except IntegrityError:  # the same form arrived twice at the same moment
        return {}
    return None


async def file_from_form(ctx: CitizenFormContext, form_id: str, values: FormValues) -> Filed:
    """File the request of one form, at most once per form id.

    Raises:
        FormError: bad input, or the same form is being filed right now.
    """
    draft = build_draft(ctx, values)
    used = await _claim_form(ctx, form_id)
    if used is not None:
        case_id, reporter_id = used.get("case_id"), used.get("reporter_id")
        if isinstance(case_id, int) and isinstance(reporter_id, int):
            view = await ctx.cases.get_case_view(case_id, reporter_id)
            return Filed(view=view, repeated=True)
        raise FormError("此表单正在提交或已提交，请勿重复提交。")
    try:
        reporter_id = await create_web_reporter(ctx.db, draft.contact_name, draft.contact_phone)
        view = await ctx.cases.file_request(reporter_id, draft, Channel.WEB)
    except CaseError as exc:
        async with ctx.db.session() as s:
            await delete_state(s, FORM_STATE_KIND, "", form_id)
        raise FormError(exc.message) from None
    async with ctx.db.session() as s:
        await put_state(
            s, FORM_STATE_KIND, "", form_id, {"case_id": view.id, "reporter_id": reporter_id}
        )
    log.info("web form: filed %s", view.number)
    return Filed(view=view)


@dataclass(frozen=True)
class PublicStep:
    """One step of a case's public timeline."""

    at: datetime
    label: str
    unit_name: str
    note: str | None


@dataclass(frozen=True)
class StatusResult:
    """What the status page may show about one case.

    ``detailed`` is True only when the number and the phone matched; then
    ``steps`` and ``resolution_note`` are filled.
    """

    number: str
    status: str
    status_label: str
    owning_unit_name: str
    created_at: datetime
    resolve_due_at: datetime | None
    resolved_at: datetime | None
    detailed: bool
    text: str | None = None
    resolution_note: str | None = None
    steps: tuple[PublicStep, ...] = ()


async def lookup_status(
    ctx: CitizenFormContext, number: str, phone: str | None
) -> StatusResult | None:
    """A citizen's request by case number, as much as the given phone allows.

    Returns None — the same for an unknown number, an early warning and a
    wrong or missing phone — when nothing may be shown.
    """
    number = number.strip().upper()
    if not _NUMBER_RE.match(number):
        return None
    async with ctx.db.session() as s:
        case = await s.scalar(
            select(Case).where(Case.number == number, Case.kind == CaseKind.REQUEST.value)
        )
    if case is None:
        return None
    base = StatusResult(
        number=case.number or str(case.id),
        status=case.status,
        status_label=status_label(case.status),
        owning_unit_name=ctx.cases.unit_name(case.owning_unit_id),
        created_at=case.created_at,
        resolve_due_at=case.resolve_due_at,
        resolved_at=case.resolved_at,
        detailed=False,
    )
    if not case.contact_phone:
        return base
    given = phone_digits(phone)
    stored = phone_digits(case.contact_phone)
    if not given or not hmac.compare_digest(given.encode(), stored.encode()):
        return None
    entries = await ctx.cases.timeline(case.id)
    steps = tuple(
        PublicStep(
            at=e.at,
            label=EVENT_LABELS.get(e.type, e.type),
            unit_name=e.unit_name,
            note=mask_sensitive(e.note) if e.note and e.type == "resolved" else None,
        )
        for e in entries
        if e.type in PUBLIC_EVENTS
    )
    note = case.resolution_note if case.status in _DONE else None
    return replace(
        base,
        detailed=True,
        text=mask_sensitive(case.original_text),
        resolution_note=mask_sensitive(note) if note else None,
        steps=steps,
    )


# --- rendering ---------------------------------------------------------------------------


def _layout(title: str, body: Markup) -> Markup:
    return page(
        title,
        body,
        site_name=SITE_NAME,
        home="/report",
        footer="请勿在问题描述中填写身份证号等敏感信息。紧急情况请直接拨打110、119、120。",
    )


def _error_box(message: str | None) -> Markup:
    return render('<div class="error" role="alert">{m}</div>', m=message) if message else Markup("")


def render_form(
    ctx: CitizenFormContext,
    token: str,
    values: FormValues | None = None,
    *,
    error: str | None = None,
    preview: Preview | None = None,
) -> Markup:
    """The report form (with a preview answer above it, if any)."""
    values = values or FormValues()
    options = [render('<option value="">（不选）</option>')]
    for unit_id, label in places(ctx.district):
        options.append(
            render(
                "<option {a}>{label}</option>",
                a=attrs(value=unit_id, selected=unit_id == values.place),
                label=label,
            )
        )
    form = render(
        '<form class="card" method="post" action="/report">\n'
        '<input type="hidden" name="csrf_token" value="{token}">\n'
        '<label for="text">问题描述 <span class="hint">（必填，{max}字以内）</span></label>\n'
        '<textarea id="text" name="text" required maxlength="{max}" '
        'placeholder="请说明发生了什么、在哪里、持续多久，以及您希望怎样解决。">{text}</textarea>\n'
        '<label for="place">所在社区 <span class="hint">（可选）</span></label>\n'
        '<select id="place" name="place">{options}</select>\n'
        '<label for="address">详细地址 <span class="hint">（可选）</span></label>\n'
        '<input id="address" name="address" maxlength="{max_address}" value="{address}">\n'
        '<label for="name">您的称呼 <span class="hint">（可选）</span></label>\n'
        '<input id="name" name="name" maxlength="50" autocomplete="name" value="{name}">\n'
        '<label for="phone">联系电话 <span class="hint">（可选；凭编号和此电话查询办理进度）'
        "</span></label>\n"
        '<input id="phone" name="phone" type="tel" maxlength="32" autocomplete="tel" '
        'value="{phone}">\n'
        '<button type="submit">提交诉求</button>'
        '<button type="submit" class="secondary" formaction="/report/preview">'
        "先看看由哪个部门办理</button>\n"
        "</form>",
        token=token,
        max=MAX_TEXT,
        max_address=MAX_ADDRESS,
        text=values.text,
        options=join(options),
        address=values.address,
        name=values.name,
        phone=values.phone,
    )
    body = render(
        "<h1>反映问题</h1>\n"
        '<p class="muted">{district}群众工作网络。提交后您会得到一个案件编号，'
        '可在<a href="/report/status">进度查询</a>页面查看办理情况。</p>\n'
        "{error}{preview}{form}",
        district=ctx.district.name,
        error=_error_box(error),
        preview=render_preview(preview) if preview else Markup(""),
        form=form,
    )
    return _layout("反映问题", body)


def render_preview(p: Preview) -> Markup:
    """The "which office?" answer."""
    if p.room_name:
        office = p.room_name + (f" · {p.bureau_name}" if p.bureau_name else "")
    else:
        office = "暂时无法确定，提交后由群众服务中心人工分派"
    rows = [render("<dt>承办部门</dt><dd>{v}</dd>", v=office)]
    for label, value in (("办公地点", p.address), ("办公时间", p.hours), ("联系电话", p.phone)):
        if value:
            rows.append(render("<dt>{k}</dt><dd>{v}</dd>", k=label, v=value))
    if p.keywords:
        rows.append(render("<dt>判断依据</dt><dd>{v}</dd>", v="、".join(p.keywords)))
    unsure = (
        render(
            '<p class="muted">{t}</p>', t="系统不太确定，提交后工作人员会核实并分派给合适的部门。"
        )
        if p.unsure and p.room_name
        else Markup("")
    )
    return render(
        '<section class="card"><h2>预计由以下部门办理</h2><dl>{rows}</dl>{unsure}'
        '<p class="muted">尚未提交。确认无误后请点击下方“提交诉求”。</p></section>',
        rows=join(rows),
        unsure=unsure,
    )


def _deadline_text(ctx: CitizenFormContext, view: CaseView) -> str:
    if view.status in (CaseStatus.REGISTERED, CaseStatus.RETURNED):
        resolve = ctx.district.deadlines[view.priority].resolve
        return f"正在分派承办单位，派单后{fmt_duration(resolve)}内办结"
    return fmt_time(view.resolve_due_at, ctx.tz)


def status_link(number: str) -> str:
    """The status page of a case number."""
    return "/report/status?" + urlencode({"number": number})


def render_filed(ctx: CitizenFormContext, filed: Filed) -> Markup:
    """The confirmation after filing."""
    view = filed.view
    notice = "此表单已提交过，以下是已登记的诉求。" if filed.repeated else "您的诉求已登记。"
    phone_hint = (
        "查询时请输入您填写的联系电话。"
        if view.contact_phone
        else "您没有填写联系电话，凭编号只能查看办理状态。"
    )
    body = render(
        '<div class="ok" role="status">{notice}</div>\n'
        '<section class="card"><dl>'
        "<dt>案件编号</dt><dd><strong>{number}</strong>（请记下此编号）</dd>"
        "<dt>承办单位</dt><dd>{unit}</dd>"
        "<dt>办结时限</dt><dd>{deadline}</dd>"
        "</dl>\n"
        '<p><a href="{link}">查询办理进度</a>。{phone_hint}</p></section>\n'
        '<p><a href="/report">再反映一个问题</a></p>',
        notice=notice,
        number=view.number,
        unit=view.owning_unit_name,
        deadline=_deadline_text(ctx, view),
        link=status_link(view.number),
        phone_hint=phone_hint,
    )
    return _layout("诉求已登记", body)


def render_lookup(number: str = "", *, error: str | None = None) -> Markup:
    """The look-up form: case number and phone."""
    return render(
        "{error}"
        '<form class="card" method="post" action="/report/status">\n'
        '<label for="number">案件编号</label>\n'
        '<input id="number" name="number" required maxlength="32" value="{number}" '
        'placeholder="例如 MQ20260303-0007">\n'
        '<label for="phone">联系电话 <span class="hint">（提交时填写的电话）</span></label>\n'
        '<input id="phone" name="phone" type="tel" maxlength="32" autocomplete="tel">\n'
        '<button type="submit">查询</button>\n</form>',
        error=_error_box(error),
        number=number,
    )


def render_status_page(
    ctx: CitizenFormContext,
    number: str,
    result: StatusResult | None,
    *,
    asked: bool,
) -> Markup:
    """The status page: the result (if any), then the look-up form."""
    parts: list[Markup] = [render("<h1>办理进度查询</h1>")]
    error = None
    if asked and result is None:
        error = "没有找到与该编号和电话相符的诉求。请核对案件编号和提交时填写的联系电话。"
    elif number and result is None:
        parts.append(render('<p class="muted">{t}</p>', t="请输入提交时填写的联系电话后查询。"))
    if result is not None:
        parts.append(render_result(ctx, result))
    if result is None or not result.detailed:
        parts.append(render_lookup(number, error=error))
    return _layout("办理进度查询", join(parts))


def render_result(ctx: CitizenFormContext, r: StatusResult) -> Markup:
    """One case's status (and, when detailed, its text, result and timeline)."""
    rows = [
        render("<dt>案件编号</dt><dd>{v}</dd>", v=r.number),
        render("<dt>当前状态</dt><dd><strong>{v}</strong></dd>", v=r.status_label),
        render("<dt>承办单位</dt><dd>{v}</dd>", v=r.owning_unit_name),
        render("<dt>登记时间</dt><dd>{v}</dd>", v=fmt_time(r.created_at, ctx.tz)),
    ]
    if r.resolve_due_at is not None and r.status not in _DONE:
        rows.append(render("<dt>办结时限</dt><dd>{v}</dd>", v=fmt_time(r.resolve_due_at, ctx.tz)))
    if r.resolved_at is not None and r.status in _DONE:
        rows.append(render("<dt>办结时间</dt><dd>{v}</dd>", v=fmt_time(r.resolved_at, ctx.tz)))
    if r.detailed and r.text:
        rows.append(render("<dt>反映内容</dt><dd>{v}</dd>", v=r.text))
    if r.resolution_note:
        rows.append(render("<dt>办理结果</dt><dd>{v}</dd>", v=r.resolution_note))
    extra: list[Markup] = []
    if r.detailed and r.steps:
        items = [
            render(
                "<li>{at} {label}{unit}{note}</li>",
                at=fmt_time(s.at, ctx.tz),
                label=s.label,
                unit=f"（{s.unit_name}）" if s.unit_name else "",
                note=f"：{s.note}" if s.note else "",
            )
            for s in r.steps
        ]
        extra.append(render('<h2>办理过程</h2><ol class="timeline">{i}</ol>', i=join(items)))
    if not r.detailed:
        extra.append(
            render('<p class="muted">{t}</p>', t="为保护隐私，未登记联系电话的诉求只显示办理状态。")
        )
    return render(
        '<section class="card"><dl>{rows}</dl>{extra}</section>',
        rows=join(rows),
        extra=join(extra),
    )


def render_forbidden() -> Markup:
    """The page for a missing, forged or expired form token."""
    return _layout(
        "无法提交",
        render(
            "<h1>无法提交</h1>"
            '<div class="error" role="alert">{t}</div>'
            '<p><a href="/report">重新打开表单</a></p>',
            t="页面已过期或来源无法验证，您的诉求未提交。请重新打开表单后再提交。",
        ),
    )


# --- routes --------------------------------------------------------------------------------


def _cookie_nonce(request: web.Request) -> str | None:
    value = request.cookies.get(FORM_COOKIE)
    return value if value and _NONCE_RE.match(value) else None


async def _form_response(
    request: web.Request,
    render_page: Callable[[str], Markup],
    *,
    status: int = 200,
) -> web.Response:
    """Render a page that contains the form, with a fresh token bound to the browser."""
    ctx = request.app[FORM_KEY]
    nonce = _cookie_nonce(request) or new_nonce()
    token = issue_token(await ctx.form_secret(), nonce, ctx.clock.now())
    response = html_response(render_page(token), status=status)
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
        return html_response(render_forbidden(), status=403)
    values = FormValues.from_post(data)
    try:
        filed = await file_from_form(ctx, form_id, values)
    except FormError as exc:
        message = exc.message
        return await _form_response(
            request,
            lambda token: render_form(ctx, token, values, error=message),
            status=400,
        )
    return html_response(render_filed(ctx, filed))


async def _status(request: web.Request, number: str, phone: str | None) -> web.Response:
    ctx = request.app[FORM_KEY]
    if not number.strip():
        return html_response(render_status_page(ctx, "", None, asked=False))
    result = await lookup_status(ctx, number, phone)
    page_ = render_status_page(ctx, number, result, asked=bool(phone and phone.strip()))
    return html_response(page_)


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
    app.router.add_get("/report", handle_form)
    app.router.add_post("/report", handle_submit)
    app.router.add_post("/report/preview", handle_preview)
    app.router.add_get("/report/status", handle_status_get)
    app.router.add_post("/report/status", handle_status_post)
