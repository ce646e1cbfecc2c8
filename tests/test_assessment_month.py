"""A scripted month (October 2026, 国庆 with the 调休 Saturday 10-10) against hand-computed figures.

The district of this test counts working days: acknowledge within 1 working
day, resolve within 3 (``1wd`` / ``3wd``), at least 3 cases to be ranked,
missing data scores 0, weights 20/20/30/30. Working days of October 2026:
10-01..10-07 are 国庆 holidays, 10-08 (Thu) and 10-09 (Fri) are working days,
10-10 (Sat) is a 调休 working day, 10-11 (Sun) is off.

Every case, in Shanghai time (the figures are taken as of AS_OF = Mon 11-02 09:00):

==== ========================================= ============== ============== ==================
case filed → acknowledged / 办结 / follow-up      ack due        resolve due    counts as
==== ========================================= ============== ============== ==================
C1   建设 10-08 10:00, ack 10-08 11:00, 办结       10-09 10:00    10-12 10:00    ack✓ 办结✓ stands
     (实际解决) 10-10 15:00, 已解决·满意
C2   建设 10-02 09:00 (holiday), ack 10-08 08:30, 10-08 09:00    10-10 09:00    ack✓ 办结✗
     办结 (解释说明) 10-12 09:00, 已解决·基本满意   (carried)      (调休 Sat)     stands, explained
C3   建设 10-09 09:00, 上报 10-10 12:00 after the   10-10 09:00    10-13 09:00    ack late (kept
     miss, ack 10-12 09:00, 办结 10-13 08:00,                                     after 上报) 办结 ✓
     未解决·不满意 → 重办 10-13 10:00, ack 11:00,   10-14 10:00    10-16 10:00    stands, disputed 1
     办结 10-15 10:00, 已解决·满意
C4   建设 10-20 09:00, ack 10:00, never 办结       10-21 09:00    10-23 09:00    ack✓ 办结✗
L1   劳动 10-09 16:00, ack 10-10 09:00 (调休 Sat),  10-10 16:00    10-13 16:00    ack✓ 办结✓ stands
     办结 10-12 16:00, 已解决·满意
L2   劳动 10-14 10:00, ack 11:00, 办结 (不属实)      10-15 10:00    10-19 10:00    ack✗ 办结✗
     10-16 10:00, 未解决·不满意 → 重办 10-16 12:00,  10-19 12:00    10-21 12:00    (open past due),
     never acknowledged again                                                    disputed 1
L3   劳动 10-30 10:00, ack 11:00                    11-02 10:00    11-04 10:00    ack ✓, not yet due
E1   环保 desk→10-12 10:00, ack 11:00, never 办结   10-13 10:00    10-15 10:00    ack✓ 办结✗
E2   环保 desk→10-19 10:00, ack 11:00, never 办结   10-20 10:00    10-22 10:00    ack✓ 办结✗
E3   环保 desk→10-21 10:00, 退单 11:00              —              —              returned
     规划 desk→10-21 12:00, ack 13:00, 办结 10-23   10-22 12:00    10-26 12:00    ack✓ 办结✓ stands
     12:00, 已解决·满意
E4   环保 desk→10-30 10:00, ack 11:00              11-02 10:00    11-04 10:00    ack ✓, not yet due
==== ========================================= ============== ============== ==================

Expected figures (the same table is in docs/assessment.md):

====== ==== ==== ====== ====== ====== ====== ====== ====== ====== ===== ================
unit   派单 退单 响应率 按时   解决率 满意率 退单率 重办率 综合   排名  note
====== ==== ==== ====== ====== ====== ====== ====== ====== ====== ===== ================
建设局 4    0    3/4    2/4    3/4    2.8/3  0/4    1/3    75.5   1
劳动局 3    0    2/3    1/2    1/2    1/2    0/3    1/2    53.3   2     L3 not yet due
环保局 4    1    3/3    0/2    0/2    —→0    1/4    —      20.0   3     (used to be 100)
规划   1    0    1/1    1/1    1/1    1/1    0/1    0/1    100.0  —     below minimum 3
====== ==== ==== ====== ====== ====== ====== ====== ====== ====== ===== ================

综合 = 20·响应 + 20·按时 + 30·解决 + 30·满意: 建设 15 + 10 + 22.5 + 28 = 75.5;
劳动 13.33 + 10 + 15 + 15 = 53.33; 环保 20 + 0 + 0 + 0 = 20.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.report import register
from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import FakeClock
from bot.services.reports import monthly_report
from config.district import District, load_district
from storage.db import Database
from tests.dashkit import serve
from tests.factories import chief, citizen, make_service, staff

SH = ZoneInfo("Asia/Shanghai")
DEFAULT_TOML = Path(__file__).resolve().parents[1] / "config" / "district.toml"


def sh(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of 2026 in Shanghai time."""
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


