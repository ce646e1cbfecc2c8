"""``POST /dashboard/cases/{id}/split``: 拆分 on the dashboard (trial D3).

The case page of a viewer who may split the case (the desk, the owning unit:
``CaseService.may_split``) shows a form: the text of the separate matter and where
it goes (按内容自动分派, or a unit the desk may 派至). The form posts here; the service
files the new case (see :mod:`bot.services.cases.split`). A case outside the viewer's
policy answers 404 as every dashboard route; one they see but may not split, a
forged target or a stale page, the case page with the reason. A part that is not in the
citizen's words and tells of danger now is refused with the reason until the form's
「确认：此紧急情况确由群众反映」 is ticked (trial 34 #2).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web

from bot.services.cases import SplitResult
from bot.web.dashboard_base import DashboardContext, Viewer, redirect
from bot.web.dashboard_cases import post_on_case
from storage.enums import Channel
from storage.models import Case

log = logging.getLogger("bot.web.dashboard")

#: The ``?ok=`` flash of a split (its words: ``bot.web.dashboard_layout.FLASH``).
SPLIT_OK = "split"
SPLIT_OK_WEB = "split_web"


async def handle_split(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/cases/{id}/split: file the separate matter as a new case."""

    async def split(case: Case, form: Mapping[str, str], version: int) -> SplitResult:
        return await ctx.cases.split_case(
            case.id,
            viewer.person.id,
            form["text"],
            Channel.WEB,
            target=form["target"] or None,
            expected_version=version,
            # A danger only in the splitter's words is filed once confirmed (trial 34 #2).
            confirmed=form["confirm_danger"] == "1",
        )

    posted = await post_on_case(
        request,
        ctx,
        viewer,
        ("text", "target", "confirm_danger"),
        split,
        what=lambda _form: "split",
    )
    if isinstance(posted, web.StreamResponse):
        return posted
    case, _, result = posted
    log.info("dashboard: %s split case %s into %s", viewer.person.id, case.id, result.part.id)
    # Web and Open311 reporters get no push: the flash says so (trial 33b E4).
    pushed = result.original.channel not in (Channel.WEB.value, Channel.OPEN311.value)
    return redirect(f"/dashboard/cases/{case.id}?ok={SPLIT_OK if pushed else SPLIT_OK_WEB}")
