"""Trial D28: the routing page's two tables count different things, and say so."""

from __future__ import annotations

from bot.services.cases import WarningDraft
from config.district import District
from storage.db import Database
from tests.dashkit import serve
from tests.factories import make_person, make_service, officer


async def test_d28_a_warnings_correction_is_a_confusion_and_the_page_says_why_not_a_month_count(
    db: Database, district: District
) -> None:
    service = make_service(db, district)
    async with serve(db, district, service=service) as dash:
        # The trial's case: an officer's warning whose office the officer changed (更改部门).
        info = await officer(db, "xihu")
        text = "湖滨社区有十几个业主在物业办公室吵闹，要求退物业费"
        await service.file_warning(info.id, WarningDraft(text=text, room="general"))

        await dash.login((await make_person(db, "admin", "office")).id)
        response = await dash.client.get("/dashboard/routing")
        html = await response.text()
        assert response.status == 200
        month = html[html.index("<td>2026-03</td>") : html.index("</tr>", html.index("2026-03"))]
        cells = [c.split("</td>")[0] for c in month.split('<td class="num">')[1:]]
        assert cells[-1] == "0"  # no request was corrected ...
        confusions = html[html.index("最常见的分错") : html.index("待学习的纠正")]
        assert '<td class="num">1</td>' in confusions  # ... but the warning's correction shows
        # The page says which table counts what, so the two figures no longer contradict.
        assert "按月分派准确率（群众诉求）" in html and "预警不计" in html
        assert "预警的纠正不计入此列" in html
        assert "最常见的分错（诉求和预警，全部时间）" in confusions
        assert "包括信息员报送预警时更改的部门" in confusions
