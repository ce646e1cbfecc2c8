"""Someone who wrote of harming themselves: what they write next reaches their helpers.

The receipt of a self-harm case says 「想说什么随时发消息给我们」. While that case is
open, the person's next messages (not danger now, which is handled as its own report,
nor a command) are added to it as 补充说明 — the owning unit and every unit holding its
card are told — and the person gets a human answer with the crisis line, never the
department picker (trial 26 T2). Once the case is final, what they write for
:data:`AFTERCARE` more that is not a clear problem of its own (我还是很难受) gets a
gentle word and the crisis line, never the department picker (pf30 #2); a clear
problem is read as usual.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Message, Update

from bot.services.cases import CaseView
from bot.services.cases.aftercare import AFTERCARE, is_farewell
from bot.services.lifecycle import CaseError
from bot.services.notification_labels import MEDIA_LABELS
from bot.services.routine_problems import may_be_routine, names_an_office, standing_matter
from bot.services.triage import Triage, danger_owner_bureau
from handlers.base import BotContext, is_stale, mark_saved, reply, stamp, user_data
from handlers.office_choice import classify, is_unsure
from handlers.texts import steps as st
from nlp.families import SELF_HARM

log = logging.getLogger(__name__)

#: ``user_data`` key of the person's self-harm case (``over``: final since ``over_at``).
KEY = "crisis"


def remember(context: BotContext, view: CaseView) -> None:
    """A self-harm case was filed for this person: their next words go to it."""
    user_data(context)[KEY] = {"case_id": view.id, "number": view.number, "at": stamp(context)}


def open_case(context: BotContext) -> int | None:
    """The id of the person's self-harm case their words go to, if any."""
    item = user_data(context).get(KEY)
    if not isinstance(item, dict) or "case_id" not in item or item.get("over"):
        return None
    return int(item["case_id"])


def _over(context: BotContext) -> None:
    """The self-harm case is final (or gone): words no longer go to it; the person is
    still answered with care for :data:`AFTERCARE`."""
    item = user_data(context).get(KEY)
    if isinstance(item, dict):
        item.update(over=True, over_at=stamp(context))


def _in_aftercare(context: BotContext) -> bool:
    item = user_data(context).get(KEY)
    if not isinstance(item, dict) or not item.get("over"):
        return False
    return not is_stale(context, {"at": item.get("over_at")}, AFTERCARE)


async def takes(
    update: Update, context: BotContext, person_id: int, text: str, verdict: Triage | None
) -> bool:
    """Whether ``text`` (not danger now) went to the person's open self-harm case, or,
    that case being final, got the gentle answer with the crisis line (pf30 #2). A
    problem the classifier routes with confidence (路灯坏了) is proposed as a request of
    its own. A farewell within :data:`AFTERCARE` of the case's closing (谢谢你们 我要走了)
    is a danger sign: :func:`aftercare_farewell`, first."""
    if await aftercare_farewell(update, context, person_id, text):
        return True
    if user_data(context).get(KEY) is None or await routine_problem(context, text, verdict):
        return False
    if open_case(context) is not None and await passed_on(update, context, person_id, text):
        return True
    if verdict is None or verdict.kind not in ("request", "vague") or not _in_aftercare(context):
        return False
    await reply(update, st.crisis_aftercare(context.runtime.district.crisis_hotline))
    log.info("aftercare answer to %s", person_id)
    return True


async def aftercare_farewell(
    update: Update, context: BotContext, person_id: int, text: str
) -> bool:
    """Whether ``text`` is a farewell from someone whose self-harm case is still open
    or closed less than :data:`AFTERCARE` ago (by the service's clock and the database,
    not this chat's memory): then the emergency line, the human answer and the alert of
    the units that held the case come from the outbox, and no waiting 回访 is answered
    (b33 #1). On an open case the words are its 【紧急·告别信号】 补充说明, sent
    unprompted or not (review left34 #1)."""
    if not is_farewell(text, open_case=True):
        return False
    cases = context.runtime.cases
    try:
        case_id = await cases.open_crisis_case(person_id)
        if case_id is not None:
            view = await cases.add_reporter_note(person_id, case_id, text)
            mark_saved(update, context, f"{view.number} 的补充说明")
            log.info("farewell of %s on the open case %s", person_id, view.number)
            return True
        found = await cases.aftercare_farewell(person_id, text) if is_farewell(text) else None
    except CaseError as exc:
        log.info("farewell of %s not recorded: %s", person_id, exc.code)
        return False
    if found is None:
        return False
    mark_saved(update, context, f"{found.number} 的关怀期消息")
    log.info("aftercare farewell of %s passed to %s", person_id, found.number)
    return True


async def is_crisis_farewell(context: BotContext, person_id: int, text: str) -> bool:
    """Whether ``text`` is a farewell that :func:`aftercare_farewell` would take: the
    person's self-harm case is open, or closed less than :data:`AFTERCARE` ago (the
    database's word). Read by the steps that take a text as a detail (the place and
    phone of an emergency, a request's address or phone), so that 谢谢你们 我要走了,
    with a phone number in it or not, is never taken as a place or a number (review
    left34 #2). Nothing is recorded."""
    if not is_farewell(text, open_case=True):
        return False
    cases = context.runtime.cases
    if await cases.open_crisis_case(person_id) is not None:
        return True
    return is_farewell(text) and await cases.in_aftercare(person_id)


