"""``/warn 紧急``: filed at once, then the officer is asked for the facts (trial 32 D30).

A warning whose text only says it is urgent is filed and alerted at once, as any
``/warn TEXT``; its receipt is followed by 「请立即补充：发生了什么？在哪里？有没有人受伤？」 and
the next message is put on the same case as its 补充说明 (the units told), not filed anew.
The same words again within ten minutes join that warning instead of filing a second one.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import ConversationHandler

from bot.services.cases import CaseView
from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import BotContext, message_text, reply, stamp
from handlers.officer_filing import officer_of
from handlers.warning_steps import warn_data

#: The state waiting for the facts of a content-free warning.
W_FACTS = "w_facts"
#: An identical content-free ``/warn`` within this long joins the open one.
JOIN_WITHIN = timedelta(minutes=10)


async def join_urgent_repeat(update: Update, context: BotContext, text: str) -> str | None:
    """``/warn 紧急`` again within :data:`JOIN_WITHIN` of the same open warning: no second
    critical case for four units to scramble on; the officer is asked for the facts of
    the first (None: not such a repeat, file as usual)."""
    person = await officer_of(update, context)
    if person is None:
        return None
    found = await context.runtime.cases.repeated_warning(person.id, text)
    if found is None:
        return None
    earlier = found[0]
    if context.runtime.clock.now() - earlier.created_at > JOIN_WITHIN:
        return None
    await reply(update, texts.warning_repeat_joined(earlier.number))
    return await ask_facts(update, context, earlier)


async def ask_facts(update: Update, context: BotContext, view: CaseView) -> str:
    """After the receipt: ask what happened, where, anyone hurt; the answer joins ``view``."""
    warn_data(context)["warn"] = {
        "at": stamp(context),
        "case_id": view.id,
        "number": view.number,
        "facts": True,
    }
    await reply(update, texts.warning_facts_prompt(view.number), texts.REMOVE_KEYBOARD)
    return W_FACTS


async def facts_text(update: Update, context: BotContext) -> str | int | None:
    """The facts: a 补充说明 of the warning just filed (the service tells its units)."""
    draft = warn_data(context).pop("warn", None)
    person = await officer_of(update, context)
    if not isinstance(draft, dict) or person is None or not isinstance(draft.get("case_id"), int):
        return ConversationHandler.END
    try:
        await context.runtime.cases.add_reporter_note(
            person.id, int(draft["case_id"]), message_text(update)
        )
    except CaseError as exc:
        await reply(update, exc.message)
        if exc.code == "bad_input":
            warn_data(context)["warn"] = draft
            return W_FACTS
    return ConversationHandler.END
