"""Titles follow the unit kind, and the viewer's label says each thing once."""

from __future__ import annotations

from bot.fakeapi.sandbox import personas
from bot.services.people import role_title
from bot.web.dashboard_layout import ViewerInfo, viewer_label
from config.district import load_district
from storage.enums import Role


def test_chief_titles_follow_the_unit_kind() -> None:
    d = load_district()
    assert role_title(Role.CHIEF, d.units["office"].kind) == "主任"  # 群工办
    assert role_title(Role.CHIEF, d.units["legal"].kind) == "主任"  # a service room
    assert role_title(Role.CHIEF, d.units["dongcheng_heping"].kind) == "主任"  # a work room
    assert role_title(Role.CHIEF, d.units["labor"].kind) == "站长"  # a department station
    assert role_title(Role.CHIEF, d.units["dongcheng"].kind) == "站长"  # a street station
    assert role_title(Role.STAFF, d.units["labor"].kind) == "工作人员"


def test_the_sandbox_chiefs_are_people_and_their_label_does_not_repeat() -> None:
    d = load_district()
    _, _, chiefs = personas(d)
    office = next(p for p in chiefs if p.unit_id == "office")
    station = next(p for p in chiefs if p.unit_id == "labor")
    assert office.name.endswith("主任") and d.units["office"].name not in office.name
    assert station.name.endswith("站长")
    for p in (office, station):
        unit = d.units[str(p.unit_id)]
        label = viewer_label(
            ViewerInfo(p.name, role_title(Role.CHIEF, unit.kind), unit.name, False, "")
        )
        assert label.count(unit.name) == 1
        assert label.count(role_title(Role.CHIEF, unit.kind)) == 1
    plain = ViewerInfo("刘芳", "站长", "东城街道群众工作站", False, "")
    assert viewer_label(plain) == "刘芳（东城街道群众工作站·站长）"
