"""pf31 #5: the dashboard's timeline names who changed a warning's level, and what.

Every 调整等级 line said 「报送人下调了规则研判的等级」, also for a change after filing by the
district office, and for a raise by the reporter of the level they had chosen. The filing's
change stays the reporter's change of the rules' level; a later one names who changed the
level the case had (the reporter, or the unit of whoever did).
"""

from __future__ import annotations

from bot.services.cases import CaseService, WarningDraft
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from tests.dashkit import serve
from tests.factories import CODEC, START, chief, load_case, officer

KNIFE = "村民老刘拿着刀在村委会门口说要砍人"


def _level_lines(html: str) -> list[str]:
    return [li for li in html.split("<li>") if "调整等级" in li]


async def test_the_timeline_names_who_changed_the_level(db: Database, district: District) -> None:
    real = CaseService(db, district, FakeClock(START), CODEC)  # the real classifier
    async with serve(db, district, service=real) as dash:
        reporter = await officer(db, "dongcheng")
        filed = await real.file_warning(
            reporter.id, WarningDraft(KNIFE, severity="medium", severity_reason="刀是玩具，已核实")
        )
        # The officer raises it again from /mine after filing.
        await real.change_level(reporter.id, filed.id, "high")
        # The district office raises it to critical on the dashboard.
        office = await chief(db, district.leadership)
        await dash.login(office.id)
        token = await dash.csrf()
        page = await (await dash.client.get(f"/dashboard/cases/{filed.id}")).text()
        assert 'value="lvl"' in page
        response = await dash.client.post(
            f"/dashboard/cases/{filed.id}/act",
            data={
                "csrf_token": token,
                "action": "lvl",
                "version": str((await load_case(db, filed.id)).version),
                "target": "critical",
                "note": "",
            },
        )
        assert response.status == 200, await response.text()

        html = await (await dash.client.get(f"/dashboard/cases/{filed.id}")).text()
        at_filing, by_reporter, by_office = _level_lines(html)
        assert "特别重大 → 较大（报送人下调了规则研判的等级；规则依据：" in at_filing
        assert "较大 → 重大（报送人在报送后上调了等级" in by_reporter
        assert "规则研判" not in by_reporter
        office_name = district.units[district.leadership].name
        assert f"重大 → 特别重大（{office_name}在报送后上调了等级" in by_office
        assert "报送人" not in by_office.split("）")[0]
