"""Re-test of trial 29 (verify29 V1, V2, V3): the rubric's reading of three classes of wording.

V1: more everyday wordings of a wish to die (活够了, 死了就解脱, 想解脱, 跟这个世界告别,
想结束这一切, 活着好没意思) and a threat of suicide at the office (我就死在你们单位) are
self-harm with the crisis line; pain exaggerated (疼得想死),
relief from a job (解脱出来) stay harmless.
V2: a message over 120 characters whose final sentence is a first-person wish to die or a scene
in progress (现在还在砍, 叫不醒了, 掉进河里了) is danger now, as the same ending alone is; a past
word in that sentence (去年, 当时, 曾经) keeps it a retelling.
V3: a danger over and being taken care of (已经被家人送医院了, 现在送医院检查了) is no new
120 emergency.

The wordings are this file's own, not rows of a labelled set.
"""

from __future__ import annotations

import pytest

from bot.services.triage import emergency_of
from nlp.severity import assess_severity

WISHES = [
    "我活够了，死了就解脱了",
    "再不给钱我就死在你们单位",
    "活着好没意思啊",
    "我想解脱",
    "我想跟这个世界告别了",
    "我想结束这一切",
    "这日子我真的活够了",
    "活着太没意思了，每天都一个样",
    "我真想和这个世界告别",
    "钱要不回来，我就死在你们门口",
]

NOT_A_WISH = [
    "疼得想死，牙疼",
    "牙痛得想死，社区医院周末不开门",
    "我想从这份工作里解脱出来，换个单位",
    "明天我要跟老同事告别，他调走了",
    "希望政府尽快结束这一切乱象",
    "会议开完了，项目也结束了",
    "我还没活够呢，路灯赶紧修好",
]

BACKGROUND = (
    "我要反映小区物业的问题。物业费年年涨，服务越来越差，电梯经常坏，垃圾没人清，保安也不管事。"
)
LONG = BACKGROUND * 3

ENDINGS = [
    ("我真的想死", "self_harm"),
    ("我不想活了", "self_harm"),
    ("最后说一句，我真的想死", "self_harm"),
    ("写完这些我就去死", "self_harm"),
    ("楼下有个小孩掉进河里了", "water"),
    ("我老婆突然倒在地上叫不醒了", "injury"),
    ("楼下有人拿刀砍人，现在还在砍", "violence"),
]

PAST_ENDINGS = [
    "去年楼下有个小孩掉进河里了",
    "当时我真的想死",
    "我曾经不想活了",
    "上个月有人拿刀砍人，现在还在砍价",
]

RESOLVED = [
    "谢谢，孩子已经被劝下来了，现在送医院检查了",
    "老王已经被家人送医院了",
    "人已经送医了",
    "孩子已经送医院抢救过来了",
]


@pytest.mark.parametrize("text", WISHES)
def test_a_wish_to_die_in_other_words_gets_the_crisis_line(text: str) -> None:
    e = emergency_of(text)
    assert e is not None and e.kind == "self_harm", text


@pytest.mark.parametrize("text", NOT_A_WISH)
def test_look_alikes_of_a_wish_are_no_emergency(text: str) -> None:
    e = emergency_of(text)
    assert e is None or e.kind != "self_harm", text
    assert assess_severity(text).level != "critical", text


def test_background_is_over_120_characters() -> None:
    assert len(LONG) > 120


@pytest.mark.parametrize(("end", "kind"), ENDINGS)
def test_danger_in_the_final_sentence_of_a_long_message_is_now(end: str, kind: str) -> None:
    e = emergency_of(LONG + end)
    assert e is not None and e.kind == kind, end
    short = emergency_of(end)
    assert short is not None and short.kind == kind, end


@pytest.mark.parametrize("end", PAST_ENDINGS)
def test_a_past_word_in_the_final_sentence_keeps_a_retelling(end: str) -> None:
    assert emergency_of(LONG + end) is None, end


def test_danger_not_in_the_final_sentence_of_a_letter_stays_background() -> None:
    text = LONG + "楼下有个小孩掉进河里了，这条河一直没有护栏。请有关部门尽快加装护栏，谢谢。"
    assert emergency_of(text) is None


@pytest.mark.parametrize("text", RESOLVED)
def test_a_danger_resolved_and_cared_for_is_no_new_emergency(text: str) -> None:
    assert emergency_of(text) is None, text


@pytest.mark.parametrize(
    "text",
    ["邻居正在打他老婆，叫得很惨", "楼下有人正在打一个女的", "隔壁男的在家打自己媳妇，孩子一直哭"],
)
def test_someone_else_beaten_now_is_critical_with_the_police(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and "110" in found.services
    assert assess_severity(text).level == "critical"


@pytest.mark.parametrize("text", ["一直打她电话打不通", "打她一顿？开玩笑的"])
def test_calling_her_or_a_joke_is_no_beating(text: str) -> None:
    assert emergency_of(text) is None