async def takes_danger(
    update: Update, context: BotContext, person_id: int, text: str, verdict: Triage
) -> bool:
    """Whether danger now written while the person's self-harm case is open went to it.

    我现在一个人在江边, 我站在楼顶上, 救命: the writer's own danger is the most important
    补充 of their case — where they are, what they are doing — and goes at once to the
    people already handling it, with the human answer (trial 29 #1), not to a second
    case at the dispatcher desk that shows them deadlines and 督办. A danger a rubric
    family gives its own owner and that is not the writer's self-harm (隔壁着火了,
    楼下有人打架, a bystander's 楼顶有人要跳楼) is filed as its own report as usual.
    """
    emergency = verdict.emergency
    if emergency is None or open_case(context) is None:
        return False
    if emergency.kind != SELF_HARM and danger_owner_bureau(text) is not None:
        return False
    return await passed_on(update, context, person_id, text)


async def routine_problem(
    context: BotContext, text: str, verdict: Triage | None, *, standing: bool = False
) -> bool:
    """Whether ``text`` is a problem of its own (楼上漏水), proposed as a request: the
    domain's rule (:mod:`bot.services.routine_problems`) applied to the classifier's
    answer. The same rule keeps such a problem out of an open emergency
    (:mod:`handlers.emergency_open`), where a standing problem (``standing``:
    垃圾好几天没人清运, :func:`standing_matter`) is one too, however unsure its office."""
    if not may_be_routine(text, verdict):
        return False
    try:
        preview = await classify(context, text)
    except CaseError:
        return False
    if standing and standing_matter(text, preview):
        return True
    return names_an_office(preview, unsure=is_unsure(preview))


async def passed_on(update: Update, context: BotContext, person_id: int, text: str) -> bool:
    """Add ``text`` to the open self-harm case (True: done, the answer comes from the
    outbox). False when there is none any more: the text is then handled as usual."""
    case_id = open_case(context)
    if case_id is None or not text.strip():
        return False
    try:
        view = await context.runtime.cases.add_reporter_note(person_id, case_id, text)
    except CaseError as exc:
        log.info("crisis note of %s on case %s not added: %s", person_id, case_id, exc.code)
        _over(context)  # final, gone or not theirs: no more notes to it
        return False
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("crisis note added to %s by %s", view.number, person_id)
    return True


def attachment(message: Message) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """What a voice, photo, file or sticker adds to a case as 补充说明: the note's text
    ('' when the message carries none of them), the photo, and the other media as
    ``(kind, file_id)``, which the outbox sends on by file_id (trial 27 N18)."""
    photos: tuple[str, ...] = ()
    media: tuple[tuple[str, str], ...] = ()
    note = ""
    # What each is called in the note the helpers read, in the order they are looked for.
    for kind, label in MEDIA_LABELS.items():
        item = getattr(message, kind, None)
        if not item:
            continue
        if kind == "photo":
            photos = (message.photo[-1].file_id,)
            note = f"【{label}】见随后发送的照片"
        else:
            seconds = getattr(item, "duration", None)
            if isinstance(seconds, timedelta):  # python-telegram-bot 22 gives a timedelta
                seconds = round(seconds.total_seconds())
            length = f"，{seconds}秒" if seconds else ""
            emoji = getattr(item, "emoji", None) if kind == "sticker" else None
            shown = f" {emoji}" if emoji else ""
            # Sent on to the station by its file_id (sendVoice, sendVideo …), so
            # they hear and see it; the reference stays in the note (trial 27 N18).
            media = ((kind, str(item.file_id)),)
            note = f"【{label}{length}{shown}】见随后转发的{label}（文件编号：{item.file_id}）"
        break
    if not note:
        return "", (), ()
    caption = (message.caption or "").strip()
    return (f"{caption}\n{note}" if caption else note), photos, media


async def media_passed_on(update: Update, context: BotContext, person_id: int) -> bool:
    """A voice, photo, file or sticker from someone whose self-harm case is open
    (trial 27 N18): added to the case as 补充说明, and what was sent reaches the
    station itself (a photo with the case's photos, a voice, video or file sent on by
    its Telegram file_id, its reference kept in the note) — and the
    person gets the human answer with the crisis line (from the outbox). False when
    no crisis case is open or it cannot take it any more."""
    message = update.effective_message
    case_id = open_case(context)
    if message is None or case_id is None:
        return False
    text, photos, media = attachment(message)
    if not text:
        return False
    try:
        view = await context.runtime.cases.add_reporter_note(
            person_id, case_id, text, photos=photos, media=media
        )
    except CaseError as exc:
        log.info("crisis media of %s on case %s not added: %s", person_id, case_id, exc.code)
        _over(context)
        return False
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("crisis media added to %s by %s", view.number, person_id)
    return True
