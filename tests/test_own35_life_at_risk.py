"""The lead's decision (own35): a life at risk now beats a regulatory topic.

A danger now with a person hurt, trapped, buried or fainting was owned by the bureau of its
topic when the keywords were sure of one (违建倒塌有人被埋 → 规划分局, 脚手架倒塌压住了两个工人
→ 建设局, 工厂排放黄色浓烟，呛得人喘不过气 → 环保局): bureaus with no rescue capacity held a
life-at-risk emergency while the police and the health bureau read copies without buttons.
Now the unit that can act on lives owns it (the danger family's bureau, else the line's: the
police for people buried, 卫生局 for people fainting), and the topic's bureau is informed at
once to act on the cause. A thing's danger with nobody hurt (a wall fallen, nobody under it)
and violence now keep today's owner. The same rule for an officer's /warn, a citizen's
message and Open311 (one code path: ``bot.services.triage.danger_now_owner``).

The bot over the fake Bot API; Open311 over real HTTP; every date from the service's clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.services.triage import LIFE_UNITS, danger_now_owner, emergency_of
from config.district import District
from storage.db import Database
from tests.botkit import WAIT, BotKit
from tests.criticalkit import receipt_names_everyone
from tests.factories import CODEC, START
from tests.open311kit import Open311Api, open311_api
from tests.warnkit import bound_chief, bound_officer, filed_critical, warning_chiefs

OFFICER = 3501
PLANNER = 3502
CITIZEN = 3503
HEALTH = 3504
GREEN = 3505
BUILDER = 3506
POLICE = 3507
CHIEFS_FROM = 3520

BURIED = "村里一处违建倒塌了，有人被埋在下面"


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("违建倒塌有人被埋", "police"),
        ("违建房屋垮塌，里面还有人没出来", "police"),
        ("脚手架倒塌压住了两个工人", "police"),
        ("工地塔吊倒了，砸到了下面的工人", "police"),
        ("有人受伤了，被埋在废墟里", "police"),  # 120 first, but a rescue: 119's unit
        ("工厂排放黄色浓烟，呛得人喘不过气", "health"),
        # Smoke overcoming people is the toxic-leak family's since safety35 (119+120):
        # its bureau, the police, clears and cordons the site.
        ("化工厂排放浓烟，几个工人晕倒了", "police"),
        ("井盖丢了，小孩掉下去受伤了", "health"),
        ("小区里有人拿刀在砍人，已有人受伤", "police"),
        ("工地围墙倒塌了，没有人受伤", None),  # the topic's, as before
        ("违建倒塌了", None),
    ],
)
def test_the_owner_that_can_act_on_lives(text: str, owner: str | None) -> None:
    emergency = emergency_of(text)
    assert emergency is not None
    assert danger_now_owner(text, emergency) == owner


@pytest.mark.parametrize(
    ("text", "topic"),
    [("路口发生车祸，有人倒在地上不动了", "police"), ("病房里有个病人晕倒了，在抽搐", "health")],
)
def test_a_topic_that_can_act_on_lives_keeps_it(text: str, topic: str) -> None:
    emergency = emergency_of(text)
    assert emergency is not None
    assert danger_now_owner(text, emergency, topic) in (None, topic)
    assert danger_now_owner(text, emergency, "construction") in LIFE_UNITS


def _station(kit: BotKit, bureau: str) -> str:
    return kit.district.bureaus[bureau].station_id


async def _copy_without_buttons(chief: FakeUser, number: str) -> None:
    copy = await chief.wait_for_message(lambda m: number in m.content, WAIT)
    assert "签收" not in str(copy.buttons), copy.buttons


async def test_an_officers_warning_of_people_buried_is_the_polices_planning_informed(
    kit: BotKit,
) -> None:
    chiefs = await warning_chiefs(kit, "dongcheng", CHIEFS_FROM)
    planner = await bound_chief(kit, PLANNER, "planning", "规划站长")
    officer = await bound_officer(kit, OFFICER)
    case, receipt = await filed_critical(kit, officer, BURIED)

    # 119 first: the police bring the rescue and the cordon; 规划分局 must seal the site.
    assert case.severity == "critical" and case.priority == "critical"
    assert (case.bureau, case.owning_unit_id) == ("police", _station(kit, "police"))
    notified = await receipt_names_everyone(kit, receipt, case)
    district_alert = {"opinion_centre", "mediation_centre", kit.district.leadership}
    assert {"dongcheng", _station(kit, "planning")} | district_alert <= set(notified), notified
    number = case.number or ""
    card = await chiefs["police"].wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert card.content.startswith("【预警信息】") and "特别重大" in card.content
    for chief in (planner, chiefs["room"], chiefs["leadership"], chiefs["opinion"]):
        await _copy_without_buttons(chief, number)
    police_name = kit.district.units[_station(kit, "police")].name
    await kit.say(officer, "/mine", lambda m: number in m.content and police_name in m.content)


@pytest.mark.parametrize(
    "text",
    [
        "化工厂偷排废气污染空气，好几个工人呕吐头晕，已经有人吸不上气了",  # the poisoning family's
        "工厂排放黄色浓烟，呛得人喘不过气",  # no family owner: 环保局 by its topic until own35
    ],
)
async def test_workers_fainting_from_a_factorys_smoke_are_the_health_bureaus(
    kit: BotKit, text: str
) -> None:
    health = await bound_chief(kit, HEALTH, "health", "卫生站长")
    green = await bound_chief(kit, GREEN, "environment", "环保站长")
    citizen = kit.user(CITIZEN, "刘师傅")
    await kit.answer(citizen, citizen.send_text(text), "已登记")

    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert (case.bureau, case.owning_unit_id) == ("health", _station(kit, "health"))
    registered = await kit.registered(case.id)
    assert registered["how"] == "danger"
    assert _station(kit, "environment") in registered["notify"]  # to stop the discharge
    number = case.number or ""
    card = await health.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert "承办单位：区卫生局" in card.content
    await _copy_without_buttons(green, number)
    said = "\n".join(m.content for m in citizen.transcript() if m.from_bot)
    assert "120" in said and "区卫生局" in said


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # A wall fallen on nobody, an illegal building down with nobody named: a thing's
        # danger, the topic's bureau keeps it as before.
        ("工地围墙倒塌了，没有人受伤", "construction"),
        ("违建倒塌了", "planning"),
        # Violence now: the police, as before (trial 33 D3).
        ("小区里有人拿刀在砍人，已有人受伤", "police"),
    ],
)
async def test_look_alikes_keep_their_owner(kit: BotKit, text: str, owner: str) -> None:
    chief = await bound_chief(kit, BUILDER, owner, "承办站长")
    citizen = kit.user(CITIZEN, "刘师傅")
    await kit.answer(citizen, citizen.send_text(text), "已登记")

    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == _station(kit, owner)
    number = case.number or ""
    await chief.wait_for_message(lambda m: number in m.content and "签收" in str(m.buttons), WAIT)


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Open311Api]:
    clock = FakeClock(START)
    async with open311_api(CaseService(db, district, clock, CODEC), clock) as api:
        yield api


async def test_an_open311_code_does_not_give_people_trapped_to_the_construction_bureau(
    api: Open311Api, district: District
) -> None:
    """The same rule through Open311: its ``service_code`` is the topic, informed."""
    number = await api.file(
        service_code="construction",
        description="工地脚手架倒塌，压住了两个工人",
        address_string="东城街道和平路88号",
    )
    case = await api.case(number)
    assert case.severity == "critical"
    assert (case.bureau, case.owning_unit_id) == ("police", district.bureaus["police"].station_id)
    resp = await api.read(f"/open311/v2/requests/{number}.json")
    [record] = await resp.json()
    assert record["agency_responsible"] == "区公安分局群众工作站"
