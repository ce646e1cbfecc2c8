"""The dashboard (民情工作台): station chiefs, staff and the district office on the web.

Routes::

    GET  /login?token=…                 redeem a one-time login link (from the bot's /web)
    POST /logout                        end the session
    GET  /dashboard                     open cases of the viewer's units, overdue first
    GET  /dashboard/cases/{id}          the case card, the actions and the timeline
    POST /dashboard/cases/{id}/act      签收 / 处理中 / 办结 / 退单 / 上报 / 派单
    GET  /dashboard/overview            the district by station and by room (district users)
    GET  /dashboard/assessment?month=   monthly assessment, ranking and trend
    GET  /dashboard/coverage            network coverage against the seed's targets
    GET  /dashboard/diary?month=        diary compliance; POST files an entry
    GET  /dashboard/files               residential files; /dashboard/files/{unit} one file
    POST /dashboard/files/{unit}        save one section (with the revision it started from)
    GET  /dashboard/export/cases.csv    the viewer's cases (UTF-8 with BOM)
    GET  /dashboard/export/scores.csv?month=

Decisions:

* **Who.** Every request reads the signed session cookie, re-loads the person
  (:func:`bot.web_auth.session_person`: still active, still bound) and builds
  an :class:`~bot.web_auth.AccessPolicy`. Only policies that see units
  (chiefs, staff, admins, the district office) may use the dashboard;
  citizens and information officers are refused (403) — a login link of
  theirs is used up but sets no cookie.
* **What.** The case list and the CSV are filtered in SQL by the policy; a
  case outside it answers 404 exactly like a case that does not exist. The
  actions are those :meth:`bot.cases.CaseService.actions_for` allows (a street
  chief may read a community's case but acts only once it is escalated to
  them); the service checks again. Identities are masked where the policy
  says so.
* **Forms.** Every POST carries the session's CSRF token (bound to this
  login); a wrong or missing token changes nothing (403). Successful POSTs
  redirect (303) to a page with a fixed message, so a reload repeats nothing.
  Case actions send the version the page was drawn at: a stale page gets a
  message and the current card (409), never a crash.
* **Cookies.** HttpOnly, SameSite=Lax, ``Secure`` when the public URL
  (``Settings.public_url``, from ``MINQING_PUBLIC_URL``) is https.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.callbacks import CaseAction
from bot.cases import CaseService
from bot.diary import DiaryError, add_entry, compliance, list_entries, local_today
from bot.lifecycle import CaseError
from bot.organisation import Coverage, coverage
from bot.residential_files import (
    SECTIONS,
    ResidentialFileError,
    SectionRevision,
    can_edit_file,
    edit_section,
    file_coverage,
    get_file,
    readable_files,
    section_history,
)
from bot.runtime import Runtime
from bot.web import dashboard_data as data
from bot.web import dashboard_pages as pages
from bot.web.html import SECURITY_HEADERS, Page, html_response, read_form, setup_templates
from bot.web_auth import (
    LOGIN_PATH,
    SESSION_COOKIE,
    AccessPolicy,
    LoginError,
    SessionSigner,
    Visibility,
    WebSession,
    cookie_settings,
    redeem_login_token,
    session_person,
    session_signer,
)
from storage.enums import Channel, ResidentialSection
from storage.models import Case, Person

log = logging.getLogger(__name__)

#: Policies that may use the dashboard.
DASHBOARD_VISIBILITY = frozenset({Visibility.UNITS, Visibility.ALL})
#: Case actions the web offers (choosing a room is a Telegram-only shortcut).
WEB_ACTIONS = (
    CaseAction.ACKNOWLEDGE,
    CaseAction.START,
    CaseAction.RESOLVE,
    CaseAction.RETURN,
    CaseAction.ESCALATE,
    CaseAction.DISPATCH,
)
_ERROR_STATUS = {
    "stale": 409,
    "illegal_transition": 409,
    "top": 409,
    "forbidden": 403,
    "not_found": 404,
    "bad_input": 400,
}


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

    def info(self, ctx: DashboardContext) -> pages.ViewerInfo:
        """What the layout shows about the viewer."""
        unit_id = self.person.unit_id or ""
        unit = ctx.runtime.district.units.get(unit_id)
        return pages.ViewerInfo(
            name=self.person.name,
            role=self.person.role,
            unit_name=unit.name if unit else unit_id,
            district_user=self.policy.sees_everything,
            csrf=self.csrf,
        )


ViewerHandler = Callable[[web.Request, DashboardContext, Viewer], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- responses -------------------------------------------------------------------------------


def _message(
    request: web.Request, title: str, text: str, status: int, *, clear_cookie: bool = False
) -> web.Response:
    link = ("/dashboard", "返回工作台") if status in (403, 404, 409) else None
    response = html_response(request, pages.message_page(title, text, link=link), status=status)
    if clear_cookie:
        response.del_cookie(SESSION_COOKIE, path="/")
    return response


def _not_found(request: web.Request) -> web.Response:
    return _message(request, "未找到", "没有找到该页面或案件，或者您无权查看。", 404)


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={**SECURITY_HEADERS, "Location": location})


def _page(request: web.Request, page: Page, status: int = 200) -> web.Response:
    return html_response(request, page, status=status)


def _csv(body: bytes, filename: str) -> web.Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"; '
        f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(body=body, content_type="text/csv", charset="utf-8", headers=headers)


def _field(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 18:
        return None
    return int(text.strip())


# --- authentication --------------------------------------------------------------------------


async def _authenticate(request: web.Request, ctx: DashboardContext) -> Viewer | web.Response:
    """The viewer of ``request``, or the page that refuses them."""
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return _message(
            request, "请先登录", "请在机器人中发送 /web 获取登录链接，点击链接即可登录。", 401
        )
    now = ctx.runtime.clock.now()
    signer = await ctx.signer()
    signed = signer.verify(value, now)
    person = await session_person(ctx.runtime.db, value, now) if signed else None
    if signed is None or person is None:
        return _message(
            request,
            "请重新登录",
            "登录已过期或账号已停用。请在机器人中发送 /web 重新获取登录链接。",
            401,
            clear_cookie=True,
        )
    policy = AccessPolicy.for_person(person, ctx.runtime.district)
    if policy.visibility not in DASHBOARD_VISIBILITY:
        return _message(
            request, "无权使用", "网页工作台供站长、工作人员和群工办使用。", 403, clear_cookie=True
        )
    return Viewer(person=person, policy=policy, session=signed, csrf=signer.csrf_token(signed))


def guarded(handler: ViewerHandler, *, district_only: bool = False) -> Handler:
    """Wrap a route: a logged-in dashboard user, and on POST a valid CSRF token."""

    async def route(request: web.Request) -> web.StreamResponse:
        ctx = request.app[DASHBOARD_KEY]
        viewer = await _authenticate(request, ctx)
        if isinstance(viewer, web.Response):
            return viewer
        if request.method == "POST":
            token = _field(await read_form(request), "csrf_token")
            if not token or not (await ctx.signer()).check_csrf(viewer.session, token):
                log.warning("dashboard: CSRF token refused for person %s", viewer.person.id)
                return _message(
                    request,
                    "无法提交",
                    "页面已过期或来源无法验证，未做任何更改。请刷新页面后重试。",
                    403,
                )
        if district_only and not viewer.policy.sees_everything:
            return _message(request, "无权查看", "该页面仅供群工办及各中心使用。", 403)
        return await handler(request, ctx, viewer)

    return route


async def handle_login(request: web.Request) -> web.StreamResponse:
    """GET /login?token=…: use the link once, set the session cookie, go to the dashboard."""
    ctx = request.app[DASHBOARD_KEY]
    token = request.query.get("token", "")
    if not token:
        return _message(
            request, "登录", "请在机器人中发送 /web 获取登录链接，点击链接即可登录。", 400
        )
    now = ctx.runtime.clock.now()
    try:
        person_id = await redeem_login_token(ctx.runtime.db, token, now)
    except LoginError as exc:
        log.info("dashboard login refused: %s", exc.reason)
        status = 410 if exc.reason in ("used", "expired") else 403
        return _message(request, "无法登录", exc.message, status)
    signer = await ctx.signer()
    value = signer.issue(person_id, now)
    person = await session_person(ctx.runtime.db, value, now)
    policy = AccessPolicy.for_person(person, ctx.runtime.district) if person else None
    if policy is None or policy.visibility not in DASHBOARD_VISIBILITY:
        return _message(request, "无权使用", "网页工作台供站长、工作人员和群工办使用。", 403)
    response = _redirect("/dashboard")
    response.set_cookie(SESSION_COOKIE, value, **cookie_settings(secure=ctx.secure))
    log.info("dashboard login: person %s", person_id)
    return response


async def handle_logout(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /logout."""
    log.info("dashboard logout: person %s", viewer.person.id)
    response = html_response(
        request,
        pages.message_page("已退出", "您已退出网页工作台。需要时请在机器人中发送 /web 重新登录。"),
    )
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


