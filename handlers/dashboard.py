"""/web: a one-time login link to the dashboard (民情工作台) for chiefs, staff and admins.

The link works once, for :data:`bot.web.auth.LOGIN_TTL`, and is sent without a
link preview so that Telegram's preview fetcher cannot use it up. Its base URL
is ``MINQING_PUBLIC_URL`` (default ``http://127.0.0.1:MINQING_HTTP_PORT``).
Citizens and information officers get a polite refusal.
"""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Update
from telegram.ext import CommandHandler

from bot.services.people import PersonInfo
from bot.web.auth import LOGIN_TTL, LoginError, create_login_link
from handlers.base import PRIVATE, App, BotContext, reply, who
from storage.enums import Role

log = logging.getLogger(__name__)

#: Roles that may open the dashboard.
DASHBOARD_ROLES = frozenset({Role.CHIEF, Role.STAFF, Role.ADMIN})

CITIZEN_REFUSAL = (
    "网页工作台供负责人（站长、主任）、工作人员和群工办使用。"
    "您可以直接在这里反映问题，或发送 /status 查询办理进度。"
)
OFFICER_REFUSAL = (
    "网页工作台供负责人（站长、主任）、工作人员和群工办使用，信息员请继续在机器人中报送预警（/warn）"
    "和查看自己报送的预警（/mine）。"
)


def may_use_dashboard(person: PersonInfo) -> bool:
    """Whether ``person`` may get a login link."""
    return person.active and person.role in DASHBOARD_ROLES and person.unit_id is not None


def link_text(url: str, minutes: int) -> str:
    """The message carrying a login link (Chinese)."""
    return (
        "网页工作台登录链接（仅限本人使用，请勿转发）：\n"
        f"{url}\n\n"
        f"链接{minutes}分钟内有效，只能使用一次。过期或用过后请重新发送 /web。"
    )


async def web_command(update: Update, context: BotContext) -> None:
    """/web: send a login link, or say why not."""
    person = await who(update, context)
    chat = update.effective_chat
    if person is None or chat is None:
        return
    if not may_use_dashboard(person):
        refusal = OFFICER_REFUSAL if person.role == Role.OFFICER else CITIZEN_REFUSAL
        await reply(update, refusal)
        return
    runtime = context.runtime
    try:
        url = await create_login_link(
            runtime.db, person.id, runtime.settings.public_url, now=runtime.clock.now()
        )
    except LoginError as exc:
        log.info("login link refused for person %s: %s", person.id, exc.reason)
        await reply(update, exc.message)
        return
    log.info("login link sent to person %s", person.id)
    await chat.send_message(
        link_text(url, int(LOGIN_TTL.total_seconds() // 60)),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def register(application: App) -> None:
    """Add /web (register before :mod:`handlers.common`, whose catch-all takes unknown commands)."""
    application.add_handler(CommandHandler("web", web_command, filters=PRIVATE))
