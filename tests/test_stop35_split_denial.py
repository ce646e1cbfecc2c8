"""Stop 35 #1, #2: a split-off case its citizen denies, and /status of a split original.

#1: 「第2件不是我反映的」 was kept as a note and the split police case stayed open: on its
deadline it escalated and told the citizen to call 110 about a fight they never reported.
Now a denied routine split case is withdrawn at once (no deadline, no timer, no escalation);
the citizen's receipt carries no emergency line; its units read 【反映人否认·已撤回】. A denied
critical split case is not withdrawn (split 35: safety is asymmetric, a denial may come from
a coerced phone or a mistaken reader): its units read 【反映人否认·请核实】, it escalates as any
critical case, and the citizen is told nothing more of it, no 110. A danger told in the
denial message is still handled as a danger, and the split case stays as it was.

#2: /status cut 「（另一件事已拆分为 MQ…）」 mid-mark; now the mark is shown whole.

The bot over the fake Bot API; what the users read and what is stored.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from storage.models import CaseEvent, Timer
from tests.botkit import WAIT, BotKit, file_request, said_since
from tests.criticalkit import police_chief
from tests.emergencykit import EMERGENCY_LINE

TWO = "我们小区门口的路灯坏了一个多月了没人修，另外楼下烧烤店油烟太大，每天晚上熏得没法开窗"
SMOKE = "楼下烧烤店油烟太大，每天晚上熏得没法开窗"
LAMP = "我们小区门口的路灯坏了一个多月了没人修"
FIGHT = "楼下烧烤店有人拿刀打起来了"
GYM = "小区健身器材也坏了"


async def _split_fight(kit: BotKit, base: int):  # type: ignore[no-untyped-def]
    police = await police_chief(kit, base)
    desk = kit.user(base + 1, "分派台李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(base + 2, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    asked = await kit.say(desk, f"/split {original.number} {FIGHT}", "请确认后再拆分")
    await kit.press(desk, asked, "确认拆分", "已拆分")
    new = (await kit.cases())[-1]
    assert new.severity == "critical" and new.original_text == FIGHT
    notice = await citizen.wait_for_message(lambda m: "分别办理" in m.content, WAIT)
    await kit.delivered()
    return police, citizen, original, new, notice


async def _events(kit: BotKit, case_id: int, kind: str) -> list[CaseEvent]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == kind)
        )
        return list(rows.all())


async def _pending_timers(kit: BotKit, case_id: int) -> list[Timer]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(Timer).where(
                Timer.case_id == case_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)
            )
        )
        return list(rows.all())


async def _split_routine(kit: BotKit, base: int):  # type: ignore[no-untyped-def]
    desk = kit.user(base + 1, "分派台李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(base + 2, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    await kit.say(desk, f"/split {original.number} {GYM}", "已拆分")
    new = (await kit.cases())[-1]
    assert new.severity != "critical" and new.original_text == GYM
    await citizen.wait_for_message(lambda m: "分别办理" in m.content, WAIT)
    await kit.delivered()
    return desk, citizen, original, new


async def test_a_denied_split_case_is_withdrawn_and_never_escalates(kit: BotKit) -> None:
    _, citizen, original, new = await _split_routine(kit, 3510)
    assert new.owning_unit_id is not None
    unit = kit.user(3513, "承办单位王科长")
    await kit.bind(unit, new.owning_unit_id, Role.STAFF)
    ack_due = new.ack_due_at
    assert ack_due is not None
    action = citizen.send_text("第2件不是我反映的，健身器材没坏")
    await kit.handled(action)
    await kit.delivered()
    said = said_since(citizen, action)
    receipt = next(m for m in said if "不是您反映的" in m)
    assert new.number in receipt and "已撤回" in receipt
    assert not any(EMERGENCY_LINE in m or "110" in m for m in said), said
    assert not any("您的描述" in m for m in said), said  # no new proposal
    after = await kit.case(new.id)
    assert after.status == "withdrawn" and after.ack_due_at is None
    assert after.resolve_due_at is None and after.escalation_level == 0
    (note,) = await _events(kit, new.id, "note_added")
    assert (note.data or {}).get("denies_split") is True
    (withdrawn,) = await _events(kit, new.id, "withdrawn")
    assert (withdrawn.data or {}).get("denies_split") is True
    assert await _pending_timers(kit, new.id) == []
    await unit.wait_for_message(
        lambda m: "【反映人否认·已撤回】" in m.content and (new.number or "?") in m.content, WAIT
    )
    # The deadline passes: nothing escalates, the citizen reads nothing of it.
    mark = len(citizen.transcript())
    kit.clock.advance(ack_due - kit.clock.now() + timedelta(hours=2))
    await Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases).run_due()
    await kit.delivered()
    later = await kit.case(new.id)
    assert later.status == "withdrawn" and later.escalation_level == 0
    assert await _events(kit, new.id, "escalated") == []
    told = [m.content for m in citizen.transcript()[mark:] if m.from_bot]
    assert not any(new.number in m or "110" in m for m in told), told
    # The original goes on.
    assert (await kit.case(original.id)).status not in ("withdrawn", "closed")
    # /status lists the split case as withdrawn.
    status = await kit.say(citizen, "/status", new.number or "?")
    assert "已撤回" in status.content


async def test_a_denied_critical_split_case_stays_open_to_be_verified(kit: BotKit) -> None:
    """Split 35: a critical split case is never dropped on a denial; its units verify it,
    it escalates on its deadline as any critical case, and the citizen reads no 110."""
    police, citizen, original, new, _ = await _split_fight(kit, 3580)
    ack_due = new.ack_due_at
    assert ack_due is not None
    action = citizen.send_text("第2件不是我反映的，没有人打架")
    await kit.handled(action)
    await kit.delivered()
    said = said_since(citizen, action)
    receipt = next(m for m in said if "不是您反映的" in m)
    assert new.number in receipt and "已撤回" not in receipt
    assert not any(EMERGENCY_LINE in m or "110" in m for m in said), said
    after = await kit.case(new.id)
    assert after.status not in ("withdrawn", "closed") and after.ack_due_at == ack_due
    assert await _events(kit, new.id, "withdrawn") == []
    (note,) = await _events(kit, new.id, "note_added")
    assert (note.data or {}).get("denies_split") is True
    assert await _pending_timers(kit, new.id) != []
    ping = await police.wait_for_message(
        lambda m: "【反映人否认·请核实】" in m.content and (new.number or "?") in m.content, WAIT
    )
    assert "核实" in ping.content and "没有人打架" in ping.content
    # The 签收时限 passes unsigned: the units are escalated to, the citizen told nothing.
    mark = len(citizen.transcript())
    police_mark = len(police.transcript())
    kit.clock.advance(ack_due - kit.clock.now() + timedelta(minutes=1))
    await Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases).run_due()
    await kit.delivered()
    later = await kit.case(new.id)
    assert later.escalation_level >= 1 and later.status not in ("withdrawn", "closed")
    assert await _events(kit, new.id, "escalated") != []
    units_read = [m.content for m in police.transcript()[police_mark:] if m.from_bot]
    assert any("【上报督办】" in m and new.number in m for m in units_read), units_read
    told = [m.content for m in citizen.transcript()[mark:] if m.from_bot]
    assert not any(new.number in m or "110" in m or EMERGENCY_LINE in m for m in told), told
    assert (await kit.case(original.id)).status not in ("withdrawn", "closed")


async def test_a_danger_in_the_denial_is_handled_as_danger(kit: BotKit) -> None:
    _, citizen, _, new, notice = await _split_fight(kit, 3520)
    action = citizen.send_text(
        "第2件不是我反映的，但是我家厨房着火了，火很大", reply_to=notice.message_id
    )
    await kit.handled(action)
    await citizen.wait_for_message(lambda m: EMERGENCY_LINE in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("已撤回" in m for m in said), said
    assert (await kit.case(new.id)).status != "withdrawn"
    assert not [n for n in await _events(kit, new.id, "note_added") if n.data]
    fire = (await kit.cases())[-1]
    assert fire.id != new.id and fire.severity == "critical" and "着火" in fire.original_text


async def test_status_shows_the_split_mark_whole(kit: BotKit) -> None:
    desk = kit.user(3531, "分派台李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(3532, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    await kit.say(desk, f"/split {original.number} {SMOKE}", "已拆分")
    new = (await kit.cases())[-1]
    assert (await kit.case(original.id)).original_text == f"{LAMP}（另一件事已拆分为 {new.number}）"
    await kit.delivered()
    status = await kit.say(citizen, "/status", original.number or "?")
    line = next(x for x in status.content.splitlines() if x.startswith("内容：") and LAMP[:6] in x)
    assert line == f"内容：{LAMP}（另一件事已拆分为 {new.number}）", line


MIXED = "第2件不是我反映的，另外我家楼上卫生间漏水好几天了"


async def test_a_denial_with_a_new_matter_asks_which_then_new(kit: BotKit) -> None:
    """#5: one question, two buttons; 是一件新的事 proposes it, the split case stays."""
    _, citizen, _, new, _ = await _split_fight(kit, 3560)
    action = citizen.send_text(MIXED)
    asked = await kit.answer(citizen, action, "还是一件新的事")
    assert new.number in asked.content
    assert [b["text"] for b in asked.buttons] == [f"是对{new.number}的说明", "是一件新的事"]
    await kit.handled(action)
    said = said_since(citizen, action)
    assert len([m for m in said if "还是一件新的事" in m]) == 1, said
    assert not any("您的描述" in m or "已撤回" in m for m in said), said
    assert await _events(kit, new.id, "note_added") == []
    proposal = await kit.press(citizen, asked, "是一件新的事", "您的描述")
    assert "漏水" in proposal.content
    assert (await kit.case(new.id)).status != "withdrawn"
    assert len(await kit.cases()) == 2  # nothing filed without 提交


async def test_a_denial_with_a_new_matter_asks_which_then_note(kit: BotKit) -> None:
    """#5: 是对第2件的说明 keeps it as the denial; the critical split case stays open to be
    verified (split 35), never withdrawn on it."""
    _, citizen, _, new, _ = await _split_fight(kit, 3570)
    action = citizen.send_text(MIXED)
    asked = await kit.answer(citizen, action, "还是一件新的事")
    pressed = citizen.press(asked, f"是对{new.number}的说明")
    await kit.handled(pressed)
    await citizen.wait_for_message(
        lambda m: m.content.startswith("收到。") and "不是您反映的" in m.content, WAIT
    )
    await kit.delivered()
    after = await kit.case(new.id)
    assert after.status != "withdrawn"
    (note,) = await _events(kit, new.id, "note_added")
    assert note.note == MIXED and (note.data or {}).get("denies_split") is True
    assert not any(EMERGENCY_LINE in m for m in said_since(citizen, action))
    assert len(await kit.cases()) == 2  # no new case
