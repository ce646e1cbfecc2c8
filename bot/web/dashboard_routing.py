"""``GET /dashboard/routing``: how well cases are routed, for the district office (issue 14).

Admins and the district office only (the route is guarded ``district_only``).
The figures come from :mod:`bot.services.routing_stats`.
"""

from __future__ import annotations

from aiohttp import web

from bot.services.corrections import KINDS
from bot.services.routing_stats import routing_figures
from bot.web.dashboard_base import DashboardContext, Viewer, page
from bot.web.dashboard_layout import layout

ROUTING_PATH = "/dashboard/routing"


async def handle_routing(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/routing: accuracy by month, confusions, corrections to learn."""
    figures = await routing_figures(
        ctx.runtime.db, ctx.runtime.district, ctx.runtime.clock.now(), ctx.tz
    )
    document = layout(
        "dash_routing.html",
        viewer.info(ctx),
        active="routing",
        figures=figures,
        kinds=KINDS,
        tz=ctx.tz,
    )
    return page(request, document)
