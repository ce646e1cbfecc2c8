"""A citizen who changes their mind while filing: 算了 / 别报了 / 不报了 / 取消 (trial 33 D8).

Typed at any step of a request not yet filed (the proposal, the place, the contact,
the photos), such words ask 要放弃提交吗？ with 放弃 / 继续 (the buttons of
:mod:`handlers.request_guard`: 放弃草稿 drops the draft and says nothing was filed;
继续提交 goes back to the step). They were read as a place, a detail or a new
problem, and the case was filed against the citizen's wish — where the citizen feared
retaliation (怕老师给孩子穿小鞋), the case that matters most.

Safety first: danger now typed with the words (算了，他拿刀过来了) is handled as danger
before this (:func:`handlers.emergency_filing.emergency_first`), and a danger already
reported stays filed: the citizen is told so, with the line to call, when they
cancel a routine draft while such a case is open.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.services.lifecycle import CaseError
from bot.services.triage import safety_hint
from handlers import texts
from handlers.base import BotContext, reply, user_data, who
from handlers.texts import steps as st
from nlp.normalize import to_simplified
from storage.enums import OPEN_STATUSES

#: Words that stop a filing, read on the simplified text, as whole expressions: 算了
#: but not 算了一下 / 算了算 (calculated), 打算了 (planned) or 算了解 (review 2 Q10);
#: 报了 etc. only with a negation (别报了, 不想反映了); 取消 / 放弃 only as the whole
#: answer or with what is given up (取消提交, 放弃反映), never 学校取消了补课.
_CANCEL_RE = re.compile(
    r"(?<!打)算了(?![一下个算账解])"
    r"|(?:别|不|不要|不想|不用|先不|还是不|暂时不)(?:再)?(?:报|反映|提交|投诉|举报|登记|弄|办)了"
    r"|(?:取消|放弃|撤销)(?:提交|登记|反映|投诉|举报|上报|这个|吧|了吧)"
    r"|^(?:我要|我想|请|帮我)?(?:取消|放弃|撤销)(?:了|吧)?[。.!！~～\s]*$"
)


_OPEN = frozenset(s.value for s in OPEN_STATUSES)


def is_cancellation(text: str) -> bool:
    """Whether ``text`` says to stop filing (Simplified or traditional)."""
    return _CANCEL_RE.search(to_simplified(text.strip())) is not None


CANCEL_QUESTION = (
    "要放弃提交吗？这个问题还没有登记，放弃后不会转给任何单位。\n"
    "点「放弃草稿」就不提交；点「继续提交」接着填写。"
)
#: The question of a draft filed even if given up (no 「放弃后不会转给任何单位」, review 4 F2).
CRITICAL_QUESTION = (
    "要放弃提交吗？这个问题还没有登记。\n"
    "点「放弃草稿」：仍会为您登记，但不再填写地点、照片等补充信息；点「继续提交」接着填写。"
)


async def asked(update: Update, context: BotContext, text: str) -> bool:
    """If ``text`` gives up the draft being filed, ask to confirm (True: asked)."""
    draft = user_data(context).get("draft")
    if not isinstance(draft, dict) or not is_cancellation(text):
        return False
    # What was typed is never lost: 继续提交 gives it back to the step (review 2 Q10).
    draft["typed"] = text[:1000]
    await ask(update, context, draft)
    return True


#: Above the cancel question of a draft the rules rate 特别重大 (review 2 Q5).
CRITICAL_KEPT = (
    "⚠️ 您反映的情况涉及人身安全：安全第一，即使点「放弃草稿」，也会为您登记并转给能处置的单位。"
)
#: The line of a draft rated high or critical with no safety hint of its own.
DANGER_LINE = "如正在遭受侵害或有危险，请立即拨打110。"
#: After a serious draft is given up.
CHANGE_MIND = "如果您改变主意，随时发送 /start 重新反映。"


def draft_level(context: BotContext, draft: dict[str, Any]) -> tuple[str, str]:
    """The level intake would file the draft at and the line to repeat ("" for a
    routine one): the safety hint its proposal showed, else the police line (review 2
    Q5). The filing level, not the preview's raw rating: a critical rating intake files
    as 重大 is no critical here either, so 放弃草稿 drops it as said (review 4 F2)."""
    text = str(draft.get("text") or "")
    hint = safety_hint(text)
    try:
        # The rules' critical about the citizen's own safety (violence at home with its
        # 110 line) is filed as critical, so kept as review 2 Q5 asked; a critical
        # rating without such a hint (三百多人…堵死了) is filed as 重大 and dropped as said.
        # One rule, the service's: the draft and the filing agree (review left34 #3).
        level = context.runtime.cases.request_severity(text)
    except CaseError:
        level = "low"
    if level not in ("high", "critical"):
        return level, hint or ""
    return level, hint or DANGER_LINE


async def ask(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """要放弃提交吗？ with 放弃草稿 / 继续提交 (the step's keyboard removed first).

    A serious draft repeats its line; a critical one says it is filed anyway."""
    danger = await open_danger_line(update, context)
    level, line = draft_level(context, draft)
    lines = [CANCEL_QUESTION] if level != "critical" else [CRITICAL_KEPT, CRITICAL_QUESTION]
    lines += [x for x in (line, danger) if x]
    await reply(update, "\n".join(lines), texts.REMOVE_KEYBOARD)
    n = draft.get("n")
    await reply(
        update,
        "请选择：",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(st.DISCARD_LABEL, callback_data=f"{st.DISCARD}:{n}"),
                    InlineKeyboardButton(st.RESUME_LABEL, callback_data=f"{st.RESUME}:{n}"),
                ]
            ]
        ),
    )


async def open_danger_line(update: Update, context: BotContext) -> str:
    """The line telling that the citizen's open danger-now case stays filed ("" if none)."""
    person = await who(update, context)
    if person is None:
        return ""
    views = await context.runtime.cases.cases_of_reporter(person.id, limit=20)
    open_danger = [v for v in views if v.severity == "critical" and v.status in _OPEN]
    if not open_danger:
        return ""
    numbers = "、".join(v.number for v in open_danger[:3])
    return (
        f"您报告的紧急情况（编号 {numbers}）涉及人身安全，已经登记并转给能处置的单位，"
        "不会因为放弃这个问题而撤销。如果现在仍有危险，请立即拨打110（或119、120）。"
    )
