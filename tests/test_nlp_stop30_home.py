"""Stop 30 (branch i13hh): violence at home told as a habit, the lead's decision.

Told as what keeps happening (天天, 经常, 隔三差五, 一喝酒就) with no sign that it is happening
now, violence against the writer or in the writer's home is a **high** request owned by the
police, with a one-line safety hint (110, 12110 by SMS) and no emergency line; told as happening
now (正在打, a knife, hiding in the bathroom) it stays critical with the line. The wordings are
written for this test, never a set's sentence; trial 28 P3's own sentence is guarded through the
bot (tests/test_trial29_levels_and_staff.py) and here.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import DV_HOTLINE, SAFETY_HINT, SMS_NUMBER, detect, safety_hint

HABITS = [
    "我老公天天喝酒打我，孩子也被他打，我不敢回家了",  # trial 28 P3's decision
    "他经常打我",
    "我老公隔三差五就动手",
    "老公三天两头对我拳打脚踢，我身上青一块紫一块",
    "我爸一喝酒就打我妈，我们都很怕他",
    "继父动不动就揍我和弟弟",
    "男朋友经常掐我脖子，我不知道该怎么办",
    "老公天天打我，我身上都是伤",
    "我老公经常打我，上周还把我打进了医院",
    "丈夫喝醉了就打我，已经好多次了",
    "我老婆脾气很大，隔三差五扇我耳光",
]


@pytest.mark.parametrize("text", HABITS)
def test_violence_at_home_as_a_habit_is_high_for_the_police_with_a_hint(text: str) -> None:
    c = classify(text)
    assert c.severity == "high", (text, c.severity)
    assert c.bureau == "police" and not c.unsure, (text, c.room, c.bureau, c.confidence)
    assert detect(text) is None, text
    assert safety_hint(text) == SAFETY_HINT


def test_the_hint_is_one_line_naming_110_and_the_sms_number() -> None:
    assert "\n" not in SAFETY_HINT
    assert "110" in SAFETY_HINT and SMS_NUMBER in SAFETY_HINT
    assert SAFETY_HINT.index("110") < SAFETY_HINT.index(SMS_NUMBER)


@pytest.mark.parametrize(
    "text",
    [
        "他正在打我",
        "我老公经常打我，今天又打了，我现在躲在厕所",
        "老公天天喝酒打人，刚才又拿刀了",
        "他经常打我，现在又在打了，快来人",
        "老公隔三差五就动手，现在他在外面砸门",
    ],
)
def test_violence_at_home_now_stays_critical_with_the_line(text: str) -> None:
    found = detect(text)
    assert found is not None and found.services[0] == "110", (text, found)
    assert classify(text).severity == "critical", text
    assert safety_hint(text) is None  # the emergency line says it, and more


def test_a_habit_brought_to_now_at_home_names_the_womens_hotline() -> None:
    found = detect("老公经常打我，我现在躲在卫生间里不敢出来")
    assert found is not None and found.hotline == DV_HOTLINE


@pytest.mark.parametrize(
    "text",
    [
        "老公经常打我，我现在躲在朋友家",  # away and safe: high, no line
        "我爸经常打我，我现在住在姥姥家，想问怎么申请人身安全保护令",
    ],
)
def test_hiding_away_from_a_habit_is_high_not_critical(text: str) -> None:
    assert classify(text).severity == "high", text
    assert detect(text) is None
    assert safety_hint(text) == SAFETY_HINT


@pytest.mark.parametrize(
    "text",
    [
        "去年老公打过我 现在离婚了 想问财产怎么分",  # long ago
        "我老公天天打游戏不管孩子",
        "老公要动手术了 医保能报多少",
        "老公亲自动手做饭，孩子都夸好吃",
        "我老公动手能力很强，家里东西坏了都是他修",
        "反家暴宣传活动什么时候办",
        "小时候我爸经常打我，现在想起来还难受",
    ],
)
def test_look_alikes_get_no_hint_and_are_not_raised(text: str) -> None:
    assert safety_hint(text) is None, text
    assert detect(text) is None, text
    assert classify(text).severity in ("low", "medium"), (text, classify(text).severity)


def test_another_danger_beside_the_habit_keeps_its_own_level() -> None:
    text = "他天天打我骂我，我真的不想活了"
    assert classify(text).severity == "critical"
    found = detect(text)
    assert found is not None and "120" in found.services
