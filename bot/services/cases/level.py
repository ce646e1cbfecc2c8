"""The level of a warning changed after filing (更改等级, issue 13 "Officers").

Since trial 26 T24 a warning the rubric rates 特别重大 is filed and alerted the moment
its text arrives, so an officer who knows better corrects the level afterwards: from
the receipt or from /mine. The officer who filed it (and the district office:
``district.leadership``'s handlers, admins) may raise it freely; lowering a critical
rating (the rubric's, or the level it has now) needs a real reason and goes no lower
than 较大 (:func:`bot.services.triage.check_level`), like a lowering before filing.

A change is a ``severity_changed`` event (``from``, ``to``, the rules' words, the
reason as its note, ``after_filing``). Priority and deadlines become those of the new
level, counted from the change (the service's clock); the timers follow. Whoever holds
the card sees the new level; a raise brings the card to the units the new level
alerts; a lowered critical warning keeps every copy it reached and all of them, with
the responsible units, get the 【定级说明】 — the same as a warning filed lowered
(docs/severity.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import CaseView
from bot.services.cases.permissions import LEVEL_OVER
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import CaseError, EventType, record
from bot.services.lifecycle_rules import TimerKind, is_overdue
from bot.services.routing import police_copy, warning_recipients
from bot.services.triage import LEVEL_RANK, MIN_REASON_CHARS, check_level, emergency_of, reason_ok
from config.district import SEVERITIES
from storage import cases as store
from storage.enums import CaseKind, Channel
from storage.models import Case, CaseEvent, Person

#: Statuses in which a warning's level can no longer change.
_OVER = LEVEL_OVER

FORBIDDEN = "只有报送该预警的信息员或区群工办可以更改其等级。"
NOT_A_WARNING = "只能更改预警的等级。"
IS_OVER = "该预警已办结或结束办理，不能再更改等级。"
SAME_LEVEL = "等级未变。"
LOWER_REASON_HELP = (
    f"报送后下调预警等级须写明具体理由（至少{MIN_REASON_CHARS}个字，说明核实了什么），"
    "例如“已到现场核实，聚集人员已散去”。"
)


@dataclass(frozen=True)
class LevelChoice:
    """What the picker offers: the case, its level now, the rubric's, the levels allowed."""

    case_id: int
    number: str
    version: int
    severity: str
    rubric: str
    levels: tuple[str, ...]
    #: Chosen by the district office (区群工办) itself, not the warning's officer: it is
    #: not told to report its own change to the district (stop 35 D3).
    by_office: bool = False

    def needs_reason(self, level: str) -> bool:
        """Whether choosing ``level`` needs a reason: any lowering after filing does
        (trial 27 N9), as lowering a critical or by two levels does before filing."""
        return LEVEL_RANK[level] < LEVEL_RANK[self.severity]


MAJOR_FLOOR = (
    "重大预警报送后，报送人最多下调到“较大”；如经核实确属不实，请在“较大”下说明核实情况，"
    "由区群工办核实后再调整或办结。"
)


def _reference(rubric: str, severity: str) -> str:
    """The level a lowering is judged against: the higher of the rules' and the present."""
    return rubric if LEVEL_RANK.get(rubric, 0) >= LEVEL_RANK.get(severity, 0) else severity