# --- cases -----------------------------------------------------------------------------------


async def handle_cases(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard."""
    flt = data.CaseFilter.parse(request.query.get("status"), request.query.get("kind"))
    views, cut = await data.visible_cases(ctx.cases, viewer.policy, flt)
    ok = pages.FLASH.get(request.query.get("ok", ""))
    return _page(
        request, pages.case_list_page(viewer.info(ctx), views, flt, ctx.tz, cut=cut, ok=ok)
    )


def _action_forms(ctx: DashboardContext, viewer: Viewer, case: Case) -> list[pages.ActionForm]:
    allowed = ctx.cases.actions_for(viewer.person, case)
    district = ctx.runtime.district
    targets = [
        (bureau.id, f"{district.rooms[bureau.room_id].name} · {bureau.name}")
        for bureau in district.bureaus.values()
    ]
    return [
        pages.ActionForm(act, targets if act is CaseAction.DISPATCH else ())
        for act in WEB_ACTIONS
        if act in allowed
    ]


async def _case_response(
    request: web.Request,
    ctx: DashboardContext,
    viewer: Viewer,
    case: Case,
    *,
    status: int = 200,
    ok: str | None = None,
    error: str | None = None,
    note: str = "",
) -> web.Response:
    view = ctx.cases.view(case, masked=not viewer.policy.can_see_identity(case))
    entries = await ctx.cases.timeline(case.id)
    names = {uid: u.name for uid, u in ctx.runtime.district.units.items()}
    document = pages.case_page(
        viewer.info(ctx),
        view,
        entries,
        _action_forms(ctx, viewer, case),
        ctx.tz,
        names,
        ok=ok,
        error=error,
        note=note,
    )
    return _page(request, document, status)


async def handle_case(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/cases/{id}."""
    case_id = _int(request.match_info["case_id"])
    case = await data.visible_case(ctx.cases, viewer.policy, case_id) if case_id else None
    if case is None:
        return _not_found(request)
    return await _case_response(
        request, ctx, viewer, case, ok=pages.FLASH.get(request.query.get("ok", ""))
    )


async def _act(
    ctx: DashboardContext,
    viewer: Viewer,
    case: Case,
    action: str,
    version: int,
    form: Mapping[str, str],
) -> None:
    cases, actor, web_ = ctx.cases, viewer.person.id, Channel.WEB
    note = form.get("note", "")
    if action == CaseAction.ACKNOWLEDGE:
        await cases.acknowledge(case.id, actor, web_, expected_version=version)
    elif action == CaseAction.START:
        await cases.start_progress(case.id, actor, web_, expected_version=version)
    elif action == CaseAction.RESOLVE:
        await cases.resolve(case.id, actor, note, web_, expected_version=version)
    elif action == CaseAction.RETURN:
        await cases.return_case(case.id, actor, note, web_, expected_version=version)
    elif action == CaseAction.ESCALATE:
        await cases.escalate(case.id, actor, note or None, web_, expected_version=version)
    elif action == CaseAction.DISPATCH:
        target = form.get("target", "")
        await cases.dispatch(case.id, actor, target, web_, expected_version=version)
    else:
        raise CaseError("bad_input", "未知的操作。")


async def handle_act(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/cases/{id}/act: one action through the case service (channel web)."""
    case_id = _int(request.match_info["case_id"])
    case = await data.visible_case(ctx.cases, viewer.policy, case_id) if case_id else None
    if case is None:
        return _not_found(request)
    post = await read_form(request)
    form = {k: _field(post, k) for k in ("action", "version", "note", "target")}
    version = _int(form["version"])
    try:
        if version is None:
            raise CaseError("bad_input", "页面缺少版本信息，请刷新后重试。")
        await _act(ctx, viewer, case, form["action"], version, form)
    except CaseError as exc:
        log.info("dashboard action %s on case %s refused: %s", form["action"], case.id, exc.code)
        fresh = await data.visible_case(ctx.cases, viewer.policy, case.id)
        if fresh is None:
            return _not_found(request)
        return await _case_response(
            request,
            ctx,
            viewer,
            fresh,
            status=_ERROR_STATUS.get(exc.code, 400),
            error=exc.message,
            note=form["note"] if form["action"] == CaseAction.RESOLVE else "",
        )
    ctx.runtime.outbox_written()
    log.info("dashboard: person %s did %s on case %s", viewer.person.id, form["action"], case.id)
    still = await data.visible_case(ctx.cases, viewer.policy, case.id)
    if still is None:  # e.g. returned to the desk: no longer the viewer's
        return _redirect(f"/dashboard?ok={form['action']}")
    return _redirect(f"/dashboard/cases/{case.id}?ok={form['action']}")


# --- overview, assessment, coverage ----------------------------------------------------------


async def handle_overview(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/overview (district users)."""
    result = await data.overview(
        ctx.runtime.db, ctx.runtime.district, ctx.runtime.clock.now(), ctx.tz
    )
    return _page(request, pages.overview_page(viewer.info(ctx), result))


def _month(ctx: DashboardContext, text: str | None) -> tuple[int, int, str | None]:
    today = ctx.today()
    try:
        year, month = data.parse_month(text, today)
    except ValueError as exc:
        return today.year, today.month, str(exc)
    return year, month, None


def _month_choices(ctx: DashboardContext) -> list[str]:
    """The months offered in the month picker: the last two years, newest first."""
    today = ctx.today()
    months = data.previous_months(today.year, today.month, 24)
    return [data.month_label(y, m) for y, m in reversed(months)]


def _neighbours(year: int, month: int) -> tuple[str, str]:
    prev = data.previous_months(year, month, 2)[0]
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return data.month_label(*prev), data.month_label(*nxt)


async def handle_assessment(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/assessment?month=YYYY-MM."""
    year, month, error = _month(ctx, request.query.get("month"))
    result = await data.assessment(
        ctx.runtime.db, ctx.runtime.district, viewer.policy, year, month, ctx.tz
    )
    prev, nxt = _neighbours(year, month)
    document = pages.assessment_page(
        viewer.info(ctx),
        result,
        prev=prev,
        nxt=nxt,
        weights=ctx.runtime.district.score_weights,
        months=_month_choices(ctx),
        error=error,
    )
    return _page(request, document, 400 if error else 200)


async def handle_coverage(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/coverage."""
    cover = await coverage(ctx.runtime.db, ctx.runtime.district)
    if not viewer.policy.sees_everything:
        cover = Coverage(units=[u for u in cover.units if viewer.policy.can_see_unit(u.id)])
    return _page(request, pages.coverage_page(viewer.info(ctx), cover))


# --- diary -----------------------------------------------------------------------------------


async def _diary_response(
    request: web.Request,
    ctx: DashboardContext,
    viewer: Viewer,
    month_text: str | None,
    *,
    status: int = 200,
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] = ("", ""),
) -> web.Response:
    year, month, month_error = _month(ctx, month_text)
    unit_id = None if viewer.policy.sees_everything else viewer.person.unit_id
    result = await compliance(ctx.runtime.db, data.month_label(year, month), unit_id, tz=ctx.tz)
    mine = await list_entries(ctx.runtime.db, author_id=viewer.person.id, limit=20)
    prev, nxt = _neighbours(year, month)
    document = pages.diary_page(
        viewer.info(ctx),
        result,
        mine,
        ctx.today(),
        ctx.tz,
        prev=prev,
        nxt=nxt,
        months=_month_choices(ctx),
        ok=ok,
        error=error or month_error,
        draft=draft,
    )
    return _page(request, document, 400 if month_error and status == 200 else status)


async def handle_diary(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/diary?month=YYYY-MM."""
    ok = pages.FLASH.get(request.query.get("ok", ""))
    return await _diary_response(request, ctx, viewer, request.query.get("month"), ok=ok)


async def handle_diary_post(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/diary: the logged-in person's entry (channel web)."""
    post = await read_form(request)
    visited_text, content = _field(post, "visited_on"), _field(post, "content")
    draft = (visited_text, content)
    try:
        visited_on = date.fromisoformat(visited_text.strip())
    except ValueError:
        return await _diary_response(
            request, ctx, viewer, None, status=400, error="请填写走访日期。", draft=draft
        )
    try:
        await add_entry(
            ctx.runtime.db,
            author_id=viewer.person.id,
            visited_on=visited_on,
            content=content,
            channel=Channel.WEB,
            now=ctx.runtime.clock.now(),
            tz=ctx.tz,
        )
    except DiaryError as exc:
        return await _diary_response(
            request, ctx, viewer, None, status=400, error=exc.message, draft=draft
        )
    return _redirect(f"/dashboard/diary?month={visited_on:%Y-%m}&ok=diary")


# --- residential files -----------------------------------------------------------------------


async def handle_files(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/files."""
    district = ctx.runtime.district
    readable = set(readable_files(viewer.person, district))
    cover = await file_coverage(ctx.runtime.db, district)
    units = [u for u in cover.units if u.unit_id in readable]
    return _page(request, pages.files_page(viewer.info(ctx), units, district))


async def _file_response(
    request: web.Request,
    ctx: DashboardContext,
    viewer: Viewer,
    unit_id: str,
    *,
    status: int = 200,
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] | None = None,
) -> web.Response:
    db, district = ctx.runtime.db, ctx.runtime.district
    file = await get_file(db, district, unit_id, viewer_id=viewer.person.id)
    history: dict[ResidentialSection, list[SectionRevision]] = {}
    for section in SECTIONS:
        history[section] = await section_history(
            db, district, unit_id, section, viewer_id=viewer.person.id, limit=20
        )
    document = pages.file_page(
        viewer.info(ctx),
        file,
        history,
        ctx.tz,
        editable=can_edit_file(viewer.person, unit_id, district),
        ok=ok,
        error=error,
        draft=draft,
    )
    return _page(request, document, status)


def _readable(ctx: DashboardContext, viewer: Viewer, unit_id: str) -> bool:
    return unit_id in readable_files(viewer.person, ctx.runtime.district)


async def handle_file(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/files/{unit_id}."""
    unit_id = request.match_info["unit_id"]
    if not _readable(ctx, viewer, unit_id):
        return _not_found(request)
    ok = pages.FLASH.get(request.query.get("ok", ""))
    return await _file_response(request, ctx, viewer, unit_id, ok=ok)


async def handle_file_post(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/files/{unit_id}: save one section."""
    unit_id = request.match_info["unit_id"]
    if not _readable(ctx, viewer, unit_id):
        return _not_found(request)
    post = await read_form(request)
    section, content = _field(post, "section"), _field(post, "content")
    base = _int(_field(post, "base_revision_id"))
    try:
        await edit_section(
            ctx.runtime.db,
            ctx.runtime.district,
            editor_id=viewer.person.id,
            unit_id=unit_id,
            section=section,
            content=content,
            base_revision_id=base,
            now=ctx.runtime.clock.now(),
        )
    except ResidentialFileError as exc:
        status = {"conflict": 409, "forbidden": 403}.get(exc.reason, 400)
        return await _file_response(
            request,
            ctx,
            viewer,
            unit_id,
            status=status,
            error=exc.message,
            draft=(section, content),
        )
    return _redirect(f"/dashboard/files/{quote(unit_id)}?ok=file#{quote(section)}")


# --- exports ---------------------------------------------------------------------------------


async def handle_export_cases(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/export/cases.csv?status=&kind=: every visible case (not only open ones)."""
    flt = data.CaseFilter.parse(
        request.query.get("status"), request.query.get("kind"), open_only=False
    )
    views, _cut = await data.visible_cases(ctx.cases, viewer.policy, flt, limit=data.EXPORT_LIMIT)
    views.sort(key=lambda v: v.id)
    body = data.to_csv(data.CASE_CSV_HEADER, data.case_csv_rows(views, ctx.tz))
    return _csv(body, f"minqing-cases-{ctx.today():%Y%m%d}.csv")


async def handle_export_scores(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/export/scores.csv?month=YYYY-MM."""
    year, month, error = _month(ctx, request.query.get("month"))
    if error:
        return _message(request, "无法导出", error, 400)
    result = await data.assessment(
        ctx.runtime.db, ctx.runtime.district, viewer.policy, year, month, ctx.tz, trend_months=0
    )
    body = data.to_csv(data.SCORE_CSV_HEADER, data.score_csv_rows(result.rows))
    return _csv(body, f"minqing-scores-{result.month}.csv")


# --- mounting --------------------------------------------------------------------------------


def add_dashboard_routes(
    app: web.Application, runtime: Runtime, *, public_url: str | None = None
) -> DashboardContext:
    """Mount the dashboard and ``/login``/``/logout`` on ``app``.

    Args:
        app: The web application.
        runtime: The running service.
        public_url: The dashboard's public base URL (default: ``MINQING_PUBLIC_URL``,
            else ``http://127.0.0.1:MINQING_HTTP_PORT``); https makes cookies Secure.

    Returns:
        The context the routes use.
    """
    ctx = DashboardContext(
        runtime=runtime,
        public_url=public_url or runtime.settings.public_url,
    )
    app[DASHBOARD_KEY] = ctx
    setup_templates(app)
    r = app.router
    r.add_get(LOGIN_PATH, handle_login)
    r.add_post("/logout", guarded(handle_logout))
    r.add_get("/dashboard", guarded(handle_cases))
    r.add_get(r"/dashboard/cases/{case_id}", guarded(handle_case))
    r.add_post(r"/dashboard/cases/{case_id}/act", guarded(handle_act))
    r.add_get("/dashboard/overview", guarded(handle_overview, district_only=True))
    r.add_get("/dashboard/assessment", guarded(handle_assessment))
    r.add_get("/dashboard/coverage", guarded(handle_coverage))
    r.add_get("/dashboard/diary", guarded(handle_diary))
    r.add_post("/dashboard/diary", guarded(handle_diary_post))
    r.add_get("/dashboard/files", guarded(handle_files))
    r.add_get("/dashboard/files/{unit_id}", guarded(handle_file))
    r.add_post("/dashboard/files/{unit_id}", guarded(handle_file_post))
    r.add_get("/dashboard/export/cases.csv", guarded(handle_export_cases))
    r.add_get("/dashboard/export/scores.csv", guarded(handle_export_scores))
    return ctx


__all__ = [
    "DASHBOARD_KEY",
    "DashboardContext",
    "add_dashboard_routes",
]
