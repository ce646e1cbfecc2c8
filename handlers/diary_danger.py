"""Danger in a /diary text is checked like a warning (review 32 S10; an accepted entry
too since review 3 P2, its receipt in place of the refusal).

The public-sentiment diary (民情日记) is for leaders (fix32c, D18): an information
officer's ``/diary …`` is refused, and so is a leader's entry too short to count or with
a wrong date. Whatever the text said was dropped with the refusal — a diary line
「今天走访看到有人在区政府门口往身上泼汽油」 reached nobody. Now, before the refusal:

* **danger now** (the emergency line) or the rubric's **特别重大**: the number to call
  first (as for ``/warn``: 预警报送不能代替报警), then the text is filed at once as a
  warning of its writer's (the service's own floor: never below the rubric's level), the
  receipt from the outbox; someone who may not file warnings reads the line and is told
  to report it to a unit that can;
* the rubric's **重大**: the receipt or the refusal with, in the same message, a clear
  prompt to file it, the ready ``/warn`` command with the text, nothing filed without the
  writer;
* anything else: the refusal only, as before.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.services.cases import WarningDraft
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from bot.services.triage import emergency_of
from handlers import texts
from handlers.base import BotContext, mark_saved, reply

log = logging.getLogger(__name__)

#: The rubric's levels that are never dropped with a refused diary text.
_FILED_AT_ONCE = "critical"
_PROMPTED = "high"


def filed_note(number: str) -> str:
    """Told after a refused diary text was filed as a warning."""
    return (
        f"这段文字涉及正在发生的危险或特别重大情况，不能只作为民情日记处理："
        f"已按预警立即报送（编号：{number}），回执随后发送。"
    )


def warn_prompt(text: str) -> str:
    """A diary text the rubric rates 重大: how to file it. True whether the entry was kept
    or refused (trial 34 #10: 「民情日记不记录预警」 followed by 「已记入民情日记」)."""
    return (
        "这段文字涉及重大情况（规则研判：重大），记入民情日记不等于报送预警。"
        f"如需报送预警，请直接发送：\n/warn {text}"
    )


#: Someone who may not file warnings, with danger in a diary text.
NOT_A_WARNER = "这段文字涉及危险情况。民情日记不能代替预警：请立即向所在单位信息员或站长报告。"


async def refused(
    update: Update, context: BotContext, person: PersonInfo, text: str, refusal: str
) -> None:
    """Answer a refused diary ``text``: its danger handled first (the module's rule), then
    the ``refusal``."""
    text = text.strip()
    found = emergency_of(text) if text else None
    level = "low"
    if text:
        try:
            level = context.runtime.cases.preview(text).severity
        except CaseError:
            level = "low"
    if found is None and level not in (_FILED_AT_ONCE, _PROMPTED):
        await reply(update, refusal)
        return
    if found is not None:
        await reply(update, texts.officer_emergency_line(found.line))
    if not person.may_warn:
        await reply(update, NOT_A_WARNER)
    elif found is not None or level == _FILED_AT_ONCE:
        try:
            view = await context.runtime.cases.file_warning(person.id, WarningDraft(text=text))
        except CaseError as exc:
            log.info("diary danger of %s not filed: %s", person.id, exc.code)
            await reply(update, exc.message)
        else:
            mark_saved(update, context, f"预警编号 {view.number}", replayable=True)
            log.info("diary danger filed as %s (%s) by %s", view.number, view.severity, person.id)
            await reply(update, filed_note(view.number or ""))
    else:
        # One answer: the entry's receipt (or refusal) and how to file the warning together.
        await reply(update, f"{refusal}\n\n{warn_prompt(text)}")
        return
    await reply(update, refusal)
