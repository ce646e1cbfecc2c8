"""Stop 25's open question: a warning the rubric rates 特别重大 that its officer lowers to
重大 with a reason must be handled exactly as a warning filed at 重大 — the same deadlines
(1 h to acknowledge, 24 h to resolve), the same district centres alerted at once, the
same re-notification and escalation (work room → street station → 督查督办中心) — and
the lowering and its reason stay in the case's events. It keeps, besides, the critical
alert's recipients (群工办, and the police for a danger to life) with the 【定级说明】:
lowering never reaches fewer people than the filed level does (docs/severity.md).

Both warnings are filed by the same community officer at the same instant, and then
left unacknowledged: what each unit receives, and when, is compared.
"""

from __future__ import annotations

from datetime import timedelta

from bot.fakeapi import FakeUser
from bot.runtime.scheduler import Scheduler
from storage.models import Case
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import events_of
from tests.warnkit import bound_chiefs, bound_officer, first_lines

OFFICER = 2711
ROOM = "dongcheng_heping"  # a community work room under 东城街道
STREET = "dongcheng"
# 特别重大 by the rubric, and kept by the officer's room: a person at risk in a crowd's
# warning (110 first). A knife attack (trial 33 D3), a fire or a drowning (trial 34 #1) is
# owned by the unit a citizen's report of it goes to: the room would not hold it to compare.
AT_RISK = "和平社区几十名业主围堵物业大门，有人扬言要跳楼"
CROWD = "和平社区建筑工地有二十多名农民工聚集讨要工资，情绪激动"  # 重大 by the rubric
REASON = "社区民警已到场核实，是剧组在拍电影"


async def _file(kit: BotKit, officer: FakeUser, text: str, lower: bool) -> None:
    await kit.say(officer, "/warn", "请描述预警情况")
    if lower:
        # Filed at once (trial 26 T24), then lowered from its receipt with the reason.
        action = officer.send_text(text)
        receipt = await officer.wait_for_message(
            lambda m: "预警已报送" in m.content, WAIT, since=action
        )
        assert "等级：特别重大" in receipt.content
        await officer.wait_for_message(lambda m: "发生地点" in m.content, WAIT, since=action)
        picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
        await kit.press(officer, picker, "重大", "理由")
        await kit.say(officer, REASON, "已将")
    else:
        proposal = await kit.say(officer, text, "预警研判")
        assert "等级：重大" in proposal.content
        await kit.press(officer, proposal, "确认", "预警已报送")
    await kit.say(officer, "/cancel", "补充完毕")  # no place, head count or photos


async def _steps(kit: BotKit, case: Case) -> list[tuple[str, timedelta, object]]:
    """The case's re-notifications and escalations: what, how long after filing, to whom."""
    return [
        (e.type, e.created_at - case.created_at, (e.data or {}).get("to_unit_id"))
        for e in await events_of(kit, case.id)
        if e.type in ("renotified", "escalated")
    ]


def _news(user: FakeUser, case: Case) -> list[str]:
    """What ``user`` was told about ``case``, message by message: the first line of a
    notice, or for a digest of a scheduler pass (trial 28 P4, 【待办汇总】) the digest's
    line about the case (its events, e.g. 新转来的案件、已上报督查督办中心（第1级） → 请签收)."""
    number = case.number or "?"
    out = []
    for m in user.transcript():
        if not (m.from_bot and number in m.content):
            continue
        if m.content.startswith("【待办汇总】"):
            line = next(x for x in m.content.split("\n") if number in x)
            out.append("【待办汇总】" + line)
        else:
            out.append(m.content.split("\n", 1)[0])
    return out


