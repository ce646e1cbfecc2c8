"""``/dashboard/dead-letters``: updates the bot gave up on, for the district office (issue 15).

An update is dead-lettered when every attempt to handle it failed for a transient reason
(its sender was then told ``DEAD_LETTERED``: "recorded, staff will handle it"), when every
attempt killed its process, or when it cannot be parsed. ``/healthz`` counts them; this
page shows each one — when, from whom, what was sent (masked like every log and card:
no phone or ID number), why it failed and whether the sender was told — so that the
promise made to the sender is kept. Two actions (admins and the district office only,
with the dashboard's CSRF check): **retry** hands the update back to the bot (the next
replay takes it, with no attempt counted: for a fault that has passed, e.g. the database
was down) and **close** records it as handled by hand and tells a known sender so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.services.notifications import fmt_time
from bot.web.dashboard_base import (
    DashboardContext,
    Viewer,
    form_field,
    not_found,
    page,
    redirect,
)
from bot.web.dashboard_layout import layout
from bot.web.html import read_form
from nlp import mask_sensitive
from storage import dead_letters as store
from storage.outbox import PRIORITY_INTERACTIVE, enqueue

log = logging.getLogger(__name__)

DEAD_PATH = "/dashboard/dead-letters"
#: To the sender of a dead letter the district office closed by hand.
CLOSED_TEXT = (
    "您在{received}发送的消息（系统当时未能处理）已由工作人员人工处理。如仍需办理，请重新发送。"
)
FLASH = {
    "retry": "已交还机器人重新处理。",
    "close": "已标记为人工处理。",
    "close_told": "已标记为人工处理，并已通知发送人。",
}
_SHOWN_CHARS = 300


@dataclass(frozen=True, slots=True)
class DeadRow:
    """One dead letter as the page shows it."""

    update_id: int
    received: str
    dead: str
    sender: str
    content: str
    reason: str
    told: str


def _sender(payload: dict[str, Any] | None) -> tuple[int | None, str, bool]:
    """(private chat to answer, who, whether the update says who) from a stored payload."""
    if not isinstance(payload, dict):
        return None, "不明", False
    for key in ("message", "edited_message", "callback_query"):
        part = payload.get(key)
        if not isinstance(part, dict):
            continue
        user = part.get("from")
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            name = str(user.get("first_name") or "") + str(user.get("last_name") or "")
            uid = int(user["id"])
            chat = part.get("chat") if key != "callback_query" else None
            private = not isinstance(chat, dict) or chat.get("type") in (None, "private")
            return (uid if private else None), f"{name or '（无名）'}（Telegram ID {uid}）", True
    return None, "不明（无法从更新中识别）", False


def _content(payload: dict[str, Any] | None) -> str:
    if not isinstance(payload, dict):
        return "（无内容）"
    message = payload.get("message") or payload.get("edited_message")
    if isinstance(message, dict):
        text = message.get("text") or message.get("caption")
        if isinstance(text, str) and text:
            shown = mask_sensitive(text)
            return shown if len(shown) <= _SHOWN_CHARS else shown[:_SHOWN_CHARS] + "…"
        return "（非文字消息：图片、位置等）"
    if isinstance(payload.get("callback_query"), dict):
        return "（按下了一个按钮）"
    return "（无法解析的更新）"


def _reason(error: str | None, attempts: int) -> tuple[str, bool]:
    """(why, in Chinese; whether the sender was told ``DEAD_LETTERED``)."""
    error = error or ""
    if error.startswith("unparseable"):
        return "格式无法解析", False
    if error == "attempts exhausted":
        return f"处理中进程多次中断（{attempts} 次）", False
    return f"数据库或网络暂时故障，已重试 {attempts} 次（{error or '未知'}）", True


def describe(letter: store.DeadLetter, ctx: DashboardContext) -> DeadRow:
    """What the page shows of ``letter``."""
    _, sender, known = _sender(letter.payload)
    reason, told = _reason(letter.last_error, letter.attempts)
    if told and known:
        told_text = "已告知：系统暂时无法处理，已记录，工作人员会尽快处理"
    elif known:
        told_text = "未告知（请重试或人工处理后关闭）"
    else:
        told_text = "无法告知（发送人不明）"
    return DeadRow(
        update_id=letter.update_id,
        received=fmt_time(letter.received_at, ctx.tz),
        dead=fmt_time(letter.dead_at, ctx.tz),
        sender=sender,
        content=_content(letter.payload),
        reason=reason,
        told=told_text,
    )


async def handle_dead_letters(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """GET /dashboard/dead-letters: the open dead letters, newest first."""
    async with ctx.runtime.db.session() as s:
        letters = await store.open_dead_letters(s)
    document = layout(
        "dash_dead_letters.html",
        viewer.info(ctx),
        active="dead",
        ok=FLASH.get(request.query.get("ok", "")),
        rows=[describe(letter, ctx) for letter in letters],
        path=DEAD_PATH,
    )
    return page(request, document)


async def handle_dead_letter_post(
    request: web.Request, ctx: DashboardContext, viewer: Viewer
) -> web.StreamResponse:
    """POST /dashboard/dead-letters/{update_id}: ``action`` = ``retry`` or ``close``."""
    raw = request.match_info["update_id"]
    action = form_field(await read_form(request), "action")
    if not raw.isdigit() or action not in ("retry", "close"):
        return not_found(request)
    update_id = int(raw)
    now = ctx.runtime.clock.now()
    told = False
    async with ctx.runtime.db.session() as s:
        letter = await store.get_open(s, update_id)
        if letter is None:
            return not_found(request)
        if action == "retry":
            await store.requeue(s, update_id)
        else:
            await store.close_handled(s, update_id, now)
            chat_id, _, _ = _sender(letter.payload)
            if chat_id is not None:
                text = CLOSED_TEXT.format(received=fmt_time(letter.received_at, ctx.tz))
                await enqueue(s, chat_id=chat_id, text=text, priority=PRIORITY_INTERACTIVE)
                told = True
    log.info("dead letter %s: %s by person %s", update_id, action, viewer.person.id)
    flash = "close_told" if told else action
    return redirect(f"{DEAD_PATH}?ok={flash}")


__all__ = ["DEAD_PATH", "handle_dead_letter_post", "handle_dead_letters"]
