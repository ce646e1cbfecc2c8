"""Residential files (居情档案): revisions, history, coverage and permissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.services.clock import FakeClock
from bot.services.residential_files import (
    SECTION_LABELS,
    SECTIONS,
    FileStatus,
    ResidentialFileError,
    can_edit_file,
    can_read_file,
    edit_section,
    file_coverage,
    file_units,
    get_file,
    parse_section,
    readable_files,
    section_history,
    station_of,
)
from config.district import District
from storage.db import Database
from storage.enums import ResidentialSection
from storage.models import Person, ResidentialFileRevision

T0 = datetime(2024, 9, 1, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class P:
    """A person as the permission rules see one."""

    id: int
    role: str
    unit_id: str | None
    active: bool = True


# --- pure rules ---------------------------------------------------------------------


def test_sections_and_labels_follow_the_seed() -> None:
    assert list(SECTION_LABELS.values()) == [
        "党务工作",
        "重大事务",
        "财务收支",
        "土地流转",
        "计划生育",
        "困难救助",
    ]
    assert set(SECTIONS) == set(ResidentialSection)
    assert parse_section("财务收支") is ResidentialSection.FINANCES
    assert parse_section(" land_transfer ") is ResidentialSection.LAND_TRANSFER
    with pytest.raises(ResidentialFileError) as err:
        parse_section("天气")
    assert err.value.reason == "unknown_section" and "党务工作" in err.value.message


def test_file_units_and_their_stations(district: District) -> None:
    assert file_units(district) == [
        "dongcheng_heping",
        "dongcheng_yangguang",
        "xihu_lakeside",
        "xihu_jinqiao",
        "gaoxin_chuangye",
    ]
    assert station_of(district, "dongcheng_heping") == "dongcheng"
    assert station_of(district, "gaoxin_chuangye") == "gaoxin_park"
    assert station_of(district, "office") is None


@pytest.mark.parametrize(
    ("person", "edit", "read"),
    [
        (P(1, "admin", "office"), True, True),
        (P(2, "admin", None), True, True),
        (P(3, "chief", "dongcheng_heping"), True, True),  # the work room itself
        (P(4, "staff", "dongcheng"), True, True),  # its street station
        (P(5, "chief", "dongcheng"), True, True),
        (P(6, "officer", "dongcheng_heping"), False, True),  # officers read only
        (P(7, "officer", "dongcheng"), False, True),
        (P(8, "staff", "opinion_centre"), False, True),  # district centres read
        (P(9, "chief", "office"), False, True),
        (P(10, "chief", "dongcheng_yangguang"), False, False),  # a sibling room
        (P(11, "chief", "xihu"), False, False),  # another street
        (P(12, "staff", "labor"), False, False),  # a department station
        (P(13, "staff", "legal"), False, False),  # a service room is not a centre
        (P(14, "citizen", None), False, False),
        (P(15, "staff", "dongcheng", active=False), False, False),
        (P(16, "admin", "office", active=False), False, False),
    ],
)
def test_who_may_edit_and_read_a_file(
    district: District, person: P, edit: bool, read: bool
) -> None:
    assert can_edit_file(person, "dongcheng_heping", district) is edit
    assert can_read_file(person, "dongcheng_heping", district) is read


def test_readable_files(district: District) -> None:
    assert readable_files(P(1, "chief", "dongcheng"), district) == [
        "dongcheng_heping",
        "dongcheng_yangguang",
    ]
    assert readable_files(P(2, "staff", "supervision_centre"), district) == file_units(district)
    assert readable_files(P(3, "citizen", None), district) == []


# --- the service on both databases -------------------------------------------------


async def add_person(db: Database, name: str, role: str, unit_id: str | None) -> int:
    async with db.session() as s:
        person = Person(name=name, role=role, unit_id=unit_id)
        s.add(person)
        await s.flush()
        return person.id


async def count_revisions(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(ResidentialFileRevision)) or 0)


async def test_revisions_current_file_and_history(db: Database, district: District) -> None:
    clock = FakeClock(T0)
    room_chief = await add_person(db, "李书记", "chief", "dongcheng_heping")
    station_staff = await add_person(db, "王干事", "staff", "dongcheng")
    reader = await add_person(db, "赵科员", "staff", "opinion_centre")

    first = await edit_section(
        db,
        district,
        editor_id=room_chief,
        unit_id="dongcheng_heping",
        section=ResidentialSection.PARTY_AFFAIRS,
        content="  党支部 3 个，党员 86 名。 ",
        now=clock.now(),
    )
    assert first.content == "党支部 3 个，党员 86 名。" and first.label == "党务工作"
    clock.advance(timedelta(days=1))
    second = await edit_section(
        db,
        district,
        editor_id=station_staff,
        unit_id="dongcheng_heping",
        section="党务工作",
        content="党支部 3 个，党员 88 名（新发展 2 名）。",
        base_revision_id=first.id,
        now=clock.now(),
    )
    assert second.id > first.id and second.editor_name == "王干事"

    # Saving the same text again adds nothing.
    clock.advance(timedelta(hours=1))
    same = await edit_section(
        db,
        district,
        editor_id=room_chief,
        unit_id="dongcheng_heping",
        section="party_affairs",
        content="党支部 3 个，党员 88 名（新发展 2 名）。",
        now=clock.now(),
    )
    assert same.id == second.id and same.editor_id == station_staff
    assert await count_revisions(db) == 2

    # Editing from an out-of-date form is refused; so is "it was empty" when it is not.
    for stale in (first.id, 0):
        with pytest.raises(ResidentialFileError) as err:
            await edit_section(
                db,
                district,
                editor_id=room_chief,
                unit_id="dongcheng_heping",
                section="党务工作",
                content="覆盖",
                base_revision_id=stale,
                now=clock.now(),
            )
        assert err.value.reason == "conflict"
    hardship = await edit_section(
        db,
        district,
        editor_id=room_chief,
        unit_id="dongcheng_heping",
        section="困难救助",
        content="低保户 12 户",
        base_revision_id=0,
        now=clock.now(),
    )

    current = await get_file(db, district, "dongcheng_heping", viewer_id=reader)
    assert current.unit_name == "和平社区群众工作室" and current.station_id == "dongcheng"
    party = current.sections[ResidentialSection.PARTY_AFFAIRS]
    assert (
        party is not None and party.id == second.id and party.created_at == T0 + timedelta(days=1)
    )
    assert current.filled == [ResidentialSection.PARTY_AFFAIRS, ResidentialSection.HARDSHIP_AID]
    assert current.status is FileStatus.PARTIAL and len(current.missing) == 4
    assert current.updated_at == hardship.created_at

    history = await section_history(
        db, district, "dongcheng_heping", "党务工作", viewer_id=room_chief
    )
    assert [(r.id, r.editor_name) for r in history] == [
        (second.id, "王干事"),
        (first.id, "李书记"),
    ]
    assert (
        await section_history(db, district, "dongcheng_heping", "finances", viewer_id=room_chief)
        == []
    )

    # Files of other units are separate.
    other = await get_file(db, district, "dongcheng_yangguang", viewer_id=station_staff)
    assert other.status is FileStatus.EMPTY and other.updated_at is None


async def test_permissions_and_validation(db: Database, district: District) -> None:
    other_chief = await add_person(db, "西湖站长", "chief", "xihu")
    officer = await add_person(db, "信息员", "officer", "dongcheng_heping")
    staff = await add_person(db, "东城干事", "staff", "dongcheng")
    citizen = await add_person(db, "群众", "citizen", None)

    async def edit(editor: int, unit: str = "dongcheng_heping", **kw: str) -> None:
        await edit_section(
            db,
            district,
            editor_id=editor,
            unit_id=unit,
            section=kw.get("section", "财务收支"),
            content=kw.get("content", "收入 10 万元"),
            now=T0,
        )

    cases: list[tuple[int, dict[str, str], str]] = [
        (other_chief, {}, "forbidden"),
        (officer, {}, "forbidden"),
        (citizen, {}, "forbidden"),
        (999_999, {}, "unknown_person"),
        (staff, {"unit": "dongcheng"}, "not_a_file_unit"),
        (staff, {"unit": "dongcheng_school"}, "not_a_file_unit"),
        (staff, {"unit": "atlantis"}, "unknown_unit"),
        (staff, {"section": "天气"}, "unknown_section"),
        (staff, {"content": "  "}, "empty"),
        (staff, {"content": "字" * 20_001}, "too_long"),
    ]
    for editor, kw, reason in cases:
        unit = kw.pop("unit", "dongcheng_heping")
        with pytest.raises(ResidentialFileError) as err:
            await edit(editor, unit, **kw)
        assert err.value.reason == reason, (editor, unit, kw)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
    assert await count_revisions(db) == 0

    await edit(staff)
    assert (await get_file(db, district, "dongcheng_heping", viewer_id=officer)).filled == [
        ResidentialSection.FINANCES
    ]
    for viewer in (other_chief, citizen):
        with pytest.raises(ResidentialFileError, match="forbidden"):
            await get_file(db, district, "dongcheng_heping", viewer_id=viewer)
        with pytest.raises(ResidentialFileError, match="forbidden"):
            await section_history(db, district, "dongcheng_heping", "财务收支", viewer_id=viewer)


async def test_coverage_over_the_district_and_per_station(db: Database, district: District) -> None:
    admin = await add_person(db, "管理员", "admin", "office")
    for section in SECTIONS:
        await edit_section(
            db,
            district,
            editor_id=admin,
            unit_id="dongcheng_heping",
            section=section,
            content=f"{SECTION_LABELS[section]}情况",
            now=T0,
        )
    for label in ("党务工作", "重大事务"):
        await edit_section(
            db,
            district,
            editor_id=admin,
            unit_id="xihu_lakeside",
            section=label,
            content="已备案",
            now=T0,
        )
    # A second revision of a section does not count twice.
    await edit_section(
        db,
        district,
        editor_id=admin,
        unit_id="xihu_lakeside",
        section="党务工作",
        content="已备案（更新）",
        now=T0,
    )

    report = await file_coverage(db, district)
    assert (report.total, report.complete, report.partial, report.empty) == (5, 1, 1, 3)
    assert report.rate == pytest.approx(0.2)
    by_unit = {u.unit_id: u for u in report.units}
    assert by_unit["dongcheng_heping"].status is FileStatus.COMPLETE
    assert by_unit["xihu_lakeside"].status is FileStatus.PARTIAL
    assert by_unit["xihu_lakeside"].missing == [
        ResidentialSection.FINANCES,
        ResidentialSection.LAND_TRANSFER,
        ResidentialSection.FAMILY_PLANNING,
        ResidentialSection.HARDSHIP_AID,
    ]
    stations = {s.station_id: s for s in report.stations}
    assert list(stations) == ["dongcheng", "xihu", "gaoxin_park"]
    assert (stations["dongcheng"].total, stations["dongcheng"].complete) == (2, 1)
    assert stations["dongcheng"].rate == 0.5 and stations["dongcheng"].station_name == (
        "东城街道群众工作站"
    )
    assert (stations["xihu"].partial, stations["xihu"].rate) == (1, 0.0)
    assert (stations["gaoxin_park"].total, stations["gaoxin_park"].empty) == (1, 1)
