"""What every dashboard route shares: the context, the viewer, responses and the guard.

Who may use the dashboard, how a request's viewer is found (signed session
cookie, person re-loaded) and how POSTs are checked (CSRF token bound to the
login) are described in :mod:`bot.web.dashboard`; this module implements
them, with ``/login`` and ``/logout``, and the small response helpers and the
month picker the pages share.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.runtime.assembly import Runtime
from bot.services.cases import CaseService
from bot.services.diary import local_today
from bot.services.people import role_title
from bot.web import dashboard_data as data
from bot.web.access import AccessPolicy, Visibility
from bot.web.auth import (
    SESSION_COOKIE,
    LoginError,
    SessionSigner,
    WebSession,
    cookie_settings,
    redeem_login_token,
    revoke_session,
    session_person,
    session_signer,
)
from bot.web.dashboard_layout import ViewerInfo, message_page
from bot.web.html import SECURITY_HEADERS, Page, html_response, read_form
from storage.models import Person

log = logging.getLogger(__name__)

#: Policies that may use the dashboard.
DASHBOARD_VISIBILITY = frozenset({Visibility.UNITS, Visibility.ALL})


@dataclass
class DashboardContext:
    """What the dashboard routes need."""

    runtime: Runtime
    public_url: str
    _signer: SessionSigner | None = field(default=None, init=False, repr=False)

    @property
    def secure(self) -> bool:
        """Whether cookies are marked Secure (the public URL is https)."""
        return self.public_url.lower().startswith("https://")

    @property
    def cases(self) -> CaseService:
        """The case service."""
        return self.runtime.cases

    @property
    def tz(self) -> ZoneInfo:
        """The district's time zone."""
        return self.runtime.cases.tz

    async def signer(self) -> SessionSigner:
        """The session signer (the installation secret is read once)."""
        if self._signer is None:
            self._signer = await session_signer(self.runtime.db)
        return self._signer

    def today(self) -> date:
        """The district's calendar date now."""
        return local_today(self.runtime.clock.now(), self.tz)


DASHBOARD_KEY: web.AppKey[DashboardContext] = web.AppKey("minqing_dashboard", DashboardContext)


@dataclass(frozen=True)
class Viewer:
    """The logged-in person of one request."""

    person: Person
    policy: AccessPolicy
    session: WebSession
    csrf: str

    def info(self, ctx: DashboardContext) -> ViewerInfo:
        """What the layout shows about the viewer."""
        unit_id = self.person.unit_id or ""
        unit = ctx.runtime.district.units.get(unit_id)
        return ViewerInfo(
            name=self.person.name,
            role=role_title(self.person.role, unit.kind if unit else None),
            unit_name=unit.name if unit else unit_id,
            district_user=self.policy.sees_everything,
            csrf=self.csrf,
        )


ViewerHandler = Callable[[web.Request, DashboardContext, Viewer], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- responses -------------------------------------------------------------------------------


def message(
    request: web.Request, title: str, text: str, status: int, *, clear_cookie: bool = False
) -> web.Response:
    link = ("/dashboard", "返回工作台") if status in (403, 404, 409) else None
    response = html_response(request, message_page(title, text, link=link), status=status)
    if clear_cookie:
        response.del_cookie(SESSION_COOKIE, path="/")
    return response


def not_found(request: web.Request) -> web.Response:
    return message(request, "未找到", "没有找到该页面或案件，或者您无权查看。", 404)


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={**SECURITY_HEADERS, "Location": location})


def page(request: web.Request, page: Page, status: int = 200) -> web.Response:
    return html_response(request, page, status=status)


def csv_response(body: bytes, filename: str) -> web.Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"; '
        f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(body=body, content_type="text/csv", charset="utf-8", headers=headers)


