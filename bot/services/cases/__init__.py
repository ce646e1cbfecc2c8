"""Case services: filing, handling, escalation, follow-up and the read side.

Knows nothing of Telegram: every change is one database transaction that also
writes the notifications it causes to the ``outbox`` table; the delivery worker
sends them later. Web forms, the Open311 API and the Telegram handlers all call
these methods.

Public API::

    service = CaseService(db, district, clock, codec, classifier=None, tz=DISTRICT_TZ)

    service.preview(text) -> Preview                      # "which office?", files nothing
    await service.file_request(reporter_id, RequestDraft(...), channel) -> CaseView
    await service.file_warning(officer_id, WarningDraft(...), channel) -> CaseView
    await service.acknowledge(case_id, actor_id, channel, expected_version=None) -> CaseView
    await service.start_progress(case_id, actor_id, channel, expected_version=None) -> CaseView
    await service.resolve(case_id, actor_id, note, channel, expected_version=None,
                          closure="solved") -> CaseView   # 实际解决 / 解释说明 / 不属实
    await service.return_case(case_id, actor_id, reason, channel, expected_version=None)
    await service.escalate(case_id, actor_id, note=None, channel, expected_version=None)
    await service.dispatch(case_id, actor_id, target, channel, expected_version=None)
    await service.reject(case_id, actor_id, reason, channel, expected_version=None)  # 不予受理
    await service.request_extension(case_id, actor_id, reason, working_days, channel)
    await service.decide_extension(case_id, actor_id, approve, note=None, channel,
                                   expected_version=None) -> CaseView   # 督查督办中心
    await service.answer_follow_up(case_id, citizen_id, solved, satisfaction, comment=None,
                                   channel, expected_version=None) -> CaseView
    await service.follow_up_in_words(person_id, text) -> FollowUpInWords | None  # 还没修好
    await service.add_reporter_note(reporter_id, case_id, text, channel) -> CaseView  # 补充说明
    await service.add_staff_note(actor_id, case_id, text, channel) -> CaseView  # 办理记录
    await service.split_case(case_id, actor_id, text, channel, target=None,
                             number=None, expected_version=None) -> SplitResult  # 拆分
    await service.level_choice(actor_id, case_id) -> LevelChoice      # 更改等级 picker
    await service.change_level(actor_id, case_id, level, reason=None, channel) -> CaseView
    await service.withdraw(reporter_id, case_id, reason=None, channel,
                           expected_version=None) -> CaseView   # 撤回 (not a critical case)
    await service.get_case_view(case_id, viewer_id) -> CaseView
    await service.cases_of_reporter(person_id, limit=20) -> list[CaseView]
    await service.pending_for_unit(unit_id, limit=50) -> list[CaseView]
    await service.timeline(case_id, viewer_id=None) -> list[TimelineEntry]
    await service.render_card(case_id, viewer_id) -> tuple[str, dict | None]
    service.may_act(person, case) / service.may_view(person, case) -> bool

Every mutating method returns the case as the actor sees it and raises
:class:`bot.services.lifecycle.CaseError` (``code`` + Chinese ``message``) when refused:
``not_found``, ``forbidden``, ``stale`` (``expected_version`` differs),
``illegal_transition``, ``bad_input``, ``top`` (nothing above to escalate to),
``already_answered``.

Who may do what:

* act on a case (签收 / 处理中 / 办结 / 退单 / 上报): chiefs and staff of the
  owning unit (the dispatcher desk while the case waits there) or of any unit
  the case has been escalated to, and admins (:meth:`CaseService.may_act`);
* dispatch by hand: the dispatcher desk's chiefs and staff, and admins;
* 不予受理 (reject as not admissible): the desk's chiefs and admins, while the
  case waits at the desk (:meth:`CaseService.may_reject`);
* card buttons: only the people of a responsible unit get them; a copy of a card
  or notice sent to anyone else is for reading (:meth:`CaseService.actions_for`);
* answer the follow-up: only the case's reporter;
* view: the reporter, everyone who may act, chiefs/staff/admins of the district
  office and centres, and of the territorial unit (:meth:`CaseService.may_view`).
  Contact details (and phone/ID numbers in the text) are masked unless the
  viewer is the reporter, belongs to the unit that owns the case, or works at
  the dispatcher desk; a unit it was escalated to supervises and sees them masked
  (:meth:`CaseService.sees_contact`; the dashboard and its CSV export use the same rule).

Outbox conventions (rows of ``storage.models.OutboxMessage``):

* ``kind="card"``: the case card for one chat. There is one card per case per
  chat: the delivery worker sends the first card row for a (case, chat) and
  records the message in ``case_cards``; later card rows for the same pair edit
  that message in place (the newest row wins). Every change re-renders the
  card for everyone who ever got it plus everyone now responsible, each with
  the buttons that person may press (签收 / 处理中 / 办结 / 退单 / 上报; the
  dispatcher desk gets 派至<bureau> and a row of rooms).
* ``kind="message"``: a plain new message — the reporter's updates, the
  follow-up question (with the four 回访 buttons), and pings that must make a
  phone buzz (催签收, 催办, 上报督办, 退单 to the desk, 重办), which carry the
  recipient's card buttons too.
* ``reply_markup`` is a Telegram ``InlineKeyboardMarkup`` dict or None; callback
  data is signed with the :class:`~bot.services.callbacks.CallbackCodec` and carries the
  case version the buttons were drawn at (``ACTION:CASE:VERSION[:ARG]:SIG``).
* People without a ``chat_id`` (web / Open311 citizens), inactive or blocked
  people get no rows.

Case numbers are ``MQ<local date>-<case id, at least 4 digits>``, e.g.
``MQ20261127-0007``: unique by construction, no counter to contend for.
"""

