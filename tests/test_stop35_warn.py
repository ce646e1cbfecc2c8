"""Stop 35 trial (docs/trials/stop35.md): the officer-warning defects D1, D3, D15, D17.

D1: 说错了，是打起来了，其中一人拿着菜刀 typed at the guided /warn's 预警研判 filed a second,
placeless 特别重大 warning while the draft with 阳光小区 stayed unsent. A correction of the
open proposal now amends it: one warning, 「<draft>；更正：<correction>」, re-assessed and
filed at once with the emergency line.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit, said_since
from tests.criticalkit import police_chief
from tests.warnkit import bound_officer, proposed

OFFICER = 3531
POLICE = 3532
DRAFT = "阳光小区有两户邻居因为停车位吵起来了"
KNIFE = "说错了，是打起来了，其中一人拿着菜刀"


async def test_d1_a_correction_at_the_proposal_amends_it_into_one_warning(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    police = await police_chief(kit, POLICE)
    proposal = await proposed(kit, officer, DRAFT)
    assert "确认" in str(proposal.buttons)
    action = officer.send_text(KNIFE)
    await kit.handled(action)
    answers = said_since(officer, action)
    assert "110" in answers[0], answers  # the emergency line first
    assert any("预警已报送" in a and "特别重大" in a for a in answers), answers
    assert not any("仍保留" in a or "尚未报送" in a for a in answers), answers
    (case,) = await kit.cases()  # one warning, no placeless second one
    assert case.kind == "warning" and case.severity == "critical"
    assert case.original_text == f"{DRAFT}；更正：是打起来了，其中一人拿着菜刀"
    card = await police.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT)
    assert "阳光小区" in card.content and "菜刀" in card.content


async def test_d1_danger_now_that_corrects_nothing_is_still_its_own_warning(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await proposed(kit, officer, DRAFT)
    action = officer.send_text("和平路有人拿着菜刀砍人")
    await kit.handled(action)
    answers = said_since(officer, action)
    assert any("仍保留" in a for a in answers), answers
    (case,) = await kit.cases()
    assert case.original_text == "和平路有人拿着菜刀砍人"
