"""Trial 34 #9, #10: two classes of wording the rubric misread.

#9: smoke a works emits (工厂晚上偷偷排放黑烟) is pollution, for the environment bureau,
not a fire now: no 119 and no critical level. A fire or a burning place told beside the
smoke (车间着火了, 浓烟从窗户冒出来) keeps 119.
#10: people an office received (在社区接待群众12人，主要反映停车难) are a tally of
visitors, not a crowd acting together: no 重大 from the head count. A crowd acting or
planning to go (正在区政府门口聚集, 说明天要一起去区政府) keeps 重大.

The wordings are this file's own, not rows of a labelled set.
"""

from __future__ import annotations

import pytest

from bot.services.triage import emergency_of
from nlp.classify import classify
from nlp.severity import assess_severity

EMISSIONS = [
    "楼下工厂晚上偷偷排放黑烟，味道很刺鼻",
    "隔壁那家厂子半夜排放浓烟，窗户都不敢开",
    "小区对面的化工厂一到晚上就排出黑烟，呛得人直咳嗽",
    "那个砖厂偷排黑烟好几个月了，环保管不管",
    "楼下的工厂每天晚上排放废气，味道刺鼻",
]

REAL_FIRES = [
    "浓烟从窗户冒出来",
    "厂房着火冒黑烟",
    "工厂排放黑烟，后来车间着火了，浓烟很大",
    "楼下着火了，浓烟很大",
    "对面工厂的仓库起火了，黑烟滚滚",
]


@pytest.mark.parametrize("text", EMISSIONS)
def test_smoke_a_works_emits_is_pollution_not_a_fire(text: str) -> None:
    assert emergency_of(text) is None, text
    assert assess_severity(text).level not in ("high", "critical"), text
    assert classify(text).bureau == "environment", text


@pytest.mark.parametrize("text", REAL_FIRES)
def test_a_fire_beside_the_smoke_keeps_119(text: str) -> None:
    found = emergency_of(text)
    assert found is not None and found.services[0] == "119", text


VISITORS = [
    "在社区接待群众12人，主要反映停车难，已记录并转交城管",
    "民情日在社区接待群众12人，主要反映停车难",
    "上午在街道接待来访群众二十多人，反映的多是物业收费问题，已一一解答",
    "今天接访群众15人，主要反映小区绿化和路灯问题",
]

CROWDS = [
    "今天接待了30多名讨薪工人，他们说明天要一起去区政府门口",
    "接访群众二十多人，都是反映拖欠工资的，情绪激动，正在区政府门口聚集",
    "三十多名工人明天要到区政府门口聚集讨薪",
]


@pytest.mark.parametrize("text", VISITORS)
def test_people_an_office_received_are_no_crowd(text: str) -> None:
    found = assess_severity(text)
    assert found.level not in ("high", "critical"), (text, found)
    assert emergency_of(text) is None


@pytest.mark.parametrize("text", CROWDS)
def test_a_crowd_acting_or_planning_stays_high(text: str) -> None:
    assert assess_severity(text).level in ("high", "critical"), text
