"""The citizen's reply to a split in the staff's words (trial 34 #2; review 34a F1-F3).

After 「2. MQ…B：（工作人员的概括，不是您的原话）… 如第2件不是您反映的事，请直接回复说明。」
the citizen's 「第2件不是我反映的，没有人打架」 was proposed as a new request. Now a message
that clearly denies the split-off case while such a case is open
(:meth:`bot.services.cases.CaseService.disputable_split`) is added to it as the citizen's
补充说明 marked as a denial; its units read 【反映人否认】.

Clearly denies: a Telegram reply to that notice, or a message naming the case (its number,
第2件, or its own words) with a denial (不是我反映的, 没这回事, 搞错了); or one that says
the writer never reported it (我没反映过打架的事). Common words alone (社保局把我的缴费年限
弄错了, 不是我不交物业费) are no denial: they are the citizen's own matter, proposed as usual
(review 34a F3). A denial that also reads as a matter of its own is not taken either.

A clear denial that also raises a matter of its own (第2件不是我反映的，另外我家楼上漏水) is
not guessed at (stop 35 #5): the citizen is asked once, 「…请问这是对第2件的说明，还是一件新的
事？」 with 是对第2件的说明 (kept as the denial: the split case is withdrawn) and 是一件新的事
(proposed as any description).

Nothing of it is lost (rfix35c): while the question waits unanswered, the citizen's next
message first brings the words asked about back as the usual proposal with 提交 (the
proposal's buttons file it, whatever the next message starts), then is read as usual; a
button of an expired question does the same. The citizen can always file them, or leave
them unfiled; nothing is filed without 提交.

Danger goes first, always (review 34a F1, F2): the danger check runs on the message with only
the denial's own words taken out (不是我反映的, 我没反映过打架的事); anything else that tells of
danger now (我家着火了, 我爸没气了, also in a reply to the notice) is handled as danger and is
never filed as a denial.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.cases.split_dispute import DENIAL_RE, NEVER_RE, undenied
from bot.services.critical_net import critical_unlined
from bot.services.lifecycle import CaseError
from bot.services.triage import Triage, triage
from handlers import texts
from handlers.base import (
    BotContext,
    is_stale,
    mark_saved,
    masked,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.texts.common import snippet

log = logging.getLogger(__name__)

#: ``user_data`` key of a message asked about: ``{"text", "case_id", "number", "at"}``.
ASKED = "split_reply_asked"
#: ``user_data`` key of a text the citizen said is a new matter (read as one once).
NEW_MATTER = "split_reply_new"
#: The buttons' data.
AS_NOTE = texts.UI + "sr:note"
AS_NEW = texts.UI + "sr:new"
#: How long the question waits for its answer.
ASK_WINDOW = timedelta(hours=6)
GONE = "这条提示已过期。如需反映新的问题，请直接发送问题描述。"
#: Said before the words asked about are proposed unanswered (rfix35c).
KEPT = "您之前的消息（“{text}”）说到的情况还没有提交，已为您整理如下，如需反映请点「提交」。"

Describe = Callable[[Update, BotContext, str], Awaitable[str | int | None]]

#: The case named by its place in the notice.
_NTH = re.compile(r"第\s*[2-9二三四五六七八九]\s*件(?:事情?)?|这件事|那件事")
#: A clause: the text between punctuation.
_CLAUSE = re.compile(r"[^，,。.；;！!？?\s]+")
#: Filler that carries no matter of its own.
_FILLER = re.compile(r"[的了啊呀吧呢吗哦嗯是这那个件事请你们核实一下谢谢麻烦]")
#: A clause telling that something did not happen (没有人打架).
_NEGATED = re.compile(r"没|不是|不存在|并无|无人")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _about(clause: str, case_text: str) -> bool:
    """Whether ``clause`` speaks of the split matter: it shares its words."""
    return bool(_bigrams(clause) & _bigrams(case_text))


def _own_matter(text: str, number: str, case_text: str) -> str:
    """What ``text`` says besides denying the case ``number``: its clauses that neither
    name the case nor speak of its matter, filler taken out."""
    rest = _NTH.sub("，", undenied(text.replace(number, "，")))
    kept = [c for c in _CLAUSE.findall(rest) if not (_NEGATED.search(c) and _about(c, case_text))]
    return _FILLER.sub("", "".join(kept))


def reading(
    text: str, number: str, case_text: str, *, answers_notice: bool = False
) -> Literal["denial", "mixed"] | None:
    """Whether ``text`` clearly says the case ``number`` (split off as ``case_text``) is not
    the writer's: ``"denial"`` when it says nothing else of its own, ``"mixed"`` when it
    clearly denies it (the words of one who never reported it, or a denial naming the
    case) and raises a matter of its own besides; None otherwise. Danger is not judged here."""
    named = number.upper() in text.upper() or _NTH.search(text) is not None
    strong = NEVER_RE.search(text) is not None or (DENIAL_RE.search(text) is not None and named)
    said = strong or (DENIAL_RE.search(text) is not None and answers_notice)
    if answers_notice and not said:
        # 没有人打架啊 in reply to the notice: the matter said not to have happened.
        said = any(_NEGATED.search(c) and _about(c, case_text) for c in _CLAUSE.findall(text))
    if not said:
        return None
    if len(_own_matter(text, number, case_text)) < 4:
        return "denial"
    # Common words alone (社保局把我的缴费年限弄错了) are the citizen's matter (review 34a F3).
    return "mixed" if strong else None


def denies(text: str, number: str, case_text: str, *, answers_notice: bool = False) -> bool:
    """Whether ``text`` clearly says the case ``number`` (split off as ``case_text``) is not
    the writer's and says nothing else of its own. Danger is not judged here."""
    return reading(text, number, case_text, answers_notice=answers_notice) == "denial"


