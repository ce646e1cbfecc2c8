"""Trial 27 N1, N2, N5, N9, N14, N6: a warning's level and the words typed around it.

* N5: the officer's reason for lowering a critical warning (「…伤者轻伤已送医」) is the
  reason, whatever words it holds: the level changes, nothing new is filed.
* N1: a junk reason (「不是不是不是」, 「没有没有没有」) is refused, before and after filing.
* N9: after filing every lowering asks a reason; an overdue, escalated warning keeps
  its missed deadline and its escalation when its level changes.
* N2: the 【定级说明】 carries no case buttons.
* N14 / N6: 「好的」 at a warning proposal acts as 确认; 「确认」 / 「继续提交」 typed
  with nothing pending is answered so, never read as a description.
"""

from __future__ import annotations

from datetime import timedelta

from bot.runtime.scheduler import Scheduler
from bot.services.lifecycle import is_meaningful
from bot.services.triage import reason_ok
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import events_of
from tests.test_warning_level_after_filing import (
    CROWD,
    KNIFE,
    OFFICER,
    ROOM,
)
from tests.warnkit import bound_officer, confirmed, filed_critical, proposed, warning_chiefs

VERIFIED = "已电话核实，双方已被派出所民警带走，伤者轻伤已送医"
CITIZEN = 2961


def test_one_shared_check_refuses_junk_reasons() -> None:
    """N1: one word repeated, or only negations / assent, is no reason anywhere."""
    junk_reasons = ("不是不是不是", "没有没有没有", "好的好的", "啊啊啊啊啊啊啊", "不是没有的")
    for junk in junk_reasons:
        assert not reason_ok(junk), junk
        assert not is_meaningful(junk, 4), junk  # 办结 / 退单 use the same check
    for real in ("已电话核实", VERIFIED, "社区民警已到场核实", "没有人员伤亡，已散去"):
        assert reason_ok(real), real


async def test_a_verification_note_naming_the_injured_is_the_reason(kit: BotKit) -> None:
    """N5 + N1 + N2: the reason step takes 「…伤者轻伤已送医」 as the reason."""
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    case, receipt = await filed_critical(kit, officer, KNIFE)
    picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
    await kit.press(officer, picker, "较大", "理由")
    refused = await kit.say(officer, "不是不是不是", "理由")  # N1: asked again
    assert "已将" not in refused.content
    assert (await kit.case(case.id)).severity == "critical"
    done = await kit.say(officer, VERIFIED, "已将")
    assert f"已将 {case.number} 的等级由“特别重大”更改为“较大”" in done.content

    stored = await kit.case(case.id)
    assert stored.severity == "medium"
    assert len(await kit.cases()) == 1  # no new emergency was filed
    (change,) = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert change.note == VERIFIED
    said = [m.content for m in officer.transcript() if m.from_bot]
    assert not any("情况紧急" in t or "紧急情况已记录" in t for t in said[-3:])
    assert not any("等级未更改" in t for t in said)

    # N2: the 【定级说明】 is information, without 签收/退单/上报.
    await kit.delivered()
    # Since trial 33 D3 a knife attack is the police's: their card is the live one, and a
    # centre the alert reached reads the 【定级说明】.
    notes = [m for m in chiefs["opinion"].transcript() if m.content.startswith("【定级说明】")]
    assert notes and all(not m.buttons for m in notes)
    card = next(m for m in chiefs["police"].transcript() if m.content.startswith("【预警信息】"))
    assert card.buttons  # the card keeps its live buttons


