"""Danger now: the emergency line first (issue 13).

``triage_dev_emergencies.tsv`` (danger now, with the number expected) and
``triage_dev_lookalikes.tsv`` (harmless look-alikes) are development data
written by the rubric's author, not blind.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.emergency import SMS_NUMBER, detect, emergency_line
from nlp.evaluate import read_hand_set

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [(r["text"], r["expected"]) for r in csv.DictReader(f, delimiter="\t")]


def test_every_dev_danger_gets_the_right_number() -> None:
    rows = _rows("triage_dev_emergencies.tsv")
    assert len(rows) >= 60
    missed = []
    for text, number in rows:
        found = detect(text)
        if found is None or number not in found.services:
            missed.append(text)
    assert missed == []


def test_dev_look_alikes_rarely_raise_an_alarm() -> None:
    rows = _rows("triage_dev_lookalikes.tsv")
    assert len(rows) >= 60
    alarms = [text for text, _ in rows if detect(text) is not None]
    assert len(alarms) / len(rows) <= 0.05, alarms


def test_real_complaints_rarely_raise_an_alarm() -> None:
    """Real citizens' requests (the judged sets): few describe danger now."""
    texts = [
        case.text
        for name in ("citizen_messages", *(f"probe_{p}_citizen_messages" for p in "abcd"))
        for case in read_hand_set(DATA / f"{name}.tsv")
    ]
    alarms = [t for t in texts if detect(t) is not None]
    assert len(alarms) / len(texts) <= 0.02, alarms


@pytest.mark.parametrize(
    ("text", "kind", "first"),
    [
        ("隔壁着火了", "fire", "119"),
        ("有人在河边钓鱼落水了，快来人", "water", "119"),
        ("我妈喝了农药", "self_harm", "120"),
        ("有人拿着刀在街上追人", "violence", "110"),
        ("有人打架", "fight", "110"),
    ],
)
def test_the_kind_and_the_first_number(text: str, kind: str, first: str) -> None:
    found = detect(text)
    assert found is not None
    assert (found.kind, found.services[0]) == (kind, first)
    assert found.sms == SMS_NUMBER
    assert found.level in ("high", "critical")
    assert found.line.startswith("⚠️") and first in found.line and SMS_NUMBER in found.line


def test_the_line_is_short_simplified_chinese() -> None:
    line = emergency_line(("119", "120"))
    assert line == "⚠️ 情况紧急，请立即拨打 119（火警）、120（急救）；不便通话可发短信至 12110。"
    found = detect("隔壁着火了，有人被烧伤")
    assert found is not None and found.services[:2] == ("119", "120")
    assert found.to_dict()["line"] == found.line
    assert "着火" in found.words


@pytest.mark.parametrize(
    "text",
    [
        "去年家里失火了，能申请临时救助吗",
        "上个月出了车祸，算不算工伤",
        "KTV门口经常有人打架，治安太差",
        "没有人受伤，只是车刮了",
        "火锅店油烟扰民",
        "",
        "   ",
    ],
)
def test_no_danger_now(text: str) -> None:
    assert detect(text) is None


def test_a_strong_now_word_overrides_an_aftermath() -> None:
    assert detect("我老公喝了农药正在抢救，能申请救助吗") is not None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # Self-harm told by the scene only (none of 自杀, 跳楼, 上吊 is written).
        ("有个小伙子翻过了桥栏杆，坐在外面不说话", "110"),
        ("我爸在院子里的树上拴了根绳子，人站在椅子上", "120"),
        ("她把一瓶药全吃了，现在喊都不醒", "120"),
        ("一个老太太一直往河里走，水都到胸口了", "110"),
        ("他站在天台边上，谁过来他就往下探", "110"),
        # A person who faints is 120, not a building collapsing (119).
        ("商场门口有个阿姨晕倒了", "120"),
    ],
)
def test_danger_told_by_the_scene(text: str, number: str) -> None:
    found = detect(text, learned=False)
    assert found is not None, text
    assert number in found.services


@pytest.mark.parametrize(
    "text",
    [
        "楼下烧烤店油烟很大，窗户都不敢开",
        "楼下大排档的油烟呛死了",
        "小区里有人遛狗不拴绳，上次咬伤了一个小孩",
        "邻居家的狗把我儿子咬伤了，打了疫苗，医药费谁出",
        "救命啊 这个表格怎么填 开玩笑的 想问下截止时间",
        "网上说吃了发芽的土豆会中毒，是真的吗",
        "楼道里堆满纸箱，万一着火咋整",
    ],
)
def test_fumes_past_bites_and_jokes_are_no_danger_now(text: str) -> None:
    assert detect(text) is None, text


def test_a_fainting_is_not_a_collapse() -> None:
    found = detect("我家楼下有人晕倒了")
    assert found is not None and "119" not in found.services and "120" in found.services
