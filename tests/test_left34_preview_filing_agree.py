"""Review left open #3: what a draft says of its level and what is filed agree.

「我老公天天打我，昨天把我打得头破血流」 (the rules' 特别重大: an injury, violence at home
with its 110 line) was kept by the draft as critical — 放弃草稿 and 只是咨询 file it
anyway, 「涉及人身安全…也会为您登记」 — yet 提交 filed it as 重大. One rule now, the
service's (bot.services.cases.intake.own_harm_critical): such a request is filed as
特别重大, the higher of the two. A critical rating without the writer's own safety at
stake (a crowd at a gate, a fight told after the fact) is filed as 重大 and its draft
says nothing else. The bot over the fake Bot API.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import file_request

BEATEN = "我老公天天打我，昨天把我打得头破血流"
CITIZEN = 3501


async def _draft_says_kept(kit: BotKit, text: str) -> bool:
    """Whether the cancel question of ``text``'s draft says it is filed anyway."""
    citizen = kit.user(CITIZEN + 1, "小李")
    await kit.say(citizen, text, lambda m: bool(m.buttons))
    asked = await kit.say(citizen, "算了，别报了", "要放弃提交吗")
    choice = await citizen.wait_for_message(lambda m: "继续提交" in str(m.buttons), WAIT)
    await kit.press(citizen, choice, "继续提交", lambda m: m.content != choice.content)
    return "也会为您登记" in asked.content


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (BEATEN, "critical"),
        ("我老公天天喝酒打我，前天把我打得头破血流", "critical"),
        ("昨天楼下两个人打架，有一个打得头破血流", "high"),
        ("三百多人开着几十辆车把镇政府大门堵死了，谁也进不去", "high"),
    ],
)
async def test_the_draft_and_the_filing_agree(kit: BotKit, text: str, level: str) -> None:
    assert kit.runtime.cases.request_severity(text) == level
    assert await _draft_says_kept(kit, text) == (level == "critical")
    citizen = kit.user(CITIZEN, "小王")
    case = await file_request(kit, citizen, text)
    assert case.severity == level
    assert CaseStatus(case.status) != CaseStatus.CLOSED