from __future__ import annotations

from bot.services.cases.amend import CaseAmend
from bot.services.cases.digest import CaseDigest
from bot.services.cases.escalation import CaseEscalation
from bot.services.cases.extension import CaseExtension
from bot.services.cases.followup import CaseFollowUp, FollowUpInWords
from bot.services.cases.handling import CaseHandling
from bot.services.cases.intake import CaseIntake
from bot.services.cases.level import CaseLevel, LevelChoice
from bot.services.cases.model import (
    CLOSURE_KINDS,
    DISTRICT_KINDS,
    HANDLER_ROLES,
    MAX_NOTE,
    MAX_TEXT,
    MIN_RESULT_CHARS,
    RESULT_TOO_SHORT,
    SATISFACTIONS,
    TERRITORIAL_KINDS,
    WARNING_ROLES,
    Alternative,
    CaseView,
    ClassificationLike,
    Classifier,
    Preview,
    RequestDraft,
    TimelineEntry,
    WarningDraft,
    default_classifier,
)
from bot.services.cases.note_danger import CaseNoteDanger, NoteOutcome
from bot.services.cases.rejection import CaseRejection
from bot.services.cases.reporter_acts import CaseReporterActs
from bot.services.cases.returns import CaseReturns
from bot.services.cases.split import CaseSplit, SplitResult
from bot.services.cases.staff_notes import CaseStaffNotes
from bot.services.cases.timeline import CaseTimeline
from bot.services.cases.warning_intake import CaseWarningIntake
from bot.services.cases.warning_unconfirmed import UnconfirmedWarnings

__all__ = [
    "CLOSURE_KINDS",
    "DISTRICT_KINDS",
    "HANDLER_ROLES",
    "MAX_NOTE",
    "MAX_TEXT",
    "MIN_RESULT_CHARS",
    "RESULT_TOO_SHORT",
    "SATISFACTIONS",
    "TERRITORIAL_KINDS",
    "WARNING_ROLES",
    "Alternative",
    "CaseService",
    "CaseView",
    "ClassificationLike",
    "Classifier",
    "FollowUpInWords",
    "LevelChoice",
    "NoteOutcome",
    "Preview",
    "RequestDraft",
    "SplitResult",
    "TimelineEntry",
    "WarningDraft",
    "default_classifier",
]


class CaseService(
    CaseNoteDanger,
    CaseSplit,
    CaseIntake,
    UnconfirmedWarnings,
    CaseWarningIntake,
    CaseAmend,
    CaseLevel,
    CaseHandling,
    CaseReturns,
    CaseRejection,
    CaseFollowUp,
    CaseEscalation,
    CaseExtension,
    CaseReporterActs,
    CaseStaffNotes,
    CaseDigest,
    CaseTimeline,
):
    """Domain services for cases. One instance per process; safe to share.

    Composed of one mixin per stage of a case's life, all sharing the
    transaction helper of :mod:`bot.services.cases.tx`.
    """
