"""Dashboard routes for cases: the list, the case card and the actions on it.

``GET /dashboard`` (the viewer's open cases, overdue first),
``GET /dashboard/cases/{id}`` (the card, the actions the viewer may take, the
timeline) and ``POST /dashboard/cases/{id}/act`` (签收 / 处理中 / 办结 / 退单 /
上报 / 派单 / 延期, through the case service, channel web). See
:mod:`bot.web.dashboard` for the decisions every dashboard route follows (a
case outside the viewer's policy answers 404; a stale page 409).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from aiohttp import web

from bot.services import notifications as nt
from bot.services.callbacks import CaseAction
from bot.services.cases import CLOSURE_KINDS
from bot.services.lifecycle import CaseError
from bot.web import dashboard_data as data
from bot.web import dashboard_pages as pages
from bot.web.dashboard_base import (
    DashboardContext,
    Viewer,
    form_field,
    not_found,
    page,
    parse_int,
    redirect,
)
from bot.web.dashboard_layout import FLASH
from bot.web.html import read_form
from storage.enums import Channel
from storage.models import Case

_T = TypeVar("_T")

#: The dashboard's logger (the name it had before the case routes had a module of their own).
log = logging.getLogger("bot.web.dashboard")


#: Case actions the web offers (choosing a room is a Telegram-only shortcut).
WEB_ACTIONS = (
    CaseAction.ACKNOWLEDGE,
    CaseAction.START,
    CaseAction.RESOLVE,
    CaseAction.RETURN,
    CaseAction.ESCALATE,
    CaseAction.DISPATCH,
    CaseAction.URGE,
    CaseAction.LEVEL,
)
_ERROR_STATUS = {
    "stale": 409,
    "illegal_transition": 409,
    "top": 409,
    "forbidden": 403,
    "not_found": 404,
    "bad_input": 400,
    "too_late": 409,
    "pending": 409,
    "no_request": 409,
    "too_soon": 409,
    "reason_required": 400,
    "too_low": 400,
}


async def handle_cases(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard."""
    flt = data.CaseFilter.parse(request.query.get("status"), request.query.get("kind"))
    views, cut = await data.visible_cases(ctx.cases, viewer.person, viewer.policy, flt)
    ok = FLASH.get(request.query.get("ok", ""))
    return page(request, pages.case_list_page(viewer.info(ctx), views, flt, ctx.tz, cut=cut, ok=ok))


async def _level_targets(
    ctx: DashboardContext, viewer: Viewer, case: Case
) -> list[tuple[str, str]]:
    """The levels the viewer may set on a warning (更改等级), as (level, label)."""
    try:
        choice = await ctx.cases.level_choice(viewer.person.id, case.id)
    except CaseError:
        return []
    return [(lvl, nt.SEVERITY_LABELS[lvl]) for lvl in choice.levels]


async def _action_forms(
    ctx: DashboardContext, viewer: Viewer, case: Case
) -> list[pages.ActionForm]:
    allowed = ctx.cases.actions_for(viewer.person, case)
    district = ctx.runtime.district
    targets = {
        CaseAction.DISPATCH: nt.dispatch_targets(district),
        # The district office's 更改等级, as on its card in the bot (trial 27 N10).
        CaseAction.LEVEL: await _level_targets(ctx, viewer, case)
        if CaseAction.LEVEL in allowed
        else [],
    }
    forms = [
        pages.ActionForm(act, targets.get(act, ()))
        for act in WEB_ACTIONS
        if act in allowed and (act is not CaseAction.LEVEL or targets[act])
    ]
    now = ctx.runtime.clock.now()
    if case.extension_due_at is not None:
        if ctx.cases.decides_extensions(viewer.person):
            forms += [
                pages.ActionForm(CaseAction.EXTEND_OK),
                pages.ActionForm(CaseAction.EXTEND_NO),
            ]
    elif (
        CaseAction.RESOLVE in allowed
        and case.resolve_due_at is not None
        and now <= case.resolve_due_at
    ):
        forms.append(pages.ActionForm(CaseAction.EXTEND))
    return forms


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
    view = ctx.cases.view_for(case, viewer.person)
    entries = await ctx.cases.timeline(case.id, reader=viewer.person)
    # 拆分 (trial D3): the desk and the owning unit get the form; only the desk chooses
    # where the new case goes (R5), the owning unit's split is routed by its content.
    split = [("", "按内容自动分类、分派")]
    if ctx.cases.at_desk(viewer.person):
        split += nt.dispatch_targets(ctx.runtime.district)
    names = {uid: u.name for uid, u in ctx.runtime.district.units.items()}
    document = pages.case_page(
        viewer.info(ctx),
        view,
        entries,
        await _action_forms(ctx, viewer, case),
        ctx.tz,
        names,
        ok=ok,
        error=error,
        note=note,
        split=split if ctx.cases.may_split(viewer.person, case) else None,
    )
    return page(request, document, status)