class CaseLevel(CaseTx):
    """更改等级 on a filed warning."""

    async def _level_case(self, s: AsyncSession, actor: Person, case: Case) -> str:
        """Refuse unless ``actor`` may change ``case``'s level; the rubric's level."""
        if case.kind != CaseKind.WARNING.value:
            raise CaseError("forbidden", NOT_A_WARNING)
        if case.reporter_id != actor.id and not self.is_district_office(actor):
            raise CaseError("forbidden", FORBIDDEN)
        if case.status in _OVER:
            raise CaseError("illegal_transition", IS_OVER)
        data = await s.scalar(
            select(CaseEvent.data)
            .where(CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value)
            .limit(1)
        )
        rubric = data.get("rubric") if isinstance(data, dict) else None
        return rubric if isinstance(rubric, str) and rubric in SEVERITIES else case.severity

    def _may_clear(self, actor: Person, rubric: str, severity: str) -> bool:
        """Whether ``actor`` may set the warning to 一般: not a critical or 重大 rating
        lowered by its officer alone (the district office may, for a 重大 one)."""
        reference = _reference(rubric, severity)
        if reference == "critical":
            return False
        return reference != "high" or self.is_district_office(actor)

    async def level_choice(self, actor_id: int, case_id: int) -> LevelChoice:
        """The levels ``actor_id`` may set on the warning ``case_id`` (for the picker).

        Raises:
            CaseError: ``not_found``; ``forbidden`` (not a warning, or neither its
                officer nor the district office); ``illegal_transition`` (over).
        """
        async with self.db.session() as s:
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            rubric = await self._level_case(s, actor, case)
            floor = "low" if self._may_clear(actor, rubric, case.severity) else "medium"
            levels = tuple(
                lvl
                for lvl in sorted(SEVERITIES, key=LEVEL_RANK.__getitem__, reverse=True)
                if lvl != case.severity and LEVEL_RANK[lvl] >= LEVEL_RANK[floor]
            )
            by_office = case.reporter_id != actor.id and self.is_district_office(actor)
            return LevelChoice(
                case.id, case.number or "", case.version, case.severity, rubric, levels, by_office
            )

    async def change_level(
        self,
        actor_id: int,
        case_id: int,
        level: str,
        reason: str | None = None,
        channel: str = Channel.TELEGRAM,
    ) -> CaseView:
        """Set a filed warning's level; the actor's view of it.

        Raises:
            CaseError: as :meth:`level_choice`; ``bad_input`` (no such level, or the
                level it has); ``reason_required`` / ``too_low`` as
                :func:`bot.services.triage.check_level` (a critical rating lowered).
        """
        if level not in SEVERITIES:
            raise CaseError("bad_input", "预警等级无效。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            rubric = await self._level_case(s, actor, case)
            was = case.severity
            if level == was:
                raise CaseError("bad_input", SAME_LEVEL)
            reference = _reference(rubric, was)
            lowered = LEVEL_RANK[level] < LEVEL_RANK[was]
            if lowered and reference == "critical":
                _, reason = check_level("critical", level, reason)
            elif lowered:
                if level == "low" and not self._may_clear(actor, rubric, was):
                    # A 重大 warning (a collective petition) is not made 一般 on one officer's
                    # word: 较大 at most, the district office goes lower (trial 31 #16).
                    raise CaseError("too_low", MAJOR_FLOOR)
                # Any lowering after filing needs the same real reason (trial 27 N9).
                reason = (reason or "").strip()[:500] or None
                if not reason_ok(reason):
                    raise CaseError("reason_required", LOWER_REASON_HELP)
            else:
                reason = (reason or "").strip()[:500] or None
            case.severity = level
            case.priority = self.district.severity_priority[level]
            due = await self._new_deadlines(s, case, now)
            why = await self._rules_why(s, case)
            await record(
                s,
                case,
                EventType.SEVERITY_CHANGED,
                now=now,
                actor_id=actor.id,
                channel=channel,
                note=reason,
                data={"from": was, "to": level, "why": why, "after_filing": True, **due},
            )
            critical_copies = (
                *warning_recipients(self.district, "critical"),
                *police_copy(self.district, emergency_of(case.original_text)),
            )
            also: list[str] = list(warning_recipients(self.district, level))
            if level == "critical":
                also.extend(critical_copies)
            responsible = self.responsible_units(case)
            pings: list[tuple[Iterable[str], Callable[[CaseView], str]]] = []
            if lowered and reference == "critical":
                # Every copy the critical alert reached keeps it and reads why.
                told = dict.fromkeys([*responsible, *also, *critical_copies])
                for holder in await store.card_holders(s, case.id):
                    if holder.unit_id is not None:
                        told.setdefault(holder.unit_id)
                who = "报送人" if actor.id == case.reporter_id else "区群工办"
                # Lowered from a raise above the rules' level: both are named (trial 30 #11).
                above = was if LEVEL_RANK[was] > LEVEL_RANK.get(rubric, 0) else None
                raiser = await self._raised_by(s, case, was) if above else "报送人"
                pings.append(
                    (
                        list(told),
                        lambda v: nt.warning_lowered(
                            v, rubric, why, reason, who, was=above, raised_by=raiser
                        ),
                    )
                )
            else:
                kept = "deadlines_kept" in due
                pings.append(
                    (responsible, lambda v: nt.warning_level_changed(v, was, reason, kept=kept))
                )
                if lowered and reference == "high":
                    # A 重大 warning lowered: every other unit it reached reads why, as for
                    # a critical one (trial 31 #16); the owner's 【等级调整】 has the reason.
                    others = [
                        h.unit_id
                        for h in await store.card_holders(s, case.id)
                        if h.unit_id is not None and h.unit_id not in responsible
                    ]
                    who_ = "报送人" if actor.id == case.reporter_id else "区群工办"
                    above_ = was if LEVEL_RANK[was] > LEVEL_RANK.get(rubric, 0) else None
                    raiser_ = await self._raised_by(s, case, was) if above_ else "报送人"
                    pings.append(
                        (
                            list(dict.fromkeys(others)),
                            lambda v: nt.warning_lowered(
                                v, rubric, why, reason, who_, was=above_, raised_by=raiser_
                            ),
                        )
                    )
            await self.publish_tx(
                s,
                case,
                now,
                also_card_units=[u for u in dict.fromkeys(also) if u not in responsible],
                pings=pings,
            )
            return self.view_for(case, actor, now)

    async def _new_deadlines(self, s: AsyncSession, case: Case, now: datetime) -> dict[str, str]:
        """The new level's deadlines from ``now``; the timers follow. The escalation
        reached so far stays; an acknowledged case waits for no acknowledgement.

        A warning that missed a deadline or was escalated keeps them all (trial 27
        N9): the missed deadline stays missed (``deadline_missed``), the supervision
        deadline and its timers run on, and a level change never gives it fresh time.
        """
        if is_overdue(case, now) or case.escalation_level > 0:
            case.deadline_missed = case.deadline_missed or is_overdue(case, now)
            return {"deadlines_kept": "overdue" if case.deadline_missed else "escalated"}
        deadlines = self.district.deadlines[case.priority]
        due: dict[str, str] = {}
        waiting = case.status in ("registered", "dispatched", "returned", "reopened")
        if waiting and case.acknowledged_at is None:
            case.ack_due_at = now + deadlines.acknowledge
            due["ack_due_at"] = case.ack_due_at.isoformat()
        if case.first_contact_due_at is not None:
            case.first_contact_due_at = now + deadlines.first_contact
        case.resolve_due_at = now + deadlines.resolve
        due["resolve_due_at"] = case.resolve_due_at.isoformat()
        await store.cancel_timers(
            s, case.id, [TimerKind.ACK_DUE.value, TimerKind.RESOLVE_DUE.value], now=now
        )
        if "ack_due_at" in due:
            await self._schedule_ack(s, case, now)
        await self._schedule_resolve(s, case, now)
        return due

    async def _raised_by(self, s: AsyncSession, case: Case, level: str) -> str:
        """Who last raised ``case`` to ``level``: 报送人 (its officer, at filing or after)
        or 区群工办."""
        actor = await s.scalar(
            select(CaseEvent.actor_id)
            .where(
                CaseEvent.case_id == case.id,
                CaseEvent.type == EventType.SEVERITY_CHANGED.value,
                CaseEvent.data["to"].as_string() == level,
            )
            .order_by(CaseEvent.id.desc())
            .limit(1)
        )
        return "区群工办" if actor is not None and actor != case.reporter_id else "报送人"

    async def _rules_why(self, s: AsyncSession, case: Case) -> str:
        """The words that set the rules' level, as recorded at filing."""
        data = await s.scalar(
            select(CaseEvent.data)
            .where(CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value)
            .limit(1)
        )
        why = data.get("why") if isinstance(data, dict) else None
        return why if isinstance(why, str) else ""