async def test_a_critical_warning_lowered_to_high_is_handled_as_a_high_one(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    units = {
        "room": ROOM,
        "street": STREET,
        "opinion": "opinion_centre",
        "mediation": "mediation_centre",
        "supervision": kit.district.supervision,
        "leadership": kit.district.leadership,
        "police": "police",
    }
    chiefs = await bound_chiefs(kit, units, OFFICER + 1)
    await _file(kit, officer, CROWD, lower=False)
    await _file(kit, officer, AT_RISK, lower=True)
    high, lowered = await kit.cases()
    assert (high.severity, lowered.severity) == ("high", "high")
    assert high.priority == lowered.priority == "high"
    assert high.created_at == lowered.created_at  # the clock stood still: same deadlines
    deadlines = kit.district.deadlines["high"]
    for case in (high, lowered):
        assert case.owning_unit_id == ROOM and case.territorial_unit_id == ROOM
        assert case.ack_due_at == case.created_at + deadlines.acknowledge
        assert case.resolve_due_at == case.created_at + deadlines.resolve

    # The lowering and its reason are in the events; the level is the officer's now.
    events = await events_of(kit, lowered.id)
    (changed,) = [e for e in events if e.type == "severity_changed"]
    assert (changed.data["from"], changed.data["to"], changed.note) == ("critical", "high", REASON)
    registered = events[0]  # filed at once at the rules' level, lowered after filing
    assert (registered.data["severity"], registered.data["rubric"]) == ("critical", "critical")
    assert not [e for e in await events_of(kit, high.id) if e.type == "severity_changed"]

    # At once: the work room (with buttons) and both centres, as for any 重大 warning; the
    # lowered one also reaches 群工办 and the police, with the 【定级说明】.
    await kit.delivered()
    for key in ("room", "opinion", "mediation"):
        for case in (high, lowered):
            assert first_lines(chiefs[key], case)[0] == f"【预警信息】{case.number}（重大）"
        assert first_lines(chiefs[key], lowered)[1] == f"【定级说明】{lowered.number}（重大）"
    for key in ("leadership", "police"):
        assert first_lines(chiefs[key], high) == []
        assert first_lines(chiefs[key], lowered)[:2] == [
            f"【预警信息】{lowered.number}（重大）",
            f"【定级说明】{lowered.number}（重大）",
        ]
    for key in ("street", "supervision"):
        assert first_lines(chiefs[key], high) == first_lines(chiefs[key], lowered) == []

    # Nobody acknowledges: the same reminders and escalations at the same times.
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    assert high.ack_due_at is not None
    kit.clock.advance(high.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    for _ in range(6):
        await scheduler.run_due()
        await kit.delivered()
        kit.clock.advance(kit.district.escalation.renotify_interval)

    high_steps = await _steps(kit, high)
    lowered_steps = await _steps(kit, lowered)
    assert high_steps == lowered_steps
    # 重大: the class's 催签收 (one since trial 26 T5), then up a level.
    reminded = kit.district.escalation.renotify_count_for("high")
    assert reminded == 1
    assert [s[0] for s in high_steps][: reminded + 1] == ["renotified"] * reminded + ["escalated"]
    for case in (high, lowered):
        stored = await kit.case(case.id)
        assert stored.escalation_level >= 2 and stored.escalated_to_unit_id is not None
        # The street station is the first level up, then the supervision centre.
        # (Both cases fall due in the same scheduler pass, so a chief with both gets
        # one digest naming each: the card arrives as a digest line, 新转来的案件.)
        street = _news(chiefs["street"], case)
        assert street[0] == f"【预警信息】{case.number}（重大）" or (
            street[0].startswith("【待办汇总】") and "新转来的案件" in street[0]
        )
        assert any(
            line.startswith(f"【上报督办】{case.number}") or "已上报督查督办中心" in line
            for line in street
        )
        supervision = _news(chiefs["supervision"], case)
        assert any(
            line.startswith(f"【上报督办】{case.number}") or "已上报督查督办中心" in line
            for line in supervision
        )
    reminders = [
        [
            line
            for line in _news(chiefs["room"], c)
            if line.startswith("【催签收】") or "超期未签收" in line
        ]
        for c in (high, lowered)
    ]
    assert len(reminders[0]) == len(reminders[1]) == reminded
