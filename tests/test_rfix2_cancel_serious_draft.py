"""Review 2 Q5: giving up a draft of a serious matter.

「我老公天天打我，昨天把我打得头破血流」 (rated 特别重大 by the rules, no danger now)
was proposed with the line to call; 「算了，别报了」 → 放弃草稿 dropped it with nothing
repeated and nothing kept. Now the cancel question repeats the line and says a
critical matter is filed anyway (safety first); 放弃草稿 files it and says so.
A routine draft is still dropped as before.
"""

from __future__ import annotations

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit

BEATEN = "我老公天天打我，昨天把我打得头破血流"
CITIZEN = 3391


async def test_a_critical_draft_given_up_is_filed_anyway(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小王")
    await kit.say(citizen, BEATEN, lambda m: bool(m.buttons))
    asked = await kit.say(citizen, "算了，别报了", "要放弃提交吗")
    assert "涉及人身安全" in asked.content and "110" in asked.content
    choice = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), WAIT)
    await kit.press(citizen, choice, "放弃草稿", "涉及人身安全")
    await citizen.wait_for_message(lambda m: "提交成功" in m.content or "编号" in m.content, WAIT)
    (case,) = await kit.cases()
    assert case.original_text == BEATEN and case.severity in ("high", "critical")
    assert CaseStatus(case.status) != CaseStatus.CLOSED
