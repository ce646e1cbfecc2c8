"""Information officers' warnings: who may file, the danger line, and filing itself.

Shared by the ``/warn`` commands (:mod:`handlers.officer`) and the proposal's
buttons (:mod:`handlers.officer_confirm`).
"""

from __future__ import annotations

import logging
import re
from contextlib import nullcontext
from typing import Any

from telegram import Update

from bot.services.cases import CaseView, WarningDraft
from bot.services.cases.warning_unconfirmed import proposal_key
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from bot.services.triage import emergency_of, triage
from handlers import texts, warning_correction
from handlers.base import BotContext, mark_saved, masked, message_text, reply, stamp, who
from handlers.citizen import warn_by_citizen
from handlers.texts.reporter_acts import warning_filed_markup
from handlers.texts.warning_repeat import (
    critical_linked,
    link_note,
    repeat_markup,
    repeat_question,
)
from handlers.warning_steps import warn_data
from storage import intake_keys

log = logging.getLogger("handlers.officer")

#: The warning conversation's states (besides the optional steps of ``warning_steps``).
W_TEXT = "w_text"
W_CONFIRM = "w_confirm"
W_REASON = "w_reason"
#: ``user_data`` key of a warning held for the 补充到原预警 / 作为新预警提交 question.
REPEAT_KEY = "warn_repeat"


async def officer_of(update: Update, context: BotContext) -> PersonInfo | None:
    """The sender if they may file warnings; otherwise they are told how to bind."""
    person = await who(update, context)
    if person is None:
        return None
    if not person.may_warn:
        # A citizen who typed /warn with a text: the text is offered as a request.
        text = message_text(update).split(maxsplit=1)
        if len(text) == 2 and update.callback_query is None:
            await warn_by_citizen(update, context, text[1].strip())
        else:
            await reply(update, texts.WARN_NOT_ALLOWED)
        return None
    return person


async def danger_line(update: Update, text: str) -> None:
    """Danger now: the officer reads the number to call first (a warning is not a 110 call)."""
    emergency = emergency_of(text)
    if emergency is not None:
        await reply(update, texts.officer_emergency_line(emergency.line))


#: A place and nothing else: a name (no words of an event) ending in what places end in.
_PLACE_ONLY_RE = re.compile(
    r"^[^\s，。！？,.!?]{0,16}?"
    r"(?:小区|社区|街道|居民区|园区|新村|村|镇|乡|路|街|巷|大道|广场|公园|市场|商场|学校|医院|"
    r"车站|大厦|\d+号楼?|\d+栋|\d+幢|\d+单元|\d+室|[东南西北正侧后]门|门口)+$"
)
_EVENT_CHARS_RE = re.compile(r"[有在被了着的把让要打吵闹砍烧堵偷抢死伤]")


def only_a_place(text: str) -> bool:
    """``阳光小区``, ``和平社区8号楼502室``: where, but not what happened."""
    bare = text.strip().strip("。.!！")
    return bool(_PLACE_ONLY_RE.match(bare)) and not _EVENT_CHARS_RE.search(bare)


def not_a_description(text: str) -> bool:
    """A greeting, thanks, noise, a vague opening or a bare place: nothing to warn about yet."""
    verdict = triage(text)
    return verdict.small_talk or verdict.kind == "vague" or only_a_place(text)


