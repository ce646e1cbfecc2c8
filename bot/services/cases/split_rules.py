"""The rules of a 拆分 (:mod:`bot.services.cases.split`): who may split which case,
what the original keeps, and the part's own plan (classification, route, level).

The dispatcher desk (and admins) may split any open request; the chiefs and staff of
the unit that owns it may split it too. A warning, or a case already 办结, is not split.

**The level follows the danger; a split never lowers one.** The new case's level is its
own text's, except when the original was 重大 or 特别重大, the part's own text rates
below that, and the danger may have gone with the part: then the part is filed at the
original's level. Where the danger is:

* the part is cut from the original's text and what the original keeps rates at its
  level: the danger stays with the original, the part takes its own level;
* the part is cut from the text and what stays rates below: the danger went with the
  part (``DANGER_IN_PART``), the part keeps the original's level;
* the part is the splitter's wording (not in the text): the original keeps all its words,
  so when they rate at its level the danger stays with the original (救命啊 split from a
  street lamp, trial 34 #3: the lamp takes its own level); when they do not (the level
  came from elsewhere) the danger cannot be located (``DANGER_UNKNOWN``) and the part is
  kept at the original's level, said so truthfully.

The original is never lowered.

**Danger only in the splitter's words is confirmed first** (trial 34 #2): a part that is
not in the citizen's text and tells of danger now (or rates 重大/特别重大 above the
original) would file a police case in the citizen's name that the citizen never
reported; :meth:`SplitRules._needs_confirmation` asks the splitter to confirm it first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.services.cases.intake import CaseIntake, RequestPlan, critical_copies, high_copies
from bot.services.cases.model import RequestDraft
from bot.services.lifecycle import CaseError, is_meaningful, status_label
from bot.services.routing import Route
from bot.services.triage import LEVEL_RANK
from storage.enums import CaseKind, CaseStatus, Role
from storage.models import Case, Person

__all__ = [
    "DANGER_IN_PART",
    "DANGER_UNKNOWN",
    "MIN_PART_CHARS",
    "SERIOUS",
    "SPLITTABLE",
    "SplitRules",
    "body_and_marks",
    "remainder_of",
]

#: Statuses in which a case may be split: open, not yet 办结.
SPLITTABLE = frozenset(
    {
        CaseStatus.REGISTERED,
        CaseStatus.RETURNED,
        CaseStatus.DISPATCHED,
        CaseStatus.ACKNOWLEDGED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.REOPENED,
    }
)
#: The meaningful characters a split-out matter needs (as a 退单 reason).
MIN_PART_CHARS = 4
#: The levels a split keeps on the part when the danger went with it.
SERIOUS = ("high", "critical")
#: Why a part was kept at the original's level: the danger went with it ...
DANGER_IN_PART = "part"
#: ... or where the danger is cannot be told.
DANGER_UNKNOWN = "unknown"

#: What is left where the part was cut out: a joining word, punctuation.
_PUNCTUATION = "，,。.；;、！!？? "
_JOINS = re.compile(r"[，,。；;]?\s*(另外|还有|此外|对了|以及)[，,：:]?\s*$")
_LEADING_JOINS = re.compile(r"^[，,。；;\s]*(另外|还有|此外|对了|以及)[，,：:]?")


#: The marks earlier splits left at the end of a case's text (trial 34 #19).
_MARKS = re.compile(r"(?:（(?:另一件事已拆分为|已拆分出) MQ\d{8}-\d+）)+$")


def body_and_marks(text: str) -> tuple[str, str]:
    """A case's text as the citizen's words it still handles and the marks of earlier
    splits after them (「（另一件事已拆分为 MQ…）」), which a split keeps as they are."""
    found = _MARKS.search(text)
    return (text, "") if found is None else (text[: found.start()], found.group(0))


def remainder_of(original: str, part: str) -> str | None:
    """The original's text without ``part`` (trimmed of joining words and punctuation),
    or None when ``part`` is not in it as written (the splitter rewrote it)."""
    squeezed = "".join(part.split())
    text = "".join(original.split())
    if not squeezed or squeezed not in text:
        return None
    rest = _JOINS.sub("", text.replace(squeezed, "", 1))
    return _LEADING_JOINS.sub("", rest.strip(_PUNCTUATION)).strip(_PUNCTUATION)


class SplitRules(CaseIntake):
    """Who may split, and the part's plan, for :class:`~bot.services.cases.split.CaseSplit`."""

    def may_split(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may split ``case``: the desk (chiefs, staff) and admins,
        and the chiefs and staff of the unit that owns it, while it is an open request."""
        if case.kind != CaseKind.REQUEST.value or CaseStatus(case.status) not in SPLITTABLE:
            return False
        if self._is_dispatcher(person):
            return True
        return (
            person.active
            and person.blocked_at is None
            and person.role in (Role.CHIEF, Role.STAFF)
            and person.unit_id is not None
            and person.unit_id == case.owning_unit_id
        )

    def _check_split(self, actor: Person, case: Case) -> None:
        number = case.number or ""
        if not self._is_dispatcher(actor) and not self.may_view(actor, case):
            # Nothing of a case the actor may not see: not even that it exists (trial 30 #16).
            raise CaseError(
                "forbidden",
                f"没有找到您可以拆分的案件 {number}：该编号不存在，或不由您所在单位承办。",
            )
        if case.kind != CaseKind.REQUEST.value:
            raise CaseError("illegal_transition", f"{number} 是预警信息，不能拆分。")
        if CaseStatus(case.status) not in SPLITTABLE:
            raise CaseError(
                "illegal_transition",
                f"{number} 当前状态为“{status_label(case.status)}”，不能拆分；"
                "如群众还有其他问题，请引导其重新反映。",
            )
        if not self.may_split(actor, case):
            raise CaseError(
                "forbidden",
                f"您无权拆分 {number}：只有分派台和承办该案件的单位可以拆分。",
            )

    def _split_plan(
        self, original: Case, part: str, target: str | None
    ) -> tuple[RequestPlan, str | None, str | None]:
        """The part's plan (its own classification, route and level), raised to the
        original's level when the danger may have gone with it; the part's own level
        when raised so (else None); and why (:data:`DANGER_IN_PART`,
        :data:`DANGER_UNKNOWN`; else None)."""
        bureau = target if target in self.district.bureaus else None
        draft = RequestDraft(
            text=part, bureau=bureau, territorial_unit_id=original.territorial_unit_id
        )
        plan = self._plan_request(part, draft)
        if target is not None and bureau is None and plan.emergency is None:
            # A street or park station chosen by the splitter: the classification stays.
            # Danger now keeps the owner that can act on it (route_danger).
            plan = replace(plan, route=replace(plan.route, owning_unit_id=target, to_desk=False))
        if plan.route.how == "chosen":
            plan = replace(plan, route=replace(plan.route, how="split"))
        level = original.severity
        if level not in SERIOUS or LEVEL_RANK.get(plan.severity, 0) >= LEVEL_RANK[level]:
            return plan, None, None
        body = body_and_marks(original.original_text)[0]
        kept = remainder_of(body, part)
        # The splitter's wording: the original keeps all its words (trial 34 #3).
        stays = body if kept is None else kept
        if is_meaningful(stays, MIN_PART_CHARS) or kept is None:
            rest = self._plan_request(stays, RequestDraft(text=stays)).severity
            if LEVEL_RANK.get(rest, 0) >= LEVEL_RANK[level]:
                return plan, None, None  # the danger stays with the original
        why = DANGER_UNKNOWN if kept is None else DANGER_IN_PART
        return self._raised(plan, level), plan.severity, why

    def _needs_confirmation(self, original: Case, part: str, plan: RequestPlan) -> bool:
        """Whether the split of ``part`` must be confirmed by the splitter first: the
        part is not in the citizen's text (the splitter's wording) and tells of danger
        now, or rates 重大/特别重大 above the original (trial 34 #2)."""
        if remainder_of(body_and_marks(original.original_text)[0], part) is not None:
            return False
        if plan.emergency is not None:
            return True
        return plan.severity in SERIOUS and LEVEL_RANK.get(plan.severity, 0) > LEVEL_RANK.get(
            original.severity, 0
        )

    def _raised(self, plan: RequestPlan, level: str) -> RequestPlan:
        """``plan`` at ``level`` (重大 or 特别重大): its deadlines and copies."""
        route: Route = plan.route
        also = critical_copies(self.district, route) if level == "critical" else ()
        if level == "high":
            also = high_copies(self.district, route)
        return replace(
            plan,
            severity=level,
            priority=self.district.severity_priority[level],
            also=tuple(dict.fromkeys((*plan.also, *also))),
        )
