"""The district configuration: the default encodes the seed; broken files are explained."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from config.district import ConfigError, UnitKind, load_district, parse_duration
from config.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

DEFAULT_TOML = Path(__file__).resolve().parents[1] / "config" / "district.toml"

SEED_ROOMS = {
    "legal": ("法律咨询服务室", {"court", "procuratorate", "justice", "environment"}),
    "livelihood": ("民生保障服务室", {"labor", "civil_affairs", "personnel"}),
    "social": ("社会事业服务室", {"education", "health", "family_planning"}),
    "urban": ("城建规划服务室", {"construction", "planning"}),
    "general": ("综合职能服务室", {"petition", "police", "land"}),
}


def test_default_district_encodes_the_seed() -> None:
    d = load_district()
    assert {rid: (r.name, set(r.bureaus)) for rid, r in d.rooms.items()} == SEED_ROOMS
    assert len(d.bureaus) == 15
    centres = {u.name for u in d.units.values() if u.kind is UnitKind.CENTRE}
    assert centres == {"群众服务中心", "社会矛盾调处中心", "社情民意收集中心", "督查督办中心"}
    assert d.units["office"].kind is UnitKind.OFFICE
    # One department work station per bureau, its unit id the bureau id.
    for bureau in d.bureaus.values():
        station = d.units[bureau.id]
        assert station.kind is UnitKind.DEPARTMENT_STATION
        assert station.parent_id == bureau.room_id
    kinds = {u.kind for u in d.units.values() if u.sample}
    assert {
        UnitKind.STREET_STATION,
        UnitKind.PARK_STATION,
        UnitKind.COMMUNITY_ROOM,
        UnitKind.RESIDENTIAL_ROOM,
        UnitKind.SCHOOL,
    } <= kinds
    assert {u.name for u in d.units.values() if u.kind is UnitKind.SPECIAL_ROOM} == {
        "领导公开接访室",
        "群众工作听证室",
    }


def test_default_deadlines_follow_the_hotline_practice() -> None:
    d = load_district()
    assert d.deadlines["critical"].acknowledge == timedelta(hours=1)
    assert d.deadlines["high"].acknowledge == timedelta(hours=1)
    assert d.deadlines["normal"].acknowledge == timedelta(hours=24)
    assert d.deadlines["critical"].resolve == timedelta(hours=2)
    assert d.deadlines["high"].resolve == timedelta(hours=24)
    assert d.deadlines["normal"].resolve == timedelta(days=7)
    assert d.deadlines["complex"].resolve == timedelta(days=15)
    assert d.deadlines_for_severity("critical") == d.deadlines["critical"]


def test_default_targets_follow_the_seed() -> None:
    d = load_district()
    assert d.staff_targets[UnitKind.STREET_STATION] == 5
    assert d.staff_targets[UnitKind.COMMUNITY_ROOM] == 3
    assert d.officer_targets[UnitKind.STREET_STATION] == 3
    assert d.officer_targets[UnitKind.DEPARTMENT_STATION] == 1
    assert d.officer_targets[UnitKind.SCHOOL] == 3


def test_escalation_chain_goes_room_station_supervision_leadership() -> None:
    d = load_district()
    assert d.escalation_target("dongcheng_heping") == "dongcheng"
    assert d.escalation_target("dongcheng") == "supervision_centre"
    assert d.escalation_target("labor") == "supervision_centre"
    assert d.escalation_target("supervision_centre") == "office"
    assert d.escalation_target("office") is None


def _broken(tmp_path: Path, edit: tuple[str, str], count: int = 1) -> Path:
    text = DEFAULT_TOML.read_text(encoding="utf-8")
    old, new = edit
    assert old in text, old
    path = tmp_path / "district.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "key", "problem"),
    [
        (('name = "示范区"\n', ""), "district.name", "missing key"),
        (('id = "xihu"\n', 'id = "dongcheng"\n'), "units[8].id", "duplicate unit id 'dongcheng'"),
        (('parent = "xihu"\n', 'parent = "nowhere"\n'), "units[12].parent", "unknown parent"),
        (('resolve = "7d"', 'resolve = "a week"'), "deadlines.normal.resolve", "not a duration"),
        (
            ('acknowledge = "1h"', 'acknowledge = "0h"'),
            "deadlines.critical.acknowledge",
            "positive",
        ),
        (('kind = "school"', 'kind = "kindergarten"'), "units[15].kind", "unknown kind"),
        (
            ('dispatcher = "service_centre"', 'dispatcher = "desk"'),
            "district.dispatcher",
            "unknown unit",
        ),
        (("[deadlines.complex]", "[deadlines.later]"), "deadlines.complex", "missing table"),
    ],
)
def test_broken_config_names_file_key_and_problem(
    tmp_path: Path, edit: tuple[str, str], key: str, problem: str
) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(ConfigError) as info:
        load_district(path)
    err = info.value
    assert err.path == str(path)
    assert err.key == key
    assert problem in err.problem
    assert str(path) in str(err) and key in str(err)


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[district\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(str(bad)) + ".*not valid TOML"):
        load_district(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_district(tmp_path / "absent.toml")


def test_durations() -> None:
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("90s") == timedelta(seconds=90)
    for bad in ("", "7", "d", "-1h", "1w"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_settings_defaults_and_errors() -> None:
    s = load_settings({})
    assert s.database_url == DEFAULT_DATABASE_URL
    assert s.telegram_api_base_url == "https://api.telegram.org"
    assert str(s.timezone) == "Asia/Shanghai"
    assert s.telegram_bot_token is None
    s = load_settings(
        {
            "DATABASE_URL": "postgresql://u@h/db",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/",
            "MINQING_HTTP_PORT": "9000",
        }
    )
    assert s.database_url == "postgresql+asyncpg://u@h/db"
    assert s.bot_api_url == "http://127.0.0.1:9/bot"
    assert s.http_port == 9000
    with pytest.raises(SettingsError, match="MINQING_HTTP_PORT"):
        load_settings({"MINQING_HTTP_PORT": "eighty"})
    assert s.public_url == "http://127.0.0.1:9000" and not s.public_url_is_https
    https = load_settings({"MINQING_PUBLIC_URL": "https://minqing.example.gov.cn/"})
    assert https.public_url == "https://minqing.example.gov.cn" and https.public_url_is_https
    with pytest.raises(SettingsError, match="MINQING_PUBLIC_URL"):
        load_settings({"MINQING_PUBLIC_URL": "minqing.example"})
    with pytest.raises(SettingsError, match="MINQING_TIMEZONE"):
        load_settings({"MINQING_TIMEZONE": "Mars/Olympus"})
