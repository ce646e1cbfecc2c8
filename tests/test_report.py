"""The monthly report: data on a constructed month, and the CLI in all three formats."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.cli.report import display_width, pad, register
from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.services.diary import add_entry
from bot.services.reports import ReportError, monthly_report, parse_month, rank_units
from bot.services.residential_files import SECTIONS, edit_section
from config.district import AssessmentPolicy, District
from storage.db import Database
from storage.enums import Channel
from storage.models import Person
from tests.factories import chief, citizen, make_person, make_service, staff

H = timedelta(hours=1)
D = timedelta(days=1)


def utc(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def build_month(db: Database, district: District) -> None:
    """March 2026 (Asia/Shanghai), hand-checked figures in the comments.

    Figures as of AFTER (04-15, every deadline passed), weights 20/20/30/30:

    construction: A acked after 1 h, resolved after 2 d, 满意; B acked after
      30 h (late), resolved after 10 d (late), 已解决·基本满意; C returned.
      → dispatched 3, returned 1, counted 2; response 1/2; on time 1/2;
        resolution 2/2; satisfaction (1 + 0.8)/2 = 0.9; return 1/3; reopen 0/2;
        total 20·0.5 + 20·0.5 + 30·1 + 30·0.9 = 77.0.
    planning: C dispatched by the desk, never acknowledged, never resolved.
      → response 0/1, on time 0/1, resolution 0/1, no answer (scores 0); total 0.0.
    labor: D acked and resolved in time, answered 未解决 → reopened, and left
      waiting past its new deadlines.
      → response 0/1 (the reopened case's acknowledgement is overdue), on time
        0/1, resolution 0/1, satisfaction 0/1, reopen 1/1; total 0.0.
    Ranking with min_cases = 1: construction 1, labor and planning 2 (tied).
    With the default min_cases = 3 every unit is listed, none ranked.
    """
    clock = FakeClock(utc(3, 1))
    svc = make_service(db, district, clock)
    builder = await chief(db, "construction")
    planner = await chief(db, "planning")
    worker = await chief(db, "labor")
    desk = await staff(db, "service_centre")
    me = await citizen(db)

    async def file(at: datetime, text: str) -> int:
        clock.set(at)
        return (await svc.file_request(me.id, RequestDraft(text=text))).id

    a = await file(utc(3, 2, 2), "路灯坏了")
    clock.set(utc(3, 2, 3))
    await svc.acknowledge(a, builder.id)
    clock.set(utc(3, 4, 3))
    await svc.resolve(a, builder.id, "已修复路灯")
    await svc.answer_follow_up(a, me.id, True, "satisfied")

    b = await file(utc(3, 3, 2), "路灯坏了")
    clock.set(utc(3, 3, 2) + 30 * H)
    await svc.acknowledge(b, builder.id)
    clock.set(utc(3, 13, 2))
    await svc.resolve(b, builder.id, "已修复路灯")
    await svc.answer_follow_up(b, me.id, True, "basically_satisfied")

    c = await file(utc(3, 5, 2), "路灯坏了")
    clock.set(utc(3, 5, 3))
    await svc.return_case(c, builder.id, "不归我们管")
    await svc.dispatch(c, desk.id, "planning")
    del planner

    d = await file(utc(3, 6, 2), "拖欠工资三个月")
    clock.set(utc(3, 6, 3))
    await svc.acknowledge(d, worker.id)
    clock.set(utc(3, 7, 3))
    await svc.resolve(d, worker.id, "已协调解决")
    await svc.answer_follow_up(d, me.id, False, "unsatisfied")

    # Diary: a leader of the construction station wrote in March, one of labor did not.
    for unit in ("construction", "labor"):
        leader = await make_person(db, "chief", unit, name=f"{unit}-leader")
        async with db.session() as s:
            row = await s.get(Person, leader.id)
            assert row is not None
            row.leader_rank = "deputy_section"
            row.created_at = utc(3, 1)  # a leader already in March
        if unit == "construction":
            await add_entry(
                db,
                author_id=leader.id,
                visited_on=date(2026, 3, 28),
                content="走访和平社区，了解路灯维修情况。",
                channel=Channel.CLI,
                now=utc(3, 28, 8),
            )

    # Residential files: 和平社区's file is complete, 阳光小区's is not (dongcheng: 1/2).
    keeper = await chief(db, "dongcheng")
    for section in SECTIONS:
        await edit_section(
            db,
            district,
            editor_id=keeper.id,
            unit_id="dongcheng_heping",
            section=section,
            content="已整理。",
        )
    await edit_section(
        db,
        district,
        editor_id=keeper.id,
        unit_id="dongcheng_yangguang",
        section=SECTIONS[0],
        content="已整理。",
    )


AFTER = utc(4, 15)


async def test_monthly_report_figures(db: Database, district: District) -> None:
    await build_month(db, district)
    assert district.assessment.min_cases == 3
    listed = await monthly_report(db, district, "2026-03", as_of=AFTER)
    assert all(u.rank is None for u in listed.units)  # 2, 1 and 1 cases: below the minimum
    assert {u.unit_id: u.unranked for u in listed.units if u.score} == {
        "construction": "too_few_cases",
        "labor": "too_few_cases",
        "planning": "too_few_cases",
    }
    district = replace(district, assessment=AssessmentPolicy(min_cases=1, missing="zero"))
    report = await monthly_report(db, district, "2026-03", as_of=AFTER)
    rows = {u.unit_id: u for u in report.units}
    assert [u.unit_id for u in report.units[:3]] == ["construction", "labor", "planning"]

    c = rows["construction"]
    assert c.rank == 1 and c.score is not None
    assert (c.score.dispatched, c.score.returned, c.score.counted) == (3, 1, 2)
    assert c.score.response_rate == pytest.approx(0.5)
    assert c.score.on_time_rate == pytest.approx(0.5)
    assert c.score.resolution_rate == pytest.approx(1.0)
    assert c.score.satisfaction_rate == pytest.approx(0.9)
    assert c.score.return_rate == pytest.approx(1 / 3)
    assert c.score.reopen_rate == pytest.approx(0.0)
    assert c.score.total == pytest.approx(77.0)
    assert (c.staff, c.staff_target, c.officers, c.officer_target) == (2, 1, 0, 1)
    assert (c.diary_leaders, c.diary_met, c.diary_rate) == (1, 1, 1.0)
    assert c.files_expected is None

    labor = rows["labor"]
    assert labor.rank == 2 and labor.score is not None
    assert labor.score.total == pytest.approx(0.0)
    assert labor.score.resolution_rate == pytest.approx(0.0)
    assert (labor.score.disputed, labor.score.standing) == (1, 0)
    assert labor.score.reopen_rate == pytest.approx(1.0)
    assert (labor.diary_leaders, labor.diary_met) == (1, 0)

    planning = rows["planning"]
    assert planning.rank == 2 and planning.score is not None
    assert planning.score.total == pytest.approx(0.0)

    dongcheng = rows["dongcheng"]
    assert dongcheng.rank is None and dongcheng.score is None
    assert (dongcheng.files_expected, dongcheng.files_complete) == (2, 1)
    assert "court" in rows and rows["court"].rank is None  # every station has a line

    summary = report.summary()
    assert (summary["diary_leaders"], summary["diary_met"], summary["diary_rate"]) == (2, 1, 0.5)
    assert (summary["files_expected"], summary["files_complete"]) == (5, 1)
    assert summary["file_rate"] == pytest.approx(0.2)

    only = await monthly_report(db, district, "2026-03", as_of=AFTER, unit_id="labor")
    assert [u.unit_id for u in only.units] == ["labor"] and only.units[0].rank == 2
    empty = await monthly_report(db, district, "2026-02", as_of=AFTER)
    assert all(u.score is None and u.rank is None for u in empty.units)
    with pytest.raises(ReportError) as err:
        await monthly_report(db, district, "2026-03", as_of=AFTER, unit_id="nowhere")
    assert err.value.reason == "unknown_unit"


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minqing")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


async def test_cli_formats(
    db: Database,
    district: District,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await build_month(db, district)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("MINQING_CONFIG", raising=False)
    monkeypatch.delenv("MINQING_TIMEZONE", raising=False)

    as_of = ["--as-of", AFTER.isoformat()]
    argv = ["report", "--month", "2026-03", "--format", "json", *as_of]
    assert await asyncio.to_thread(_run, argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["month"] == "2026-03" and data["district"] == district.name
    assert data["as_of"] == AFTER.isoformat()
    assert any("少于3件" in line for line in data["policy"])
    # min_cases = 3 in the default config: listed with figures, not ranked,
    # before the units without a case (config order: labor comes first).
    assert [u["unit_id"] for u in data["units"][:3]] == ["labor", "construction", "planning"]
    first = data["units"][1]
    assert first["unit_id"] == "construction" and first["rank"] is None
    assert first["unranked"] == "too_few_cases"
    assert first["total"] == 77.0 and first["satisfaction_rate"] == 0.9
    assert first["return_rate"] == 0.3333 and first["dispatched"] == 3
    assert data["district_summary"]["diary_rate"] == 0.5

    argv = ["report", "--month", "2026-03", "--format", "csv", *as_of]
    assert await asyncio.to_thread(_run, argv) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0].startswith(
        "month,rank,unit_id,unit_name,unit_kind,unranked,dispatched"
    )
    by_id = {r["unit_id"]: r for r in rows}
    assert by_id["labor"]["rank"] == "" and by_id["labor"]["total"] == "0.0"
    assert by_id["labor"]["unranked"] == "too_few_cases"
    assert by_id["labor"]["resolution_rate"] == "0.0" and by_id["labor"]["disputed"] == "1"
    assert by_id["court"]["rank"] == "" and by_id["court"]["response_rate"] == ""
    assert by_id["dongcheng"]["files_complete"] == "1"

    assert await asyncio.to_thread(_run, ["report", "--month", "2026-03", *as_of]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("排名"))
    row = next(line for line in lines if "区建设局群众工作站" in line)
    labor_row = next(line for line in lines if "区劳动局群众工作站" in line)
    # Columns line up on screen: the score column ends at the same display width.
    score_end = display_width(header[: header.index("综合得分") + len("综合得分")])
    assert display_width(row[: row.index("77.0") + 4]) == score_end
    assert display_width(labor_row[: labor_row.rindex(" 0.0") + 4]) == score_end
    assert row.startswith("不排名(件少)")
    assert "50.0%" in row and "90.0%" in row and "33.3%" in row
    assert "综合得分 = (响应率×20 + 按时办结率×20 + 解决率×30 + 满意率×30) ÷ 100 × 100" in text
    assert "民情日记（2026-03）：应写 2 人，已写 1 人，完成率 50.0%" in text
    assert "居情档案（当前）：应建 5 份，已建 1 份，建档率 20.0%" in text

    argv = ["report", "--month", "2026-03", "--unit", "labor", *as_of]
    assert await asyncio.to_thread(_run, argv) == 0
    text = capsys.readouterr().out
    assert "区劳动局群众工作站" in text and "区建设局群众工作站" not in text


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "March", "2026-00", ""])
def test_cli_bad_month_exits_2(month: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["report", "--month", month]) == 2
    err = capsys.readouterr().err
    assert "--month" in err and "YYYY-MM" in err


async def test_cli_unknown_unit_exits_2(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.delenv("MINQING_CONFIG", raising=False)
    code = await asyncio.to_thread(_run, ["report", "--month", "2026-03", "--unit", "nowhere"])
    assert code == 2 and "unknown unit 'nowhere'" in capsys.readouterr().err


def test_helpers() -> None:
    assert parse_month(" 2026-03 ") == (2026, 3)
    assert rank_units({"a": 80.0, "b": 90.0, "c": 80.0, "d": None, "e": 10.0}) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "e": 4,
    }
    assert display_width("区劳动局ab") == 10
    assert pad("劳动", 6) == "劳动  " and pad("12", 4, right=True) == "  12"
