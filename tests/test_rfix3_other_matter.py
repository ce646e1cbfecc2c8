"""Review 3 P5: after 不对 (and in a burst) a matter of another office, told surely, starts
its own draft instead of joining the one before."""

from __future__ import annotations

from tests.botkit import WAIT, BotKit

CITIZEN = 3561
WAGES = "公司拖欠我三个月工资不发，老板一直找借口"
SEWER = "我家门口的下水道堵了好几天，污水漫到路上，臭得不行"


async def test_after_wrong_office_a_new_matter_gets_its_own_proposal(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小钱")
    await kit.say(citizen, WAGES, lambda m: bool(m.buttons))
    await kit.say(citizen, "不对")
    answer = await kit.say(
        citizen, SEWER, lambda m: "提交" in str(m.buttons) or "部门" in m.content
    )
    assert "并入" not in answer.content
    assert "工资" not in answer.content and "下水道" in answer.content


async def test_after_wrong_office_a_detail_still_joins(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小钱")
    await kit.say(citizen, WAGES, lambda m: bool(m.buttons))
    await kit.say(citizen, "不对")
    answer = await kit.say(citizen, "是在工地上干活的", lambda m: bool(m.buttons))
    assert "并入" in answer.content and "工资" in answer.content


async def test_in_a_burst_a_new_matter_gets_its_own_proposal(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小钱")
    citizen.send_text(WAGES)
    citizen.send_text(SEWER)
    await citizen.wait_for_message(lambda m: "下水道" in m.content and bool(m.buttons), WAIT)
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("工资" in m and "下水道" in m for m in said), said
