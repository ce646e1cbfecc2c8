"""A citizen's open emergency: what they send next about it joins it (trial 27 N19, N20).

After a danger-now filing the person's case is remembered for :data:`WINDOW`. While it
is open (not final) in that time:

- a further danger message about it (:func:`bot.services.emergency_join.same_emergency`:
  the same kind, or within an hour worded as going on — 是被人拿刀砍的 after 有人受伤了 —
  or naming no specific danger on one side: 门被堵住了出不去 在502 after a fire, 着火了
  after 救命) is added to it as 【紧急补充】 — every unit the alert reached is told again,
  and the unit that answers for the new danger gets the card — instead of opening another
  critical case and asking again for the place and a phone (N19). Another event (楼下有人拿刀砍人
  or 我妈晕倒了 没有呼吸 after a fire) is a case of its own (stop 32 #1, #2);
- an update that is not danger now and not a problem of its own
  (:func:`handlers.crisis.routine_problem`: 「火已经被扑灭了，没有人受伤」, not 我家楼上漏水)
  is added to it as well, instead of
  the department picker (N20). Small talk and vague openings get their usual answers;
- a question of someone waiting for help (消防车怎么还没来？？, 救护车到哪了:
  :func:`bot.services.progress_questions.asks_for_help`) is added to it too, and answered
  with the case's status and the emergency line again, not the department picker
  (trial 31 #9).

A location or a contact shared in that time (the step that asked for them over, 跳过
pressed, the bot having said 「地点和电话以后也可以告诉工作人员」) is put on the case as the
step would (:func:`details_shared`, trial 31 #2), not answered 「请先用文字描述问题」.

Once the case is final (or the window is over), messages are read as usual.

Not every later message is about the emergency (trial 35): a standing problem of an
office's (垃圾好几天没人清运了) is a request of its own however unsure its office (D5).
Anything else without danger now and without a topic of its own (楼上还有人, 还在烧,
我们楼顶有个人, a place) is the open emergency's 补充说明 (review 35b F1): the police
must hear it. When a new danger then follows within a burst (快来人 / 我们楼顶有个人 /
坐在边上 / 说不想活了要跳下去 a minute after a drowning, D2), its case carries those
words too (:func:`burst_words`): each case has its scene, nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from telegram import Update

from bot.services.cases import CaseView
from bot.services.emergency_join import UPDATE_WINDOW, same_emergency
from bot.services.lifecycle import CaseError
from bot.services.progress_questions import asks_for_help
from bot.services.triage import Triage, emergency_of
from handlers import texts
from handlers.base import BotContext, is_stale, mark_saved, reply, stamp, user_data
from handlers.crisis import routine_problem
from handlers.follow_on import JOIN_WINDOW, MAX_BURST
from handlers.texts import steps as st
from nlp.office_correction import is_office_correction
from storage.enums import OPEN_STATUSES

log = logging.getLogger(__name__)

#: ``user_data`` key of the person's last emergency case.
KEY = "emerg_open"
#: How long what they send next may be about that emergency (an update; danger now of the
#: same kind joins only within ``SAME_KIND_WINDOW``, :func:`same_emergency`).
WINDOW = UPDATE_WINDOW


def remember(context: BotContext, view: CaseView, kind: str, text: str) -> None:
    """A danger-now case was filed for this person (``kind``: the danger family of its
    words ``text``)."""
    user_data(context)[KEY] = {
        "case_id": view.id,
        "number": view.number,
        "kind": kind,
        "line": found.line if (found := emergency_of(text)) is not None else "",
        "at": stamp(context),
    }


#: ``user_data`` key: an update whose danger the service filed as a case of its own
#: (a 补充说明's, :mod:`bot.services.cases.note_danger`), to be rendered on its redo.
RENDER = "emerg_render"


def render_filed(update: Update, context: BotContext, case_id: int) -> None:
    """The service filed ``update``'s danger as case ``case_id``: its redo renders it."""
    user_data(context)[RENDER] = {"update": update.update_id, "case_id": case_id}


