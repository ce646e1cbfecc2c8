"""Trial 26 on officers' warnings, through the real bot and the fake Bot API.

T3: the /warn receipt lists every unit the warning reached, the police's copy of a
danger to life included (the officer must know whether to call 110 themselves).
T12: a warning naming another street's residential area (西湖街道金桥居民区) sets 属地 to
it and informs that room and its street station; the officer's station keeps it.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.criticalkit import critical_warning_owned_by_police, police_chief
from tests.warnkit import bound_chief, bound_officer

OFFICER = 2611
POLICE = 2612
STATION = 2613
XIHU = 2614
JINQIAO = 2615
PETITION = "西湖街道金桥居民区有几个老人在群里说要组织去北京上访，时间定在下周三"
KNIFE = "东城菜市场门口两个摊贩打起来了，其中一人拿着菜刀追砍，已经有人流血"


async def test_the_warning_receipt_names_every_unit_it_reached(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    police = await police_chief(kit, POLICE)
    # Violence now is the police's to own since trial 33 D3 (it was a copy without buttons).
    await critical_warning_owned_by_police(kit, officer, police, KNIFE)


async def test_a_warning_about_another_street_informs_its_station(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    station = await bound_chief(kit, STATION)
    xihu = await bound_chief(kit, XIHU, "xihu", "西湖站长")
    jinqiao = await bound_chief(kit, JINQIAO, "xihu_jinqiao", "金桥室主任")
    receipt = await kit.say(officer, f"/warn {PETITION}", "预警已报送")

    (case,) = await kit.cases()
    assert case.owning_unit_id == "dongcheng"  # the officer's station keeps it
    assert case.territorial_unit_id == "xihu_jinqiao"
    notified = (await kit.registered(case.id))["notify"]
    assert "xihu_jinqiao" in notified and "xihu" in notified
    assert "西湖街道群众工作站" in receipt.content and "金桥居民区群众工作室" in receipt.content
    number = case.number or ""
    own = await station.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    assert "属地：金桥居民区群众工作室" in own.content
    for chief in (xihu, jinqiao):
        card = await chief.wait_for_message(lambda m: number in m.content, WAIT)
        assert "属地：金桥居民区群众工作室" in card.content and not card.buttons