def form_field(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def parse_int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 18:
        return None
    return int(text.strip())


# --- authentication --------------------------------------------------------------------------


async def authenticate(request: web.Request, ctx: DashboardContext) -> Viewer | web.Response:
    """The viewer of ``request``, or the page that refuses them."""
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return message(
            request, "请先登录", "请在机器人中发送 /web 获取登录链接，点击链接即可登录。", 401
        )
    now = ctx.runtime.clock.now()
    signer = await ctx.signer()
    signed = signer.verify(value, now)
    person = await session_person(ctx.runtime.db, value, now) if signed else None
    if signed is None or person is None:
        return message(
            request,
            "请重新登录",
            "登录已过期或账号已停用。请在机器人中发送 /web 重新获取登录链接。",
            401,
            clear_cookie=True,
        )
    policy = AccessPolicy.for_person(person, ctx.runtime.district)
    if policy.visibility not in DASHBOARD_VISIBILITY:
        return message(
            request,
            "无权使用",
            "网页工作台供负责人（站长、主任）、工作人员和群工办使用。",
            403,
            clear_cookie=True,
        )
    return Viewer(person=person, policy=policy, session=signed, csrf=signer.csrf_token(signed))


def guarded(handler: ViewerHandler, *, district_only: bool = False) -> Handler:
    """Wrap a route: a logged-in dashboard user, and on POST a valid CSRF token."""

    async def route(request: web.Request) -> web.StreamResponse:
        ctx = request.app[DASHBOARD_KEY]
        viewer = await authenticate(request, ctx)
        if isinstance(viewer, web.Response):
            return viewer
        if request.method == "POST":
            token = form_field(await read_form(request), "csrf_token")
            if not token or not (await ctx.signer()).check_csrf(viewer.session, token):
                log.warning("dashboard: CSRF token refused for person %s", viewer.person.id)
                return message(
                    request,
                    "无法提交",
                    "页面已过期或来源无法验证，未做任何更改。请刷新页面后重试。",
                    403,
                )
        if district_only and not viewer.policy.sees_everything:
            return message(request, "无权查看", "该页面仅供群工办及各中心使用。", 403)
        return await handler(request, ctx, viewer)

    return route


async def handle_login(request: web.Request) -> web.StreamResponse:
    """GET /login?token=…: use the link once, set the session cookie, go to the dashboard."""
    ctx = request.app[DASHBOARD_KEY]
    token = request.query.get("token", "")
    if not token:
        return message(
            request, "登录", "请在机器人中发送 /web 获取登录链接，点击链接即可登录。", 400
        )
    now = ctx.runtime.clock.now()
    try:
        person_id = await redeem_login_token(ctx.runtime.db, token, now)
    except LoginError as exc:
        log.info("dashboard login refused: %s", exc.reason)
        status = 410 if exc.reason in ("used", "expired") else 403
        return message(request, "无法登录", exc.message, status)
    signer = await ctx.signer()
    value = signer.issue(person_id, now)
    person = await session_person(ctx.runtime.db, value, now)
    policy = AccessPolicy.for_person(person, ctx.runtime.district) if person else None
    if policy is None or policy.visibility not in DASHBOARD_VISIBILITY:
        return message(
            request, "无权使用", "网页工作台供负责人（站长、主任）、工作人员和群工办使用。", 403
        )
    response = redirect("/dashboard")
    response.set_cookie(SESSION_COOKIE, value, **cookie_settings(secure=ctx.secure))
    log.info("dashboard login: person %s", person_id)
    return response


async def handle_logout(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /logout: the session is revoked server-side, then the cookie deleted."""
    value = request.cookies.get(SESSION_COOKIE)
    if value:
        await revoke_session(ctx.runtime.db, value, ctx.runtime.clock.now())
    log.info("dashboard logout: person %s", viewer.person.id)
    response = html_response(
        request,
        message_page("已退出", "您已退出网页工作台。需要时请在机器人中发送 /web 重新登录。"),
    )
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


# --- months ---------------------------------------------------------------------------------


def month_of(ctx: DashboardContext, text: str | None) -> tuple[int, int, str | None]:
    today = ctx.today()
    try:
        year, month = data.parse_month(text, today)
    except ValueError as exc:
        return today.year, today.month, str(exc)
    return year, month, None


def month_choices(ctx: DashboardContext) -> list[str]:
    """The months offered in the month picker: the last two years, newest first."""
    today = ctx.today()
    months = data.previous_months(today.year, today.month, 24)
    return [data.month_label(y, m) for y, m in reversed(months)]


def neighbours(year: int, month: int) -> tuple[str, str]:
    prev = data.previous_months(year, month, 2)[0]
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return data.month_label(*prev), data.month_label(*nxt)
