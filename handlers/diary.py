"""/diary: a leader's public-sentiment diary entry (民情日记) from the phone.

``/diary TEXT`` records what the leader saw and heard on a visit today;
``/diary YYYY-MM-DD TEXT`` (or ``M-D``) for an earlier visit, e.g. the 28th, 民情日.
``/diary`` alone shows this month's entries and how to write one.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from telegram import Update
from telegram.ext import CommandHandler

from bot.services.diary import (
    NOT_COUNTED,
    NOT_FOR_OFFICERS,
    DiaryError,
    add_entry,
    counts_toward_quota,
    list_entries,
    local_today,
    may_keep_diary,
    month_of,
)
from handlers import diary_danger
from handlers.base import PRIVATE, App, BotContext, masked, reply, who
from storage.enums import Channel

log = logging.getLogger(__name__)

USAGE = (
    "民情日记用法：\n"
    "/diary 走访情况 —— 记录今天的走访\n"
    "/diary 2026-11-28 走访情况 —— 记录某一天的走访（如每月28日民情日）\n"
    "每位副科级以上领导干部每月至少记一篇。"
)
NOT_BOUND = "民情日记供已绑定单位的工作人员使用。请先用 /bind 邀请码 绑定单位。"
_DATE = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")


def parse_visit(words: list[str], today: date) -> tuple[date, str] | None:
    """The visiting day (an optional leading date, else today) and the text; None if bad."""
    if words and (match := _DATE.match(words[0])):
        year = int(match[1]) if match[1] else today.year
        try:
            visited = date(year, int(match[2]), int(match[3]))
        except ValueError:
            return None
        return visited, " ".join(words[1:])
    return today, " ".join(words)


async def diary(update: Update, context: BotContext) -> None:
    """/diary [DATE] TEXT."""
    person = await who(update, context)
    if person is None:
        return
    if person.unit_id is None:
        await reply(update, NOT_BOUND)
        return
    words = list(context.args or [])
    if not await may_keep_diary(context.runtime.db, person.id):
        # An officer's text is still read for danger (review 32 S10).
        await diary_danger.refused(update, context, person, " ".join(words), NOT_FOR_OFFICERS)
        return
    runtime = context.runtime
    today = local_today(runtime.clock.now(), runtime.settings.timezone)
    if not words:
        entries = await list_entries(runtime.db, author_id=person.id, month=month_of(today))
        counted = await counts_toward_quota(runtime.db, person.id)
        note = "" if counted else f"\n{NOT_COUNTED}"
        await reply(update, f"本月您已记民情日记 {len(entries)} 篇。{note}\n\n{USAGE}")
        return
    parsed = parse_visit(words, today)
    if parsed is None:
        refusal = f"日期格式不对。\n\n{USAGE}"
        await diary_danger.refused(update, context, person, " ".join(words[1:]), refusal)
        return
    visited_on, text = parsed
    try:
        await add_entry(
            runtime.db,
            author_id=person.id,
            visited_on=visited_on,
            content=text,
            channel=Channel.TELEGRAM,
            now=runtime.clock.now(),
            tz=runtime.settings.timezone,
        )
    except DiaryError as exc:
        log.info("diary entry refused for person %s: %s", person.id, exc.reason)
        await diary_danger.refused(update, context, person, text, exc.message)
        return
    log.info("diary entry by person %s for %s: %s", person.id, visited_on, masked(text, 40))
    entries = await list_entries(runtime.db, author_id=person.id, month=month_of(visited_on))
    counted = await counts_toward_quota(runtime.db, person.id)
    noted = (
        f"已记入民情日记（{visited_on:%Y年%m月%d日}）。{visited_on:%m月}您已记 {len(entries)} 篇。"
        + ("" if counted else f"\n{NOT_COUNTED}")
    )
    # An accepted entry is read for danger as a refused one is (review 3 P2): the line and
    # the filing first, then the entry's receipt.
    await diary_danger.refused(update, context, person, text, noted)


def register(application: App) -> None:
    """Add /diary (before :mod:`handlers.common`, whose catch-all takes unknown commands)."""
    application.add_handler(CommandHandler("diary", diary, filters=PRIVATE))
