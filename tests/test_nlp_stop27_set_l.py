"""Stop 27: set l's false alarms, over-ratings and under-ratings, answered by classes of wording.

Set l (``blind13l_*``) is tuning data since branch i13y; each rule below is a kind of
wording, shown with wordings written for this test (not set l's sentences) and with the
look-alikes that must keep their emergency line or their level. Set k's rules are in
``tests/test_nlp_stop27.py``.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent
from nlp.rubric_model import LEVELS
from nlp.severity import assess_severity

RANK = {level: i for i, level in enumerate(LEVELS)}


# --- A drama watched, a youth retold, money cried about, a hot dish, a temper --------------


@pytest.mark.parametrize(
    "text",
    [
        "昨晚追剧，女主角跳河那一集看得我难受",
        "这剧后半段着火那场戏拍得真好",
        "我爷爷年轻的时候在河里救过一个落水的孩子，他常说起这事",
        "我妈年轻时在纺织厂遇到过一次大火，她老说起",
        "救命啊，这个月电费怎么这么贵",
        "救命，房贷又涨了，到底怎么算的",
        "这家的毛血旺辣得冒火，推荐大家去吃",
        "社保卡还没办下来，急得我心里冒火",
        "我老板气得要爆炸了，因为报表又错了",
        "我妈气到爆炸，说我乱花钱",
    ],
)
def test_a_story_a_youth_an_exclamation_or_an_idiom_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # 男主人 is a man of the house, not a leading man
        ("男主人拿着刀在楼道里追他老婆，快来", "110"),
        ("我在家追剧，对面楼现在着火了，浓烟很大", "119"),
        ("我爸年轻时候在矿上干过，现在他在家里晕倒了叫不醒", "120"),
        ("救命啊，讨工资的时候被老板的人打了，头在流血", "110"),
        # pay named beside a cry is no bill asked about
        ("救命，讨工资被老板关起来了", "110"),
        ("救命，工资被扣了还被他们锁在厂里", "110"),
        ("救命，我被人扣了", "110"),
        ("厨房的插座在冒火，电线都烧黑了", "119"),
        ("楼下饭店的煤气罐爆炸了，有人受伤", "119"),
    ],
)
def test_a_danger_in_the_same_words_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)
    assert assess_severity(text).level == "critical", text


# --- A gathering or a threat told over ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "前几天在厂门口讨薪的那些工人，钱已经结清了，人都散了",
        "以前说要去省里上访的那几户，上个月都签了安置协议",
        # a threat to one's life settled for good is low (set e's label)
        "去年跳过河被救起来的那个人，现在上班了，回访一切正常",
    ],
)
def test_a_gathering_or_threat_told_over_is_low(text: str) -> None:
    assert assess_severity(text).level == "low", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "上周说要跳河的那个大爷，家属说是气话，这几天情绪平稳",
        "前天扬言要喝农药的那个妇女，今天去看了，人没事，她说当时说的是气话",
    ],
)
def test_a_threat_to_ones_life_told_calm_again_is_medium(text: str) -> None:
    """Still a person to visit again: not low, and no alert."""
    assert assess_severity(text).level == "medium", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "昨天说要喝药的那个大姐，今天又说不想活了，刚才把药瓶拿出来了",
        "工资还没发，人都没散，现在还有三十多个工人堵在厂门口",
    ],
)
def test_a_threat_or_gathering_still_on_keeps_its_level(text: str) -> None:
    assert RANK[assess_severity(text).level] >= RANK["high"], text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("有人说桥上有人要跳河，派出所去看了，没这回事", "low"),
        # a denied story people still act on or ask about is a rumour causing panic
        ("群里说化工厂要爆炸，我问了厂里，没这回事，可是好多人在问要不要撤", "medium"),
    ],
)
def test_a_story_denied_is_a_rumour(text: str, level: str) -> None:
    assert assess_severity(text).level == level, text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("刚才还有人说没这回事，可现在楼顶上真的有人要跳，快来", "110"),
        # a denial told first, or by the doer, takes nothing back
        ("他嘴上说没这回事，转身就拿刀砍人了", "110"),
        ("有人说没这回事，结果楼下真着火了", "119"),
        ("他拿刀砍人了，还说没这回事", "110"),
        # a threat called 气话 and then acted on
        ("他说是气话，刚才又爬上楼顶了", "110"),
    ],
)
def test_a_danger_beside_a_denial_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)
    assert assess_severity(text).level == "critical", text


# --- Groups planning, sitting in, called online, complaining jointly -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "二十几个被装修公司骗了的业主商量着一起去市场监管局投诉",
        "十几个被拖欠工资的工人约着一起去劳动局讨说法，说定在下周一",
        "六户人家一块儿到社区坐着不走，要求修路",
        "抖音上有人号召业主周日去售楼处集合维权，转发已经好几百了",
    ],
)
def test_a_group_planning_sitting_in_or_called_online_is_high(text: str) -> None:
    assert assess_severity(text).level == "high", text


@pytest.mark.parametrize(
    "text",
    [
        "我和我老公商量着一起去民政局办手续",
        "我们几个商量着一起去街道问问低保的事",
        "两户人家一块儿来社区问补贴的事",
        "有人号召周末在公园集合捡垃圾，没几个人转发",
    ],
)
def test_two_people_or_a_pastime_called_is_no_group_action(text: str) -> None:
    assert RANK[assess_severity(text).level] <= RANK["medium"], text


def test_households_complaining_jointly_are_a_dispute_of_many() -> None:
    text = "四家住户联合投诉楼上天天装修到半夜"
    assert assess_severity(text).level == "medium"


# --- A good morning with a new day; whether this is the place ------------------------------


@pytest.mark.parametrize("text", ["早上好呀，新的一天", "新的一天，大家早上好", "又是新的一天"])
def test_a_new_day_wished_is_a_greeting(text: str) -> None:
    assert classify_intent(text) == "greeting", text


@pytest.mark.parametrize(
    "text", ["新的一天，小区门口的垃圾还是没人清", "早上好，新的一天，路灯还是不亮"]
)
def test_a_new_day_with_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request", text


@pytest.mark.parametrize("text", ["请问是这里办吗", "请问是这里吗", "是不是在这里办"])
def test_whether_this_is_the_place_is_asked_back(text: str) -> None:
    assert classify_intent(text) == "vague", text


@pytest.mark.parametrize("text", ["是这里办低保吗", "请问低保是这里办吗", "请问办居住证是这里吗"])
def test_whether_this_is_the_place_for_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request", text


@pytest.mark.parametrize(
    "text",
    [
        "我在家看电视剧，对面楼现在着火了，浓烟很大",
        "正在追剧呢，楼下现在有人拿刀砍人",
        "刚看完那部电影，出门发现小区河里现在有个小孩落水了",
    ],
)
def test_a_danger_now_beside_a_drama_keeps_its_line(text: str) -> None:
    """Fiction words (电视剧, 电影, 追剧) cancel a danger unless a word of now says it is
    happening: 现在 and 此刻 do, like 正在 (found by i13y, fixed by the lead, stop 27)."""
    found = detect(text)
    assert found is not None, text
    assert classify(text).severity == "critical", text
