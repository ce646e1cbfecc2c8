"""Trial 29 P12: a card's 系统建议 repeated its category after a re-dispatch, and the CSV
put a withdrawal's reason under 办理结果. The service and the export, on a real database."""

from __future__ import annotations

from dataclasses import replace

from bot.services import notifications as nt
from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.web.dashboard_export import CASE_CSV_HEADER, case_csv_rows
from config.district import District
from storage.db import Database
from tests.factories import START, chief, citizen, make_service


async def test_a_suggestion_equal_to_the_category_is_not_shown(
    db: Database, district: District
) -> None:
    svc = make_service(db, district, FakeClock(START))
    me = await citizen(db)
    boss = await chief(db, "construction")
    filed = await svc.file_request(me.id, RequestDraft(text="和平路的路灯坏了一个星期了"))
    view = await svc.get_case_view(filed.id, boss.id)
    category = f"{view.room_name} · {view.bureau_name}"
    same = nt.card_text(replace(view, suggested_name=category))
    assert "系统建议" not in same and f"分类：{category}" in same
    other = nt.card_text(replace(view, suggested_name="法律咨询服务室 · 区环保局"))
    assert "系统建议：法律咨询服务室 · 区环保局" in other


async def test_the_csv_names_a_withdrawal_reason(db: Database, district: District) -> None:
    svc = make_service(db, district, FakeClock(START))
    me = await citizen(db)
    filed = await svc.file_request(me.id, RequestDraft(text="和平路的路灯坏了一个星期了"))
    await svc.withdraw(me.id, filed.id, "老板已经主动关了，不用管了")
    view = await svc.get_case_view(filed.id, me.id)
    assert view.status == "withdrawn"
    (row,) = case_csv_rows([view], nt.DISTRICT_TZ)
    outcome = row[list(CASE_CSV_HEADER).index("办理结果")]
    assert outcome == "（撤回原因）老板已经主动关了，不用管了"
