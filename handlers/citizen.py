"""Citizens: "which office?" and filing a request with optional details.

/status and the follow-up (回访) are in :mod:`handlers.followup`.

Any free text in a private chat goes through :func:`bot.services.triage.triage`
first: danger now gets the emergency line and is filed at once as critical;
greetings, thanks and noise get a friendly answer with the menu; a vague opening
gets one question back. Anything else is a description of a problem: the
bot answers with the office (room, bureau, address, hours, the keywords that
decided it) and the buttons 提交 / 换一个部门 / 只是咨询, or, when unsure, the
likely rooms. After 提交 come three skippable steps — place (a shared location,
a typed address or a community from the list), contact (the Telegram contact
button or a typed number) and photos — and then the case is filed. Text typed at
the photo step is asked about: added to the description, or kept as another
problem that is proposed right after filing. A citizen's ``/warn TEXT`` (the
officers' command) is answered kindly and its text proposed as a request.

The draft lives in ``user_data["draft"]`` as a plain dict and the step in a
persistent ConversationHandler (:mod:`handlers.citizen_conversation`), so a restart in
the middle resumes it.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    ConversationHandler,
)

from bot.services.cases import MAX_TEXT
from bot.services.critical_net import critical_unlined
from bot.services.later_messages import begun_in_parts, only_a_place
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from bot.services.progress_questions import is_progress_question
from bot.services.triage import Triage, triage
from handlers import (
    crisis,
    draft_cancel,
    early_photos,
    emergency_open,
    emergency_steps,
    follow_on,
    followup,
    progress_answer,
    request_guard,
    split_reply,
    staff_text,
    texts,
    two_matters_offer,
    vague_talk,
    warning_correction,
)
from handlers.base import (
    BotContext,
    masked,
    message_text,
    say,
    stamp,
    user_data,
    who,
)
from handlers.drafts import keep_behind, next_problems, start_draft
from handlers.emergency_filing import file_critical, file_emergency
from handlers.flow import describe_prompt
from handlers.office_choice import (
    ask_which,
    asked_which,
    classify,
    is_unsure,
)
from handlers.request_steps import (
    NEXT_PROBLEM,
    PROPOSE,
    photos_text,
)
from handlers.texts import steps as st
from nlp.emergency import emoji_services
from storage.enums import Role

log = logging.getLogger(__name__)


# --- describing and choosing the office ------------------------------------------


async def describe(update: Update, context: BotContext) -> str | int | None:
    """Free text: answer which office handles it and offer to file it."""
    return await describe_text(update, context, message_text(update))


async def photos_step(update: Update, context: BotContext) -> str | int | None:
    """The photo step's text; after filing, a second problem typed there is proposed."""
    state = await photos_text(update, context)
    following = next_problems(user_data(context).pop(NEXT_PROBLEM, None))
    if state != ConversationHandler.END or not following:
        return state
    state = await describe_text(update, context, following[0])
    keep_behind(user_data(context), following[0], following[1:], NEXT_PROBLEM)
    return state


async def describe_kept(
    update: Update, context: BotContext, following: list[str]
) -> str | int | None:
    """The first of the problems kept for later proposed now, the rest behind it (the
    second matter of a 分开登记 whose first was given up, trial 33b E8)."""
    state = await describe_text(update, context, following[0])
    keep_behind(user_data(context), following[0], following[1:], NEXT_PROBLEM)
    return state


async def warn_by_citizen(update: Update, context: BotContext, text: str) -> None:
    """A citizen's ``/warn TEXT``: not refused, offered as a request with the text kept.

    ``/warn`` is the officers' command; a citizen who uses it is told so kindly, and
    the text goes the way a plain message would: danger now gets the emergency line
    and is filed at once, a problem gets the office and 提交 (the proposal's buttons
    are entry points of the request conversation, so they work from here too), and
    small talk or a vague opening gets the usual how-to.
    """
    verdict = triage(text) if text.strip() else None
    if verdict is None or verdict.small_talk or verdict.kind == "vague":
        await say(update, texts.WARN_NOT_ALLOWED)
        return
    if verdict.emergency is None:
        await say(update, texts.WARN_BY_CITIZEN)
    await describe_text(update, context, text)
    if verdict.emergency is not None:
        await say(update, texts.WARN_BY_CITIZEN_FILED)


async def describe_as_citizen(update: Update, context: BotContext, text: str) -> str | int | None:
    """A handler chose 以群众身份反映此问题: ``text`` proposed as a citizen's (trial 29 P5)."""
    return await describe_text(update, context, text, as_citizen=True)


