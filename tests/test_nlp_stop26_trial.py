"""Stop 26, round 2: the triage defects a product trial found in the sandbox.

Each rule is shown with the trial's sentence and with wordings written for this
test, and with the look-alike it must leave alone.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # the trial's sentence: an aftermath word (抚养费) in another sentence
        ("前夫一直不给抚养费。现在他喝醉了拿着刀在我家门口砸门，说要杀了我", "110"),
        ("离婚后他一直不付抚养费。现在他拿着菜刀在楼下堵我", "110"),
        ("工伤的事一直没解决。现在老板带着几个人拿着棍子在宿舍门口打人", "110"),
        # the trial's sentence: a person inside a house being pulled down
        ("拆迁补偿没谈好，现在挖掘机正在推我家房子，我妈还在屋里", "110"),
        ("他们开着推土机来强拆，我爸还在房子里没出来", "110"),
    ],
)
def test_danger_told_in_the_present_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None, text
    assert number in found.services
    assert assess_severity(text).level == "critical"


@pytest.mark.parametrize(
    "text",
    [
        # the aftermath word in the danger's own clause, or no present word there
        "被打伤住院了，想问医药费怎么报销",
        "孩子被打伤了，现在还在申请赔偿",
        "去年被人砍伤，现在赔偿还没到",
    ],
)
def test_aftermath_still_takes_the_line_away(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # the trial's sentence: a station chief's reason for returning a case
        "持刀伤人属治安刑事案件，应由公安分局处置",
        "打架斗殴属于治安案件，不归我们管",
        "群众被狗咬伤的事应由卫健部门负责处理",
    ],
)
def test_a_category_of_case_is_no_event(text: str) -> None:
    assert detect(text) is None
    assert RANK[assess_severity(text).level] <= RANK["medium"]


def test_an_event_with_a_case_word_keeps_its_line() -> None:
    assert detect("有人持刀伤人，已经报警了") is not None
    assert detect("楼下有人拿刀砍人了，他家属还在门口闹") is not None


@pytest.mark.parametrize(
    "text",
    [
        # the trial's sentence: idle land, raised by the model's stray n-grams
        "小区旁边那块地拿了三年一直荒着没开工",
        "学校对面的地块卖出去两年了一直闲置",
        "那栋楼烂尾五年了，一直没动工",
    ],
)
def test_idle_land_is_no_danger(text: str) -> None:
    assert detect(text) is None
    assert RANK[assess_severity(text).level] <= RANK["medium"]


def test_idle_land_with_a_danger_keeps_it() -> None:
    text = "工地一直没动工，围墙倒了砸到了路人"
    assert detect(text) is not None
    assert assess_severity(text).level == "critical"


@pytest.mark.parametrize(
    "text",
    [
        # the trial's sentence: compensation for a past accident
        "去年在厂里出了工伤，手指断了两根，到现在赔偿还没给",
        "在厂里出了工伤，手指断了两根，到现在赔偿还没给",
        "前年出了车祸腿断了，对方到现在赔偿款还没给",
        "上个月被车撞断了腿，司机迟迟不给医药费",
    ],
)
def test_a_claim_for_a_past_injury_is_not_critical(text: str) -> None:
    assert assess_severity(text).level == "medium"
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # a danger now beside a claim, and self-harm over a claim
        "工伤赔偿一直不给，我现在就站在厂房楼顶上，不给钱我就跳下去",
        # no word of time gone by: the collapse is today's
        "工地塌方埋了两个人，老板想用赔偿私了",
    ],
)
def test_a_claim_beside_a_danger_now_stays_critical(text: str) -> None:
    assert assess_severity(text).level == "critical"
