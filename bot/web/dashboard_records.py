"""Dashboard routes for the records stations keep: the diary (民情日记) and residential files.

``GET/POST /dashboard/diary`` and ``GET /dashboard/files``,
``GET/POST /dashboard/files/{unit}``; see :mod:`bot.web.dashboard` for the
decisions every dashboard route follows.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from aiohttp import web

from bot.services.diary import (
    DiaryError,
    add_entry,
    compliance,
    counts_toward_quota,
    list_entries,
)
from bot.services.residential_files import (
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
from bot.web import dashboard_data as data
from bot.web import dashboard_record_pages as pages
from bot.web.dashboard_base import (
    DashboardContext,
    Viewer,
    form_field,
    month_choices,
    month_of,
    neighbours,
    not_found,
    page,
    parse_int,
    redirect,
)
from bot.web.dashboard_layout import FLASH
from bot.web.html import read_form
from storage.enums import Channel, ResidentialSection

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
    year, month, month_error = month_of(ctx, month_text)
    unit_id = None if viewer.policy.sees_everything else viewer.person.unit_id
    result = await compliance(ctx.runtime.db, data.month_label(year, month), unit_id, tz=ctx.tz)
    mine = await list_entries(ctx.runtime.db, author_id=viewer.person.id, limit=20)
    prev, nxt = neighbours(year, month)
    document = pages.diary_page(
        viewer.info(ctx),
        result,
        mine,
        ctx.today(),
        ctx.tz,
        prev=prev,
        nxt=nxt,
        months=month_choices(ctx),
        ok=ok,
        error=error or month_error,
        draft=draft,
    )
    return page(request, document, 400 if month_error and status == 200 else status)


async def handle_diary(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/diary?month=YYYY-MM."""
    ok = FLASH.get(request.query.get("ok", ""))
    return await _diary_response(request, ctx, viewer, request.query.get("month"), ok=ok)


async def handle_diary_post(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/diary: the logged-in person's entry (channel web)."""
    post = await read_form(request)
    visited_text, content = form_field(post, "visited_on"), form_field(post, "content")
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
    counted = await counts_toward_quota(ctx.runtime.db, viewer.person.id)
    ok = "diary" if counted else "diary_uncounted"
    return redirect(f"/dashboard/diary?month={visited_on:%Y-%m}&ok={ok}")


# --- residential files -----------------------------------------------------------------------


async def handle_files(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/files."""
    district = ctx.runtime.district
    readable = set(readable_files(viewer.person, district))
    cover = await file_coverage(ctx.runtime.db, district)
    units = [u for u in cover.units if u.unit_id in readable]
    return page(request, pages.files_page(viewer.info(ctx), units, district))


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
    return page(request, document, status)


def _requested_unit(request: web.Request, ctx: DashboardContext, viewer: Viewer) -> str | None:
    """The route's ``{unit_id}`` if the viewer may read that unit's file, else None."""
    unit_id = request.match_info["unit_id"]
    return unit_id if unit_id in readable_files(viewer.person, ctx.runtime.district) else None


async def handle_file(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/files/{unit_id}."""
    unit_id = _requested_unit(request, ctx, viewer)
    if unit_id is None:
        return not_found(request)
    ok = FLASH.get(request.query.get("ok", ""))
    return await _file_response(request, ctx, viewer, unit_id, ok=ok)


async def handle_file_post(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/files/{unit_id}: save one section."""
    unit_id = _requested_unit(request, ctx, viewer)
    if unit_id is None:
        return not_found(request)
    post = await read_form(request)
    section, content = form_field(post, "section"), form_field(post, "content")
    base = parse_int(form_field(post, "base_revision_id"))
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
    return redirect(f"/dashboard/files/{quote(unit_id)}?ok=file#{quote(section)}")
