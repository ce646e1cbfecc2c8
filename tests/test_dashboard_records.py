"""The dashboard's figures and records over real HTTP: assessment, coverage, diary, files."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.services.scores import unit_scores
from bot.web.dashboard_export import pct, points
from config.district import District
from storage.db import Database
from storage.models import DiaryEntry, Person
from tests.dashkit import Dash, serve
from tests.factories import START, chief, make_person, officer

# --- assessment, coverage, diary, files -----------------------------------------------------------


async def test_assessment_shows_the_figures_of_bot_scores(db: Database, district: District) -> None:
    from tests.test_scores import build_month

    service = await build_month(db, district)
    now = service.clock.now()  # the dashboard takes the figures as of the service's clock
    scores = {s.unit_id: s for s in await unit_scores(db, district, 2026, 3, as_of=now)}
    assert {"construction", "planning"} <= set(scores)
    async with serve(db, district, service=service) as dash:
        await dash.login((await make_person(db, "admin", "office")).id)
        page = await dash.client.get("/dashboard/assessment?month=2026-03")
        html = await page.text()
        assert page.status == 200 and "2026-03 各单位考核" in html
        for unit_id in ("construction", "planning"):
            s = scores[unit_id]
            row = re.search(
                rf"<tr><td class=\"num\">[^<]*</td><td>{s.unit_name}</td>.*?</tr>", html
            )
            assert row, unit_id
            cells = re.findall(r"<td[^>]*>(?:<b>)?([^<]*)", row.group(0))
            expected = [
                str(s.dispatched),
                str(s.returned),
                pct(s.response_rate),
                pct(s.on_time_rate),
                pct(s.resolution_rate),
                pct(s.satisfaction_rate),
                pct(s.return_rate),
                pct(s.reopen_rate),
                points(s.total),
            ]
            assert cells[2:] == expected
        assert 'id="ranking-title"' in html and 'id="trend-title"' in html
        assert "全区近12个月走势" in html
        bad = await dash.client.get("/dashboard/assessment?month=2026-13")
        assert bad.status == 400 and "月份格式" in await bad.text()

        # A chief sees their own unit's row (and rank) only.
        dash.logout_locally()
        await dash.login((await chief(db, "planning")).id)
        html = await (await dash.client.get("/dashboard/assessment?month=2026-03")).text()
        assert scores["planning"].unit_name in html
        assert f"<td>{scores['construction'].unit_name}</td>" not in html
        assert "本单位近12个月走势" in html


async def test_coverage_page_counts_people_against_targets(dash: Dash) -> None:
    street = await chief(dash.db, "dongcheng")
    for _ in range(3):
        await officer(dash.db, "dongcheng")
    await dash.login(street.id)
    html = await (await dash.client.get("/dashboard/coverage")).text()
    assert "设置率" in html and "信息员配备率" in html
    assert "东城街道群众工作站" in html or "东城" in html
    assert "西湖" not in html  # another street's units are not shown to this chief


async def test_diary_entry_from_the_web(dash: Dash) -> None:
    boss = await make_person(dash.db, "chief", "dongcheng", name="刘书记")
    async with dash.db.session() as s:
        person = await s.get(Person, boss.id)
        assert person is not None
        person.leader_rank = "deputy_section"
        person.created_at = START - timedelta(days=30)
    await dash.login(boss.id)
    page = await (await dash.client.get("/dashboard/diary")).text()
    assert "刘书记" in page and "未记" in page and "副科级" in page
    token = await dash.csrf("/dashboard/diary")
    bad = await dash.client.post(
        "/dashboard/diary", data={"csrf_token": token, "visited_on": "2026-03-09", "content": "x"}
    )
    assert bad.status == 400 and "走访日期不能晚于今天" in await bad.text()
    ok = await dash.client.post(
        "/dashboard/diary",
        data={"csrf_token": token, "visited_on": "2026-03-02", "content": "走访和平社区<b>"},
    )
    html = await ok.text()
    assert ok.status == 200 and "民情日记已保存" in html and "已完成" in html
    assert "走访和平社区&lt;b&gt;" in html
    async with dash.db.session() as s:
        entry = (await s.scalars(select(DiaryEntry))).one()
    assert entry.author_id == boss.id and entry.channel == "web"


async def test_residential_files_edit_conflict_and_access(dash: Dash) -> None:
    street = await chief(dash.db, "dongcheng")
    await dash.login(street.id)
    listing = await (await dash.client.get("/dashboard/files")).text()
    assert "和平社区" in listing and "西湖" not in listing
    page = await (await dash.client.get("/dashboard/files/dongcheng_heping")).text()
    assert page.count("<textarea") == 6 and "党务工作" in page and "困难救助" in page
    token = await dash.csrf("/dashboard/files/dongcheng_heping")
    form = {
        "csrf_token": token,
        "section": "party_affairs",
        "content": "党员42名",
        "base_revision_id": "0",
    }
    saved = await dash.client.post("/dashboard/files/dongcheng_heping", data=form)
    html = await saved.text()
    assert saved.status == 200 and "档案栏目已保存" in html and "党员42名" in html
    conflict = await dash.client.post(
        "/dashboard/files/dongcheng_heping", data={**form, "content": "党员43名"}
    )
    assert conflict.status == 409 and "已被他人修改" in await conflict.text()

    dash.logout_locally()
    await dash.login((await chief(dash.db, "xihu")).id)
    assert (await dash.client.get("/dashboard/files/dongcheng_heping")).status == 404
    refused = await dash.client.post(
        "/dashboard/files/dongcheng_heping", data={**form, "csrf_token": await dash.csrf()}
    )
    assert refused.status == 404