def danger_first(text: str) -> Triage:
    """The danger check of a denial: ``text`` less the denial's own words."""
    return triage(undenied(text))


async def _unanswered(
    update: Update, context: BotContext, text: str, verdict: Triage, describe: Describe
) -> None:
    """The words of a question left unanswered, proposed as a request before ``text``
    is read (rfix35c): the citizen's next message never leaves them unfiled and unseen.
    Danger in ``text`` goes first: the question then waits for the message after it."""
    if verdict.emergency is not None or critical_unlined(text):
        return
    data = user_data(context)
    asked = data.get(ASKED)
    if not isinstance(asked, dict) or not asked:
        return
    message = update.effective_message
    if message is not None and str(message.message_id) in asked:
        return  # this message was asked about in turn: every question waits (review 35a F3)
    items = [v for v in asked.values() if isinstance(v, dict) and isinstance(v.get("text"), str)]
    # The same words again are asked about again, not proposed twice.
    left = [v for v in items if str(v["text"]).strip() != text.strip()]
    if not left:
        return
    data.pop(ASKED, None)
    for item in left:
        await _propose(update, context, str(item["text"]), describe)


async def _propose(update: Update, context: BotContext, text: str, describe: Describe) -> None:
    """``text`` of a question not answered, proposed as any description with 提交."""
    await reply(update, KEPT.format(text=snippet(text, 60)))
    user_data(context)[NEW_MATTER] = text
    await describe(update, context, text)
    log.info("split question left unanswered: its words proposed: %s", masked(text))


async def takes(
    update: Update,
    context: BotContext,
    person_id: int,
    text: str,
    verdict: Triage | None,
    describe: Describe | None = None,
) -> tuple[bool, Triage | None]:
    """The reply to a split notice in the staff's words, added to that case as a denial
    (:func:`_takes`); with ``describe``, a question left unanswered before it has its
    words proposed first, unless this message is asked about in turn (review 35a F3:
    two questions are both kept) or tells of danger now (rfix35c)."""
    if verdict is None:
        return False, verdict
    said_new = user_data(context).pop(NEW_MATTER, None)
    if isinstance(said_new, str) and said_new.strip() == text.strip():
        return False, verdict  # the citizen said it is a new matter
    taken, found = await _takes(update, context, person_id, text, verdict)
    if describe is not None:
        await _unanswered(update, context, text, found, describe)
    return taken, found