async def file_warning(
    update: Update,
    context: BotContext,
    person: PersonInfo,
    draft: dict[str, Any],
    *,
    one_shot: bool = False,
    line: bool = False,
    preface: str | None = None,
    ask_repeat: bool = True,
) -> CaseView | None:
    """File a warning from a draft dict and tell the officer.

    ``one_shot`` (``/warn TEXT``): the receipt carries the guided flow's after-filing
    actions as buttons (补充地点/人数/照片, 补充说明, 撤回). ``line``: danger now, the
    number to call comes first (:func:`danger_line`); ``preface``: a text sent before
    the receipt. The warning is filed (and its alerts queued) before anything is sent,
    under the update's intake key: when a reply fails for a transient reason (a 429),
    the update is replayed, files nothing again and sends the replies (trial 28 P1).

    ``ask_repeat``: a text that repeats an open warning of the officer's (the same or
    near-identical words within 24 h; trial 28 P4) is not filed yet: the officer is asked
    补充到原预警 / 作为新预警提交 (:mod:`handlers.warning_repeat`) and None is returned.
    A critical one is filed at once and linked to the earlier one instead. A replayed
    update finds the warning it filed itself, not a repeat.
    """
    runtime = context.runtime
    held_at = draft.get("held_at")
    shown_at = held_at if isinstance(held_at, str) else None
    # The held 重大 proposal keeps its reminder and auto-filing until this draft — that
    # proposal itself — is filed (review 32 S3): a repeat question, a refusal or a
    # /warn <danger> sent beside it releases nothing.
    auto = await runtime.cases.unconfirmed_filed(person.id, shown_at)
    if auto is not None:
        # The service filed it already for the officer who had not confirmed (trial 32
        # D27): never twice; the steps that follow amend that warning.
        await runtime.cases.release_unconfirmed(person.id, shown_at)
        warn_data(context).pop("warn", None)
        await reply(update, texts.warning_filed_already(auto.number), texts.REMOVE_KEYBOARD)
        return auto
    linked: CaseView | None = None
    if ask_repeat:
        found = await runtime.cases.repeated_warning(
            person.id, str(draft["text"]), draft.get("severity")
        )
        if found is not None:
            earlier, critical = found
            if not critical:
                warn_data(context).pop("warn", None)
                warn_data(context)[REPEAT_KEY] = {
                    "at": stamp(context),
                    "draft": dict(draft),
                    "one_shot": one_shot,
                    "case_id": earlier.id,
                    "number": earlier.number,
                }
                await reply(update, repeat_question(earlier, str(draft["text"])), repeat_markup())
                return None
            linked = earlier
    head_count = draft.get("head_count")
    warning = WarningDraft(
        text=str(draft["text"]),
        room=draft.get("room"),
        bureau=draft.get("bureau"),
        severity=draft.get("severity"),
        place=draft.get("place"),
        head_count=int(head_count) if isinstance(head_count, int) else None,
        photo_file_ids=tuple(str(p) for p in draft.get("photos") or ()),
        severity_reason=draft.get("severity_reason"),
    )
    try:
        # A held proposal is filed under its own key (review 32 S4): a 确认 racing the
        # automatic filing of the same proposal finds that case and files none.
        with intake_keys.handling(proposal_key(person.id, shown_at)) if shown_at else nullcontext():
            view = await runtime.cases.file_warning(person.id, warning, receipt=False)
    except CaseError as exc:
        log.info("warning of %s refused: %s", person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        return None
    finally:
        warn_data(context).pop("warn", None)
    if shown_at is not None:
        await runtime.cases.release_unconfirmed(person.id, shown_at)
        auto = await runtime.cases.unconfirmed_filed(person.id, shown_at)
        if auto is not None and auto.id == view.id:
            # The automatic filing won the race: told so, with its number, once.
            await reply(update, texts.warning_filed_already(auto.number), texts.REMOVE_KEYBOARD)
            return auto
    mark_saved(update, context, f"预警编号 {view.number}", replayable=True)
    warning_correction.remember(context, view)
    runtime.metrics.cases_filed.inc(1, "warning", "telegram")
    log.info(
        "warning %s (%s) filed by %s: %s",
        view.number,
        view.severity,
        person.id,
        masked(warning.text),
    )
    if line:
        await danger_line(update, warning.text)
    if preface:
        await reply(update, preface)
    rubric = draft.get("rubric")
    await reply(
        update,
        texts.warning_filed(view, runtime.district, rubric if isinstance(rubric, str) else None),
        warning_filed_markup(view) if one_shot else texts.REMOVE_KEYBOARD,
    )
    if linked is not None:
        await _link(update, context, person, linked, view)
    return view


async def _link(
    update: Update, context: BotContext, person: PersonInfo, earlier: CaseView, view: CaseView
) -> None:
    """A critical warning that repeats an open one: the earlier one gets a note naming it."""
    try:
        await context.runtime.cases.add_reporter_note(
            person.id, earlier.id, link_note(view.number, view.severity_label)
        )
    except CaseError as exc:  # the earlier one ended meanwhile: nothing to link
        log.info("link of %s to %s refused: %s", view.number, earlier.number, exc.code)
        return
    await reply(update, critical_linked(earlier.number, view.number))
