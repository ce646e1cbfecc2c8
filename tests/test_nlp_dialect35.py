"""Stop 35, branch dialect35: south-western dialect (Sichuan, Guizhou, Chongqing) forms of danger,
negation, head counts and openings, answered as classes of wording (triage set af's misses).

Every sentence here is our own, never the set's: positives and the look-alikes a rule that
over-reached would catch (莫得事, 遭孽 'pitiful', 巴适得板, 斗志燃起来了 …).
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.headcount import parse_head_count
from nlp.intent import classify_intent
from nlp.severity import assess_severity


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


def _rubric(text: str) -> str:
    return assess_severity(text, learned=False).level


# --- Critical: danger words in dialect --------------------------------------------------------


# A place burning told 燃起来 or with the south-western 起 for 了.
@pytest.mark.parametrize(
    "text", ["街口那家面馆燃起来了 里头还有人", "我屋头灶房烧起了 火好大", "村头的草房着起了"]
)
def test_a_place_burning_in_dialect_is_a_fire(text: str) -> None:
    assert _rubric(text) == "critical"
    assert "119" in _line(text)


@pytest.mark.parametrize(
    "text", ["比赛看得我斗志燃起来了", "晚会一开场气氛就燃起来了", "老师一讲大家的热情都燃起来了"]
)
def test_a_spirit_burning_up_is_no_fire(text: str) -> None:
    assert _rubric(text) == "low"
    assert _line(text) == ()


# A bridge or a walkway giving way with people on it.
@pytest.mark.parametrize(
    "text", ["河上那座索桥钢索断了 上头还有好几个人", "栈道的板子垮了 上面还有人没下来"]
)
def test_a_bridge_giving_way_with_people_on_it_is_critical(text: str) -> None:
    assert _rubric(text) == "critical"
    assert _line(text) != ()


def test_a_bridge_askew_with_nobody_on_it_is_no_collapse() -> None:
    assert _rubric("村口那座桥的栏杆歪了 麻烦派人来修一下") != "critical"


# A blade swung about, or the threat to cut whoever comes near (哪个…就砍哪个).
@pytest.mark.parametrize(
    "text", ["有个醉汉拿柴刀在街上乱挥", "他提起斧头说哪个敢拦就砍哪个", "那个人疯了 见人就砍"]
)
def test_a_blade_swung_or_a_threat_to_whoever_comes_is_violence(text: str) -> None:
    assert _rubric(text) == "critical"
    assert "110" in _line(text)


@pytest.mark.parametrize("text", ["娃儿拿起小旗子乱挥", "今天上山砍柴 不晓得砍哪棵"])
def test_a_flag_waved_or_a_tree_chosen_is_no_violence(text: str) -> None:
    assert _rubric(text) == "low"
    assert _line(text) == ()


# 遭 as the passive (遭车撞了), and a vehicle gone over an edge (翻到坎下, 冲下岩).
@pytest.mark.parametrize(
    "text", ["我老汉儿在路边遭车撞了 起不来", "三轮车翻到坎下去了 人压在下头", "面包车冲下岩了"]
)
def test_a_road_accident_in_dialect_gets_the_ambulance_and_police(text: str) -> None:
    assert _rubric(text) == "critical"
    assert {"120", "110"} & set(_line(text))


@pytest.mark.parametrize("text", ["这个娃儿硬是遭孽 从小就莫得妈", "车子停在坎下面 明天来开"])
def test_pitiful_or_a_car_parked_is_no_accident(text: str) -> None:
    assert _rubric(text) == "low"
    assert _line(text) == ()


# Jumping off a cliff (跳岩 / 跳崖); prices that fall like it (跳崖式) are not.
def test_about_to_jump_off_a_cliff_is_self_harm() -> None:
    text = "我表哥喝了酒站在岩边上说要跳岩"
    assert _rubric(text) == "critical"
    assert "120" in _line(text)


def test_prices_falling_off_a_cliff_are_no_self_harm() -> None:
    assert _rubric("今年猪价跳崖式下跌 养猪的亏惨了") == "low"


# 莫得气了 / 没得气了: no breath; a tyre or a gas bottle empty is no person.
def test_no_breath_in_dialect_gets_the_ambulance() -> None:
    text = "我婆婆倒在床边 人莫得气了"
    assert _rubric(text) == "critical"
    assert "120" in _line(text)


@pytest.mark.parametrize("text", ["摩托车胎莫得气了 哪里可以补", "莫得事 就是问一下"])
def test_a_flat_tyre_or_no_matter_is_no_emergency(text: str) -> None:
    assert _line(text) == ()


# Fallen into water or a well told with the south-western 头 for 里.
@pytest.mark.parametrize("text", ["我幺儿掉河头了", "隔壁的孙娃子掉到井头了 在喊"])
def test_a_child_fallen_into_water_told_with_tou_gets_the_water_line(text: str) -> None:
    assert _rubric(text) == "critical"
    assert {"119", "110", "120"} <= set(_line(text))


def test_a_bucket_fallen_into_a_well_is_no_person() -> None:
    assert _line("水桶掉到井头了 咋个捞起来") == ()


# A person seized (绑了我娃儿) and people shut in, not let go (不准走, 手机都收了).
@pytest.mark.parametrize(
    "text",
    ["有人绑了我儿子 要我拿钱去换", "我们被工头锁在工棚头 不准走 手机都收了"],
)
def test_a_person_seized_or_held_in_dialect_gets_110(text: str) -> None:
    assert _rubric(text) == "critical"
    assert "110" in _line(text)


def test_a_shoelace_tied_is_no_kidnap() -> None:
    assert _line("帮娃儿把鞋带绑好了再出门") == ()


# --- Fears and questions: 如果 … 打哪个电话 / 咋个办 is a safety question ---------------------


@pytest.mark.parametrize("text", ["要是屋头燃气漏了 应该打哪个电话", "如果灶房着火了 咋个办嘛"])
def test_a_hypothetical_danger_asked_in_dialect_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_fire_now_with_the_same_question_keeps_its_line() -> None:
    assert "119" in _line("灶房着火了 打哪个电话")


@pytest.mark.parametrize("text", ["手机收到泥石流预警短信 我们这边要撤不", "滑坡预警是啥子意思"])
def test_a_landslide_warning_received_is_no_landslide(text: str) -> None:
    assert _line(text) == ()


def test_a_landslide_that_buried_people_keeps_its_line() -> None:
    assert _line("后山滑坡了 埋了两间房子 人还在里头") != ()


# --- High: a group going together, in dialect ------------------------------------------------


def test_a_group_agreeing_to_go_with_yueqi_is_high() -> None:
    assert _rubric("七个考生约起明天去教育局要求复核") == "high"


def test_friends_agreeing_to_go_fishing_with_yueqi_is_low() -> None:
    assert _rubric("五六个朋友约起去河边钓鱼") == "low"


def test_creditors_are_counted() -> None:
    assert parse_head_count("八个债主商量一起去法院") == 8
    assert _rubric("八个债主商量一起去法院") == "high"


# --- Medium: a threat to kill told from afar, staff pushed out --------------------------------


def test_a_threat_to_kill_told_in_dialect_is_at_least_medium() -> None:
    assert _rubric("他前夫在电话头说要整死她") in ("medium", "high", "critical")


def test_staff_pushed_out_of_a_home_is_medium() -> None:
    assert _rubric("那户人把网格员推出门 说不准再来") == "medium"


# --- Negation: 莫得 read as 没有; nobody saying they will act -----------------------------------


@pytest.mark.parametrize(
    "text", ["对补偿有点意见 但是莫得人说要去上访", "大家在群头吐槽几句 没有人说要去上访"]
)
def test_nobody_saying_they_will_petition_is_low(text: str) -> None:
    assert _rubric(text) == "low"


def test_a_petition_planned_is_still_read() -> None:
    assert _rubric("二十几户人说要一起去县上上访") == "high"


def test_no_breath_is_no_negation() -> None:
    assert _rubric("老汉儿倒在田头 莫得呼吸了") == "critical"


# --- Vague openings and small talk in dialect --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "遭了 这个咋个搞哦",
        "我不晓得咋个说",
        "能不能给我打个电话",
        "我不会打字 可以发个语音不",
        "我是外地的 可不可以在这儿问",
    ],
)
def test_a_dialect_opening_with_nothing_named_is_vague(text: str) -> None:
    assert classify_intent(text) == "vague"


@pytest.mark.parametrize(
    "text",
    [
        "遭了 屋头停水三天了",
        "不晓得低保咋个申请",
        "能不能打个电话给我 我家漏水漏到楼下了",
        "我是外地的 可不可以在这儿办居住证",
    ],
)
def test_a_dialect_opening_with_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("喂 看得到不", "greeting"),
        ("你好 我是新用户", "greeting"),
        ("巴适得板 谢谢了", "thanks"),
        ("要得要得 辛苦了", "thanks"),
    ],
)
def test_dialect_small_talk_is_small_talk(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


@pytest.mark.parametrize("text", ["听得到不 我家门口路灯坏了", "要得 那路灯啥时候修"])
def test_dialect_small_talk_before_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request"


def test_a_fire_told_in_dialect_in_a_citizen_message_is_critical() -> None:
    assert classify("我们院子后头的柴房燃起来了").severity == "critical"
