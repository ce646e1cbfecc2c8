"""Stop 35 #3: closing an officer's warning spoke of a 回访 that a warning never has.

The station closing it read 「办结说明（办理结果，将告知反映人）」 and 「（群众回访时的答复将与此
一并记录…）」. A warning is told to the officer who sent it and never surveyed; now nothing
in its closing speaks of a 回访 (as for a self-harm request, trial 34 #18), while a citizen's
request still does.

The bot over the fake Bot API; what the users read and what is stored.
"""

from __future__ import annotations

from storage.enums import CaseKind, Role
from tests.botkit import WAIT, BotKit, card_of, file_request

RESULT = "已组织双方调解，边界重新丈量确认"


async def test_closing_a_warning_never_speaks_of_a_follow_up(kit: BotKit) -> None:
    chief = kit.user(3541, "和平站长")
    await kit.bind(chief, "dongcheng_heping", Role.CHIEF)
    officer = kit.user(3542, "李信息员")
    await kit.bind(officer, "dongcheng_heping", Role.OFFICER)
    await kit.say(officer, "/warn 两户村民因宅基地边界发生争吵，可能动手", "预警已报送")
    (case,) = await kit.cases()
    assert case.kind == CaseKind.WARNING
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    asked = await kit.press(chief, card, "办结", "办结说明")
    assert "回访" not in asked.content and "信息员" in asked.content, asked.content
    kind = await kit.say(chief, RESULT, "办结类型")
    assert "回访" not in kind.content, kind.content
    done = await kit.say(chief, "实际解决", "已办结")
    assert "回访" not in done.content, done.content
    told = await officer.wait_for_message(lambda m: "已办结" in m.content, WAIT)
    assert RESULT in told.content and "回访" not in told.content and not told.buttons
    after = await kit.case(case.id)
    assert after.status in ("resolved", "closed") and after.resolution_note == RESULT


async def test_closing_a_citizens_request_still_speaks_of_the_follow_up(kit: BotKit) -> None:
    chief = kit.user(3543, "站长")
    await kit.bind(chief, kit.district.bureaus["construction"].station_id, Role.CHIEF)
    citizen = kit.user(3544, "王大爷")
    case = await file_request(kit, citizen, "小区门口的路灯坏了一个多月了没人修")
    assert case.owning_unit_id == kit.district.bureaus["construction"].station_id
    await kit.delivered()
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    kind = await kit.say(chief, "已更换灯泡，恢复照明", "办结类型")
    assert "回访" in kind.content
