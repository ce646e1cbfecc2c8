"""Authorisation on the dashboard: which units' cases (and the identities in them) a person sees.

:class:`AccessPolicy` is built from a person and the district; the dashboard's
queries (:mod:`bot.web.dashboard_data`) filter with :meth:`AccessPolicy.case_clause`
and its pages check single cases with :meth:`AccessPolicy.can_see_case`. Who may
log in at all is :mod:`bot.web.auth`'s concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from bot.services.people import PersonLike
from config.district import District, UnitKind
from storage.enums import CaseKind, Role
from storage.models import Case, OutboxMessage, Person


class CaseLike(Protocol):
    """What the policy needs to know about a case (a :class:`Case` will do)."""

    @property
    def kind(self) -> str: ...
    @property
    def reporter_id(self) -> int | None: ...
    @property
    def owning_unit_id(self) -> str: ...
    @property
    def territorial_unit_id(self) -> str | None: ...
    @property
    def escalated_to_unit_id(self) -> str | None: ...


class Visibility(StrEnum):
    """How much of the dashboard a person sees."""

    NONE = "none"  # citizens, inactive people, people bound to no known unit
    OWN_WARNINGS = "own_warnings"  # information officers
    UNITS = "units"  # chiefs and staff: their unit and the units below it
    ALL = "all"  # admins, the mass-work office and its centres


#: Units whose chiefs and staff see everything.
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})


def unit_subtree(district: District, unit_id: str) -> frozenset[str]:
    """``unit_id`` and every unit below it."""
    found: set[str] = set()
    stack = [unit_id]
    while stack:
        current = stack.pop()
        if current in found or current not in district.units:
            continue
        found.add(current)
        stack.extend(child.id for child in district.children(current))
    return frozenset(found)


@dataclass(frozen=True)
class AccessPolicy:
    """Which cases, units and identities one person may see on the dashboard.

    * Admins, and chiefs and staff of the mass-work office or its centres,
      see everything.
    * Other chiefs and staff see their own unit and the units below it (a
      street station sees its communities' work rooms), not their siblings. A
      case is theirs when it is owned by, was escalated to, or happened in
      (territorial unit) one of those units, or when a copy of its card was sent to
      someone of those units (a fire warning's copy to the police: pf31 #3).
    * Information officers see only the warnings they filed.
    * Citizens, inactive people and people bound to an unknown unit see
      nothing.

    Seeing a case is not seeing its reporter's phone: that is the rule of
    ``CaseService.sees_contact`` (the owning unit and the dispatcher desk),
    the same as on Telegram cards.
    """

    person_id: int
    visibility: Visibility
    unit_ids: frozenset[str] = frozenset()

    @classmethod
    def for_person(cls, person: PersonLike, district: District) -> AccessPolicy:
        """The policy for ``person`` in ``district``."""
        nothing = cls(person_id=person.id, visibility=Visibility.NONE)
        if not person.active:
            return nothing
        role = person.role
        if role == Role.ADMIN:
            return cls(person.id, Visibility.ALL, frozenset(district.units))
        if role == Role.OFFICER:
            return cls(person.id, Visibility.OWN_WARNINGS)
        if role not in (Role.CHIEF, Role.STAFF) or person.unit_id not in district.units:
            return nothing
        if district.units[person.unit_id].kind in DISTRICT_KINDS:
            return cls(person.id, Visibility.ALL, frozenset(district.units))
        return cls(person.id, Visibility.UNITS, unit_subtree(district, person.unit_id))

    @property
    def dashboard(self) -> bool:
        """Whether the person may use the dashboard at all."""
        return self.visibility is not Visibility.NONE

    @property
    def sees_everything(self) -> bool:
        """Whether no filter applies."""
        return self.visibility is Visibility.ALL

    def can_see_unit(self, unit_id: str) -> bool:
        """Whether the unit's cases, people and figures are visible."""
        return self.visibility in (Visibility.ALL, Visibility.UNITS) and unit_id in self.unit_ids

    def can_see_case(self, case: CaseLike) -> bool:
        """Whether ``case`` is visible."""
        if self.visibility is Visibility.ALL:
            return True
        if self.visibility is Visibility.OWN_WARNINGS:
            return case.kind == CaseKind.WARNING and case.reporter_id == self.person_id
        if self.visibility is Visibility.UNITS:
            units = (case.owning_unit_id, case.territorial_unit_id, case.escalated_to_unit_id)
            return any(u is not None and u in self.unit_ids for u in units)
        return False

    def can_see_person(self, person: PersonLike) -> bool:
        """Whether a member of staff (their name, unit, role) is visible."""
        if person.id == self.person_id and self.dashboard:
            return True
        return person.unit_id is not None and self.can_see_unit(person.unit_id)

    def copy_clause(self) -> ColumnElement[bool]:
        """A SQL condition on :class:`Case`: a copy of its card was sent to someone of the
        person's units (the owner's card too). Whoever a copy went to opens it on the
        dashboard as on Telegram, with the same privacy (``CaseService.view_for``)."""
        if self.visibility is not Visibility.UNITS:
            return false()
        people = select(Person.id).where(Person.unit_id.in_(sorted(self.unit_ids)))
        sent = select(OutboxMessage.case_id).where(
            OutboxMessage.kind == "card", OutboxMessage.person_id.in_(people)
        )
        return Case.id.in_(sent)

    def case_clause(self) -> ColumnElement[bool]:
        """A SQL condition on :class:`Case`: :meth:`can_see_case` or :meth:`copy_clause`."""
        if self.visibility is Visibility.ALL:
            return true()
        if self.visibility is Visibility.OWN_WARNINGS:
            return and_(Case.kind == CaseKind.WARNING.value, Case.reporter_id == self.person_id)
        if self.visibility is Visibility.UNITS:
            units = sorted(self.unit_ids)
            return or_(
                Case.owning_unit_id.in_(units),
                Case.territorial_unit_id.in_(units),
                Case.escalated_to_unit_id.in_(units),
                self.copy_clause(),
            )
        return false()
