"""Stop 32 (branch i13pp): recall — dangers told now that got no line or a level too low.

Four structural defects stop 31 left, and the classes of meaning that sets w and x showed
missing (read after their score; every wording here is our own, none is a set's sentence):

* a what-if question or a lesson told first no longer takes the line from the real event told
  in a later sentence: each place of a family's word is judged in its own context;
* a rumour word earlier in a sentence no longer makes a danger told after a turn (可…真的) a story;
* farewell signs told in two or three sentences of a report are read together;
* a bare cry beside a game is an exclamation for the rubric *and* the learned model: low, no line;
* classes: a limb drawn into a machine, an animal attacking people, one's own wrist cut with the
  tool named first, a limb bent out of shape or a pool of blood, a search that has not found the
  person, a group named in one sentence and acting in the next (这些人, 她们), women workers
  counted, households reporting each other or split into camps, a threat to bring people in.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return found.services if found is not None else ()


# (a) A what-if question first, then the event now in a later sentence.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("假如有人晕倒了该怎么处理。我外婆现在晕倒在厨房了", "120"),
        ("要是有人被困在电梯里怎么办？我女儿刚才被困在电梯里了", "119"),
        ("如果有人落水应该怎么救？我侄子现在掉进鱼塘里了", "119"),
        ("万一有人晕倒该怎么急救。结果我同事真的晕倒在工位上了", "120"),
    ],
)
def test_a_question_told_first_does_not_take_the_line_from_the_event(
    text: str, number: str
) -> None:
    assert number in _line(text)
    assert classify(text).severity == "critical"


# The question alone, or a later sentence that is still the question, keeps no line.
@pytest.mark.parametrize(
    "text",
    [
        "假如有人晕倒了该怎么处理",
        "要是有人被困在电梯里怎么办？物业应该多久到",
    ],
)
def test_a_question_alone_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# (b) A rumour told first, then a turn to the real thing.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("群里有人说那是谣言，可我们小区三号楼真的着火了", "119"),
        ("网上都说是谣传，但是我家对面的饭店真的烧起来了，火很大", "119"),
    ],
)
def test_a_rumour_before_a_turn_does_not_cancel_the_danger(text: str, number: str) -> None:
    assert number in _line(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text", ["网传化工厂那边要爆炸了，大家赶紧撤", "群里在传河边有人落水了，不知道真假"]
)
def test_a_rumour_with_no_turn_stays_a_story(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity in ("low", "medium")


# (c) Farewell signs told in separate sentences of a report.
@pytest.mark.parametrize(
    "text",
    [
        "独居的赵大叔把存折交给了他外甥。当天晚上人就不见了。",
        "王阿姨留了一封信。之后手机一直关机，家里人找不到她。",
        "刘某把房本和工资卡都交给了他弟弟。第二天起就联系不上了。村里正在找。",
        "她把养了十年的猫托付给了楼下邻居。说以后就拜托你们了。",
    ],
)
def test_farewell_signs_across_sentences_are_a_danger(text: str) -> None:
    assert {"110", "120"} <= set(_line(text))
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "奶奶把存折交给了孙女。让她去银行交学费。",
        "把钥匙交给了物业。下午就去上班了。",
        "他把存折交给了邻居。",
    ],
)
def test_one_farewell_sign_alone_stays_quiet(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity != "critical"


# (d) A bare cry beside a game: the rubric and the learned model agree — low, no line.
@pytest.mark.parametrize(
    "text", ["和平精英又输了，救命啊", "打王者连跪五把 快来人啊", "排位又掉段了救命"]
)
def test_a_cry_beside_a_game_is_low_with_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


# A real danger beside a game keeps both.
@pytest.mark.parametrize(
    ("text", "number"),
    [("打王者打到一半 厨房突然着火了 救命啊", "119"), ("在打游戏 有人在砸我家门 救命", "110")],
)
def test_a_danger_beside_a_game_keeps_line_and_level(text: str, number: str) -> None:
    assert number in _line(text)
    assert classify(text).severity == "critical"


# Classes of sets w and x, in our own words.
@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # a limb drawn into a machine
        ("我爸掰玉米的时候胳膊卷进脱粒机里了", {"119", "120"}),
        ("工友的袖子绞进搅拌机了 人拽不出来", {"119", "120"}),
        # an animal attacking people now
        ("村口有条野狗见人就咬，已经咬伤两个小孩了", {"110", "120"}),
        ("一头野猪冲进村里拱伤了人，还在地里乱跑", {"110", "120"}),
    ],
)
def test_machines_and_animals_get_the_line(text: str, numbers: set[str]) -> None:
    assert numbers <= set(_line(text))
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "今天在税务大厅一名办事群众情绪失控，拿出刀片在自己右手腕上划了好几下，保安已经把他按住",
        "工地上吊车倒了，一个工人的腿当场变形了，还在喊疼",
        "办证窗口前一个老人摔倒了，地上一大滩血，人叫不应",
        "山下村的五保户老孙昨天去山上放羊，晚上降温到零下，全村人上山找，到现在还没找着人",
    ],
)
def test_harms_told_by_their_scene_are_critical(text: str) -> None:
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", ["被流浪狗咬了一口，要去哪里打狂犬疫苗", "家里的桌子腿断了一条"])
def test_their_look_alikes_stay_quiet(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity != "critical"


@pytest.mark.parametrize(
    "text",
    [
        # a group counted in one sentence, acting in the next
        "这轮危房鉴定，全村有十几户没通过，有几户说鉴定不公平。这些人商量好了下周二一块儿去区住建局",
        # women workers counted
        "服装厂四十来个女工两个月没发工资，她们说好了明天直接去市里",
    ],
)
def test_groups_planning_to_act_are_at_least_high(text: str) -> None:
    assert classify(text).severity in ("high", "critical")


@pytest.mark.parametrize(
    "text",
    [
        # households reporting each other, camps formed, a threat to bring people in
        "五楼装修改了承重墙，楼下两户和隔壁一户都有意见，四家互相投诉，矛盾越来越大",
        "小区停车位分配不公，业主已经分成了两派，群里天天吵",
        "合租的两个人闹矛盾，其中一个说对方再不搬走，他就叫人来把门砸了",
    ],
)
def test_disputes_and_threats_are_at_least_medium(text: str) -> None:
    assert classify(text).severity in ("medium", "high", "critical")