def rendering(update: Update, context: BotContext) -> bool:
    """Whether ``update`` is being read again to render an emergency the service filed
    (then nothing may join it elsewhere: the service decided, review 32 S7)."""
    item = user_data(context).get(RENDER)
    if isinstance(item, dict) and item.get("update") == update.update_id:
        user_data(context).pop(RENDER, None)
        return True
    return False


def _joins_open(context: BotContext, item: dict[str, object], kind: str, text: str) -> bool:
    """Whether danger now of ``kind`` (``text``) is about the open emergency ``item``
    (:func:`bot.services.emergency_join.same_emergency`: the same kind, or within an hour
    of the last word on it worded as going on or naming no specific danger)."""
    last = item.get("last") or item.get("at")
    try:
        since = context.runtime.clock.now() - datetime.fromisoformat(str(last))
    except ValueError:
        return False
    return same_emergency(str(item.get("kind") or ""), kind, text, since)


def _open(context: BotContext) -> dict[str, object] | None:
    item = user_data(context).get(KEY)
    if not isinstance(item, dict) or "case_id" not in item:
        return None
    if is_stale(context, item, WINDOW):
        user_data(context).pop(KEY, None)
        return None
    return item


async def joins(
    update: Update,
    context: BotContext,
    person_id: int,
    text: str,
    kind: str | None,
    photos: Sequence[str] = (),
) -> bool:
    """Whether a danger message of ``kind`` was added to the person's open emergency
    (:func:`same_emergency`) as 【紧急补充】; the line and the answer come from the outbox."""
    item = _open(context)
    if item is None or kind is None or not _joins_open(context, item, kind, text):
        return False
    return await _add(update, context, person_id, item, text, photos)


async def takes_update(
    update: Update, context: BotContext, person_id: int, text: str, verdict: Triage | None
) -> bool:
    """Whether ``text`` (not danger now) was added to the person's open emergency as an
    update. Small talk, vague openings and a problem routed with confidence are not."""
    item = _open(context)
    if item is not None and asks_for_help(text):
        # 消防车怎么还没来？？ asks about this emergency: on it, and answered (trial 31 #9).
        view = await _added(update, context, person_id, item, text, ())
        if view is None:
            return False
        line = str(item.get("line") or "")
        await reply(
            update,
            st.emergency_help_asked(
                view.number or "", view.status_label, view.owning_unit_name, line
            ),
        )
        return True
    if item is not None and _corrects_office(context, text):
        # 不对，应该是环保局管 right after the filing: the case's 补充说明, not a new
        # proposal to the office it names (trial 34 #4).
        return await _add(update, context, person_id, item, text, ())
    if item is None or verdict is None or verdict.kind != "request":
        return False
    # 我家楼上漏水 two days after 我不想活了 is a request of its own (pf30 #3), and so is
    # 垃圾好几天没人清运了 an hour after a fire, however unsure its office (trial 35 D5).
    # Anything else (楼上还有人, 还在烧, 人还没救上来) is the emergency's (review 35b F1).
    if await routine_problem(context, text, verdict, standing=True):
        return False
    return await _add(update, context, person_id, item, text, ())


def _corrects_office(context: BotContext, text: str) -> bool:
    """Whether ``text`` says the office of the open emergency is wrong (no draft open:
    then it is the draft's office, :func:`handlers.follow_on.corrects_office`)."""
    return not isinstance(user_data(context).get("draft"), dict) and is_office_correction(text)


async def _add(
    update: Update,
    context: BotContext,
    person_id: int,
    item: dict[str, object],
    text: str,
    photos: Sequence[str],
) -> bool:
    return await _added(update, context, person_id, item, text, photos) is not None