async def describe_text(
    update: Update, context: BotContext, text: str, *, as_citizen: bool = False
) -> str | int | None:
    """Answer which office handles ``text`` and offer to file it.

    ``as_citizen``: a chief or staff member chose to file it as a citizen; otherwise
    their words are a note on the case card they reply to, or asked about
    (:mod:`handlers.staff_text`), never a citizen's draft by themselves.
    """
    person = await who(update, context)
    if person is None:
        return None
    # A 补充说明's danger the service filed apart: rendered, never joined elsewhere.
    if emergency_open.rendering(update, context) and (found := triage(text).emergency):
        return await file_emergency(update, context, person.id, text, found.line, join=False)
    if len(text.strip()) > MAX_TEXT:
        await say(update, texts.too_long(len(text.strip()), MAX_TEXT))
        return None
    # The problem asked for by /which or 咨询哪个部门: its office, nothing filed (pf29).
    if not as_citizen and await asked_which(update, context, text):
        return None
    if await request_guard.intercepted(update, context, text):
        return None
    typed = await request_guard.typed_submit(update, context, text)
    if typed is not None:
        return typed
    verdict = triage(text) if text.strip() else None
    # 「第2件不是我反映的」 after a split in the staff's words: the split case's 补充说明,
    # marked as a denial (trial 34 #2). Its danger check reads the message less the
    # denial's own words (我没反映过打架的事 names a fight): danger now besides, in a reply
    # to the notice too, is handled as danger below, never as a denial (review 34a F1-F3).
    if not as_citizen:
        taken, verdict = await split_reply.takes(
            update, context, person.id, text, verdict, describe_text
        )
        if taken:
            return None
    # 我现在一个人在江边 from someone whose self-harm case is open joins that case (trial 29 #1).
    if verdict is not None and await crisis.takes_danger(update, context, person.id, text, verdict):
        return None
    if verdict is not None and verdict.emergency is not None:
        return await _not_a_request(update, context, person, text, verdict)
    # The rubric's 特别重大 told now with no line: filed at once too (review 32 S8).
    if verdict is not None and verdict.kind == "request" and critical_unlined(text):
        return await file_critical(update, context, person.id, text)
    # 不对，是二十几户 right after an officer's warning corrects it (trial 34 #8).
    if not as_citizen and await warning_correction.takes(update, context, person, text):
        return None
    # A chief's words (收到，马上安排; a reply to a card) are no citizen's filing (trial 29 P5).
    if not as_citizen and await staff_text.takes(update, context, person, text, verdict):
        return None
    # 还没修好 / 满意 谢谢你们 while a 回访 waits: its answer (trial 31 #13), before the
    # open emergency's window reads it as a note on the resolved case (stop 32 #4), and
    # before an open self-harm case takes it as distress (stop 35 D7; the service keeps
    # a farewell such as 谢谢你们 我要走了 no 回访 answer, review 32 S12).
    if await followup.answer_in_words(update, context, person.id, text):
        return None
    # What someone in crisis says next goes to the people handling their case (trial 26
    # T2), not to a department picker; a clear routine problem is proposed as usual.
    if await crisis.takes(update, context, person.id, text, verdict):
        return None
    # 算了 / 别报了 at a proposal not yet filed: asked to confirm (trial 33 D8).
    if await draft_cancel.asked(update, context, text):
        return PROPOSE
    # An update on their open emergency (火已经被扑灭了) joins it (trial 27 N20).
    if await emergency_open.takes_update(update, context, person.id, text, verdict):
        return None
    # 「请问学校那个事情现在怎么样了」 asks about a case already filed (trial 27 N4).
    if is_progress_question(text) and await progress_answer.answer_progress_question(
        update, context, person.id, text
    ):
        return None
    # 啥意思？ at a proposal asks about it: explained, not merged (trial 31 #15).
    if vague_talk.asks_meaning(text) and isinstance(user_data(context).get("draft"), dict):
        await vague_talk.explain_proposal(update)
        return PROPOSE
    # 不是这个部门 / 不对 / 换一个 while a draft is open: the office, not a detail (dfx21).
    if await follow_on.corrects_office(update, context, text):
        return PROPOSE
    if verdict is not None and verdict.kind != "request":
        burst = await follow_on.in_burst_reply(update, context, person.id, text, verdict)
        if burst is not None:
            return burst
        return await _not_a_request(update, context, person, text, verdict)
    # 在家里 said after 我有个事想反映 goes with the problem it describes (trial 31 #15).
    text = vague_talk.kept_with(context, text)
    try:
        preview = await classify(context, text)
    except CaseError as exc:
        await say(update, exc.message if exc.code == "bad_input" else texts.EMPTY_TEXT)
        return None
    data = user_data(context)
    # 楼上漏水 / 漏水三天了 / 物业不管: a short follow-on joins its draft (trial 28 P7).
    draft_now = data.get("draft")
    shown = draft_now.get(follow_on.SHOWN) if isinstance(draft_now, dict) else None
    burst = follow_on.unseen(update, shown)
    joined = await follow_on.continued(context, draft_now, text, preview, burst=burst)
    if joined is not None:
        return await follow_on.join(update, context, joined, text, burst=burst)
    # Two matters for two bureaus are never proposed to one of them with 提交: the
    # picker with 交由工作人员分派 instead (trial 33b E10).
    unsure = is_unsure(preview) or two_matters_offer.two_bureaus(context, text)
    earlier = data.get("draft")
    if isinstance(earlier, dict) and earlier.get("text") == text:
        earlier = None  # the same text again: nothing is replaced
    draft = start_draft(data, stamp(context), text, preview.bureau, unsure=unsure)
    serial = int(draft["n"])
    # Begun as a fragment (我们小区3号楼) the draft takes its next parts; begun as a whole
    # matter it is complete, and another office's matter after it is new (trial 35).
    draft[follow_on.PARTS] = begun_in_parts(text, sure=not unsure)
    draft[follow_on.WHOLE] = not unsure and not draft[follow_on.PARTS]
    if as_citizen:
        data["draft"][staff_text.AS_CITIZEN] = True
    # Photos sent before the words go with them (trial 29 P13).
    if early := early_photos.take(context):
        data["draft"]["photos"] = early
    log.info(
        "description from %s -> %s/%s (%.2f%s): %s",
        person.id,
        preview.room,
        preview.bureau,
        preview.confidence,
        ", unsure" if unsure else "",
        masked(text),
    )
    if only_a_place(text) and not early:
        # 我们小区3号楼 says where, not what: asked what happens there, no filing button
        # (trial 35 D12); the place is kept as the start of the telling.
        data["draft"][follow_on.SHOWN] = await say(update, st.PLACE_ONLY_ASK)
        await request_guard.tell_replaced(update, context, earlier)
        return PROPOSE
    district = context.runtime.district
    if person.role == Role.OFFICER and not as_citizen:
        # An officer's plain text may be his own matter: proposed as a citizen's, with
        # the way to send it as a warning first (stop 35 D15).
        await say(update, texts.OFFICER_WARN_HINT)
    data["draft"][follow_on.SHOWN] = await say(
        update,
        texts.proposal(preview, text, district, unsure=unsure),
        texts.proposal_markup(preview, district, serial, unsure=unsure),
    )
    if early:
        await say(update, early_photos.attached(len(early)))
    # Two matters for two bureaus: 分开登记 offered; one case stays the default (D3).
    await two_matters_offer.offer(update, context, draft, text)
    await request_guard.tell_replaced(update, context, earlier)
    return PROPOSE


