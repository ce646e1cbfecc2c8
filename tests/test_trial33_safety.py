"""Trial 33 D1–D4: dangers told indirectly, and who owns violence now.

D1: the means prepared beside despair (我实在撑不下去了，药已经准备好了) and the writer as
    a burden (这个世界没有我会更好吧) got the office picker: now the crisis path (the line
    first, 12356, a critical case the police own).
D2: a weapon made ready for revenge (刀已经磨好了，明天去找那个包工头算账) was an ordinary
    labour request; fuel carried to a government building as a threat was 重大 with no
    police. Now both are critical, 110 first, owned by 公安分局, the topic's unit told.
D3: an unlawful detention (被老板关在厂里不让走) and an officer's knife fight were owned by
    units that cannot act (区劳动局, the street station) with the police read-only; the
    knife fight sat unsigned. Now the police own them, with buttons, the route's unit
    informed; unsigned, the police are chased every hour at the top of the chain.
D4: a person crying at a roof's edge got 120 first and no bystander line, and its text
    unmasked on the district's copies; a gas smell behind a door nobody answers got
    only 119; a cry for help gone silent only 110.

Each class has look-alikes of our own that must stay quiet. The bot over the fake Bot
API, the real scheduler; every date from the service's clock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.scheduler import Scheduler
from storage.models import Case
from tests.botkit import WAIT, BotKit, said_since
from tests.emergencykit import EMERGENCY_LINE, tells_to_call
from tests.warnkit import bound_chief, bound_officer, filed_critical, warning_chiefs

CITIZEN = 3301
POLICE = 3302
LABOR = 3303
OFFICE = 3304
OFFICER = 3305
PICKER = "我不能确定由哪个部门办理"


async def _danger(kit: BotKit, user: FakeUser, text: str, *numbers: str) -> tuple[Case, str]:
    """``user`` sends ``text``; the first thing the bot says is the line naming ``numbers``
    in that order. The case filed at once, and the first message."""
    action = user.send_text(text)
    await user.wait_for_message(lambda m: tells_to_call(m.content, *numbers), WAIT, since=action)
    first = said_since(user, action)[0]
    line = next(x for x in first.splitlines() if EMERGENCY_LINE in x)
    # The numbers in the order wanted: the first one named first.
    assert line.index(f"{numbers[0]}（") == min(line.index(f"{n}（") for n in numbers), line
    for _ in range(50):
        if await kit.cases():
            break
        await kit.delivered()
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.priority == "critical"
    assert not any(PICKER in m for m in said_since(user, action))
    return case, first


async def _quiet(kit: BotKit, user: FakeUser, text: str) -> list[str]:
    """``user`` sends a look-alike: an ordinary answer, no line, no case filed."""
    action = user.send_text(text)
    await user.wait_for_message(lambda m: True, WAIT, since=action)
    await kit.delivered()
    said = said_since(user, action)
    assert not any(EMERGENCY_LINE in m for m in said), said
    assert await kit.cases() == []
    return said


def _police(kit: BotKit) -> str:
    return kit.district.bureaus["police"].station_id


async def _police_card(kit: BotKit, police: FakeUser, case: Case) -> ChatMessage:
    """The police chief's card of ``case``, with the 签收 button (the owner's)."""
    number = case.number or ""
    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    return card


# --- D1 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我实在撑不下去了，药已经准备好了",
        "这个世界没有我会更好吧",
        "活着太累了，绳子我已经买好了",
        "我就是个累赘，我走了你们就轻松了",
    ],
)
async def test_means_ready_or_a_burden_gets_the_crisis_path(kit: BotKit, text: str) -> None:
    police = await bound_chief(kit, POLICE, "police", "公安站长")
    citizen = kit.user(CITIZEN, "王芳")
    case, _ = await _danger(kit, citizen, text, "120", "110")
    await citizen.wait_for_message(lambda m: "12356" in m.content, WAIT)
    assert case.owning_unit_id == _police(kit)
    card = await _police_card(kit, police, case)
    assert text in card.content  # the owner reads the words


@pytest.mark.parametrize(
    "text",
    [
        "药已经准备好了，医生说饭后吃，复诊要挂哪个科",
        "《这个世界没有我会更好》这首歌是谁唱的",
        "不想拖累子女，想申请住养老院，需要什么材料",
    ],
)
async def test_d1_look_alikes_stay_quiet(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    said = await _quiet(kit, citizen, text)
    assert not any("12356" in m for m in said), said


# --- D2 ----------------------------------------------------------------------------


async def test_a_weapon_made_ready_for_revenge_is_the_polices(kit: BotKit) -> None:
    police = await bound_chief(kit, POLICE, "police", "公安站长")
    labor = await bound_chief(kit, LABOR, "labor", "劳动站长")
    citizen = kit.user(CITIZEN, "赵师傅")
    text = "刀已经磨好了，明天去找那个包工头算账"
    case, _ = await _danger(kit, citizen, text, "110")
    assert case.owning_unit_id == _police(kit)
    notify = (await kit.registered(case.id))["notify"]
    labor_station = kit.district.bureaus["labor"].station_id
    assert labor_station in notify  # the topic's unit is told
    await _police_card(kit, police, case)
    number = case.number or ""
    copy = await labor.wait_for_message(lambda m: number in m.content, WAIT)
    assert "签收" not in str(copy.buttons)


async def test_an_officers_fuel_threat_against_the_government_is_the_polices(
    kit: BotKit,
) -> None:
    chiefs = await warning_chiefs(kit, "dongcheng", 3320)
    officer = await bound_officer(kit, OFFICER)
    text = (
        "和平社区老刘跟拆迁办谈崩了，放话说再不给说法就带几桶汽油去区政府，今天上午已经在群里约人了"
    )
    case, _ = await filed_critical(kit, officer, text)
    assert case.owning_unit_id == _police(kit)
    assert "dongcheng" in (await kit.registered(case.id))["notify"]
    await _police_card(kit, chiefs["police"], case)
    first = next(m for m in officer.transcript() if m.from_bot and EMERGENCY_LINE in m.content)
    assert tells_to_call(first.content, "110")


@pytest.mark.parametrize(
    "text", ["刀磨好了，明天剁排骨包饺子", "汽油涨价了，我们想去区政府反映一下油价"]
)
async def test_d2_look_alikes_stay_quiet(kit: BotKit, text: str) -> None:
    await _quiet(kit, kit.user(CITIZEN, "赵师傅"), text)


# --- D3 ----------------------------------------------------------------------------


async def test_an_unlawful_detention_is_owned_by_the_police(kit: BotKit) -> None:
    police = await bound_chief(kit, POLICE, "police", "公安站长")
    await bound_chief(kit, LABOR, "labor", "劳动站长")
    citizen = kit.user(CITIZEN, "小陈")
    text = "我被老板关在厂里不让走，手机也被收了，这是偷偷借别人手机发的"
    case, _ = await _danger(kit, citizen, text, "110")
    assert case.owning_unit_id == _police(kit)
    assert kit.district.bureaus["labor"].station_id in (await kit.registered(case.id))["notify"]
    await _police_card(kit, police, case)


async def test_an_officers_knife_fight_is_the_polices_and_is_chased_hourly(kit: BotKit) -> None:
    chiefs = await warning_chiefs(kit, "dongcheng", 3320)
    officer = await bound_officer(kit, OFFICER)
    text = "阳光小区两家人因为停车位打起来了，有人拿了菜刀，现场十几个人围着"
    case, _ = await filed_critical(kit, officer, text)
    assert case.owning_unit_id == _police(kit)
    notify = (await kit.registered(case.id))["notify"]
    assert "dongcheng" in notify  # the officer's station keeps a copy
    await _police_card(kit, chiefs["police"], case)
    number = case.number or ""
    station_copy = await chiefs["room"].wait_for_message(lambda m: number in m.content, WAIT)
    assert "签收" not in str(station_copy.buttons)
    police_name = kit.district.units[_police(kit)].name
    await kit.say(officer, "/mine", lambda m: number in m.content and police_name in m.content)

    # Nobody signs: up a level after 1 h and 2 h (the critical 签收 period), then a
    # 催签收 to the police every hour — never a day's silence.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(2):
        kit.clock.advance(timedelta(hours=1, seconds=1))
        await sched.run_due()
    stored = await kit.case(case.id)
    assert (stored.escalation_level, stored.escalated_to_unit_id) == (2, kit.district.leadership)
    for hour in range(1, 5):
        kit.clock.advance(timedelta(hours=1, seconds=1))
        await sched.run_due()
        assert (await kit.events(case.id)).count("renotified") == hour
    await kit.delivered()
    chased = [
        m
        for m in chiefs["police"].transcript()
        if m.from_bot and number in m.content and "催签收" in m.content
    ]
    assert chased


# --- D4 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "楼顶有个人坐在边上好久了，一直在哭，下面围了好多人",
        "樓頂有個人坐在邊上好久了，一直在哭，下面圍了好多人",
    ],
)
async def test_someone_crying_at_a_roofs_edge(kit: BotKit, text: str) -> None:
    office = await bound_chief(kit, OFFICE, kit.district.leadership, "群工办主任")
    await bound_chief(kit, POLICE, "police", "公安站长")
    citizen = kit.user(CITIZEN, "路人")
    case, first = await _danger(kit, citizen, text, "110")
    assert "视线" in first and "和对方说话" in first  # what a bystander can do
    assert case.owning_unit_id == _police(kit)
    number = case.number or ""
    copy = await office.wait_for_message(lambda m: number in m.content, WAIT)
    assert "来件反映有人有轻生危险" in copy.content
    assert "一直在哭" not in copy.content


async def test_a_gas_smell_behind_a_door_nobody_answers(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "邻居")
    text = "我对门独居的老太太好几天没出门了，闻到一股很重的煤气味，敲门也没人应"
    await _danger(kit, citizen, text, "119", "120")


async def test_a_cry_for_help_gone_silent(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "邻居")
    text = "隔壁那個男的又在打老婆了，剛才聽到她喊救命，現在沒聲音了"
    await _danger(kit, citizen, text, "110", "120")


@pytest.mark.parametrize(
    "text",
    [
        "楼顶边上的防水层坏了，一直漏水，物业不管",
        "楼上装修一直在打电钻，现在没声音了，可以投诉吗",
        # Trial 33b E11: a stove that will not light, a company's line not answering.
        "家里煤气灶打不着火，燃气公司电话没人接",
        "天然气灶打不着，物业电话也不接",
    ],
)
async def test_d4_look_alikes_get_no_line(kit: BotKit, text: str) -> None:
    await _quiet(kit, kit.user(CITIZEN, "邻居"), text)
