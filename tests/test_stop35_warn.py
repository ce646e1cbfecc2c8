"""Stop 35 trial (docs/trials/stop35.md): the officer-warning defects D1, D3, D15, D17.

D1: 说错了，是打起来了，其中一人拿着菜刀 typed at the guided /warn's 预警研判 filed a second,
placeless 特别重大 warning while the draft with 阳光小区 stayed unsent. A correction of the
open proposal now amends it: one warning, 「<draft>；更正：<correction>」, re-assessed and
filed at once with the emergency line.
D3: 群工办's 更改等级 on a critical warning told the district office itself 「并同时报区里核实」;
the officer's lowering to 较大 reaches 群工办 at once.
D17: 说错了，是西湖菜市场 after /warn got two acknowledgements and stayed with 东城 alone: now
one, and the street it names is the 属地 and told (as a street named in the text is).
D15: an officer's plain text went through the citizen flow with no word of /warn: it is
still proposed as his own matter (officers have those too), after the /warn hint.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit, said_since
from tests.criticalkit import police_chief
from tests.test_warning_level_after_filing import KNIFE as KNIFE_ATTACK
from tests.test_warning_level_after_filing import REASON, ROOM
from tests.warnkit import (
    bound_chief,
    bound_officer,
    filed_critical,
    first_lines,
    proposed,
    warning_chiefs,
)

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


async def test_d3_the_officers_lowering_tells_the_district_office_which_is_not_told_to_report(
    kit: BotKit,
) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 10)
    office = chiefs["leadership"]
    case, receipt = await filed_critical(kit, officer, KNIFE_ATTACK)
    await kit.delivered()

    # The district office's own picker: no 「报区里核实」 to itself.
    card = [m for m in office.transcript() if m.content.startswith(f"【预警信息】{case.number}")][
        -1
    ]
    shown = await kit.press(office, card, "更改等级", "请选择新的等级")
    assert "报区里" not in shown.content and "较大" in shown.content
    # The officer's picker says where his lowering goes.
    picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
    assert "报区群工办核实" in picker.content
    assert [b["text"] for b in picker.buttons] == ["重大", "较大"]
    await kit.press(officer, picker, "较大", "理由")
    done = await kit.say(officer, REASON, "已将")
    assert "由“特别重大”更改为“较大”" in done.content
    assert (await kit.case(case.id)).severity == "medium"

    await kit.delivered()  # 群工办 reads it at once, with the reason
    got = first_lines(office, case)
    assert f"【定级说明】{case.number}（较大）" in got, got
    note = next(
        m.content for m in office.transcript() if m.content.startswith(f"【定级说明】{case.number}")
    )
    assert REASON in note and "报送人" in note


async def test_d17_one_acknowledgement_and_the_corrected_street_is_told(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, "dongcheng")
    xihu = await bound_chief(kit, OFFICER + 20, "xihu", "西湖站长")
    await kit.say(officer, "/warn 东城菜市场门口有人摆摊占道，和城管发生推搡", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or "?"
    action = officer.send_text("说错了，是西湖菜市场，不是东城")
    await kit.handled(action)
    await kit.delivered()
    answers = [a for a in said_since(officer, action) if number in a]
    assert len(answers) == 1, answers  # one acknowledgement
    assert "更正" in answers[0] and "补充说明已加入" not in answers[0], answers
    # 西湖菜市场 names no street by its name (as in a warning's text: named_territory);
    # 西湖街道 does: the 属地 is now 西湖, whose station gets the card and the note.
    action = officer.send_text("更正：是西湖街道菜市场门口")
    await kit.handled(action)
    await kit.delivered()
    answers = [a for a in said_since(officer, action) if number in a]
    assert len(answers) == 1 and "西湖街道" in answers[0], answers
    assert len(await kit.cases()) == 1
    stored = await kit.case(case.id)
    assert stored.territorial_unit_id == "xihu"
    assert stored.owning_unit_id == case.owning_unit_id  # the officer's station keeps it
    assert (await kit.events(case.id)).count("note_added") == 2
    told = await xihu.wait_for_message(lambda m: "西湖街道菜市场" in m.content, WAIT)
    assert number in told.content


async def test_d15_an_officers_plain_text_is_proposed_after_the_warn_hint(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    action = officer.send_text("和平社区有几户居民反映小区停水两天了")
    await kit.handled(action)
    answers = said_since(officer, action)
    assert answers[0].startswith("如需报送预警，请发送 /warn 内容"), answers
    assert any("提交" in str(m.buttons) for m in officer.transcript() if m.from_bot)
    assert await kit.cases() == []  # nothing filed by the hint
    citizen = kit.user(OFFICER + 30, "王女士")  # a citizen gets no such hint
    action = citizen.send_text("小区停水两天了")
    await kit.handled(action)
    assert not any("/warn" in a for a in said_since(citizen, action))
