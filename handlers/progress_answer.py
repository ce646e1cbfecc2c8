"""A citizen's question about the progress of their cases (「…怎么样了」, 解决了吗).

Moved out of :mod:`handlers.followup` (review 3 P9): the 回访 there, the progress
question here.
"""

from __future__ import annotations

from telegram import Update

from bot.services.cases import TimelineEntry
from bot.services.lifecycle import CaseError
from bot.services.progress_questions import is_bare_progress_question
from handlers import texts
from handlers.base import BotContext, reply
from handlers.texts.reporter_acts import NO_OPEN_CASES, list_markup
from storage.enums import OPEN_STATUSES


async def answer_progress_question(
    update: Update, context: BotContext, person_id: int, text: str = ""
) -> bool:
    """A question about progress (「…怎么样了」) from a citizen with open cases: their status.

    Answered with the open cases as /status shows them, and the offer to describe
    a new problem instead (trial 27 N4). Without open cases, a question that describes
    no problem (``text``: 有进展吗) is told so and how to file one (trial 28 P6);
    ``False`` (nothing said) for one that does (楼道灯坏了一个月了，解决了吗). With open
    cases, a question that describes a problem gets the status and ``False``: the
    problem is proposed besides (review 3 P3).
    """
    runtime = context.runtime
    views = await runtime.cases.cases_of_reporter(person_id, limit=10)
    open_views = [v for v in views if v.status in OPEN_STATUSES]
    if not open_views:
        if not is_bare_progress_question(text):
            return False
        await reply(update, NO_OPEN_CASES if views else texts.NO_CASES)
        return True
    timelines: dict[int, list[TimelineEntry]] = {}
    for view in open_views:
        try:
            timelines[view.id] = await runtime.cases.timeline(view.id, person_id)
        except CaseError:
            timelines[view.id] = []
    status = texts.status_list(
        open_views, timelines, runtime.settings.timezone, title="您正在办理中的问题"
    )
    if not is_bare_progress_question(text):
        # 小区电梯坏了三天，解决了吗 may be a new problem (review 3 P3): the status is
        # offered besides, and the text is proposed as a request as usual.
        await reply(update, f"{status}\n\n{texts.PROGRESS_AND_PROPOSAL}", list_markup(open_views))
        return False
    await reply(update, f"{status}\n\n{texts.PROGRESS_NEW_PROBLEM}", list_markup(open_views))
    return True
