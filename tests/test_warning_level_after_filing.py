"""更改等级 after filing (issue 13 "Officers"; the way back after trial 26 T24).

A warning the rubric rates 特别重大 is filed at once in the guided /warn. Its officer
lowers it afterwards from the receipt, with a reason: the change and the reason are in
the case's events, priority and deadlines are the new level's counted from the change,
the station and every unit the critical alert reached see the new level, and those
units read the 【定级说明】. Nobody else may lower it (a forged button is refused), and
raising needs no reason.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.lifecycle import CaseError
from storage.enums import Role
from tests.botkit import BotKit
from tests.test_trial_defects import events_of
from tests.warnkit import bound_officer, confirmed, filed_critical, first_lines, warning_chiefs

OFFICER = 2911
OTHER = 2930
ROOM = "dongcheng_heping"
KNIFE = "和平社区有人持刀砍人，已有两人受伤"  # 特别重大 by the rubric
CROWD = "和平社区建筑工地有二十多名农民工聚集讨要工资，情绪激动"  # 重大 by the rubric
REASON = "社区民警已到场核实，是剧组在拍电影"


async def test_the_officer_lowers_a_critical_warning_after_filing_with_a_reason(
    kit: BotKit,
) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    case, receipt = await filed_critical(kit, officer, KNIFE)
    await kit.delivered()
    for chief in chiefs.values():  # the critical alert reached them all
        assert first_lines(chief, case)[0] == f"【预警信息】{case.number}（特别重大）"

    kit.clock.advance(timedelta(minutes=7))
    changed_at = kit.clock.now()
    picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
    assert "当前等级：特别重大" in picker.content
    assert [b["text"] for b in picker.buttons] == ["重大", "较大"]  # never 一般
    asked = await kit.press(officer, picker, "重大", "理由")
    assert "下调为“重大”" in asked.content
    refused = await kit.say(officer, "核实了", "至少")  # not a real reason: asked again
    assert "理由" in refused.content
    assert (await kit.case(case.id)).severity == "critical"
    done = await kit.say(officer, REASON, "已将")
    assert f"已将 {case.number} 的等级由“特别重大”更改为“重大”" in done.content
    assert REASON in done.content

    stored = await kit.case(case.id)
    assert (stored.severity, stored.priority) == ("high", "high")
    deadlines = kit.district.deadlines["high"]
    assert stored.ack_due_at == changed_at + deadlines.acknowledge
    assert stored.resolve_due_at == changed_at + deadlines.resolve
    events = await events_of(kit, case.id)
    assert (events[0].data["severity"], events[0].data["rubric"]) == ("critical", "critical")
    (change,) = [e for e in events if e.type == "severity_changed"]
    assert (change.data["from"], change.data["to"], change.note) == ("critical", "high", REASON)
    assert change.actor_id == (await kit.person(OFFICER)).id  # type: ignore[union-attr]
    assert change.created_at == changed_at

    # Every unit holding the card sees 重大 and reads why; the critical copies are kept.
    await kit.delivered()
    for key, chief in chiefs.items():
        got = first_lines(chief, case)
        assert got[0] == f"【预警信息】{case.number}（重大）", key
        assert f"【定级说明】{case.number}（重大）" in got, key
    note = next(
        m.content
        for m in chiefs["room"].transcript()
        if m.content.startswith(f"【定级说明】{case.number}")
    )
    assert REASON in note and "特别重大" in note

    # The officer's own view: /mine shows the new level, and the change under 进展
    # (trial 28 P11).
    mine = await kit.say(officer, "/mine", "您报送的预警")
    head = next(line for line in mine.content.splitlines() if line.startswith("【预警信息】"))
    assert head.endswith("重大") and "特别重大" not in head
    assert "等级调整为“重大”（原为“特别重大”）" in mine.content and REASON in mine.content


async def test_a_forged_level_button_from_another_user_is_refused(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    other = kit.user(OTHER, "李信息员")
    await kit.bind(officer, ROOM, Role.OFFICER)
    bound = await kit.bind(other, ROOM, Role.OFFICER)
    case, _ = await filed_critical(kit, officer, KNIFE)
    for data in (f"ui:lvl:{case.id}", f"ui:lvs:{case.id}:{case.version}:medium"):
        action = other.press_button(bound.message_id, data, strict=False)
        answer = await kit.callback_answer(action)
        assert answer == "只有报送该预警的信息员或区群工办可以更改其等级。"
    stored = await kit.case(case.id)
    assert stored.severity == "critical"
    assert "severity_changed" not in await kit.events(case.id)


async def test_the_officer_raises_a_warning_without_a_reason(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    await confirmed(kit, officer, CROWD)
    (case,) = await kit.cases()
    assert case.severity == "high"
    await kit.delivered()
    assert first_lines(chiefs["leadership"], case) == []

    kit.clock.advance(timedelta(minutes=3))
    changed_at = kit.clock.now()
    mine = await kit.say(officer, "/mine", "您报送的预警")
    picker = await kit.press(officer, mine, "更改等级", "请选择新的等级")
    assert "特别重大" in [b["text"] for b in picker.buttons]
    done = await kit.press(officer, picker, "特别重大", "已将")
    assert "更改为“特别重大”" in done.content

    stored = await kit.case(case.id)
    assert (stored.severity, stored.priority) == ("critical", "critical")
    critical = kit.district.deadlines["critical"]
    assert stored.ack_due_at == changed_at + critical.acknowledge
    (change,) = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert (change.data["from"], change.data["to"], change.note) == ("high", "critical", None)
    await kit.delivered()
    assert first_lines(chiefs["room"], case)[0] == f"【预警信息】{case.number}（特别重大）"
    assert any("【等级调整】" in line for line in first_lines(chiefs["room"], case))
    # The district office now holds the card too.
    assert first_lines(chiefs["leadership"], case)[0] == f"【预警信息】{case.number}（特别重大）"


async def test_the_district_office_may_lower_it_too_and_a_station_may_not(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    case, _ = await filed_critical(kit, officer, KNIFE)
    station = await kit.person(chiefs["room"].id)
    office = await kit.person(chiefs["leadership"].id)
    assert station is not None and office is not None
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.change_level(station.id, case.id, "high", REASON)
    assert refused.value.code == "forbidden"
    with pytest.raises(CaseError) as no_reason:
        await kit.runtime.cases.change_level(office.id, case.id, "high", "好")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(CaseError) as too_low:
        await kit.runtime.cases.change_level(office.id, case.id, "low", REASON)
    assert too_low.value.code == "too_low"
    view = await kit.runtime.cases.change_level(office.id, case.id, "medium", REASON)
    assert view.severity == "medium"
    (change,) = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert (change.actor_id, change.note) == (office.id, REASON)
    await kit.delivered()
    assert any(
        m.content.startswith(f"【定级说明】{case.number}") and "区群工办将等级" in m.content
        for m in chiefs["room"].transcript()
    )
