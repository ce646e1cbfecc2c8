"""The case service's data: drafts, previews, views, timeline entries and limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.services.cases.text_rules import MAX_NOTE as MAX_NOTE
from bot.services.cases.text_rules import _clean as _clean
from bot.services.cases.text_rules import _mask_name as _mask_name
from bot.services.cases.text_rules import _mask_phone as _mask_phone
from bot.services.cases.text_rules import _required as _required
from bot.services.cases.text_rules import mask_id_numbers as mask_id_numbers
from bot.services.cases.text_rules import strip_controls as strip_controls
from bot.services.lifecycle import is_meaningful
from bot.services.routing import UNKNOWN
from config.district import GRASSROOTS_KINDS, UnitKind
from nlp import classify as nlp_classify
from nlp import mask_sensitive
from storage.enums import Role

#: Roles that handle cases for their unit.
HANDLER_ROLES = (Role.CHIEF.value, Role.STAFF.value, Role.ADMIN.value)
#: Roles allowed to file a warning.
WARNING_ROLES = (Role.OFFICER.value, Role.STAFF.value, Role.CHIEF.value)
SATISFACTIONS = ("satisfied", "basically_satisfied", "unsatisfied")
#: What a station claims at 办结: the matter was solved, explained, or found untrue.
CLOSURE_KINDS = {"solved": "实际解决", "explained": "解释说明", "unfounded": "不属实"}
MAX_TEXT = 5000
#: Meaningful characters (:func:`bot.services.lifecycle.meaningful_length`) a 办结
#: result needs: the citizen reads it as the answer to their problem (``ok`` is none).
MIN_RESULT_CHARS = 4
#: The refusal of a result that says nothing.
RESULT_TOO_SHORT = (
    f"办理结果过于简单。请写明做了什么、结果如何（至少{MIN_RESULT_CHARS}个字），"
    "例如“已协调企业于本月底前补发工资”。群众会看到这段说明。"
)
#: The refusal of a 退单 reason that says nothing (the desk re-dispatches by it).
RETURN_REASON_TOO_SHORT = (
    f"退单理由过于简单。请写明为什么不属于本单位办理、应由哪里办理（至少{MIN_RESULT_CHARS}个字），"
    "例如“属于社保缴费问题，应由区劳动局办理”。分派台将据此重新派单。"
)
#: The refusal of a 不予受理 reason that says nothing: the citizen reads it as why their
#: request was closed unheard (trial 32 D13: 「理由：无」 was accepted and sent).
REJECT_REASON_TOO_SHORT = (
    f"不予受理理由过于简单。请写明为什么不属于受理范围（至少{MIN_RESULT_CHARS}个字），"
    "例如“内容无法识别，不是具体诉求”。反映人将看到这段理由。"
)
#: Meaningful characters a 退单 reason of a critical (danger-now) case needs, as a
#: lowered level's (:data:`bot.services.triage.MIN_REASON_CHARS`).
MIN_CRITICAL_RETURN_CHARS = 5
#: What a critical case's 退单 reason must name: what was verified, or where the
#: danger belongs (不归我们管 names neither: trial 29 #7).
_CRITICAL_RETURN_RE = re.compile(
    r"核实|核查|查实|查明|到场|现场|误报|虚假|不属实|已处置|处置完毕|已排除|已联系|已救出|已送医"
    r"|应由|应该由|应当由|属于|移交|转交|转给|交由|交给|[局队所院]|中心|街道|社区|辖区|消防|派出所|医院|120|119"
)
#: The refusal of a critical case's 退单 reason that neither says what was verified
#: nor where the danger belongs.
CRITICAL_RETURN_REASON_HELP = (
    "这是特别重大（危险正在发生）的案件，退单须写明具体理由（至少"
    f"{MIN_CRITICAL_RETURN_CHARS}个字）：核实了什么，或应由哪个单位处置，"
    "例如“已到现场核实，系误报，无人被困”或“属于燃气泄漏，应由区建设局燃气抢修处置”。"
    "分派台将立即据此重新派单。"
)


def critical_return_ok(reason: str) -> bool:
    """Whether ``reason`` may return a critical case: meaningful (as a lowered level's
    reason) and saying what was verified or where the danger belongs."""
    return (
        is_meaningful(reason, MIN_CRITICAL_RETURN_CHARS)
        and _CRITICAL_RETURN_RE.search(reason) is not None
    )


#: Unit kinds whose people may view every case (district office and centres).
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})
TERRITORIAL_KINDS = GRASSROOTS_KINDS | {UnitKind.STREET_STATION, UnitKind.PARK_STATION}


# --- the classifier, injectable ---------------------------------------------------


class ClassificationLike(Protocol):
    """What the service needs from ``nlp.classify``'s result."""

    @property
    def room(self) -> str: ...
    @property
    def bureau(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def keywords(self) -> Sequence[Any]: ...
    @property
    def severity(self) -> str: ...


#: ``text -> classification``; the default is ``nlp.classify``.
Classifier = Callable[[str], ClassificationLike]


def default_classifier(text: str) -> ClassificationLike:
    """The real classifier, :func:`nlp.classify`."""
    return nlp_classify(text)


def _keywords(values: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list | tuple) and v:
            out.append(str(v[0]))
        else:
            out.append(str(v))
    return out


def _alternative_pair(item: Any) -> tuple[str, str] | None:
    if isinstance(item, dict):
        room, bureau = item.get("room"), item.get("bureau")
    elif isinstance(item, list | tuple):
        room = item[0] if len(item) > 0 else None
        bureau = item[1] if len(item) > 1 else None
    else:
        room, bureau = getattr(item, "room", None), getattr(item, "bureau", None)
    if not isinstance(room, str):
        return None
    return room, bureau if isinstance(bureau, str) else UNKNOWN


# --- inputs and views -------------------------------------------------------------


@dataclass(frozen=True)
class RequestDraft:
    """A citizen's request as collected by a handler or a form."""

    text: str
    room: str | None = None
    bureau: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    territorial_unit_id: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    photo_file_ids: Sequence[str] = ()
    #: The reporter asked for 交由工作人员分派 (no room or bureau chosen): the desk, not the
    #: classifier's bureau, even when it is confident (two matters filed as one, trial 33b E10).
    to_desk: bool = False


@dataclass(frozen=True)
class WarningDraft:
    """An information officer's early warning (everything but the text is optional)."""

    text: str
    room: str | None = None
    bureau: str | None = None
    severity: str | None = None
    place: str | None = None
    #: A location the officer shared (WGS-84 degrees, as Telegram gives them).
    latitude: float | None = None
    longitude: float | None = None
    head_count: int | None = None
    photo_file_ids: Sequence[str] = ()
    #: Why the officer lowered the rubric's level (required to lower a critical one).
    severity_reason: str | None = None


@dataclass(frozen=True)
class Alternative:
    """One of the classifier's top candidates (the first is usually the answer itself)."""

    room: str
    room_name: str
    bureau: str
    bureau_name: str


@dataclass(frozen=True)
class Preview:
    """The answer to "which office handles this?" — nothing is filed."""

    room: str
    room_name: str
    bureau: str
    bureau_name: str
    confidence: float
    #: True when the answer should be confirmed by the citizen: unknown, below
    #: ``district.min_routing_confidence`` (a case would go to the dispatcher
    #: desk) or below the classifier's own ``UNSURE_BELOW``.
    unsure: bool
    keywords: tuple[str, ...]
    severity: str
    severity_label: str
    address: str
    hours: str
    phone: str
    alternatives: tuple[Alternative, ...] = ()
    truncated: bool = False
    #: What the bureau handles (``duties`` in the district config), for the citizen.
    bureau_duties: str = ""
    #: The words that set the severity by the rubric (``割腕、流血``), for "why".
    severity_why: str = ""
    #: One line the citizen reads before the rest (violence at home told as a habit:
    #: :func:`bot.services.triage.safety_hint`), or empty.
    safety_hint: str = ""
    #: Every keyword scored that the text holds, read by decisions (``keywords``: those
    #: shown as 判断依据, without filler, places, times; review 1, R8).
    keywords_all: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseView:
    """A case as one viewer may see it (contact details masked unless ``masked`` is False)."""

    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    room: str
    room_name: str
    bureau: str
    bureau_name: str
    severity: str
    severity_label: str
    priority: str
    confidence: float
    keywords: tuple[str, ...]
    owning_unit_id: str
    owning_unit_name: str
    territorial_unit_id: str | None
    territorial_unit_name: str
    escalation_level: int
    escalated_to_unit_id: str | None
    escalated_to_unit_name: str
    text: str
    address: str | None
    latitude: float | None
    longitude: float | None
    contact_name: str | None
    contact_phone: str | None
    photo_file_ids: tuple[str, ...]
    head_count: int | None
    reporter_id: int | None
    channel: str
    created_at: datetime
    dispatched_at: datetime | None
    ack_due_at: datetime | None
    first_contact_due_at: datetime | None
    resolve_due_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution_note: str | None
    overdue: bool
    version: int
    masked: bool
    #: The classifier's proposal when the reporter chose another office (``室 · 局``), else "".
    suggested_name: str = ""
    #: How many times the reporter's follow-up reopened the case (重办).
    reopen_count: int = 0
    #: The units (names) told at once besides the owner, on the view returned by
    #: filing (the reporter's receipt lists them: trial 26 T3); empty elsewhere.
    informed_unit_names: tuple[str, ...] = ()
    #: On the view returned by 办结: the reporter had blocked the bot, so the notice
    #: and the follow-up wait (/status offers the follow-up when they are back).
    reporter_blocked: bool = False
    #: A self-harm disclosure read by a unit whose work does not need its words:
    #: ``text`` is a summary, and what the reporter adds is not shown (trial 29 P14).
    summary_only: bool = False
    #: What was late (办理超期 / 签收超时 / 派单超时), ``""`` if nothing (trial 29 P11).
    overdue_label: str = ""
    #: On /pending: the first 签收/派单时限 missed before an escalation gave a new one.
    missed_ack_due_at: datetime | None = None
    #: The 签收/派单时限 in force has passed and nobody acted (shown as passed: D15).
    ack_passed: bool = False
    #: The bureau the desk is offered (派至…): the case's own, or after a 退单 the one
    #: proposed apart from its classification (trial 32 D2); "" for none.
    desk_bureau: str = ""
    desk_bureau_name: str = ""

    @property
    def photo_count(self) -> int:
        """How many photos were attached."""
        return len(self.photo_file_ids)

    def shown(self, text: str) -> str:
        """Free text written on the case (a 办理记录, a 补充说明, a reason) as this
        view's reader may see it, masked as the card masks the case's text: phone and
        ID numbers for a reader outside the owning unit and the desk (``masked``), ID
        numbers for everybody (trial 33 D9)."""
        return mask_sensitive(text) if self.masked else mask_id_numbers(text)

    @property
    def note_label(self) -> str:
        """What the case's ``resolution_note`` is now, for the card, the dashboard and
        the export: 办理结果 of a case 办结; 上次办理结果（…） of a case reopened since
        (trial 32 D8: the new round has no result yet, and the old one is not the
        answer); 不予受理理由, 撤回原因; ``""`` when there is no note."""
        if not self.resolution_note:
            return ""
        if self.status == "withdrawn":
            return "撤回原因"
        if self.status == "rejected":
            return "不予受理理由"
        if self.reopen_count and self.status not in ("resolved", "followed_up", "closed"):
            return EARLIER_RESULT
        return "办理结果"


#: The result of the round before a 重办, which the reporter did not accept.
EARLIER_RESULT = "上次办理结果（群众表示未解决或不满意）"


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a case, ready to show."""

    at: datetime
    type: str
    label: str
    from_status: str | None
    to_status: str | None
    status_label: str
    unit_id: str | None
    unit_name: str
    actor_id: int | None
    actor_name: str | None
    channel: str
    note: str | None
    data: dict[str, Any] = field(default_factory=dict)
    #: The unit of the person who acted (the event's ``unit_name`` is the case's owner's).
    actor_unit_name: str = ""
