"""Stop 26 of issue 13: collective action in letters, and set j's remaining misses.

The texts are written for these tests (none copied from the contest's letters or a
blind set): each rule is shown with wordings of its own and with the look-alike it
must leave alone.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}

OPENING = (
    "尊敬的领导：您好！我们是本县城关镇幸福小区的居民，"
    "今天冒昧给您写信，反映一个困扰大家多年的问题。小区北面的砂石场从早到晚装卸，"
    "粉尘满天，噪音不断，孩子没法写作业，老人晚上睡不着。"
)
CLOSING = "恳请有关部门高度重视，尽快派人调查处理。谢谢！"


def letter(middle: str) -> str:
    text = OPENING + middle + CLOSING
    assert len(text) > 120
    return text


@pytest.mark.parametrize(
    "middle",
    [
        # a collective subject, then an act, in one clause
        "村民们每天守在镇政府门口等说法。",
        "全体业主坚决阻止砂石场再开工。",
        # a plan, a word of acting together, then an act
        "如果再没有答复，大家拟组织集体到市里上访。",
        "居民代表已经商量，准备联名到市政府请愿。",
        # the writers named as a group of five or more, then 我们 + an act
        "砂石场损害了我们三百多户居民的利益，多次反映无果，我们将一级一级上访。",
    ],
)
def test_collective_action_a_letter_tells_planned_or_under_way_is_high(middle: str) -> None:
    assert assess_severity(letter(middle)).level == "high"


@pytest.mark.parametrize(
    "text", ["两个村的村民打算一起去县政府反映占地的事", "村民们每天守在镇政府门口要说法"]
)
def test_a_short_message_of_collective_action_told_so_is_high(text: str) -> None:
    assert assess_severity(text).level == "high"


@pytest.mark.parametrize(
    "middle",
    [
        "我们不会去上访，只希望政府管一管。",
        "老百姓盼着早点解决。",
        "我们一家三口准备搬走。",
    ],
)
def test_a_letter_without_collective_action_is_not_high(middle: str) -> None:
    assert RANK[assess_severity(letter(middle)).level] < RANK["high"]


def test_a_letters_number_of_people_counts_where_it_acts() -> None:
    # The estate's size comes first and acts in nothing; the crowd that acts is smaller.
    text = letter("小区现有住户九百多户，人口约三千人。上周二十多名业主聚集在砂石场门口。")
    found = assess_severity(text)
    assert found.level == "high" and "20人" in found.reasons


def test_a_letter_by_writers_named_as_a_group_is_a_dispute_of_many() -> None:
    assert (
        assess_severity(letter("我们共八人都在砂石场旁边种菜，菜全被粉尘盖住了。")).level
        == "medium"
    )


def test_a_belief_that_proved_wrong_takes_nothing_back() -> None:
    text = "老李前几天跟家里吵过，本以为没事了。刚才他拿着一瓶农药进了村委会，拧开就往嘴里倒"
    assert assess_severity(text).level == "critical"
    found = detect(text)
    assert found is not None and "120" in found.services
    # a real retraction still takes it back
    assert detect("刚才说有人要跳楼，开玩笑的，没事了") is None


def test_making_light_of_safety_is_no_retraction() -> None:
    text = letter("砂石场老板拿我们的健康来开玩笑，我们全体居民坚决阻止他们夜间开工。")
    assert assess_severity(text).level == "high"


@pytest.mark.parametrize(
    "text", ["幼儿园这周发现水痘9例，两个孩子已经住院", "工地食堂诺如十几例，好几个工人上吐下泻"]
)
def test_a_disease_cluster_counted_in_cases_is_critical(text: str) -> None:
    assert assess_severity(text).level == "critical"


def test_one_case_heard_of_is_no_cluster() -> None:
    assert assess_severity("听邻居说小学出了水痘病例，不知道真假").level != "critical"


@pytest.mark.parametrize(
    "text",
    [
        "要是楼道里起火了，应该怎么逃生？想提前了解",
        "假如电梯突然坠落，里面的人该怎么自救",
        "我家狗从三楼窗台跳下去了，一点事没有",
        "村口那座旧桥桥面塌了一块，目前还没出过事，就怕哪天有车掉下去",
    ],
)
def test_questions_animals_and_fears_are_no_danger_now(text: str) -> None:
    assert detect(text) is None
    assert assess_severity(text).level != "critical"


def test_an_event_that_happened_before_gets_no_emergency_line() -> None:
    # The level of an event told in the past stands (the rubric lowers it only when
    # the writer says it is settled); the emergency line is for a danger now.
    assert detect("这个加油站前些年发生过一次爆炸，想问问现在有没有安全检查") is None


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("如果再不给钱，他说就从楼顶跳下去，现在人就站在天台边上", "110"),
        ("狗把孩子的腿咬了，血止不住", "120"),
        ("仓库着火了，火很大，这里以前也发生过一次", "119"),
    ],
)
def test_the_look_alike_rules_leave_real_dangers_alone(text: str, service: str) -> None:
    found = detect(text)
    assert found is not None and service in found.services
    assert assess_severity(text).level == "critical"


def test_news_of_elsewhere_is_no_danger_here() -> None:
    text = "现在全国各地高层起火烧死人的事不少，我们楼的消防栓一直是坏的，请物业尽快修好"
    assert detect(text) is None
    assert assess_severity(text).level != "critical"


@pytest.mark.parametrize(
    "text", ["我报名了教师资格证面试，想问一下在哪里考", "请问非本地户籍能否报名参加这次招考"]
)
def test_signing_up_for_an_exam_is_no_collective_action(text: str) -> None:
    assert assess_severity(text).level == "low"


def test_signing_up_for_a_collective_visit_still_is() -> None:
    assert assess_severity("业主群里在报名，周六一起去住建局，已经三十多人").level == "high"


def test_a_danger_that_threatens_safety_is_no_persons_threat() -> None:
    assert (
        assess_severity(letter("粉尘严重威胁到周边居民的健康，电线乱拉也构成威胁。")).level == "low"
    )
    assert assess_severity("他威胁说再不还钱就找人收拾我").level == "medium"