async def test_lowering_before_filing_refuses_only_negations(kit: BotKit) -> None:
    """N1 before filing: 重大→较大 does not accept 「没有没有没有」 (一般 is not offered: D12)."""
    officer = await bound_officer(kit, OFFICER, ROOM)
    proposal = await proposed(kit, officer, CROWD)
    assert "等级：重大" in proposal.content
    await kit.press(officer, proposal, "更改等级", lambda m: m is proposal and len(m.buttons) >= 4)
    await kit.press(officer, proposal, "较大", "须说明理由")
    again = await kit.say(officer, "没有没有没有", "具体理由")
    assert "至少" in again.content
    assert await kit.cases() == []
    # A real reason is taken, whatever it names (N5: no emergency filed for 刀/伤).
    kept = await kit.say(officer, "已核实，不是持刀伤人，工资已由劳动监察协调发放", "预警研判")
    assert "等级：较大" in kept.content
    await kit.press(officer, kept, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "medium"


async def test_after_filing_any_lowering_asks_a_reason_and_keeps_the_missed_deadline(
    kit: BotKit,
) -> None:
    """N9: 重大→较大 after filing asks a reason; an overdue, escalated warning keeps
    its missed deadline, its escalation and its timers."""
    officer = await bound_officer(kit, OFFICER, ROOM)
    await warning_chiefs(kit, ROOM, OFFICER + 1)
    await confirmed(kit, officer, CROWD)
    (case,) = await kit.cases()
    assert case.severity == "high" and case.ack_due_at is not None

    # Nobody acknowledges: overdue, then escalated.
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    for _ in range(4):
        await scheduler.run_due()
        await kit.delivered()
        kit.clock.advance(kit.district.escalation.renotify_interval)
    before = await kit.case(case.id)
    assert before.escalation_level >= 1
    ack_due, resolve_due = before.ack_due_at, before.resolve_due_at

    mine = await kit.say(officer, "/mine", "您报送的预警")
    picker = await kit.press(officer, mine, "更改等级", "请选择新的等级")
    asked = await kit.press(officer, picker, "较大", "理由")  # one level down: still asked
    assert "下调为“较大”" in asked.content
    await kit.say(officer, "好的好的", "理由")
    assert (await kit.case(case.id)).severity == "high"
    done = await kit.say(officer, "已到现场核实，聚集人员已散去", "已将")
    assert "原办理时限和督办状态保持不变" in done.content

    after = await kit.case(case.id)
    assert after.severity == "medium"
    assert (after.ack_due_at, after.resolve_due_at) == (ack_due, resolve_due)
    assert after.deadline_missed is True
    assert after.escalation_level == before.escalation_level
    assert after.escalated_to_unit_id == before.escalated_to_unit_id
    (change,) = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert change.data["deadlines_kept"] == "overdue"
    assert "ack_due_at" not in change.data


async def test_assent_at_a_proposal_files_it(kit: BotKit) -> None:
    """N14: 「好的」 typed at a routine warning proposal acts as 确认."""
    officer = await bound_officer(kit, OFFICER, ROOM)
    await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, CROWD, "预警研判")
    done = await kit.say(officer, "好的", "预警已报送")
    assert "请描述预警情况" not in done.content
    (case,) = await kit.cases()
    assert case.severity == "high"


async def test_typed_button_words_with_nothing_pending(kit: BotKit) -> None:
    """N6: 「继续提交」 / 「确认」 typed with nothing pending is told so, not described."""
    citizen = kit.user(CITIZEN, "王芳")
    for word in ("继续提交", "确认"):
        said = await kit.say(citizen, word, "没有等待提交的问题")
        assert "您的描述" not in said.content
    assert not any("建议由以下部门办理" in m.content for m in citizen.transcript())
    assert await kit.cases() == []


async def test_typed_resume_goes_back_to_the_step(kit: BotKit) -> None:
    """N6: 「继续提交」 typed after an emergency resumes the kept draft at its step."""
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "我家楼下的路灯坏了一个月了，晚上走路很危险", "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "有人落水了！就在河边", "草稿")
    await kit.say(citizen, "跳过", "")
    back = await kit.say(citizen, "继续提交", "可选 1/3")
    assert "您的描述：继续提交" not in back.content
    await citizen.wait_for_message(lambda m: "可选 1/3" in m.content, WAIT)
