"""Stop 27: the danger model does not rate ordinary citizen requests critical (branch i13x).

The ``critical`` head learnt critical against the lower *warnings*, so topic words of
dangers set on roofs, rivers and walls (楼顶, 河里, 外墙) had nothing against them and rated
楼顶装了个信号塔 critical. It now raises a text only when the ``unlike_request`` head
(critical warnings against the real requests and probes A–I's citizen messages) fires too
(``docs/severity.md``, "Stop 27: ordinary requests rated critical").

Probes K–N and ``citizen_messages.tsv`` (none describes danger now) never train that head:
on them the figures below are unseen by it. Before the head: 105 of their 1,075 messages
rated critical with no emergency line; with it 87 (high 19 both times).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.emergency import detect

DATA = Path(__file__).parent / "data"
HELD_OUT = (
    "probe_k_citizen_messages.tsv",
    "probe_l_citizen_messages.tsv",
    "probe_m_citizen_messages.tsv",
    "probe_n_citizen_messages.tsv",
    "citizen_messages.tsv",
)


def _texts(name: str) -> list[str]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [r["text"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def test_few_held_out_citizen_requests_are_rated_critical() -> None:
    """Of 1,075 citizen messages the head never saw, at most 87 rated critical with no
    emergency line (105 before it); high ones stay as they were (19)."""
    critical = high = 0
    for name in HELD_OUT:
        for text in _texts(name):
            level = classify(text).severity
            if detect(text) is not None:
                continue
            critical += level == "critical"
            high += level == "high"
    assert critical <= 87
    assert high <= 19


@pytest.mark.parametrize(
    "text",
    [
        "包工头卷钱跑了，我们干了半年的工钱一分没拿到",
        "诊所没有执照还给人打吊瓶，出了事谁负责",
        "家里困难，老伴瘫在床上，孩子还在读书，能申请低保吗",
    ],
)
def test_an_ordinary_request_is_not_critical(text: str) -> None:
    """Rated critical by the critical head alone before (跑了, 吊瓶, 瘫在床上): now no alert."""
    assert classify(text).severity != "critical"
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "小孩掉进化粪池里了，大人在找绳子",
        "工人下到污水井里没上来，上面的人也下去了",
        "他发消息说照顾好妈，然后就关机了，定位在水库边",
        "两个学生去水库游泳，只上来一个",
    ],
)
def test_a_person_at_risk_on_a_roof_or_in_a_pit_stays_critical(text: str) -> None:
    """A life at risk the rubric finds no family in (it rates them low): the model's
    critical raise is kept."""
    assert classify(text).severity == "critical"