AS_OF = sh(11, 2, 9)

#: unit → (dispatched, returned, response, on time, resolution, satisfaction,
#:         return, reopen, total, rank) as the dashboard prints them.
EXPECTED = {
    "construction": ("4", "0", "75.0%", "50.0%", "75.0%", "93.3%", "0.0%", "33.3%", "75.5", "1"),
    "labor": ("3", "0", "66.7%", "50.0%", "50.0%", "50.0%", "0.0%", "50.0%", "53.3", "2"),
    "environment": ("4", "1", "100.0%", "0.0%", "0.0%", "—", "25.0%", "—", "20.0", "3"),
    "planning": (
        "1",
        "0",
        "100.0%",
        "100.0%",
        "100.0%",
        "100.0%",
        "0.0%",
        "0.0%",
        "100.0",
        "不排名(件少)",
    ),
}
ORDER = ["construction", "labor", "environment", "planning"]


@pytest.fixture
def month_config(tmp_path: Path) -> Path:
    """The default district with working-day deadlines for ordinary cases."""
    text = DEFAULT_TOML.read_text(encoding="utf-8")
    normal = '[deadlines.normal]\nacknowledge = "24h"\nfirst_contact = "24h"\nresolve = "7d"'
    assert normal in text
    text = text.replace(
        normal, '[deadlines.normal]\nacknowledge = "1wd"\nfirst_contact = "1wd"\nresolve = "3wd"'
    )
    path = tmp_path / "district.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def month_district(month_config: Path) -> District:
    return load_district(month_config)


