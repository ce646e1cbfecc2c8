"""A citizen's danger now: filed at once as critical, then the emergency line.

Split from :mod:`handlers.citizen`: :func:`file_emergency` serves a description
that :func:`bot.services.triage.triage` finds to be danger now, and
:func:`emergency_first` wraps each later step of the request (place, contact,
photos) so that danger typed there is handled the same way, the draft kept. The
details asked after the filing are :mod:`handlers.emergency_steps`; what the
person sends next about it is :mod:`handlers.emergency_open`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.services.cases import RequestDraft
from bot.services.critical_net import critical_notice, critical_unlined
from bot.services.later_messages import only_a_place
from bot.services.lifecycle import CaseError
from bot.services.notification_messages import reporter_registered, reporter_registered_care
from bot.services.triage import SELF_HARM, emergency_of, triage
from handlers import (
    crisis,
    early_photos,
    emergency_open,
    emergency_steps,
    follow_on,
    other_matter,
    texts,
)
from handlers.base import BotContext, is_stale, mark_saved, message_text, say, user_data, who
from handlers.draft_cancel import asked as asked_to_cancel
from handlers.drafts import looks_like_problem
from handlers.request_steps import MAX_PHOTOS, PROPOSE
from handlers.texts import drafts_kept

__all__ = ["emergency_first", "file_critical", "file_emergency"]

log = logging.getLogger(__name__)


async def file_emergency(
    update: Update,
    context: BotContext,
    person_id: int,
    text: str,
    line: str,
    *,
    join: bool = True,
) -> str | int:
    """Danger now: file at once (critical, see ``CaseService.file_request``), then the
    emergency ``line``; the receipt comes from the outbox.

    Filed before anything is sent, under the update's intake key: when a reply fails
    for a transient reason (Telegram's 429), the case and its alerts exist, and the
    update is replayed after the wait; the replay files nothing again and sends the
    line and the details step (trial 28 P1).

    A problem being filed (the draft) is kept: the citizen is told so, with
    继续提交 to go on once the emergency's details step is over (for self-harm after
    the crisis words, trial 29 V12). A photo sent with the words (its caption) is
    filed with them, and so are photos sent before them and kept for the next
    description (:mod:`handlers.early_photos`, trial 29 V4): they are the scene's,
    never the next, unrelated request's.

    ``join=False``: the service already decided this danger is a case of its own (a
    补充说明's, review 32 S7); the update's intake key finds that case.
    """
    draft = user_data(context).get("draft")
    if (prelude := _prelude(context, draft)) is not None:
        # 🔥🔥🔥 3栋, then 着火了: one report, the place kept on it (trial 31 #7).
        user_data(context).pop("draft", None)
        draft = None
        text = f"{prelude}\n{text}"
    runtime = context.runtime
    message = update.effective_message
    # A photo sent with the words stays with them: on the case, after the card.
    photos = (message.photo[-1].file_id,) if message is not None and message.photo else ()
    # Photos sent first (no draft) are this emergency's: on the case too, then cleared.
    early = early_photos.peek(context)
    photos = (*early, *photos)[:MAX_PHOTOS]
    found = emergency_of(text)
    kind = found.kind if found is not None else None
    if prelude is not None and found is not None:
        # 我们楼顶有个人 / 坐在边上 / 说不想活了要跳下去: the danger is read with the words
        # before it, a bystander's then (stop 35 D8), and its line is that reading's.
        line = found.line
    # The same danger again while their emergency is open joins it (trial 27 N19).
    # The line comes with the 【紧急补充】's answer, from the outbox (trial 31 #1).
    if join and await emergency_open.joins(update, context, person_id, text, kind, photos):
        early_photos.take(context)
        return ConversationHandler.END
    if join and (burst := emergency_open.burst_words(context)):
        # 快来人 / 我们楼顶有个人 / 坐在边上 went onto the open emergency as its 补充说明; the
        # new danger they led up to (说不想活了要跳下去) carries them too (trial 35 D2).
        text = "\n".join([*burst, text])
    try:
        view = await runtime.cases.file_request(
            person_id, RequestDraft(text=text, photo_file_ids=photos)
        )
    except CaseError as exc:
        log.info("emergency of %s refused: %s", person_id, exc.code)
        await say(update, line)
        await say(update, exc.message)
        return ConversationHandler.END
    early_photos.take(context)
    mark_saved(update, context, f"编号 {view.number}", replayable=True)
    runtime.metrics.cases_filed.inc(1, "request", "telegram")
    log.info("emergency %s filed by %s -> %s", view.number, person_id, view.owning_unit_id)
    await say(update, line)
    if not join:
        # Filed by the service without a receipt (a 补充说明's danger): it follows the line.
        hotline = runtime.district.crisis_hotline
        await say(
            update,
            reporter_registered_care(view, hotline)
            if kind == SELF_HARM
            else reporter_registered(view, runtime.district, runtime.cases.tz),
        )
    if early:
        await say(update, early_photos.with_emergency(len(early)))
    if kind is not None:
        emergency_open.remember(context, view, kind, text)
    # A routine matter told beside the danger: offered once the details step is over (D16).
    other_matter.remember(context, text, view.number or "")
    kept = isinstance(draft, dict) and bool(draft.get("text"))
    if kept and kind == SELF_HARM:
        # Someone who said they want to die hears the human words first (trial 29 V12).
        state = await emergency_steps.ask_details(update, context, view, text)
        await _draft_kept(update, draft)
        return state
    if kept:
        await _draft_kept(update, draft)
    return await emergency_steps.ask_details(update, context, view, text)


async def file_critical(update: Update, context: BotContext, person_id: int, text: str) -> int:
    """The rubric's 特别重大 told now without an emergency line (一百多人把区政府大门堵了,
    :func:`bot.services.critical_net.critical_unlined`, review 32 S8): filed at once, as
    the web form and Open311 file it, not left behind 提交 and three optional steps. The
    service files it critical (the owner, the dispatcher desk, the centres and the
    leadership alerted); the citizen reads what happened, and 110 only for someone's
    safety on the spot (no 119 / 120 is invented). A draft being written is kept."""
    runtime = context.runtime
    try:
        view = await runtime.cases.file_request(person_id, RequestDraft(text=text))
    except CaseError as exc:
        log.info("critical request of %s refused: %s", person_id, exc.code)
        await say(update, exc.message)
        return ConversationHandler.END
    mark_saved(update, context, f"编号 {view.number}", replayable=True)
    runtime.metrics.cases_filed.inc(1, "request", "telegram")
    log.info("critical request %s filed by %s -> %s", view.number, person_id, view.owning_unit_id)
    await say(update, critical_notice(view.number or ""))
    draft = user_data(context).get("draft")
    if isinstance(draft, dict) and draft.get("text") and draft.get("text") != text:
        await _draft_kept(update, draft)
    return ConversationHandler.END


#: How recent an unclear description must be to be the start of the danger typed next.
PRELUDE = timedelta(minutes=10)


def _prelude(context: BotContext, draft: Any) -> str | None:
    """The words just before danger now that belong to it: a place alone, asked what
    happens there (人民医院门口, then 有人晕倒了), or a description that got the
    room picker (the classifier unsure: 🔥🔥🔥 3栋, 救救我) minutes ago and was not
    submitted. A clear problem (路灯坏了) stays a draft of its own, kept as before, and so
    does a problem the classifier could not place (小区垃圾站离我家窗户太近，夏天很臭: the
    picker, yet a complaint of its own, trial 34 #11): never merged into the police case."""
    if not isinstance(draft, dict) or not draft.get("text") or "step" in draft:
        return None
    if is_stale(context, draft, PRELUDE):
        return None
    if only_a_place(str(draft["text"])):
        # 人民医院门口, asked what happens there, then 有人晕倒了: the danger's place
        # (review 35b F3), never a draft kept beside it.
        return str(draft["text"])
    if not draft.get("unsure") or looks_like_problem(str(draft["text"])):
        return None
    return str(draft["text"])


async def _draft_kept(update: Update, draft: Any) -> None:
    await say(
        update,
        drafts_kept.request_draft_kept(str(draft["text"])),
        drafts_kept.request_draft_markup(draft.get("n")),
    )


async def _crisis_farewell(update: Update, context: BotContext, text: str) -> bool:
    """A farewell typed at a step of the request from someone whose self-harm case is
    open or in aftercare: taken by :func:`crisis.aftercare_farewell` (True)."""
    person = await who(update, context)
    if person is None or not await crisis.is_crisis_farewell(context, person.id, text):
        return False
    return await crisis.aftercare_farewell(update, context, person.id, text)


def emergency_first(
    step: Callable[[Update, BotContext], Awaitable[str | int | None]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | int | None]]:
    """Wrap a step of the request: danger now typed there is handled at once (the line,
    filed as critical) and the draft kept; 算了 / 取消 asks whether to give up the draft
    (:mod:`handlers.draft_cancel`); a correction of the office (不是这个部门) opens the
    bureau picker; anything else goes to the step."""

    @wraps(step)
    async def guarded(update: Update, context: BotContext) -> str | int | None:
        text = message_text(update)
        answer = texts.is_skip(text) or texts.is_done(text)
        verdict = triage(text) if text.strip() and not answer else None
        if verdict is not None and verdict.kind == "request" and critical_unlined(text):
            person = await who(update, context)
            if person is None:
                return None
            return await file_critical(update, context, person.id, text)
        if verdict is None or verdict.emergency is None:
            # 谢谢你们 我要走了 from someone in crisis or aftercare is no address or phone
            # (with a number in it or not): it reaches their helpers, the draft stays at
            # its step (review left34 #2).
            if verdict is not None and await _crisis_farewell(update, context, text):
                return None
            # 算了 / 别报了 / 取消 at a step: asked to confirm, never filed (trial 33 D8).
            if verdict is not None and await asked_to_cancel(update, context, text):
                return None
            # 不是这个部门 typed at a step: the picker, not an address or a detail (dfx21).
            if verdict is not None and await follow_on.corrects_office(update, context, text):
                return PROPOSE
            return await step(update, context)
        person = await who(update, context)
        if person is None:
            return None
        # A 补充说明's danger the service filed apart, read again at a draft's step: the
        # service decided, so it is rendered, never joined elsewhere (review 32 S7).
        join = not emergency_open.rendering(update, context)
        return await file_emergency(
            update, context, person.id, text, verdict.emergency.line, join=join
        )

    return guarded
