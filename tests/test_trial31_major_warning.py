"""Trial 31 #16: an officer alone made a 重大 collective-petition warning disappear.

和平社区有几十户拆迁户…下周一要集体去市里上访 (重大 by the rules) was lowered to 一般 with
问过社区书记了是谣言, then withdrawn with no reason; the district's copies read 已由报送人撤回.
Only 特别重大 was held. Now a 重大 warning follows the same rule: its officer lowers it to
较大 at most, with a reason, and every unit it reached (the station's chief first) gets the
【定级说明】; its 撤回 is only a request the station verifies. The card no longer shows
几十户 (households, how many unknown) as 约30人.
"""

from __future__ import annotations

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit
from tests.warnkit import bound_chief, bound_officer

OFFICER = 3161
CHIEF = 3162
PETITION = "和平社区有几十户拆迁户在微信群里串联，说下周一要集体去市里上访"
REASON = "问过社区书记了是谣言"


async def test_a_major_warning_is_not_cleared_by_its_officer_alone(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    chief = await bound_chief(kit, CHIEF)
    centre = await bound_chief(kit, CHIEF + 1, "opinion_centre", "社情民意中心")
    receipt = await kit.say(officer, f"/warn {PETITION}", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "high"
    number = case.number or ""
    card = await chief.wait_for_message(
        lambda m: number in m.content and "【预警" in m.content, WAIT
    )
    assert "约30人" not in card.content and case.head_count is None

    picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
    levels = [b["text"] for b in picker.buttons]
    assert "一般" not in levels and "较大" in levels
    await kit.press(officer, picker, "较大", "理由")
    done = await kit.say(officer, REASON, "已将")
    assert "更改为“较大”" in done.content
    stored = await kit.case(case.id)
    assert stored.severity == "medium"
    # The station's chief reads the change and its reason; every other unit the 重大
    # warning reached reads the 【定级说明】.
    notice = await chief.wait_for_message(lambda m: m.content.startswith("【等级调整】"), WAIT)
    assert number in notice.content and REASON in notice.content
    note = await centre.wait_for_message(lambda m: m.content.startswith("【定级说明】"), WAIT)
    assert number in note.content and REASON in note.content and "重大" in note.content

    mine = await kit.say(officer, "/mine", "您报送的预警")
    tail = number.rsplit("-", 1)[-1]
    ask = await kit.press(officer, mine, f"撤回 {tail}", "不能直接撤回")
    assert "重大" in ask.content and "人身安全" not in ask.content
    await kit.press(officer, ask, "确认申请撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(officer, ask, "跳过", lambda m: m is ask and "核实" in m.content)
    await chief.wait_for_message(lambda m: m.content.startswith("【申请撤回·请核实】"), WAIT)
    stored = await kit.case(case.id)
    assert stored.status != CaseStatus.WITHDRAWN
    assert "withdraw_requested" in await kit.events(case.id)
