"""Trial 33b E1: an officer's warning of danger now is filed at once as 特别重大.

The same words from a citizen were a critical police case at once, while the
officer's /warn gave a 重大 proposal to 国土分局 waiting for 确认 that never reached
the police. The bot over the fake Bot API; what the officer and the police see,
and what is stored.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.emergencykit import EMERGENCY_LINE, tells_to_call
from tests.warnkit import bound_officer, filed_critical, warning_chiefs

OFFICER = 3405
FIGHT = "两家邻居为宅基地吵起来了，快打起来了"


async def test_an_officers_fight_about_to_start_is_the_polices_at_once(kit: BotKit) -> None:
    chiefs = await warning_chiefs(kit, "dongcheng", 3420)
    officer = await bound_officer(kit, OFFICER)
    case, receipt = await filed_critical(kit, officer, FIGHT)
    assert "确认" not in str(receipt.buttons)
    police = kit.district.bureaus["police"].station_id
    assert case.owning_unit_id == police
    assert case.priority == "critical"
    notify = (await kit.registered(case.id))["notify"]
    assert "dongcheng" in notify and kit.district.leadership in notify
    first = next(m for m in officer.transcript() if m.from_bot and EMERGENCY_LINE in m.content)
    assert tells_to_call(first.content, "110")
    number = case.number or ""
    card = await chiefs["police"].wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert "特别重大" in card.content


async def test_an_officers_one_shot_warn_of_the_fight_is_critical(kit: BotKit) -> None:
    await warning_chiefs(kit, "dongcheng", 3420)
    officer = await bound_officer(kit, OFFICER)
    await kit.say(officer, f"/warn {FIGHT}", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
