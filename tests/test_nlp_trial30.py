"""Trial 30 #4, #7, #9, #18, #19, #20: the rubric's reading of six classes of wording.

#4: an emoji that stands for a thing (💊 药, 🔥 火, 🔪 刀, 🩸 血) is read as its word where
danger is read: an overdose told with pills and no word for the medicine is self-harm;
a 🔥 on an advert or a dish stays harmless.
#7: harms counted as already suffered from a standing hazard (已经摔倒好几个人了) are a
request, no danger now; a fall with an injury now stays critical with 120.
#9: the number of the main need first: a road accident 120 then 110 (no 119), a fire 119
first whatever cry for help comes before it, a gas smell with someone ill 119 and 120.
#18: a poisoning or overdose is the health bureau's whoever tells it, unless violence is
told; a poison swallowed by mistake is no self-harm.
#19: a rumour spreading (网上有人传…) is medium. #20: the numbers a bare emoji points to.

The wordings are this file's own, not rows of a labelled set.
"""

from __future__ import annotations

import pytest

from bot.services.triage import OTHER_AT_RISK, danger_owner_bureau, emergency_of
from nlp.emergency import detect, emoji_services
from nlp.families import SELF_HARM
from nlp.normalize import danger_text
from nlp.severity import assess_severity

PILLS = "\U0001f48a"
FIRE = "\U0001f525"
KNIFE = "\U0001f52a"

OVERDOSE_EMOJI = [
    f"{PILLS}{PILLS}{PILLS} 我吃了好多，好困",
    f"刚吞了一大把{PILLS}，头好晕",
    f"{PILLS}{PILLS} 一整瓶都吃下去了",
    f"把一盒{PILLS}都吞下去了 好晕",
    f"我把一瓶{PILLS}全吃了，现在好想睡",
]

EMOJI_HARMLESS = [
    f"{FIRE}{FIRE}火锅店开业大酬宾{FIRE}",
    f"{FIRE}{FIRE}{FIRE} 新店开业全场五折",
    f"这首歌太{FIRE}了",
    f"今晚吃火锅{FIRE}{FIRE}",
    f"医生开的{PILLS}都吃了还是咳嗽，想问社区医院能不能开药",
    f"{PILLS}吃了好多天也不见好，想换个医生",
    f"买了把新{KNIFE}切菜特别快",
]


