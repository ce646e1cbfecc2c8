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


async def test_trial_decided_notices_lose_their_buttons(
    sqlite_url: str, district: District
) -> None:
    """Trial item 13: 【延期申请】 kept 同意延期/不同意 after the decision, and a second tap
    answered as if somebody else had changed the case."""
    from storage.enums import Role
    from tests.botkit import WAIT, sqlite_bot

    async with sqlite_bot(sqlite_url, district) as kit:
        boss = kit.user(2401, "赵站长")
        await kit.bind(boss, "construction", Role.CHIEF)
        first = kit.user(2402, "督查钱主任")
        await kit.bind(first, "supervision_centre", Role.CHIEF)
        second = kit.user(2403, "督查孙科员")
        await kit.bind(second, "supervision_centre", Role.STAFF)
        resident = kit.user(2404, "王芳")
        proposal = await kit.say(resident, "小区门口的路灯坏了一个月了", "提交")
        await kit.press(resident, proposal, "提交", "可选 1/3")
        for _ in range(3):
            await kit.say(resident, "跳过", lambda m: "可选" in m.content or "已登记" in m.content)
        (case,) = await kit.cases()
        number = case.number or ""
        card = await boss.wait_for_message(lambda m: number in m.content, WAIT)
        await kit.press(boss, card, "签收", lambda m: m is card and "已签收" in m.content)
        boss_person = await kit.person(2401)
        assert boss_person is not None
        await kit.runtime.cases.request_extension(case.id, boss_person.id, "需要采购灯具", 3)
        kit.runtime.outbox_written()
        asked = [
            await u.wait_for_message(lambda m: m.content.startswith("【延期申请】"), WAIT)
            for u in (first, second)
        ]
        assert all("同意延期" in str(m.buttons) for m in asked)

        refuse = asked[1].callback_data("不同意")
        action = first.press(asked[0], "同意延期")
        decided = await first.wait_for_message(
            lambda m: m is asked[0] and not m.buttons, WAIT, since=action
        )
        assert "✔ 已同意延期（督查钱主任）" in decided.content
        assert "已同意延期" in await kit.callback_answer(action)
        assert "extension_approved" in await kit.events(case.id)

        # The other copy is edited at once (dfx3 #5): who decided, and no buttons.
        stale = await second.wait_for_message(lambda m: m is asked[1] and not m.buttons, WAIT)
        assert "督查督办中心督查钱主任已于" in stale.content and "批准延期" in stale.content
        # An old client that still shows the button: refused, said what happened.
        late = kit.fake.press_button(2403, asked[1].message_id, refuse, strict=False)
        told = await kit.callback_answer(late)
        assert "该延期申请已处理" in told and "被他人更新" not in told
        assert "extension_refused" not in await kit.events(case.id)
