"""Who may do what with a case: the responsible units, and the permission rules.

The base of :class:`bot.services.cases.views.CaseViews` (and so of every mixin of
:class:`~bot.services.cases.CaseService`). See docs/lifecycle.md, "Who may press what".
"""

from __future__ import annotations

from bot.services.callbacks import CaseAction
from bot.services.cases.model import (
    DISTRICT_KINDS,
    HANDLER_ROLES,
)
from bot.services.lifecycle import (
    AT_DESK,
    ESCALATABLE,
    NO_SUCH_CASE,
    CaseError,
)
from bot.services.routing import escalation_path
from config.district import District
from storage.enums import CaseKind, CaseStatus, Role
from storage.models import Case, Person

#: The severity no desk closes as not admissible (不予受理).
CRITICAL = "critical"
#: Statuses in which a warning's level can no longer change (更改等级).
LEVEL_OVER = frozenset({"resolved", "followed_up", "closed", "rejected", "withdrawn"})


class CasePermissions:
    """Names, the responsible units and the permission rules (``may_*``, ``actions_for``)."""

    district: District

    # --- helpers: names, permissions, views ------------------------------------

    def unit_name(self, unit_id: str | None) -> str:
        """The display name of a unit ('' for None)."""
        if unit_id is None:
            return ""
        unit = self.district.units.get(unit_id)
        return unit.name if unit is not None else unit_id

    def responsible_units(self, case: Case) -> list[str]:
        """The owner and every unit the case has been escalated to, bottom up."""
        path = escalation_path(self.district, case.owning_unit_id, case.escalation_level)
        if case.escalated_to_unit_id and case.escalated_to_unit_id not in path:
            path.append(case.escalated_to_unit_id)
        return path

    def next_level(self, case: Case) -> str | None:
        """The unit the case would be escalated to next (None at the top)."""
        current = case.escalated_to_unit_id or case.owning_unit_id
        if current not in self.district.units:
            return None
        return self.district.escalation_target(current)

    def at_desk(self, person: Person) -> bool:
        """Whether ``person`` works the dispatcher desk (its chiefs and staff) or is an admin."""
        return self._is_dispatcher(person)

    def _is_dispatcher(self, person: Person) -> bool:
        if not person.active or person.blocked_at is not None:
            return False
        return person.role == Role.ADMIN or (
            person.role in (Role.CHIEF, Role.STAFF) and person.unit_id == self.district.dispatcher
        )

    def may_dispatch(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may 派单 ``case``: the desk or an admin, while it waits
        at the desk. A unit the undispatched case was escalated to (督查督办中心, 群工办)
        supervises it — 催办 and 上报 — and does not dispatch in the desk's place
        (README; trial 29 #9: the centre and the office got the desk's 派至 buttons)."""
        return CaseStatus(case.status) in AT_DESK and self._is_dispatcher(person)

    def may_redispatch(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may 改派 ``case`` to another unit (trial 32 D14): the desk
        (its chiefs and staff) and the district office (群工办), or an admin, once the
        case was escalated while nobody signed it — a silent unit must not be the only
        one who can move a misrouted case (by 退单). The district office once the
        case reached it (its earlier copies stay for reading)."""
        return (
            CaseStatus(case.status) in (CaseStatus.DISPATCHED, CaseStatus.REOPENED)
            and case.acknowledged_at is None
            and case.escalation_level > 0
            and (
                self._is_dispatcher(person)
                or (
                    self.is_district_office(person)
                    and (
                        person.role == Role.ADMIN or person.unit_id in self.responsible_units(case)
                    )
                )
            )
        )

    def may_act(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may acknowledge, handle, resolve, return or escalate ``case``.

        Chiefs and staff of a responsible unit (the owner — the dispatcher desk
        while the case waits there — and every unit it was escalated to), and
        admins. The desk does not act for a station on a case it has sent out:
        its copy of such a case (a critical request's, say) is for reading.
        """
        if not person.active or person.blocked_at is not None:
            return False
        if person.role == Role.ADMIN:
            return True
        if person.role not in (Role.CHIEF, Role.STAFF) or person.unit_id is None:
            return False
        return person.unit_id in self.responsible_units(case)

    def may_handle(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may 签收 / 处理中 / 办结 / 退单 ``case``: the owner's
        chiefs and staff, and admins.

        A unit the case was escalated to supervises (督办): it urges (催办), approves
        extensions, dispatches a case at the desk, or passes it further up; it does
        not acknowledge or resolve in the owner's name (the owner's figures would
        get the credit for work it never did).
        """
        if not self.may_act(person, case):
            return False
        return person.role == Role.ADMIN or person.unit_id == case.owning_unit_id

    def may_urge(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may 催办 ``case``: a supervising (escalated-to) unit's
        chiefs, staff and admins, while the case is open at a unit other than theirs."""
        return (
            self.may_act(person, case)
            and person.unit_id != case.owning_unit_id
            and person.unit_id in self.responsible_units(case)
            and CaseStatus(case.status) in ESCALATABLE
            and CaseStatus(case.status) not in AT_DESK
        )

    def may_reject(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may close ``case`` as not admissible (不予受理).

        The dispatcher desk's chief, or an admin, while the case waits at the desk
        (new and unclear, or returned by a station): the desk decides what is
        admissible; a station that gets junk returns it (退单) with the reason.
        Never a critical case (a danger to life): it is dispatched for the owning
        unit to verify and close (办结, 不属实 or 解释说明), as a reporter's 撤回 of
        one is only passed on for verification.
        """
        if not person.active or person.blocked_at is not None:
            return False
        if CaseStatus(case.status) not in AT_DESK or case.severity == CRITICAL:
            return False
        return person.role == Role.ADMIN or (
            person.role == Role.CHIEF and person.unit_id == self.district.dispatcher
        )

    def may_view(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may see ``case`` at all."""
        if case.reporter_id is not None and person.id == case.reporter_id:
            return True
        if self.may_act(person, case):
            return True
        if not person.active or person.role not in HANDLER_ROLES or person.unit_id is None:
            return False
        unit = self.district.units.get(person.unit_id)
        if unit is not None and unit.kind in DISTRICT_KINDS:
            return True
        return person.unit_id == case.territorial_unit_id

    def not_yours(self, person: Person | None, case: Case) -> CaseError:
        """The refusal of an act on ``case`` by ``person``, who may not act on it.

        Whoever may read the case (its reporter, the territorial station, the
        district's centres) is told which unit handles it: they can see that on the
        card anyway, and it says where to turn. Anyone else — a citizen replaying a
        button of someone else's case, a station with no part in it — learns
        nothing of the case, not even that it exists or who handles it (trial 30 #16).
        """
        if person is None or not self.may_view(person, case):
            return CaseError("forbidden", NO_SUCH_CASE)
        return CaseError(
            "forbidden",
            f"此件由{self.unit_name(case.owning_unit_id)}承办，"
            "您不是承办单位的工作人员，无权办理。",
        )

    def sees_contact(self, person: Person | None, case: Case) -> bool:
        """Whether ``person`` sees the reporter's name, phone and place unmasked.

        The one rule for Telegram cards, the dashboard and its CSV export: the
        reporter, the owning unit (who calls the reporter back) and the dispatcher
        desk see them in full; everybody else who may read the case sees them
        masked (``138****5678``, :func:`nlp.mask_sensitive` in the text, as Open311's
        public list): a territorial station, the other centres, and the units the
        case was escalated to, who supervise the owner and do not call the reporter
        (trial finding #11). ``None`` is the system itself.
        """
        if person is None:
            return True
        if case.reporter_id is not None and person.id == case.reporter_id:
            return True
        if person.role not in HANDLER_ROLES or not person.active:
            return False
        return person.unit_id in (self.district.dispatcher, case.owning_unit_id)

    def sees_disclosure(self, person: Person | None, case: Case) -> bool:
        """Whether ``person`` reads a self-harm disclosure in full (trial 29 P14).

        Someone who wrote of harming themselves told the service about their debts,
        their family and where they mean to do it. Those whose work needs the words
        read them: the reporter, the owning unit (the police station that goes to
        them) and the dispatcher desk (the crisis desk that may re-dispatch); every
        other holder of the card (the centres, the leadership, a station the case
        was escalated to) reads a short summary (:func:`~bot.services.notifications.
        disclosure_summary`). ``None`` is the system itself.
        """
        if person is None:
            return True
        if case.reporter_id is not None and person.id == case.reporter_id:
            return True
        if person.role not in HANDLER_ROLES or not person.active:
            return False
        # The station of the officer who filed a warning reads its place beside the
        # summary, never the words (review 35d F3: CaseViews.view's ``place``).
        return person.unit_id in (case.owning_unit_id, self.district.dispatcher)

    def is_district_office(self, person: Person) -> bool:
        """Whether ``person`` speaks for the district office (区群工办): an admin, or a
        chief or staff member of ``district.leadership``."""
        if not person.active or person.blocked_at is not None:
            return False
        return person.role == Role.ADMIN or (
            person.unit_id == self.district.leadership and person.role in (Role.CHIEF, Role.STAFF)
        )

    def may_change_level(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may 更改等级 ``case`` from a card: the district office, on
        a warning not yet over (its officer does so from the receipt or /mine; the
        service checks again, :mod:`bot.services.cases.level`)."""
        return (
            case.kind == CaseKind.WARNING
            and case.status not in LEVEL_OVER
            and self.is_district_office(person)
        )

    def actions_for(self, person: Person, case: Case) -> list[CaseAction]:
        """The card buttons ``person`` may press on ``case`` now.

        Only the people of a responsible unit get the case's buttons: a copy sent
        to anyone else (the centres, the leadership, the police's copy of an
        emergency, an admin of another unit) is for reading. The one exception is
        更改等级 on a warning, which the district office may press wherever it sees
        the warning's card (trial 27 N10).
        """
        acts = self._handling_actions(person, case)
        if self.may_redispatch(person, case):
            acts[:0] = [CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM]
        if self.may_change_level(person, case):
            acts.append(CaseAction.LEVEL)
        return acts

    def _handling_actions(self, person: Person, case: Case) -> list[CaseAction]:
        """The case's buttons for the people of a responsible unit (see :meth:`actions_for`)."""
        if not self.may_act(person, case) or person.unit_id not in self.responsible_units(case):
            return []
        status = CaseStatus(case.status)
        acts: list[CaseAction] = []
        if self.may_dispatch(person, case):
            acts += [CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM]
        if person.unit_id != case.owning_unit_id:
            # A supervising unit's card: 催办 and 上报, never the desk's 派单 nor the
            # owner's 签收 / 办结 (see ``may_handle``).
            if self.may_urge(person, case):
                acts.append(CaseAction.URGE)
            if status in ESCALATABLE and self.next_level(case) is not None:
                acts.append(CaseAction.ESCALATE)
            return acts
        if status in (CaseStatus.DISPATCHED, CaseStatus.REOPENED):
            acts.append(CaseAction.ACKNOWLEDGE)
        if status == CaseStatus.ACKNOWLEDGED:
            acts.append(CaseAction.START)
        if status in (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS):
            acts.append(CaseAction.RESOLVE)
        if (
            status in (CaseStatus.DISPATCHED, CaseStatus.ACKNOWLEDGED)
            and case.owning_unit_id != self.district.dispatcher
        ):
            acts.append(CaseAction.RETURN)
        if status in ESCALATABLE and self.next_level(case) is not None:
            acts.append(CaseAction.ESCALATE)
        if self.may_reject(person, case):
            acts.append(CaseAction.REJECT)
        return acts
