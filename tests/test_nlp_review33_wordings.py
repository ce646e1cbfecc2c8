"""The final review of stop 33 (review 4): dangers the rubric still missed in common wordings.

F1 a gas leak told verb first (我家漏煤气了) and a door nobody answers worded 没人理 / 没人开;
F4 the writer as a burden told with 以后 (我走了以后你们就轻松了); F5 a fuel threat with the
place first (就去区政府，到时候带上几桶汽油). Each positive gets its emergency number; each
look-alike stays quiet."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("我家漏煤气了", "119"),
        ("楼上漏煤气了，敲门半天也没人理", "120"),
        ("隔壁一直有股臭鸡蛋味，敲门没人开", "120"),
        ("我走了以后你们就轻松了", "120"),
        ("反正我不在了以后你们都会过得更好", "110"),
        ("他说再不给钱就去区政府，到时候带上几桶汽油", "110"),
    ],
)
def test_the_danger_gets_its_line_and_the_critical_level(text: str, service: str) -> None:
    found = detect(text)
    assert found is not None and service in found.services
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    ["去年我家漏煤气了，后来换了新管子", "我走了以后你们记得锁门", "去区政府办事要带上身份证"],
)
def test_the_look_alikes_stay_quiet(text: str) -> None:
    assert detect(text) is None
    assert classify(text).severity != "critical"