async def _not_a_request(
    update: Update, context: BotContext, person: PersonInfo, text: str, verdict: Triage
) -> str | int | None:
    """Danger now (filed at once, then the emergency line), small talk, or too vague."""
    if verdict.emergency is not None:
        return await file_emergency(update, context, person.id, text, verdict.emergency.line)
    if verdict.kind == "vague":
        # Each vague answer is kept and the next question moves on (trial 31 #15).
        await vague_talk.asked_again(update, context, text)
    elif verdict.kind == "help":  # 你们是干什么的, 群众服务中心在哪里 (stop 35 D14)
        user_data(context)[follow_on.TALK_SHOWN] = await say(
            update,
            texts.service_help(context.runtime.district),
            texts.welcome_markup(person),
        )
    elif verdict.kind == "noise" and (services := emoji_services(text)):
        # 🔥🔥🔥 alone: asked back with the number, not greeted (trial 34 #21).
        user_data(context)[follow_on.TALK_SHOWN] = await say(
            update, texts.danger_emoji_question(services), texts.welcome_markup(person)
        )
    elif verdict.kind == "noise" and await followup.remind_pending(update, context, person.id):
        pass  # 嗯 while a 回访 waits: the question again, not the menu (trial 33 D7)
    else:
        user_data(context)[follow_on.TALK_SHOWN] = await say(
            update, texts.small_talk(verdict.kind), texts.welcome_markup(person)
        )
    return None


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel inside the request conversation."""
    if await emergency_steps.cancelled(update, context):
        return ConversationHandler.END
    user_data(context).pop("draft", None)
    await say(update, texts.CANCELLED + "问题没有提交。", texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def menu_in_conversation(update: Update, context: BotContext) -> int:
    """A menu button inside the conversation: the draft is dropped."""
    user_data(context).pop("draft", None)
    await say(update, "已放弃未提交的问题。", texts.REMOVE_KEYBOARD)
    query = update.callback_query
    if query is not None and query.data == texts.MENU_WHICH:
        await query.answer()
        await ask_which(update, context)
        return ConversationHandler.END
    return await describe_prompt(update, context)
