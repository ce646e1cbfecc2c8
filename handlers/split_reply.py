"""The citizen's reply to a split in the staff's words (trial 34 #2).

After 「2. MQ…B：（工作人员的概括，不是您的原话）… 如第2件不是您反映的事，请直接回复说明。」
the citizen's 「第2件不是我反映的，没有人打架」 was proposed as a new request. Now a reply
that denies the split-off case (不是我反映的, 没这回事, 搞错了, 第2件…, or its number; or a
Telegram reply to that notice) while such a case is open
(:meth:`bot.services.cases.CaseService.disputable_split`) is added to it as the citizen's
补充说明 marked as a denial; its units read 【反映人否认】. A reply that also tells of
danger now elsewhere (不是我反映的，但我家着火了) is not taken here: the danger is handled
first, as any danger.
"""

from __future__ import annotations

import logging
import re

from telegram import Update

from bot.services.lifecycle import CaseError
from bot.services.triage import emergency_of
from handlers.base import BotContext, mark_saved, masked, reply

log = logging.getLogger(__name__)

#: Words that say the split-off matter is not the citizen's.
_DENIAL = re.compile(
    r"不是我|不是本人|我没有?(?:反映|说|报|提|讲)|没有?(?:反映|说|报|提|讲)过|没这回事|没有这回事"
    r"|没有这事|没这事|没有这种事|搞错|弄错|不属实|第\s*[2二]\s*件"
)
#: A clause: the text between punctuation.
_CLAUSE = re.compile(r"[^，,。.；;！!？?\n]+")
#: Negated clauses (没有人打架) belong to the denial, not to a report of danger.
_NEGATED = re.compile(r"没|不是|不存在|并无|无人")


def denies(text: str, number: str) -> bool:
    """Whether ``text`` says the case ``number`` is not the writer's, and tells of no
    danger now outside its negated clauses."""
    if _DENIAL.search(text) is None and number.upper() not in text.upper():
        return False
    rest = "，".join(
        c for c in _CLAUSE.findall(text) if _DENIAL.search(c) is None and _NEGATED.search(c) is None
    )
    return not rest.strip() or emergency_of(rest) is None


async def takes(update: Update, context: BotContext, person_id: int, text: str) -> bool:
    """The reply to a split notice in the staff's words, added to that case as a denial."""
    view = await context.runtime.cases.disputable_split(person_id)
    if view is None:
        return False
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    answers_notice = replied is not None and view.number in (replied.text or "")
    if not answers_notice and not denies(text, view.number):
        return False
    try:
        await context.runtime.cases.add_reporter_note(person_id, view.id, text, denial=True)
    except CaseError as exc:
        log.info("denial of split case %s not kept: %s", view.id, exc.code)
        await reply(update, exc.message)
        return True
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("split case %s denied by its reporter %s: %s", view.id, person_id, masked(text))
    return True
