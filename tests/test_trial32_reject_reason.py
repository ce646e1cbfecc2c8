"""Trial 32 D13: 不予受理 accepted 「无」 and told the citizen 「理由：无」.

Closing a citizen's request unheard now needs as real a reason as a 退单 (at least four
meaningful characters, not one word repeated, not only fillers); 「无」 is refused and
asked again, the case stays at the desk, and the citizen reads the real reason.
"""

from __future__ import annotations

from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import JUNK_TEXT, card_of, file_request

CITIZEN = 3211
DESK = 3212


async def test_a_rejection_needs_a_real_reason(kit: BotKit) -> None:
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, JUNK_TEXT)
    number = case.number or ""
    card = await card_of(desk, case)
    await kit.press(desk, card, "不予受理", "不予受理的理由")
    for empty in ("无", "没有没有", "无无无无无"):
        refused = await kit.say(desk, empty, "过于简单")
        assert "不予受理" in refused.content, refused.content
        assert (await kit.case(case.id)).status == CaseStatus.REGISTERED
    # Still asked: the real reason typed next closes it.
    done = await kit.say(desk, "内容无法识别，不是具体诉求", "已不予受理")
    assert number in done.content
    told = await citizen.wait_for_message(lambda m: "不予受理" in m.content, WAIT)
    assert "理由：内容无法识别，不是具体诉求" in told.content
    assert "理由：无" not in told.content
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.REJECTED
    assert stored.resolution_note == "内容无法识别，不是具体诉求"
