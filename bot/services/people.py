"""People as the chat front ends need them: who is writing, and what they may do.

A small service over ``storage.org`` (and, for the pre-checks of card buttons,
over :class:`bot.services.cases.CaseService`). It knows nothing of Telegram: it takes
Telegram user ids as plain integers, like the web front end would take a login.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from bot.services.callbacks import CaseAction
from bot.services.cases import CaseService
from bot.services.cases.model import _mask_phone
from bot.services.lifecycle import NO_SUCH_CASE, CaseError
from config.district import GRASSROOTS_KINDS, District, UnitKind, chief_title, place_name
from storage import cases as store
from storage.db import Database
from storage.enums import CaseStatus, Role
from storage.models import Person
from storage.org import (
    PersonRow,
    add_citizen_hot,
    ensure_citizen,
    find_person_hot,
    get_person_by_telegram_id,
)

#: What a phone number may look like (mobile, landline with area code, +86).
PHONE_RE = re.compile(r"^\+?[\d\- ]{5,20}$")
#: Fewest digits of a number somebody can be called back on: a landline without its area
#: code has 7 or 8, a mobile 11; 12345 or 95588 are hotlines, not a person's number.
MIN_PHONE_DIGITS = 7


#: A mainland mobile number: 11 digits from 13x to 19x.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def mobile_number(text: str) -> str | None:
    """``text`` as an 11-digit mainland mobile number (spaces, dashes and +86 allowed)."""
    compact = re.sub(r"[\s\-－—]", "", text)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            compact = compact[len(prefix) :]
    return compact if MOBILE_RE.match(compact) else None


def looks_like_phone(text: str) -> bool:
    """Whether ``text`` is a phone number a person can be called back on."""
    digits = sum(ch.isdigit() for ch in text)
    return bool(PHONE_RE.match(text)) and digits >= MIN_PHONE_DIGITS


def display_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A Telegram user's name as Telegram shows it: first and last name, else the username.

    The one rule for a person's name: the handlers (``handlers.base.display_name``,
    from PTB's ``User``) and the inbox's first contact (from the raw update) both
    call it, so a citizen's row is written with the same name either way.
    """
    first, last = first_name or "", last_name or ""
    name = f"{first} {last}" if last else first
    return name or username or ""


def mask_phone(phone: str) -> str:
    """A phone number as everybody but its handlers sees it (``138****5678``)."""
    return _mask_phone(phone) or ""


#: Roles that handle the cases of their unit (card buttons, /pending).
HANDLER_ROLES = frozenset({Role.CHIEF, Role.STAFF, Role.ADMIN})
#: Roles that may file an early warning.
WARNING_ROLES = frozenset({Role.OFFICER, Role.STAFF, Role.CHIEF})
#: Chinese names of the roles.
ROLE_LABELS: dict[Role, str] = {
    Role.CITIZEN: "群众",
    Role.OFFICER: "信息员",
    Role.STAFF: "工作人员",
    Role.CHIEF: "站长",
    Role.ADMIN: "管理员",
}


def role_title(role: Role | str, unit_kind: UnitKind | None) -> str:
    """A role in Chinese; a chief's title follows the unit kind (``chief_title``)."""
    try:
        role = Role(role)
    except ValueError:
        return str(role)
    if role is Role.CHIEF:
        return chief_title(unit_kind)
    return ROLE_LABELS.get(role, role.value)


#: Unit kinds a citizen may pick as the place of their problem (属地).
TERRITORIAL_CHOICE_KINDS = frozenset({UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM})


@dataclass(frozen=True)
class PersonInfo:
    """A person as a front end sees them (detached from any session)."""

    id: int
    telegram_user_id: int | None
    name: str
    role: Role
    unit_id: str | None
    unit_name: str
    active: bool

    unit_kind: UnitKind | None = None

    @property
    def role_label(self) -> str:
        """The role in Chinese; a chief is called by the kind of unit (站长, 主任)."""
        return role_title(self.role, self.unit_kind)

    @property
    def handles_cases(self) -> bool:
        """Whether the person handles cases for a unit (chief, staff, admin)."""
        return self.active and self.role in HANDLER_ROLES and self.unit_id is not None

    @property
    def may_warn(self) -> bool:
        """Whether the person may file an early warning."""
        return self.active and self.role in WARNING_ROLES and self.unit_id is not None

    @property
    def is_admin(self) -> bool:
        """Whether the person is an administrator."""
        return self.active and self.role == Role.ADMIN


