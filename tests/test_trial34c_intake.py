"""Trial 34 #4, #5, #7, #17: what a citizen types at a step goes where it belongs.

#4: a bare 不对 at the where-are-you step of a just-filed critical case was saved as its
place (地点：不对) and alerted; the correction 不对，应该是环保局管 then became a new
proposal. Now a chat word alone gets the step's hint and the correction of the office
goes to the case as 补充说明.
#17: a sticker at that step got the generic intake hint; now the step's own hint.
#5: 不对，地址是和平路5号 at the contact step was refused as a bad phone number and the
wrong address kept; now the place is corrected.
#7: a bare place (在阳光社区5栋) after a proposal became a new problem for 规划; now it
joins the pending problem.

The bot over the fake Bot API; what the citizen reads and what is stored.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.follow_on import bare_place
from handlers.request_steps import address_correction
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, said_since, submit_proposal
from tests.criticalkit import police_chief

FIRE = "救命 楼下着火了 烟好大"


async def _notes(kit: BotKit, case_id: int) -> list[str]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent.note)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "note_added")
            .order_by(CaseEvent.id)
        )
        return [str(n) for n in rows.all()]


async def test_bare_wrong_at_the_where_step_is_no_place_and_the_correction_is_a_note(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, 3491)
    citizen = kit.user(3490, "群众")
    await kit.say(citizen, FIRE, "所在的地点")
    (case,) = await kit.cases()
    assert case.severity == "critical"
    hint = await kit.say(citizen, "不对", "跳过")
    assert "办理部门不对" in hint.content and "收到地点" not in hint.content
    assert (await kit.case(case.id)).address is None
    action = citizen.send_text("不对，应该是环保局管")
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("您的描述" in m or "提交" in m for m in said), said  # no new proposal
    assert [c.id for c in await kit.cases()] == [case.id]
    assert (await kit.case(case.id)).address is None
    assert await _notes(kit, case.id) == ["不对，应该是环保局管"]
    told = [m.content for m in police.transcript() if m.from_bot]
    assert not any("地点：不对" in m for m in told), told
    await police.wait_for_message(lambda m: "应该是环保局管" in m.content, WAIT)


async def test_a_place_after_a_bare_wrong_is_still_taken(kit: BotKit) -> None:
    citizen = kit.user(3492, "群众")
    await kit.say(citizen, FIRE, "所在的地点")
    await kit.say(citizen, "嗯", "跳过")
    await kit.say(citizen, "和平路8号3单元", "收到地点")
    (case,) = await kit.cases()
    assert case.address == "和平路8号3单元"


async def test_a_sticker_at_the_where_step_gets_the_step_hint(kit: BotKit) -> None:
    citizen = kit.user(3493, "群众")
    await kit.say(citizen, FIRE, "所在的地点")
    action = citizen.send_sticker()
    hint = await citizen.wait_for_message(lambda m: "地点和手机号" in m.content, WAIT, since=action)
    assert "跳过" in hint.content
    await kit.delivered()
    assert not any("由哪个部门办理" in m for m in said_since(citizen, action))
    await kit.say(citizen, "和平路8号 13800138000", "收到地点和电话")
    (case,) = await kit.cases()
    assert case.address == "和平路8号"


async def test_an_address_correction_at_the_contact_step_corrects_the_place(
    kit: BotKit,
) -> None:
    citizen = kit.user(3494, "群众")
    proposal = await kit.say(citizen, "我家门口的下水道堵了好几天", lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "东城街道和平路3号", "可选 2/3")
    fixed = await kit.say(citizen, "不对，地址是和平路5号", "更正")
    assert "和平路5号" in fixed.content and "可选 2/3" in fixed.content
    assert "手机号（例如" not in fixed.content  # not refused as a bad number
    await kit.say(citizen, "13800138000", "可选 3/3")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.address == "和平路5号"
    assert case.contact_phone == "13800138000"


async def test_a_wrong_number_at_the_contact_step_is_still_refused(kit: BotKit) -> None:
    citizen = kit.user(3495, "群众")
    proposal = await kit.say(citizen, "我家门口的下水道堵了好几天", lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "东城街道和平路3号", "可选 2/3")
    await kit.say(citizen, "不是和平路", "请输入正确的手机号")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.address == "东城街道和平路3号"


GARBAGE_UNCOLLECTED = "我们楼下的垃圾好几天没人清运了"


async def test_a_bare_place_after_a_proposal_joins_the_problem(kit: BotKit) -> None:
    citizen = kit.user(3496, "群众")
    await kit.say(citizen, GARBAGE_UNCOLLECTED, lambda m: bool(m.buttons))
    action = citizen.send_text("在阳光社区5栋")
    joined = await citizen.wait_for_message(lambda m: bool(m.buttons), WAIT, since=action)
    assert "已将您刚才补充的内容并入上一条描述" in joined.content
    assert f"您的描述：{GARBAGE_UNCOLLECTED}，在阳光社区5栋" in joined.content
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("办理部门：区规划分局" in m or "还没有提交" in m for m in said), said
    await submit_proposal(kit, citizen, joined)
    (case,) = await kit.cases()
    assert case.original_text == f"{GARBAGE_UNCOLLECTED}，在阳光社区5栋"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("在阳光社区5栋", True),
        ("地址是和平路3号", True),
        ("就在菜市场门口", True),
        ("在和平路口乱停车", False),
        ("在小区门口烧垃圾", False),
        ("路灯坏了", False),
        ("在家", False),
        ("在阳光社区5栋，垃圾没人清运", False),
    ],
)
def test_what_is_a_bare_place(text: str, bare: bool) -> None:
    assert bare_place(text) is bare


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("不对，地址是和平路5号", "和平路5号"),
        ("地点改为人民路12号3单元", "人民路12号3单元"),
        ("错了，在和平路5号", "和平路5号"),
        ("不是和平路", None),
        ("不对", None),
        ("在家", None),
    ],
)
def test_what_is_an_address_correction(text: str, place: str | None) -> None:
    assert address_correction(text) == place
