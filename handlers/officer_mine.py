"""/mine: the warnings an information officer filed, with their progress."""

from __future__ import annotations

from telegram import Update

from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import BotContext, reply, who
from handlers.texts.reporter_acts import list_markup


async def show_mine(update: Update, context: BotContext) -> None:
    """/mine: the warnings this person filed, with their progress."""
    person = await who(update, context)
    if person is None:
        return
    runtime = context.runtime
    views = [
        v for v in await runtime.cases.cases_of_reporter(person.id, limit=30) if v.kind == "warning"
    ][:10]
    if not views:
        await reply(update, texts.NO_WARNINGS if person.may_warn else texts.MINE_FOR_OFFICERS)
        return
    timelines = {}
    for view in views:
        try:
            timelines[view.id] = await runtime.cases.timeline(view.id, person.id)
        except CaseError:
            timelines[view.id] = []
    await reply(
        update,
        texts.status_list(views, timelines, runtime.settings.timezone, title="您报送的预警"),
        list_markup(views),
    )