async def _requested_case(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> Case | None:
    """The case of the route's ``{case_id}``, or None: no such case or not the viewer's."""
    case_id = parse_int(request.match_info["case_id"])
    return await data.visible_case(ctx.cases, viewer.policy, case_id) if case_id else None


async def handle_case(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/cases/{id}."""
    case = await _requested_case(request, ctx, viewer)
    if case is None:
        return not_found(request)
    return await _case_response(
        request, ctx, viewer, case, ok=FLASH.get(request.query.get("ok", ""))
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
        closure = form.get("closure", "")
        if closure not in CLOSURE_KINDS:
            raise CaseError("bad_input", "请选择办结类型：实际解决、解释说明或不属实。")
        await cases.resolve(case.id, actor, note, web_, expected_version=version, closure=closure)
    elif action == CaseAction.RETURN:
        await cases.return_case(case.id, actor, note, web_, expected_version=version)
    elif action == CaseAction.ESCALATE:
        await cases.escalate(case.id, actor, note or None, web_, expected_version=version)
    elif action == CaseAction.URGE:
        await cases.urge(case.id, actor, web_, expected_version=version)
    elif action == CaseAction.DISPATCH:
        target = form.get("target", "")
        # Only what the page offers (bureaus, street and park stations), as the bot's
        # buttons: a forged form sent cases to 群工办 or a community room.
        if target not in dict(nt.dispatch_targets(ctx.runtime.district)):
            raise CaseError("bad_input", "请选择有效的承办单位。")
        await cases.dispatch(
            case.id, actor, target, web_, expected_version=version, reason=note or None
        )
    elif action == CaseAction.LEVEL:
        # Raised freely; lowered only with a real reason (the service's rule, trial 27 N10).
        await cases.change_level(actor, case.id, form.get("target", ""), note or None, web_)
    elif action == CaseAction.EXTEND:
        days = parse_int(form.get("days", ""))
        await cases.request_extension(case.id, actor, note, days or 0, web_)
    elif action in (CaseAction.EXTEND_OK, CaseAction.EXTEND_NO):
        approve = action == CaseAction.EXTEND_OK
        await cases.decide_extension(
            case.id, actor, approve, note or None, web_, expected_version=version
        )
    else:
        raise CaseError("bad_input", "未知的操作。")


async def handle_act(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/cases/{id}/act: one action through the case service (channel web)."""

    async def act(case: Case, form: Mapping[str, str], version: int) -> None:
        await _act(ctx, viewer, case, form["action"], version, form)

    posted = await post_on_case(
        request,
        ctx,
        viewer,
        ("action", "note", "target", "closure", "days"),
        act,
        what=lambda form: f"action {form['action']}",
        kept_note=lambda form: form["note"] if form["action"] == CaseAction.RESOLVE else "",
    )
    if isinstance(posted, web.StreamResponse):
        return posted
    case, form, _ = posted
    log.info("dashboard: person %s did %s on case %s", viewer.person.id, form["action"], case.id)
    still = await data.visible_case(ctx.cases, viewer.policy, case.id)
    if still is None:  # e.g. returned to the desk: no longer the viewer's
        return redirect(f"/dashboard?ok={form['action']}")
    return redirect(f"/dashboard/cases/{case.id}?ok={form['action']}")


async def post_on_case(
    request: web.Request,
    ctx: DashboardContext,
    viewer: Viewer,
    fields: Sequence[str],
    act: Callable[[Case, Mapping[str, str], int], Awaitable[_T]],
    *,
    what: Callable[[Mapping[str, str]], str],
    kept_note: Callable[[Mapping[str, str]], str] = lambda _form: "",
) -> tuple[Case, Mapping[str, str], _T] | web.StreamResponse:
    """What every POST on a case page does first: ``act(case, form, version)``.

    The route's case must be one the viewer sees (else 404); ``form`` holds the
    posted ``fields`` and ``version`` (a form without a version is refused). A
    :class:`CaseError` answers the case page again, fresh, with the reason (and
    ``kept_note(form)`` in the note field; 404 if the case is no longer the
    viewer's), logged as ``what(form)`` refused. After ``act`` the outbox is woken.

    Returns:
        The case, the form and what ``act`` returned; or the response to send.
    """
    case = await _requested_case(request, ctx, viewer)
    if case is None:
        return not_found(request)
    post = await read_form(request)
    form = {k: form_field(post, k) for k in ("version", *fields)}
    version = parse_int(form["version"])
    try:
        if version is None:
            raise CaseError("bad_input", "页面缺少版本信息，请刷新后重试。")
        result = await act(case, form, version)
    except CaseError as exc:
        log.info("dashboard %s on case %s refused: %s", what(form), case.id, exc.code)
        fresh = await data.visible_case(ctx.cases, viewer.policy, case.id)
        if fresh is None:
            return not_found(request)
        return await _case_response(
            request,
            ctx,
            viewer,
            fresh,
            status=_ERROR_STATUS.get(exc.code, 400),
            error=exc.message,
            note=kept_note(form),
        )
    ctx.runtime.outbox_written()
    return case, form, result
