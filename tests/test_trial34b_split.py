"""Trial 34 #2, #3 and #19: what a /split files, in whose name, at which level, and how
the original reads afterwards.

#2: /split with words the citizen never wrote that tell of danger now (楼下烧烤店有人拿刀
打起来了) filed a 特别重大 police case in the citizen's name at once, and the citizen's
denial the bot asks for (如第2件不是您反映的事，请直接回复说明) became a new draft. Now the
splitter confirms first (确认拆分 / 取消), and the citizen's reply reaches that case as
their 补充说明 marked as a denial; its units read 【反映人否认·已撤回】.

#3: splitting a street lamp, in the staff's words, off a critical 救命啊 case made the lamp
特别重大 with a false explanation. Now the danger stays where it is: the lamp takes its
own level.

#19: the original still showed the moved matter everywhere. Now its text is what it still
handles, marked 「（另一件事已拆分为 MQ…）」, in /status, the cards and later notices; the
citizen's words as they were are kept on the ``split`` event.

The bot over the fake Bot API; what the users read and what is stored.
"""

from __future__ import annotations

from sqlalchemy import select

from storage.enums import Role
from storage.models import Case, CaseEvent
from tests.botkit import WAIT, BotKit, said_since
from tests.criticalkit import police_chief
from tests.emergencykit import EMERGENCY_LINE
from tests.test_trial_defects import file_request

TWO = "我们小区门口的路灯坏了一个多月了没人修，另外楼下烧烤店油烟太大，每天晚上熏得没法开窗"
SMOKE = "楼下烧烤店油烟太大，每天晚上熏得没法开窗"
LAMP = "我们小区门口的路灯坏了一个多月了没人修"
FIGHT = "楼下烧烤店有人拿刀打起来了"
DENIAL = "第2件不是我反映的，没有人打架"


async def _desk(kit: BotKit, user_id: int = 3491):  # type: ignore[no-untyped-def]
    desk = kit.user(user_id, "分派台李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    return desk


async def _notes(kit: BotKit, case_id: int) -> list[CaseEvent]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == "note_added")
        )
        return list(rows.all())


