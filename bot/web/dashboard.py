"""The dashboard (民情工作台): station chiefs, staff and the district office on the web.

Routes::

    GET  /login?token=…                 redeem a one-time login link (from the bot's /web)
    POST /logout                        end the session
    GET  /dashboard                     open cases of the viewer's units, overdue first
    GET  /dashboard/cases/{id}          the case card, the actions and the timeline
    POST /dashboard/cases/{id}/act      签收 / 处理中 / 办结 / 退单 / 上报 / 派单
    GET  /dashboard/overview            the district by station and by room (district users)
    GET  /dashboard/routing             routing accuracy, confusions, corrections to learn
    GET  /dashboard/dead-letters        updates the bot gave up on (district office)
    POST /dashboard/dead-letters/{id}   retry one, or close it as handled by hand
    GET  /dashboard/assessment?month=   monthly assessment, ranking and trend
    GET  /dashboard/coverage            network coverage against the seed's targets
    GET  /dashboard/diary?month=        diary compliance; POST files an entry
    GET  /dashboard/files               residential files; /dashboard/files/{unit} one file
    POST /dashboard/files/{unit}        save one section (with the revision it started from)
    GET  /dashboard/export/cases.csv    the viewer's cases (UTF-8 with BOM)
    GET  /dashboard/export/scores.csv?month=

The overview, assessment, coverage, exports and the mounting are here; the
case list, the case card and its actions in :mod:`bot.web.dashboard_cases`;
the context, the viewer, ``/login``/``/logout`` and the guard every route goes
through are in :mod:`bot.web.dashboard_base`; the diary and the residential
files in :mod:`bot.web.dashboard_records`; what each page shows in
:mod:`bot.web.dashboard_pages` (its frame: :mod:`bot.web.dashboard_layout`) and its
template (``templates/dash_*.html``).

Decisions:

* **Who.** Every request reads the signed session cookie, re-loads the person
  (:func:`bot.web.auth.session_person`: still active, still bound) and builds
  an :class:`~bot.web.access.AccessPolicy`. Only policies that see units
  (chiefs, staff, admins, the district office) may use the dashboard;
  citizens and information officers are refused (403) — a login link of
  theirs is used up but sets no cookie.
* **What.** The case list and the CSV are filtered in SQL by the policy; a
  case outside it answers 404 exactly like a case that does not exist. The
  actions are those :meth:`bot.services.cases.CaseService.actions_for` allows (a street
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

from aiohttp import web

from bot.runtime.assembly import Runtime
from bot.services.organisation import Coverage, coverage
from bot.web import dashboard_data as data
from bot.web import dashboard_export as export
from bot.web import dashboard_pages as pages
from bot.web.auth import LOGIN_PATH
from bot.web.dashboard_base import (
    DASHBOARD_KEY,
    DashboardContext,
    Viewer,
    csv_response,
    guarded,
    handle_login,
    handle_logout,
    message,
    month_choices,
    month_of,
    neighbours,
    page,
)
from bot.web.dashboard_cases import handle_act, handle_case, handle_cases
from bot.web.dashboard_dead import DEAD_PATH, handle_dead_letter_post, handle_dead_letters
from bot.web.dashboard_records import (
    handle_diary,
    handle_diary_post,
    handle_file,
    handle_file_post,
    handle_files,
)
from bot.web.dashboard_routing import ROUTING_PATH, handle_routing
from bot.web.dashboard_split import handle_split
from bot.web.errors import install_error_pages
from bot.web.html import setup_templates

# --- overview, assessment, coverage ----------------------------------------------------------


async def handle_overview(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/overview (district users)."""
    result = await data.overview(
        ctx.runtime.db, ctx.runtime.district, ctx.runtime.clock.now(), ctx.tz
    )
    return page(request, pages.overview_page(viewer.info(ctx), result))


async def _assessment(
    ctx: DashboardContext,
    viewer: Viewer,
    year: int,
    month: int,
    *,
    trend_months: int = data.TREND_MONTHS,
) -> data.Assessment:
    """The month's assessment as the viewer may see it, as of the service's clock."""
    return await data.assessment(
        ctx.runtime.db,
        ctx.runtime.district,
        viewer.policy,
        year,
        month,
        ctx.tz,
        as_of=ctx.runtime.clock.now(),
        trend_months=trend_months,
    )


async def handle_assessment(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/assessment?month=YYYY-MM."""
    year, month, error = month_of(ctx, request.query.get("month"))
    result = await _assessment(ctx, viewer, year, month)
    prev, nxt = neighbours(year, month)
    document = pages.assessment_page(
        viewer.info(ctx),
        result,
        prev=prev,
        nxt=nxt,
        months=month_choices(ctx),
        error=error,
    )
    return page(request, document, 400 if error else 200)


async def handle_coverage(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/coverage."""
    cover = await coverage(ctx.runtime.db, ctx.runtime.district)
    if not viewer.policy.sees_everything:
        cover = Coverage(units=[u for u in cover.units if viewer.policy.can_see_unit(u.id)])
    return page(request, pages.coverage_page(viewer.info(ctx), cover))


# --- exports ---------------------------------------------------------------------------------


async def handle_export_cases(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/export/cases.csv?status=&kind=: every visible case (not only open ones)."""
    flt = data.CaseFilter.parse(
        request.query.get("status"), request.query.get("kind"), open_only=False
    )
    views, _cut = await data.visible_cases(
        ctx.cases, viewer.person, viewer.policy, flt, limit=data.EXPORT_LIMIT
    )
    views.sort(key=lambda v: v.id)
    body = export.to_csv(export.CASE_CSV_HEADER, export.case_csv_rows(views, ctx.tz))
    return csv_response(body, f"minqing-cases-{ctx.today():%Y%m%d}.csv")


async def handle_export_scores(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/export/scores.csv?month=YYYY-MM."""
    year, month, error = month_of(ctx, request.query.get("month"))
    if error:
        return message(request, "无法导出", error, 400)
    result = await _assessment(ctx, viewer, year, month, trend_months=0)
    body = export.to_csv(export.SCORE_CSV_HEADER, export.score_csv_rows(result.rows))
    return csv_response(body, f"minqing-scores-{result.month}.csv")


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
    install_error_pages(app)
    r = app.router
    r.add_get(LOGIN_PATH, handle_login)
    r.add_post("/logout", guarded(handle_logout))
    r.add_get("/dashboard", guarded(handle_cases))
    r.add_get(r"/dashboard/cases/{case_id}", guarded(handle_case))
    r.add_post(r"/dashboard/cases/{case_id}/act", guarded(handle_act))
    r.add_post(r"/dashboard/cases/{case_id}/split", guarded(handle_split))
    r.add_get("/dashboard/overview", guarded(handle_overview, district_only=True))
    r.add_get(ROUTING_PATH, guarded(handle_routing, district_only=True))
    r.add_get(DEAD_PATH, guarded(handle_dead_letters, district_only=True))
    r.add_post(DEAD_PATH + "/{update_id}", guarded(handle_dead_letter_post, district_only=True))
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