async def _added(
    update: Update,
    context: BotContext,
    person_id: int,
    item: dict[str, object],
    text: str,
    photos: Sequence[str],
) -> CaseView | None:
    """``text`` added to the open emergency ``item``: its view, or None when it is final
    or gone (then forgotten, and the text read as usual)."""
    case_id = int(str(item["case_id"]))
    try:
        view = await context.runtime.cases.add_reporter_note(
            person_id, case_id, text, photos=photos
        )
    except CaseError as exc:
        log.info("emergency note of %s on case %s not added: %s", person_id, case_id, exc.code)
        user_data(context).pop(KEY, None)  # final, gone or not theirs: read it as usual
        return None
    mark_saved(update, context, f"{view.number} 的补充说明")
    _burst_note(context, item, text)
    item["last"] = stamp(context)  # the last word on it: what comes next is near it
    log.info("emergency note added to %s by %s", view.number, person_id)
    return view


#: ``item`` key: the short 补充说明 of the latest burst, each with when it came (D2).
BURST = "burst"
#: The most words of a burst kept for a new danger that follows it.
MAX_BURST_NOTES = 6


def _burst_note(context: BotContext, item: dict[str, object], text: str) -> None:
    """Remember ``text``, a 补充说明 just added to ``item``, as part of the citizen's
    current burst (one began :data:`JOIN_WINDOW` after the last word, or on a long text)."""
    kept = item.get(BURST)
    notes = [n for n in kept if isinstance(n, str)] if isinstance(kept, list) else []
    if _burst_over(context, item) or len(text) > MAX_BURST:
        notes = []
    if len(text) <= MAX_BURST:
        notes = [*notes, text][-MAX_BURST_NOTES:]
    item[BURST] = notes


def _burst_over(context: BotContext, item: dict[str, object]) -> bool:
    """Whether the last word on ``item`` came more than :data:`JOIN_WINDOW` ago."""
    return "last" not in item or is_stale(context, {"at": item["last"]}, JOIN_WINDOW)


def burst_words(context: BotContext) -> list[str]:
    """The short 补充说明 the citizen just sent in a burst onto their open emergency (快来人
    / 我们楼顶有个人 / 坐在边上, the last within :data:`JOIN_WINDOW`): the words before a
    new danger that is filed as a case of its own (说不想活了要跳下去), which carries them
    too (trial 35 D2, review 35b): the rooftop case has its rooftop."""
    item = _open(context)
    if item is None or _burst_over(context, item):
        return []
    kept = item.get(BURST)
    return [n for n in kept if isinstance(n, str)] if isinstance(kept, list) else []


async def details_shared(update: Update, context: BotContext, person_id: int) -> bool:
    """Whether a shared location or contact went onto the person's open emergency (the
    handlers pinged with it, the person told). False when there is none, or it is final."""
    message = update.effective_message
    item = _open(context)
    if message is None or item is None or (message.location is None and message.contact is None):
        return False
    loc = message.location
    phone = message.contact.phone_number[:32] if message.contact is not None else None
    case_id = int(str(item["case_id"]))
    cases = context.runtime.cases
    try:
        # A final case takes nothing more (add_emergency_details does not refuse it).
        if (await cases.get_case_view(case_id, person_id)).status not in OPEN_STATUSES:
            raise CaseError("illegal_transition", "final")
        view = await cases.add_emergency_details(
            person_id,
            case_id,
            phone=phone,
            location=(loc.latitude, loc.longitude) if loc is not None else None,
        )
    except CaseError as exc:
        log.info("emergency details of %s on case %s not added: %s", person_id, case_id, exc.code)
        user_data(context).pop(KEY, None)
        return False
    mark_saved(update, context, f"编号 {view.number}")
    what = ["位置"] if loc is not None else ["电话"]
    await reply(update, st.emergency_details_saved(view.number or "", what), texts.REMOVE_KEYBOARD)
    log.info("emergency details shared on %s by %s", view.number, person_id)
    return True
