"""Danger told at the end of a long message (product trial D27).

The classifier reads the first 3,000 normalised characters of a message; danger
is read from those and from the last 1,000 as well, so a pasted report with
the news in its last line still gets the emergency line and the critical level.
"""

from __future__ import annotations

from nlp.classify import classify
from nlp.emergency import detect
from nlp.severity import assess_severity

COMPLAINT = "小区物业不作为，垃圾堆在楼道里好几天没人清，业主反映多次没人理。"
VISIT = "今天走访了和平社区，了解到居民对物业费上涨意见很大，多数表示会继续协商。"


def test_a_citizens_long_message_ending_in_an_attack_gets_the_emergency_line() -> None:
    text = COMPLAINT * 110 + "现在楼下有人拿刀砍人，已经有人倒在地上流血了"
    assert len(text) > 3400
    found = detect(text)
    assert found is not None and "110" in found.services
    result = classify(text)
    assert result.truncated and result.severity == "critical"


def test_an_officers_long_report_ending_in_a_jump_threat_is_critical() -> None:
    text = VISIT * 100 + "其中一名业主站在楼顶扬言要跳楼"
    assert len(text) > 3500
    assert classify(text).severity == "critical"
    assert assess_severity(text).level == "critical"


def test_a_long_harmless_message_stays_harmless() -> None:
    text = COMPLAINT * 110
    assert detect(text) is None
    assert classify(text).severity == "low"