async def build_october(db: Database, district: District) -> CaseService:
    """File and handle the cases of the table above."""
    clock = FakeClock(sh(10, 1, 0))
    svc = make_service(db, district, clock)
    builder = await chief(db, "construction")
    worker = await chief(db, "labor")
    green = await chief(db, "environment")
    planner = await chief(db, "planning")
    desk = await staff(db, "service_centre")
    me = await citizen(db)

    async def at(when: datetime) -> None:
        clock.set(when)

    async def file(when: datetime, text: str) -> int:
        await at(when)
        return (await svc.file_request(me.id, RequestDraft(text=text))).id

    async def answer(case_id: int, solved: bool, satisfaction: str) -> None:
        await svc.answer_follow_up(case_id, me.id, solved, satisfaction)

    c1 = await file(sh(10, 8, 10), "路灯坏了")
    await at(sh(10, 8, 11))
    await svc.acknowledge(c1, builder.id)
    await at(sh(10, 10, 15))
    await svc.resolve(c1, builder.id, "已修复路灯", closure="solved")
    await answer(c1, True, "satisfied")

    c2 = await file(sh(10, 2, 9), "路灯坏了")
    view = await svc.get_case_view(c2, builder.id)
    assert view.ack_due_at == sh(10, 8, 9)  # carried over 国庆
    assert view.resolve_due_at == sh(10, 10, 9)  # the 调休 Saturday is a working day
    await at(sh(10, 8, 8, 30))
    await svc.acknowledge(c2, builder.id)
    await at(sh(10, 12, 9))
    await svc.resolve(c2, builder.id, "已向群众解释：该路灯属小区物业", closure="explained")
    await answer(c2, True, "basically_satisfied")

    c3 = await file(sh(10, 9, 9), "路灯坏了")
    await at(sh(10, 10, 12))
    await svc.escalate(c3, builder.id, "超时未签收，上报")
    await at(sh(10, 12, 9))
    await svc.acknowledge(c3, builder.id)
    await at(sh(10, 13, 8))
    await svc.resolve(c3, builder.id, "已修复路灯", closure="solved")
    await at(sh(10, 13, 10))
    await answer(c3, False, "unsatisfied")
    await at(sh(10, 13, 11))
    await svc.acknowledge(c3, builder.id)
    await at(sh(10, 15, 10))
    await svc.resolve(c3, builder.id, "已更换线路", closure="solved")
    await answer(c3, True, "satisfied")

    c4 = await file(sh(10, 20, 9), "路灯坏了")
    await at(sh(10, 20, 10))
    await svc.acknowledge(c4, builder.id)

    l1 = await file(sh(10, 9, 16), "拖欠工资三个月")
    await at(sh(10, 10, 9))
    await svc.acknowledge(l1, worker.id)
    await at(sh(10, 12, 16))
    await svc.resolve(l1, worker.id, "已追回工资", closure="solved")
    await answer(l1, True, "satisfied")

    l2 = await file(sh(10, 14, 10), "拖欠工资两个月")
    await at(sh(10, 14, 11))
    await svc.acknowledge(l2, worker.id)
    await at(sh(10, 16, 10))
    await svc.resolve(l2, worker.id, "经核实不属实", closure="unfounded")
    await at(sh(10, 16, 12))
    await answer(l2, False, "unsatisfied")

    l3 = await file(sh(10, 30, 10), "拖欠工资一个月")
    await at(sh(10, 30, 11))
    await svc.acknowledge(l3, worker.id)

    async def via_desk(when: datetime, unit: str) -> int:
        case_id = await file(when - timedelta(hours=1), "说不清楚的问题")
        await at(when)
        await svc.dispatch(case_id, desk.id, unit)
        return case_id

    e1 = await via_desk(sh(10, 12, 10), "environment")
    await at(sh(10, 12, 11))
    await svc.acknowledge(e1, green.id)
    e2 = await via_desk(sh(10, 19, 10), "environment")
    await at(sh(10, 19, 11))
    await svc.acknowledge(e2, green.id)
    e3 = await via_desk(sh(10, 21, 10), "environment")
    await at(sh(10, 21, 11))
    await svc.return_case(e3, green.id, "属于规划问题")
    await at(sh(10, 21, 12))
    await svc.dispatch(e3, desk.id, "planning")
    await at(sh(10, 21, 13))
    await svc.acknowledge(e3, planner.id)
    await at(sh(10, 23, 12))
    await svc.resolve(e3, planner.id, "已处理完毕", closure="solved")
    await answer(e3, True, "satisfied")
    e4 = await via_desk(sh(10, 30, 10), "environment")
    await at(sh(10, 30, 11))
    await svc.acknowledge(e4, green.id)

    await at(AS_OF)
    return svc


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minqing")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


