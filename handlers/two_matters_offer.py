"""分开登记: a message holding two matters for two bureaus, offered as two (trial D3).

After the proposal of a description that clearly holds two matters
(:func:`bot.services.two_matters.two_matters`), the citizen reads
「您提到了两件事…分开登记更快，要分开吗？」 with 分开登记 and 作为一件事提交. The default
stays one case: the proposal above keeps its 提交, and 作为一件事提交 only takes the
question away. 分开登记 makes the draft the first matter (proposed again with its own
office) and keeps the second as the next problem, proposed as soon as the first is
filed (``draft["next"]``, the way 是另一个问题 works at the photo step).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.two_matters import TwoMatters, two_matters
from handlers import texts
from handlers.base import BotContext, reply
from handlers.drafts import keep_next
from handlers.flow import expiring
from handlers.office_choice import classify, current_draft, is_unsure
from handlers.request_steps import PROPOSE

log = logging.getLogger(__name__)

#: The buttons' data: ``ui:two:yes:SERIAL`` / ``ui:two:no:SERIAL`` (the draft's serial).
YES = texts.UI + "two:yes:"
NO = texts.UI + "two:no:"
#: The draft's key of the two matters offered.
OFFERED = "two"

SPLIT_LABEL = "分开登记"
ONE_LABEL = "作为一件事提交"
KEPT_ONE = "好的，按一件事登记。请在上面选择部门，或点「交由工作人员分派」。"
SPLIT_DONE = "好的，分开登记：先提交第一件事，提交后会接着登记第二件事（{second}）。"
GONE = "这条提示已过期，请按最新的提示操作。"


def question(found: TwoMatters, *, unsure: bool = True) -> str:
    """The offer, in the citizen's words, naming the buttons the proposal above has."""
    rest = (
        "不分开也可以：在上面选择部门，或点「交由工作人员分派」。"
        if unsure
        else "不分开也可以，直接点上面的「提交」。"
    )
    return (
        "您提到了两件事：\n"
        f"1. {found.first.text}（{found.first.bureau_name}）\n"
        f"2. {found.second.text}（{found.second.bureau_name}）\n"
        f"分开登记更快，要分开吗？（{rest}）"
    )


def two_bureaus(context: BotContext, text: str) -> bool:
    """Whether ``text`` reads as two matters for two bureaus, none of them 重大 or above
    (a serious one keeps its confident bureau and is filed as one, review 1 R1)."""
    cases = context.runtime.cases
    return two_matters(text, cases.preview, level=cases.request_severity) is not None


async def offer(update: Update, context: BotContext, draft: dict[str, Any], text: str) -> None:
    """Ask about two matters under the proposal of ``draft``, when ``text`` holds two."""
    cases = context.runtime.cases
    found = two_matters(text, cases.preview, level=cases.request_severity)
    if found is None:
        return
    draft[OFFERED] = [found.first.text, found.second.text, text]
    serial = int(draft["n"])
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(SPLIT_LABEL, callback_data=f"{YES}{serial}"),
                InlineKeyboardButton(ONE_LABEL, callback_data=f"{NO}{serial}"),
            ]
        ]
    )
    log.info("two matters offered: %s / %s", found.first.bureau, found.second.bureau)
    await reply(update, question(found, unsure=bool(draft.get("unsure"))), markup)


async def answered(update: Update, context: BotContext) -> str | None:
    """分开登记 or 作为一件事提交."""
    query = update.callback_query
    assert query is not None
    draft = await current_draft(update, context)
    if draft is None:
        return None
    two = draft.pop(OFFERED, None)
    # The draft changed since the offer (a follow-on message joined it): not split blindly.
    if not isinstance(two, list) or len(two) != 3 or draft.get("text") != two[2]:
        await query.answer(GONE, show_alert=True)
        return PROPOSE
    await query.answer()
    await query.edit_message_reply_markup(None)
    if (query.data or "").startswith(NO):
        await reply(update, KEPT_ONE)
        return PROPOSE
    first, second = str(two[0]), str(two[1])
    preview = await classify(context, first)
    unsure = is_unsure(preview)
    draft.update(text=first, room=None, bureau=None, unsure=unsure, guess=preview.bureau)
    keep_next(draft, second)
    district = context.runtime.district
    await reply(update, SPLIT_DONE.format(second=second))
    await reply(
        update,
        texts.proposal(preview, first, district, unsure=unsure),
        texts.proposal_markup(preview, district, int(draft["n"]), unsure=unsure),
    )
    return PROPOSE


def buttons() -> list[BaseHandler[Update, BotContext, object]]:
    """The offer's buttons (entry points and PROPOSE handlers of the request conversation)."""
    pattern = rf"^({re.escape(YES)}|{re.escape(NO)})\d+$"
    return [CallbackQueryHandler(expiring("draft")(answered), pattern=pattern)]
