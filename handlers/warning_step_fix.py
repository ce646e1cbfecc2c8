"""A correction typed during a warning's optional steps (stop 35 #4).

At the place, head count or photo step, 「不对，是五十多人」, 「改一下地点」 or 「刚才说错了」
was taken as the step's answer (the place 「不对，是五十多人」). Now such a message
(:func:`bot.services.warning_step_fix.step_correction`) is applied to the field it corrects
when it says which and gives the right value — the step's own field answers the step, an
earlier one is amended and the step asked again — and otherwise the officer is asked which
field to change (发生地点 / 涉及人数 / 预警内容, or 不用改了) and then for the right value. A
correction of the warning's text is added to it as 补充说明. A plain answer is the step's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import ReplyKeyboardMarkup, Update

from bot.services.lifecycle import CaseError
from bot.services.warning_step_fix import COUNT, FIELDS, PLACE, TEXT, step_correction
from handlers import texts
from handlers.base import BotContext, message_text, reply, who
from handlers.texts import warning_fix as fx
from handlers.warning_steps import (
    W_COUNT,
    W_PHOTOS,
    W_PLACE,
    amend,
    keep_photo,
    warn_draft,
)
from nlp.counts import head_count_answer

log = logging.getLogger(__name__)

#: Waiting for which field to correct, or its right value.
W_FIX = "w_fix"
#: The field each step asks for.
_STEP_FIELD = {W_PLACE: PLACE, W_COUNT: COUNT}
#: The step after each (once its own field is answered by a correction).
_NEXT = {W_PLACE: W_COUNT, W_COUNT: W_PHOTOS, W_PHOTOS: W_PHOTOS}

Step = Callable[[Update, BotContext], Awaitable[str | int | None]]


def _prompt(state: str) -> tuple[str, ReplyKeyboardMarkup]:
    if state == W_PLACE:
        return texts.place_prompt(), texts.place_keyboard()
    if state == W_COUNT:
        return texts.head_count_prompt(), texts.skip_keyboard()
    return texts.photos_prompt(), texts.photos_keyboard()


def corrected_first(
    step: Step, state: str
) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | int | None]]:
    """Wrap a step: a correction is applied or asked about; anything else is the step's."""

    @wraps(step)
    async def guarded(update: Update, context: BotContext) -> str | int | None:
        text = message_text(update).strip()
        draft = warn_draft(context)
        fix = step_correction(text)
        if fix is None or draft is None or not draft.get("case_id"):
            return await step(update, context)
        if fix.field is not None and fix.value is not None:
            return await _apply(update, context, fix.field, fix.value, text, state)
        draft["fix"] = {"field": fix.field, "value": fix.value, "said": text, "back": state}
        if fix.field is None:
            await reply(update, fx.which_field(fix.value), fx.which_keyboard())
        else:
            await reply(update, fx.value_prompt(fix.field), fx.value_keyboard())
        return W_FIX

    return guarded


async def fix_text(update: Update, context: BotContext) -> str | int | None:
    """The field to correct (a button's label), or its right value."""
    text = message_text(update).strip()
    draft = warn_draft(context)
    pending = draft.get("fix") if draft is not None else None
    if draft is None or not isinstance(pending, dict):
        return None
    back = str(pending.get("back") or W_PHOTOS)
    if text == fx.KEEP_LABEL or texts.is_skip(text):
        draft.pop("fix", None)
        await reply(update, *_prompt(back))
        return back
    field = pending.get("field")
    if field is None:
        chosen = next((f for f, label in FIELDS.items() if label == text), None)
        if chosen is None:
            await reply(update, fx.NOT_A_FIELD, fx.which_keyboard())
            return W_FIX
        value = pending.get("value")
        if isinstance(value, str) and (chosen != COUNT or head_count_answer(value) is not None):
            return await _apply(update, context, chosen, value, str(pending.get("said")), back)
        pending["field"] = chosen
        await reply(update, fx.value_prompt(chosen), fx.value_keyboard())
        return W_FIX
    return await _apply(update, context, str(field), text, text, back)


async def fix_photo(update: Update, context: BotContext) -> str | None:
    """A photo while the correction waits: kept on the warning, the question stays."""
    if warn_draft(context) is None:
        return None
    count = await keep_photo(update, context)
    if count is not None:
        await reply(update, texts.photo_received(count))
    return W_FIX


async def _apply(
    update: Update, context: BotContext, field: str, value: str, said: str, state: str
) -> str | int | None:
    """Put ``value`` in ``field`` of the filed warning; the step goes on."""
    draft = warn_draft(context)
    person = await who(update, context)
    if draft is None or person is None:
        return None
    case_id = draft.get("case_id")
    if not isinstance(case_id, int):
        return None
    number = str(draft.get("number") or "")
    if field == COUNT:
        count = head_count_answer(value)
        if count is None:
            draft["fix"] = {"field": COUNT, "value": None, "said": said, "back": state}
            await reply(update, texts.BAD_HEAD_COUNT, fx.value_keyboard())
            return W_FIX
        done = await amend(update, context, draft, head_count=count)
        if done is not None:
            await _keep_words(context, person.id, case_id, said, field, value)
    elif field == PLACE:
        done = await amend(update, context, draft, place=value[:500])
        if done is not None:
            await _keep_words(context, person.id, case_id, said, field, value)
    else:
        try:
            done = await context.runtime.cases.add_reporter_note(person.id, case_id, said)
        except CaseError as exc:
            await reply(update, exc.message)
            done = None
    draft.pop("fix", None)
    if done is None:
        await reply(update, *_prompt(state))
        return state
    shown = value if field != TEXT else said
    await reply(update, fx.corrected(done.number or number, field, shown))
    following = _NEXT[state] if _STEP_FIELD.get(state) == field else state
    await reply(update, *_prompt(following))
    return following


#: A head count in a correction (五十多人, 50名).
_COUNT_WORDS = re.compile(r"[0-9０-９零一二两三四五六七八九十百千几]+(?:多|来|余)?(?:个|名|位)?人?")
#: The words of a correction itself, which say nothing more.
_FIX_WORDS = re.compile(
    r"不对|更正|改成|改为|改一下|应该是|说错了|刚才|大概|大约|左右|人数|地点|发生|涉及|"
    r"[是的了啊吧呢，,。.；;！!？?：:\s]"
)


async def _keep_words(
    context: BotContext, person_id: int, case_id: int, said: str, field: str, value: str
) -> None:
    """The officer's full words of a correction kept on the warning as 补充说明 when they
    say more than the new value (review 35a F2: 人数改成五十，另外还有两名老人行动不便 kept
    only 50); the value replaced is kept on the ``details_added`` event."""
    rest = said.replace(value, "") if field == PLACE else _COUNT_WORDS.sub("", said)
    if len(_FIX_WORDS.sub("", rest)) < 4:
        return
    try:
        await context.runtime.cases.add_reporter_note(person_id, case_id, said)
    except CaseError as exc:
        log.info("words of a correction to warning %s not kept: %s", case_id, exc.code)
