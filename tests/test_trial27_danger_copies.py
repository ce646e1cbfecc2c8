"""Trial 27 N12, N13, N7: a danger now reaches the units that can act on it.

N12: an officer's critical warning of a fire with people trapped reached neither the
police nor anyone who could act; a mass school poisoning reached neither 卫生局 nor
教体局. Since trial 34 #1 the unit a citizen's report of the same words goes to owns it
(the police a fire, 卫生局 a poisoning); the topic's bureau, the school and the officer's
station get a read-only copy at once.
N13: the receipt's 同时报送 line names every unit the warning reached (the
registered event's ``notify``), on the guided /warn path too.
N7: a citizen's school food poisoning is owned by 卫生局 and 教体局 is told.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.criticalkit import (
    critical_warning_owned_by_police,
    police_chief,
    receipt_names_everyone,
    sent_to,
)
from tests.warnkit import bound_chief, bound_officer

OFFICER = 2701
POLICE = 2702
HEALTH = 2703
SCHOOLS = 2704
CITIZEN = 2705
FIRE = "和平小区5栋3楼着火了，浓烟很大，有老人被困在屋里"
POISONING = "东城第一小学午餐后三十多名学生出现呕吐腹泻，已有十几人送医"
JUMPER = "湖滨社区河边有个人站在栏杆外面，说要跳河"


async def test_a_fire_warning_with_people_trapped_is_the_polices(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    police = await police_chief(kit, POLICE)
    await critical_warning_owned_by_police(kit, officer, police, FIRE)


async def test_a_school_poisoning_warning_reaches_health_and_education(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    health = await bound_chief(kit, HEALTH, "health", "卫生站长")
    schools = await bound_chief(kit, SCHOOLS, "education", "教体站长")
    receipt = await kit.say(officer, f"/warn {POISONING}", "预警已报送")

    (case,) = await kit.cases()
    health_station = kit.district.bureaus["health"].station_id
    assert case.severity == "critical" and case.owning_unit_id == health_station
    notified = await receipt_names_everyone(kit, receipt, case)
    assert kit.district.bureaus["education"].station_id in notified, notified
    assert {"dongcheng_school", "dongcheng"} <= set(notified), notified
    assert "区卫生局" in receipt.content and "区教体局" in sent_to(receipt)
    number = case.number or ""
    card = await health.wait_for_message(lambda m: number in m.content, WAIT)
    assert "签收" in str(card.buttons)  # the owner acts
    copy = await schools.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons


async def test_the_guided_warning_receipt_names_every_unit_reached(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await kit.say(officer, "/warn", "请描述")
    receipt = await kit.answer(officer, officer.send_text(JUMPER), "预警已报送")

    (case,) = await kit.cases()
    notified = await receipt_names_everyone(kit, receipt, case)
    police_station = kit.district.bureaus["police"].station_id
    # A person at risk of their life is the police's, as from a citizen (trial 30 #13);
    # the officer's station is then told like the others.
    assert case.owning_unit_id == police_station
    assert {"dongcheng", "xihu_lakeside", "xihu"} <= set(notified), notified


async def test_a_citizens_school_poisoning_informs_education(kit: BotKit) -> None:
    await bound_chief(kit, HEALTH, "health", "卫生站长")
    schools = await bound_chief(kit, SCHOOLS, "education", "教体站长")
    citizen = kit.user(CITIZEN, "李华")
    await kit.answer(
        citizen,
        citizen.send_text("东城第一小学好多学生吃了午饭后呕吐，已经有几个送医院了"),
        "已登记",
    )

    (case,) = await kit.cases()
    assert case.severity == "critical"
    health_station = kit.district.bureaus["health"].station_id
    education_station = kit.district.bureaus["education"].station_id
    assert case.owning_unit_id == health_station
    notified = (await kit.registered(case.id))["notify"]
    assert {education_station, "dongcheng_school", "dongcheng"} <= set(notified), notified
    number = case.number or ""
    copy = await schools.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons  # read-only: 卫生局 owns it