@pytest.mark.parametrize("text", OVERDOSE_EMOJI)
def test_an_overdose_told_with_pill_emoji_is_self_harm(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and found.kind == SELF_HARM, (text, found)
    assert found.services[0] == "120"
    assert assess_severity(text).level == "critical"


def test_a_weapon_emoji_is_read_as_its_word() -> None:
    found = detect(f"有个人拿着{KNIFE}在楼道里追人")
    assert found is not None and found.services[0] == "110"
    assert danger_text(f"{PILLS}{FIRE}") == "药火"


@pytest.mark.parametrize("text", EMOJI_HARMLESS)
def test_thing_emoji_on_adverts_dishes_and_medicine_taken_stay_harmless(text: str) -> None:
    assert detect(text) is None, text
    assert assess_severity(text).level != "critical", text


PAST_HARMS = [
    "我家楼下的马路上有个大坑，已经摔倒好几个人了",
    "小区门口台阶坏了，经常有人摔",
    "这个井盖松了，好几个人摔过",
    "路口那个坑已经摔了好几个骑电动车的，赶紧修修吧",
    "菜市场门口地砖翘起来了，老有人绊倒",
]

INJURED_NOW = [
    "有人摔倒了起不来，头在流血",
    "门口有个大坑，已经摔倒好几个人了，刚才又有个老人摔倒了，头在流血",
    "我妈在路口摔倒了，叫不醒",
]


@pytest.mark.parametrize("text", PAST_HARMS)
def test_harms_counted_from_a_standing_hazard_are_a_request(text: str) -> None:
    assert emergency_of(text) is None, text
    assert assess_severity(text).level in ("low", "medium"), text


@pytest.mark.parametrize("text", INJURED_NOW)
def test_an_injury_now_beside_a_hazard_stays_critical_with_120(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and "120" in found.services, (text, found)
    assert assess_severity(text).level == "critical"


@pytest.mark.parametrize(
    ("text", "first", "also", "never"),
    [
        ("我儿子刚才被车撞了躺在地上不动", "120", "110", "119"),
        ("路口一辆货车撞倒了一个骑车的老人，人躺着不动", "120", "110", "119"),
        ("门口出车祸了，有个人被车撞飞了", "120", "110", "119"),
        (f"救命 鄰居家起火了 {FIRE}{FIRE}", "119", "110", ""),
        ("救命啊 楼下着火了，烟很大", "119", "110", ""),
        ("快来人 仓库起火了", "119", "", ""),
        ("家里有股很浓的煤气味，我妈头晕", "119", "120", ""),
        ("厨房燃气味很重，孩子说想吐", "119", "120", ""),
        ("救命，有人拿刀砍人", "110", "120", ""),
    ],
)
def test_the_main_need_comes_first(text: str, first: str, also: str, never: str) -> None:
    found = emergency_of(text)
    assert found is not None, text
    assert found.services[0] == first, (text, found.services)
    if also:
        assert also in found.services, (text, found.services)
    if never:
        assert never not in found.services, (text, found.services)


def test_a_trapped_driver_still_gets_the_fire_brigade() -> None:
    found = emergency_of("车翻了，司机卡在车里出不来")
    assert found is not None and "119" in found.services


def test_a_near_miss_with_a_car_is_still_no_danger() -> None:
    assert emergency_of("刚才差点被车撞，那个路口该装红绿灯了") is None


@pytest.mark.parametrize(
    "text",
    [
        "我媽吃了一整瓶安眠藥，叫不醒了",
        "我爸刚才喝了农药",
        "我弟弟吞了很多片药，叫不醒",
        "我把一瓶药都吃了",
        "我好像中毒了，呼吸困难",
        "奶奶误吃了老鼠药",
        "孩子不小心喝了消毒液",
        "孩子把药当糖吃了",
    ],
)
def test_a_poisoning_or_overdose_is_the_health_bureaus(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and found.services[0] == "120", (text, found)
    assert danger_owner_bureau(text) == "health", text


@pytest.mark.parametrize(
    "text", ["他拿刀逼我妈喝农药", "我准备好了安眠药，今晚就走", "我想死", "楼顶有人要跳楼"]
)
def test_violence_a_plan_or_a_jump_stays_the_polices(text: str) -> None:
    assert danger_owner_bureau(text) == "police", text


@pytest.mark.parametrize(
    "text", ["奶奶误吃了老鼠药", "孩子不小心喝了消毒液", "我家孩子误食了干燥剂"]
)
def test_a_poison_swallowed_by_mistake_is_no_self_harm(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and found.kind not in (SELF_HARM, OTHER_AT_RISK), (text, found)


def test_a_pet_poisoned_is_no_emergency() -> None:
    assert emergency_of("小狗误吃了老鼠药，附近有宠物医院吗") is None


@pytest.mark.parametrize(
    "text",
    [
        "网上有人传东城要拆迁补偿每平米只有500，群众议论很多",
        "村里有人在传征地款要被扣一半",
        "小区群里有人传物业要涨价一倍，大家很气愤",
        "有人造谣说学校食堂用的是过期肉",
    ],
)
def test_a_rumour_spreading_is_medium(text: str) -> None:
    assert assess_severity(text).level == "medium", text


@pytest.mark.parametrize(
    "text", ["公益诉讼那个事，群众议论说光打雷不下雨", "我想问问拆迁补偿标准是多少"]
)
def test_talk_and_questions_are_no_rumour(text: str) -> None:
    assert assess_severity(text).level == "low", text


def test_bare_emoji_point_to_their_numbers() -> None:
    assert emoji_services(FIRE * 3) == ("119",)
    assert emoji_services(f"{KNIFE}{PILLS}") == ("110", "120")
    assert emoji_services("😭😭") == ()
