"""``POST /dashboard/cases/{id}/split``: 拆分 on the dashboard (trial D3).

The case page of a viewer who may split the case (the desk, the owning unit:
``CaseService.may_split``) shows a form: the text of the separate matter and where
it goes (按内容自动分派, or a unit the desk may 派至). The form posts here; the service
files the new case (see :mod:`bot.services.cases.split`). A case outside the viewer's
policy answers 404 as every dashboard route; one they see but may not split, a
forged target or a stale page, the case page with the reason.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services.lifecycle import CaseError
from bot.web import dashboard_data as data
from bot.web.dashboard_base import (
    DashboardContext,
    Viewer,
    form_field,
    not_found,
    parse_int,
    redirect,
)
from bot.web.dashboard_cases import _ERROR_STATUS, _case_response, _requested_case
from bot.web.html import read_form
from storage.enums import Channel

log = logging.getLogger("bot.web.dashboard")

#: The ``?ok=`` flash of a split (its words: ``bot.web.dashboard_layout.FLASH``).
SPLIT_OK = "split"
SPLIT_OK_WEB = "split_web"


async def handle_split(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/cases/{id}/split: file the separate matter as a new case."""
    case = await _requested_case(request, ctx, viewer)
    if case is None:
        return not_found(request)
    post = await read_form(request)
    text, target = form_field(post, "text"), form_field(post, "target")
    version = parse_int(form_field(post, "version"))
    try:
        if version is None:
            raise CaseError("bad_input", "页面缺少版本信息，请刷新后重试。")
        result = await ctx.cases.split_case(
            case.id,
            viewer.person.id,
            text,
            Channel.WEB,
            target=target or None,
            expected_version=version,
        )
    except CaseError as exc:
        log.info("dashboard split of case %s refused: %s", case.id, exc.code)
        fresh = await data.visible_case(ctx.cases, viewer.policy, case.id)
        if fresh is None:
            return not_found(request)
        return await _case_response(
            request, ctx, viewer, fresh, status=_ERROR_STATUS.get(exc.code, 400), error=exc.message
        )
    ctx.runtime.outbox_written()
    log.info("dashboard: %s split case %s into %s", viewer.person.id, case.id, result.part.id)
    # Web and Open311 reporters get no push: the flash says so (trial 33b E4).
    pushed = result.original.channel not in (Channel.WEB.value, Channel.OPEN311.value)
    return redirect(f"/dashboard/cases/{case.id}?ok={SPLIT_OK if pushed else SPLIT_OK_WEB}")