async def _takes(
    update: Update, context: BotContext, person_id: int, text: str, verdict: Triage
) -> tuple[bool, Triage]:
    """The reply to a split notice in the staff's words, added to that case as a denial.

    Returns whether it was taken, and the verdict the rest of the intake reads: a message
    that is a denial but tells of danger now besides is not taken, and its verdict is the
    danger the denial's own words hid (不是我反映的我家着火了).
    """
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    # Neither a reply nor denial wording: no denial whatever case is open, so the
    # database is not asked (every citizen message comes through here).
    if (replied is None or not replied.text) and DENIAL_RE.search(text) is None:
        return False, verdict
    view = await context.runtime.cases.disputable_split(person_id)
    if view is None:
        return False, verdict
    answers_notice = replied is not None and view.number in (replied.text or "")
    if not answers_notice and DENIAL_RE.search(text) is None:
        return False, verdict
    # Danger first: the message less the denial's own words (不是我反映的我家着火了).
    rest = danger_first(text)
    if rest.emergency is not None or critical_unlined(undenied(text)):
        # Danger now besides the denial: handled as danger, never as a denial.
        log.info("split case %s: danger now beside a denial, handled as danger", view.id)
        return False, verdict if verdict.emergency is not None else rest
    found = reading(text, view.number, view.text, answers_notice=answers_notice)
    if found is None:
        return False, verdict
    if found == "mixed":
        await _ask(update, context, text, view.id, view.number)
        return True, verdict
    try:
        await context.runtime.cases.add_reporter_note(person_id, view.id, text, denial=True)
    except CaseError as exc:
        log.info("denial of split case %s not kept: %s", view.id, exc.code)
        await reply(update, exc.message)
        return True, verdict
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("split case %s denied by its reporter %s: %s", view.id, person_id, masked(text))
    return True, verdict


async def _ask(update: Update, context: BotContext, text: str, case_id: int, number: str) -> None:
    """A denial with a matter of its own: which one is it (stop 35 #5)."""
    # One question per message (review 35a F3): a second one never overwrites the first.
    message = update.effective_message
    key = str(message.message_id if message is not None else stamp(context))
    asked = user_data(context).get(ASKED)
    pending = {
        k: v
        for k, v in (asked.items() if isinstance(asked, dict) else ())
        if isinstance(v, dict) and not is_stale(context, v, ASK_WINDOW)
    }
    pending[key] = {"text": text, "case_id": case_id, "number": number, "at": stamp(context)}
    user_data(context)[ASKED] = pending
    # The case's own number, never a position guessed (review 35a F4: 第3件 was read 第2件).
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"是对{number}的说明", callback_data=f"{AS_NOTE}:{key}")],
            [InlineKeyboardButton("是一件新的事", callback_data=f"{AS_NEW}:{key}")],
        ]
    )
    await reply(
        update,
        f"您的消息（“{snippet(text, 60)}”）提到 {number} 不是您反映的，"
        f"也说到了其他情况。请问这是对 {number} 的说明，还是一件新的事？",
        markup,
    )
    log.info("split case %s: denial with a matter of its own, asked which", case_id)


def buttons(describe: Describe) -> list[BaseHandler[Update, BotContext, object]]:
    """是对第2件的说明 / 是一件新的事 (entry points of the request conversation: the second
    proposes the message as any description)."""

    async def answered(update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        assert query is not None
        data = query.data or ""
        key = data.rsplit(":", 1)[-1]
        asked = user_data(context).get(ASKED)
        item = asked.pop(key, None) if isinstance(asked, dict) else None
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            await query.answer(GONE, show_alert=True)
            return None
        text = str(item["text"])
        if is_stale(context, item, ASK_WINDOW) or not isinstance(item.get("case_id"), int):
            # Expired: its words are still offered as a request, never dropped (rfix35c).
            await query.answer()
            await reply(update, KEPT.format(text=snippet(text, 60)))
            user_data(context)[NEW_MATTER] = text
            return await describe(update, context, text)
        await query.answer()
        if data.startswith(AS_NEW + ":"):
            user_data(context)[NEW_MATTER] = text
            return await describe(update, context, text)
        person = await who(update, context)
        if person is None:
            return None
        try:
            await context.runtime.cases.add_reporter_note(
                person.id, int(item["case_id"]), text, denial=True
            )
        except CaseError as exc:
            await reply(update, exc.message)
            return None
        mark_saved(update, context, f"{item.get('number')} 的补充说明")
        return None

    pattern = rf"^({re.escape(AS_NOTE)}|{re.escape(AS_NEW)}):\d+$"
    return [CallbackQueryHandler(answered, pattern=pattern)]
