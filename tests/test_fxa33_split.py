"""Trial 33b E9: /split of a danger part gives the citizen the line; a part the citizen
never wrote is shown as the staff's wording, never as the citizen's own.

The bot over the fake Bot API; what the citizen reads and what is stored.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.emergencykit import EMERGENCY_LINE, tells_to_call
from tests.test_trial_defects import events_of, file_request

LAMP = "我家楼下的路灯坏了一个月了没人修"
KNIFE = "楼下有人拿着刀在追人，已经砍伤一个了"
WAGES = "老板拖欠我三个月工资不给"


async def test_a_split_off_danger_gives_the_citizen_the_line(kit: BotKit) -> None:
    desk = kit.user(3451, "分派台小李")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(3453, "群众")
    original = await file_request(kit, citizen, LAMP)
    await kit.delivered()
    mark = len(citizen.transcript())
    # Danger only in the desk's words is confirmed first (trial 34 #2).
    asked = await kit.answer(desk, desk.send_text(f"/split {original.number} {KNIFE}"), "请确认")
    await kit.press(desk, asked, "确认拆分", "已拆分")
    new = (await kit.cases())[-1]
    assert new.severity == "critical"
    assert new.owning_unit_id == kit.district.bureaus["police"].station_id
    await citizen.wait_for_message(lambda m: "分开登记" in m.content, WAIT)
    told = [m.content for m in citizen.transcript()[mark:] if m.from_bot]
    line = next(i for i, m in enumerate(told) if EMERGENCY_LINE in m)
    assert tells_to_call(told[line], "110")
    assert line < next(i for i, m in enumerate(told) if "分开登记" in m), told
    assert "工作人员的概括" in told[-1]  # not the citizen's words either


async def test_words_the_citizen_never_wrote_are_marked_as_the_staffs(kit: BotKit) -> None:
    chief = kit.user(3454, "劳动站王站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(3455, "群众")
    original = await file_request(kit, citizen, WAGES)
    assert original.owning_unit_id == "labor"
    await kit.delivered()
    part = "我爸的养老金这个月没到账"
    await kit.answer(chief, chief.send_text(f"/split {original.number} {part}"), "已拆分")
    told = await citizen.wait_for_message(lambda m: "分开登记" in m.content, WAIT)
    assert f"（工作人员的概括，不是您的原话）{part}" in told.content
    assert "请直接回复说明" in told.content
    split = [e for e in await events_of(kit, original.id) if e.type == "split"]
    assert (split[0].data or {}).get("staff_wording") is True


async def test_a_part_cut_from_the_text_is_the_citizens_own(kit: BotKit) -> None:
    chief = kit.user(3454, "劳动站王站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(3455, "群众")
    text = "楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账"
    original = await file_request(kit, citizen, text)
    await kit.delivered()
    await kit.answer(
        chief, chief.send_text(f"/split {original.number} 楼道灯坏了一个月没人修"), "已拆分"
    )
    told = await citizen.wait_for_message(lambda m: "分开登记" in m.content, WAIT)
    assert "工作人员的概括" not in told.content
