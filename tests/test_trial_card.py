"""A long complaint on a chief's card (trial notes item 12)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.cases import MAX_TEXT, RequestDraft
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from tests.factories import chief, citizen, make_service, outbox

SH = ZoneInfo("Asia/Shanghai")
TELEGRAM_LIMIT = 4096


async def test_trial_long_content_is_cut_on_the_card_but_the_fields_stay(
    db: Database, district: District
) -> None:
    svc = make_service(db, district, FakeClock(datetime(2026, 9, 28, 10, tzinfo=SH)))
    boss = await chief(db, "construction")
    me = await citizen(db)
    head = "路灯坏了，晚上很黑。"
    text = (head + "小区东门到西门一段路灯全部不亮，老人孩子出行很不方便。" * 200)[:MAX_TEXT]
    draft = RequestDraft(text=text, address="人民路8号", contact_phone="13800138000")
    case_id = (await svc.file_request(me.id, draft)).id
    (card,) = [r for r in await outbox(db, case_id) if r.person_id == boss.id and r.kind == "card"]
    assert len(card.text.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    assert "地点：人民路8号" in card.text and "联系电话：" in card.text
    assert "登记时间：" in card.text and "已截断" not in card.text
    assert f"内容：{head}" in card.text and f"全文共{len(text)}字" in card.text
    assert "/web" in card.text