@dataclass(frozen=True)
class Place:
    """A community or residential area a citizen may choose (属地)."""

    unit_id: str
    name: str
    parent_name: str


class PeopleService:
    """Looks people up and checks what they may do; one instance per process."""

    def __init__(self, db: Database, district: District, cases: CaseService) -> None:
        self.db = db
        self.district = district
        self.cases = cases

    def _info(self, person: Person | PersonRow) -> PersonInfo:
        try:
            role = Role(person.role)
        except ValueError:
            role = Role.CITIZEN
        unit = self.district.units.get(person.unit_id) if person.unit_id else None
        return PersonInfo(
            id=person.id,
            telegram_user_id=person.telegram_user_id,
            name=person.name,
            role=role,
            unit_id=person.unit_id,
            unit_name=unit.name if unit is not None else (person.unit_id or ""),
            active=person.active,
            unit_kind=unit.kind if unit is not None else None,
        )

    async def find(self, telegram_user_id: int) -> PersonInfo | None:
        """The person with this Telegram user id, if known."""
        async with self.db.session() as session:
            person = await get_person_by_telegram_id(session, telegram_user_id)
            return None if person is None else self._info(person)

    async def touch(self, telegram_user_id: int, name: str, chat_id: int | None) -> PersonInfo:
        """The person writing to the bot, created as a citizen on first contact.

        Someone who writes to the bot in their private chat has (again) allowed it
        to write back: a ``blocked_at`` mark left by the delivery worker is cleared,
        and the chat id is kept current. ``chat_id`` is None for an update from
        another chat (a button under a message in a group or in somebody else's
        chat): neither changes then, and a new person's notices go to their private
        chat, whose id is their user id.
        """
        private = chat_id is not None
        # Most updates come from someone known whose row needs no change: one read.
        async with self.db.hot(write=False) as conn:
            row = await find_person_hot(conn, telegram_user_id)
        if row is None:
            # First contact: a citizen row, written again harmlessly on a replay.
            async with self.db.hot() as conn:
                now = self.cases.clock.now()
                own = chat_id if chat_id is not None else telegram_user_id
                await add_citizen_hot(conn, telegram_user_id, name, own, now)
                row = await find_person_hot(conn, telegram_user_id)
        if (
            row is not None
            and (not row.blocked or not private)
            and (row.chat_id == chat_id or not private)
            and (not name or row.name == name[:200].replace("\x00", "\ufffd"))
        ):
            return self._info(row)
        # A changed name or chat, or a blocked mark to clear: also safe to repeat.
        async with self.db.session(replay_safe=True) as session:
            person = await ensure_citizen(session, telegram_user_id, name, chat_id)
            if private and person.blocked_at is not None:
                person.blocked_at = None
            if chat_id is not None and person.chat_id != chat_id:
                person.chat_id = chat_id
            return self._info(person)

    async def private_chat_member(
        self, telegram_user_id: int, chat_id: int, *, blocked: bool
    ) -> bool:
        """Telegram says the person blocked (``blocked``) or unblocked the bot in their
        private chat (a ``my_chat_member`` update); True when their mark changed.

        Unblocked clears ``blocked_at`` at once, so the next notice (办结, 回访) is
        queued and sent as usual (trial 28 P2); blocked sets it, as a 403 would. A
        person not known yet is left alone (their first message creates them).
        """
        async with self.db.session(replay_safe=True) as session:
            person = await get_person_by_telegram_id(session, telegram_user_id)
            if person is None or person.chat_id not in (None, chat_id):
                return False
            if blocked and person.blocked_at is None:
                person.blocked_at = self.cases.clock.now()
                return True
            if not blocked and person.blocked_at is not None:
                person.blocked_at = None
                return True
            return False

    async def phone_of(self, person_id: int) -> str | None:
        """The phone number a person keeps on record (officers: shown on their warnings)."""
        async with self.db.read() as session:
            person = await session.get(Person, person_id)
            return person.phone if person is not None and person.phone else None

    async def set_phone(self, person_id: int, phone: str | None) -> None:
        """Keep ``phone`` on record for the person (``None`` removes it).

        The number goes on the warnings they file from now on (报送人电话), where
        only the owning unit and the desk see it in full (``CaseViews.sees_contact``).

        Raises:
            CaseError: ``bad_input`` for anything but an 11-digit mainland mobile
                number (kept as its 11 digits): the chief calls it back from anywhere.
        """
        cleaned = mobile_number(phone) if phone else ""
        if phone and cleaned is None:
            raise CaseError("bad_input", "手机号格式不对，请发送11位手机号，例如 13812345678。")
        async with self.db.session() as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise CaseError("not_found", "找不到该人员。")
            person.phone = cleaned or None

    def places(self) -> list[Place]:
        """Communities and residential areas a citizen may choose, in config order."""
        out: list[Place] = []
        for unit in self.district.units.values():
            if unit.kind in TERRITORIAL_CHOICE_KINDS:
                parent = self.district.units.get(unit.parent_id) if unit.parent_id else None
                out.append(Place(unit.id, place_name(unit.name), parent.name if parent else ""))
        return out

    def place(self, unit_id: str) -> Place | None:
        """One choosable place by unit id."""
        return next((p for p in self.places() if p.unit_id == unit_id), None)

    def is_grassroots(self, unit_id: str | None) -> bool:
        """Whether a unit is a community/residential work room or a school."""
        unit = self.district.units.get(unit_id) if unit_id else None
        return unit is not None and unit.kind in GRASSROOTS_KINDS

    async def check_action(
        self, person_id: int, case_id: int, version: int, action: CaseAction
    ) -> str:
        """Check, before asking for a note, that ``action`` on the case is possible now.

        Used for 办结, 退单, 上报 and 不予受理, which need a note typed in a later
        message, and for the desk's room picker: the person should not be asked
        for it when the button is stale or not theirs. The service checks
        everything again when the note arrives.

        Returns:
            The case number.

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale`` or ``illegal_transition``.
        """
        async with self.db.session() as session:
            person = await session.get(Person, person_id)
            case = await store.get_case(session, case_id)
            if case is None:
                raise CaseError("not_found", NO_SUCH_CASE)
            deciding = action == CaseAction.EXTEND_NO
            if person is None or (
                not self.cases.decides_extensions(person)
                if deciding
                else not (
                    self.cases.may_act(person, case) or self.cases.may_redispatch(person, case)
                )
            ):
                if deciding:
                    raise CaseError("forbidden", "只有督查督办中心可以审批延期申请。")
                raise self.cases.not_yours(person, case)
            if case.version != version:
                raise CaseError("stale", "案件状态已更新，请在最新的案件卡片上操作。")
            if action == CaseAction.EXTEND_NO:
                if case.extension_due_at is None:
                    raise CaseError("no_request", "该案件没有待审批的延期申请。")
                return case.number or str(case.id)
            at_desk = case.status in (CaseStatus.REGISTERED, CaseStatus.RETURNED)
            if action == CaseAction.REJECT and at_desk and not self.cases.may_reject(person, case):
                raise CaseError(
                    "forbidden",
                    f"只有{self.cases.unit_name(self.district.dispatcher)}负责人"
                    "可以作不予受理处理。",
                )
            if action not in self.cases.actions_for(person, case):
                raise CaseError("illegal_transition", "案件当前状态不能进行此操作。")
            return case.number or str(case.id)


class PersonLike(Protocol):
    """What the policies need to know about a person (a :class:`Person` will do)."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def unit_id(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