async def test_the_scripted_month_everywhere(
    db: Database,
    month_district: District,
    month_config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    district = month_district
    service = await build_october(db, district)

    # The service: exact counts behind the rates.
    report = await monthly_report(db, district, "2026-10", as_of=AS_OF)
    rows = {u.unit_id: u for u in report.units}
    c = rows["construction"].score
    assert c is not None
    assert (c.ack_due, c.acknowledged_on_time, c.resolve_due, c.resolved_on_time) == (4, 3, 4, 2)
    assert (c.standing, c.explained, c.followed_up, c.disputed) == (3, 1, 3, 1)
    labor = rows["labor"].score
    assert labor is not None
    assert (labor.ack_due, labor.acknowledged_on_time, labor.resolve_due) == (3, 2, 2)
    assert (labor.resolved_on_time, labor.standing, labor.disputed) == (1, 1, 1)
    assert labor.total == pytest.approx(100 * (20 * 2 / 3 + 20 * 0.5 + 30 * 0.5 + 30 * 0.5) / 100)
    env = rows["environment"].score
    assert env is not None and env.missing_rates == ["satisfaction"]
    assert [u.unit_id for u in report.units[:4]] == ORDER
    assert rows["planning"].unranked == "too_few_cases"

    async with serve(db, district, service=service) as dash:
        from tests.factories import make_person

        await dash.login((await make_person(db, "admin", "office")).id)
        html = await (await dash.client.get("/dashboard/assessment?month=2026-10")).text()
        for unit_id in ORDER:
            name = district.units[unit_id].name
            row = re.search(rf"<tr><td class=\"num\">[^<]*</td><td>{name}</td>.*?</tr>", html)
            assert row, unit_id
            cells = re.findall(r"<td[^>]*>(?:<b>)?([^<]*)", row.group(0))
            exp = EXPECTED[unit_id]
            assert [cells[0], *cells[2:]] == [exp[9], *exp[:9]], unit_id
        assert "综合得分 = (响应率×20 + 按时办结率×20 + 解决率×30 + 满意率×30) ÷ 100 × 100" in html
        assert "少于3件的单位列出但不排名" in html and "缺少数据的指标按0分计" in html

        body = await (await dash.client.get("/dashboard/export/scores.csv?month=2026-10")).read()
        table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        by_unit = {r["单位编号"]: r for r in table}
        for unit_id in ORDER:
            r, exp = by_unit[unit_id], EXPECTED[unit_id]
            got = (r["派单数"], r["退单数"], r["响应率"], r["按时办结率"], r["解决率"], r["满意率"])
            assert got == exp[:6], unit_id
            assert (r["退单率"], r["重办率"], r["综合得分"], r["排名"]) == exp[6:], unit_id

        # 超期 stays after 办结: C2 was resolved late and closed; C1 never missed
        # anything. C3 missed its acknowledgement, was escalated, acknowledged and
        # resolved, then reopened (重办): the new round is judged by its own deadlines,
        # which it met, so C3 is not 超期 now; its first round's miss stays in the
        # events and in 响应率 above.
        body = await (await dash.client.get("/dashboard/export/cases.csv")).read()
        cases = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        header = cases[0]
        late = {row[0]: row[header.index("是否超期")] for row in cases[1:]}
        numbers = {row[0][-4:]: row[0] for row in cases[1:]}  # by filing order
        assert late[numbers["0001"]] == "否"  # C1
        assert late[numbers["0002"]] == "是"  # C2: the miss survives 办结 and 结案
        assert late[numbers["0003"]] == "否"  # C3: reopened, the new round on time

    # minqing report prints the same figures.
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("MINQING_CONFIG", str(month_config))
    monkeypatch.delenv("MINQING_TIMEZONE", raising=False)
    argv = ["report", "--month", "2026-10", "--as-of", AS_OF.isoformat()]
    assert await asyncio.to_thread(_run, [*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    units = {u["unit_id"]: u for u in data["units"]}
    assert [units[u]["total"] for u in ORDER] == [75.5, 53.33, 20.0, 100.0]
    assert [units[u]["rank"] for u in ORDER] == [1, 2, 3, None]
    assert units["labor"]["response_rate"] == 0.6667
    assert units["environment"]["satisfaction_rate"] is None
    assert await asyncio.to_thread(_run, argv) == 0
    text = capsys.readouterr().out
    for unit_id in ORDER:
        line = next(ln for ln in text.splitlines() if district.units[unit_id].name in ln)
        exp = EXPECTED[unit_id]
        assert line.startswith(exp[9]), line
        for figure in exp[2:9]:
            assert figure in line, (unit_id, figure)
    assert "综合得分 = (响应率×20 + 按时办结率×20 + 解决率×30 + 满意率×30) ÷ 100 × 100" in text


async def test_a_month_without_cases(db: Database, month_district: District) -> None:
    await build_october(db, month_district)
    report = await monthly_report(db, month_district, "2026-09", as_of=AS_OF)
    assert report.units and all(u.score is None and u.rank is None for u in report.units)
    assert all(u.as_dict("2026-09")["total"] is None for u in report.units)
