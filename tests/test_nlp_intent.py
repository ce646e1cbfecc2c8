"""Messages that are not requests (issue 13).

``triage_dev_intents.tsv`` and ``triage_dev_requests.tsv`` are development
data written by the rubric's author, not blind; the judged citizen sets are
real requests.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.evaluate import read_hand_set
from nlp.intent import VAGUE_QUESTION, classify_intent

DATA = Path(__file__).parent / "data"


def test_dev_non_requests_are_recognised() -> None:
    with (DATA / "triage_dev_intents.tsv").open(encoding="utf-8") as f:
        rows = [(r["text"], r["expected"]) for r in csv.DictReader(f, delimiter="\t")]
    assert {want for _, want in rows} == {"greeting", "thanks", "noise", "vague"}
    right = sum(classify_intent(text) == want for text, want in rows)
    assert right / len(rows) >= 0.95
    small_talk = [t for t, want in rows if want != "vague"]
    assert all(classify_intent(t) != "request" for t in small_talk)


def test_short_real_requests_stay_requests() -> None:
    with (DATA / "triage_dev_requests.tsv").open(encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f, delimiter="\t")]
    texts += [
        case.text
        for name in ("citizen_messages", *(f"probe_{p}_citizen_messages" for p in "abcd"))
        for case in read_hand_set(DATA / f"{name}.tsv")
    ]
    mistaken = [t for t in texts if classify_intent(t) != "request"]
    assert len(mistaken) / len(texts) < 0.02, mistaken


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greeting"),
        ("谢谢", "thanks"),
        ("123", "noise"),
        ("👍", "noise"),
        ("好的", "noise"),
        ("我有个问题", "vague"),
        ("你好我想反映个情况", "vague"),
        ("路灯坏了", "request"),
        ("欠薪", "request"),
        ("噪音扰民", "request"),
        ("你好，小区门口的路灯坏了", "request"),
    ],
)
def test_the_issues_examples(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


def test_the_vague_question_is_one_question() -> None:
    assert VAGUE_QUESTION.count("？") == 1


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("妳好", "greeting"),
        ("新年快乐🎉", "greeting"),
        ("[微笑]", "noise"),
        ("[抱拳][抱拳]", "noise"),
        ("感谢你们帮忙，已经修好了", "thanks"),
        ("非常满意，点个赞", "thanks"),
        ("我要上访", "vague"),
        ("烦死了", "vague"),
        ("谢谢，路灯还没修好", "request"),
        ("上访找哪个部门", "request"),
    ],
)
def test_holiday_greetings_emoji_codes_and_thanks(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Thanks words beyond 谢谢, with emoji around them.
        ("感恩感恩😊", "thanks"),
        ("感激不尽🙏🙏", "thanks"),
        ("多谢啦🌹", "thanks"),
        ("谢啦~", "thanks"),
        ("3Q 3Q", "thanks"),
        ("thank you!", "thanks"),
        ("Thx 👍", "thanks"),
        ("好人一生平安🙏", "thanks"),
        # Thanks addressed to someone, for something.
        ("谢谢你们及时的回复", "thanks"),
        ("感谢客服小姐姐的细心讲解", "thanks"),
        ("谢谢老师的耐心指导！", "thanks"),
        ("感谢您一直以来的帮助", "thanks"),
        ("谢谢小助手，效率真高", "thanks"),
        ("感谢党和政府", "thanks"),
        # Greetings to the bot.
        ("机器人你好", "greeting"),
        ("你好呀小助手👋", "greeting"),
        ("客服在线吗？", "greeting"),
        ("嗨，智能客服", "greeting"),
        ("机器人", "greeting"),
        ("你是机器人吗", "greeting"),
        ("早上好各位☀️", "greeting"),
        ("在？", "greeting"),
        ("转人工", "greeting"),
        # Praise, a plain acknowledgement, thanks said the way friends say it.
        ("太棒了👍", "thanks"),
        ("你们真好", "thanks"),
        ("麻烦您了🙏", "thanks"),
        ("谢了兄弟", "thanks"),
        ("谢谢您的及时处理", "thanks"),
        ("非常感谢您的帮助和耐心", "thanks"),
        ("谢谢你们这么快回复", "thanks"),
        ("为你们的服务点赞", "thanks"),
        ("Thank you very much", "thanks"),
        ("知道啦", "noise"),
        ("好的，没问题", "noise"),
    ],
)
def test_small_talk_in_its_everyday_forms(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "你好机器人，社保卡丢了怎么补办",
        "小助手你好，楼下烧烤店油烟太大",
        "谢谢您的耐心解答，另外想问下医保怎么报销",
        "谢谢你们的回复，可是工资还是没发",
        "感谢回复，但是我不满意",
        "多谢，不过补偿款还差两万",
        "谢谢您的帮助，房子漏水还是没修",
        "你好客服，派出所不给上户口",
        "你好，请问社区在哪",
        "你好，请问工作人员什么时候上班",
        "扫地机器人买回来就坏了",
        "谢谢，那我明天去办",
        "我在小区门口等了一上午",
        "棒球场的灯一直不亮",
        "客服电话一直打不通",
    ],
)
def test_a_request_that_opens_with_a_greeting_or_thanks_stays_a_request(text: str) -> None:
    assert classify_intent(text) == "request"