async def test_danger_only_in_the_staffs_words_is_confirmed_first(kit: BotKit) -> None:
    desk = await _desk(kit)
    citizen = kit.user(3492, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    mark = len(citizen.transcript())
    asked = await kit.say(desk, f"/split {original.number} {FIGHT}", "请确认后再拆分")
    assert "群众的原话中没有" in asked.content and "110" in asked.content
    assert [c.id for c in await kit.cases()] == [original.id]  # nothing filed yet
    told = await kit.press(desk, asked, "取消", "已取消")
    assert "没有拆分" in told.content
    await kit.delivered()
    assert len(await kit.cases()) == 1
    assert not [m for m in citizen.transcript()[mark:] if m.from_bot]  # the citizen: nothing
    # The question's buttons are gone: nothing left to file it by.
    question = next(m for m in desk.transcript() if m.message_id == asked.message_id)
    assert not question.buttons


async def test_the_citizens_denial_reaches_the_split_case(kit: BotKit) -> None:
    police = await police_chief(kit, 3493)
    desk = await _desk(kit)
    citizen = kit.user(3494, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    asked = await kit.say(desk, f"/split {original.number} {FIGHT}", "请确认后再拆分")
    await kit.press(desk, asked, "确认拆分", "已拆分")
    new = (await kit.cases())[-1]
    assert new.severity == "critical" and new.original_text == FIGHT
    assert new.owning_unit_id == kit.district.bureaus["police"].station_id
    assert (await kit.registered(new.id)).get("danger_confirmed") is True
    notice = await citizen.wait_for_message(lambda m: "分别办理" in m.content, WAIT)
    assert "工作人员的概括" in notice.content and "请直接回复说明" in notice.content
    await kit.delivered()

    action = citizen.send_text(DENIAL)
    receipt = await kit.answer(citizen, action, "不是您反映的")
    assert new.number in receipt.content
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("您的描述" in m or "可能是" in m for m in said), said  # no new proposal
    assert not any(EMERGENCY_LINE in m for m in said), said  # a denial raises no alarm
    assert len(await kit.cases()) == 2
    (note,) = await _notes(kit, new.id)
    assert note.note == DENIAL and (note.data or {}).get("denies_split") is True
    seen = await police.wait_for_message(
        # A critical split case is verified, not withdrawn, on a denial (split 35).
        lambda m: "【反映人否认·请核实】" in m.content and (new.number or "?") in m.content,
        WAIT,
    )
    assert DENIAL in seen.content and "工作人员的概括" in seen.content
    # Said once: the next message is the citizen's new matter as usual.
    await kit.say(citizen, "小区健身器材坏了", "您的描述：小区健身器材坏了")


async def test_a_harmless_part_of_a_critical_case_takes_its_own_level(kit: BotKit) -> None:
    await police_chief(kit, 3496)
    desk = await _desk(kit)
    citizen = kit.user(3497, "群众")
    action = citizen.send_text("救命啊！！！😭😭")
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (original,) = await kit.cases()
    assert original.severity == "critical"
    await kit.delivered()
    done = await kit.say(desk, f"/split {original.number} 另外我家楼下路灯也坏了", "已拆分")
    new = (await kit.cases())[-1]
    assert new.severity != "critical", done.content
    assert "特别重大" not in done.content and "危险情形在拆出的部分" not in done.content
    assert "own_level" not in await kit.registered(new.id)
    assert (await kit.case(original.id)).severity == "critical"  # the danger stays


async def test_the_original_shows_what_it_still_handles(kit: BotKit) -> None:
    desk = await _desk(kit)
    citizen = kit.user(3498, "张大姐")
    original = await file_request(kit, citizen, TWO)
    number = original.number or ""
    await kit.delivered()
    await kit.say(desk, f"/split {number} {SMOKE}", "已拆分")
    new = (await kit.cases())[-1]
    assert new.original_text == SMOKE
    kept = await kit.case(original.id)
    assert kept.original_text == f"{LAMP}（另一件事已拆分为 {new.number}）"
    async with kit.db.session() as s:
        split = await s.scalar(
            select(CaseEvent).where(CaseEvent.case_id == original.id, CaseEvent.type == "split")
        )
    assert split is not None and (split.data or {}).get("original_text") == TWO
    await kit.delivered()
    # The desk's card of the original now reads what it still handles.
    card = next(
        m
        for m in reversed(desk.transcript())
        if m.from_bot and m.content.startswith("【") and number in m.content and "内容" in m.content
    )
    assert "烧烤" not in card.content and LAMP in card.content, card.content
    # The citizen's /status.
    status = await kit.say(citizen, "/status", number)
    assert "烧烤" not in status.content.split(new.number or "?")[0] or "已拆分" in status.content
    assert f"（另一件事已拆分为 {new.number}" in status.content or "已拆分" in status.content
    # A later split's notice lists the original by what it still handles.
    mark = len(citizen.transcript())
    asked = await kit.say(desk, f"/split {number} 小区健身器材也坏了", "已拆分")
    assert asked is not None
    later = await citizen.wait_for_message(
        lambda m: "分别办理" in m.content and m.message_id > mark, WAIT
    )
    first_line = next(line for line in later.content.splitlines() if line.startswith("1."))
    assert "烧烤" not in first_line and "路灯" in first_line, later.content
    third = (await kit.cases())[-1]
    assert (await kit.case(original.id)).original_text == (
        f"{LAMP}（另一件事已拆分为 {new.number}）（已拆分出 {third.number}）"
    )


async def test_a_danger_that_cannot_be_located_keeps_the_level_and_says_so(kit: BotKit) -> None:
    """A 重大 level that the case's words do not give (set from elsewhere): where the danger
    is cannot be told, so the part in the desk's words keeps 重大, said truthfully."""
    desk = await _desk(kit)
    citizen = kit.user(3499, "群众")
    original = await file_request(kit, citizen, LAMP)
    async with kit.db.session() as s:
        row = await s.get(Case, original.id)
        assert row is not None
        row.severity = "high"
    done = await kit.say(desk, f"/split {original.number} 小区健身器材也坏了", "已拆分")
    part = (await kit.cases())[-1]
    assert part.severity == "high"
    assert "无法判断危险情形在哪一部分" in done.content
    assert "危险情形在拆出的部分" not in done.content
    data = await kit.registered(part.id)
    assert data.get("own_level") in ("low", "medium") and data.get("level_kept") == "unknown"
