"""Stop 24: product-trial defect D9 and the training set train13c.

D9: a community dumpling-making event with 二十多人 was rated 重大 (a gathering of
people for a harmless activity is not collective action), and an ordinary
complaint that named a tower crane (塔吊) was rated 特别重大. Both are fixed by
general rules, checked here on wordings of their own: people at a pastime,
celebration, class or service are no head count of collective action unless a
grievance or a danger is written; an object of a danger scene (a crane, a pit, a
river) is no danger by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.emergency import detect
from nlp.rubric import RUBRIC_PATH, load_rubric
from nlp.severity import assess_severity


@pytest.mark.parametrize(
    "text",
    [
        "社区周六组织包饺子活动，二十多人参加，大家都很开心",
        "周末社区组织包粽子，来了三十多位居民，想问问下次什么时候办",
        "小区组织二十多位老人一起过重阳节，还请了医生义诊",
        "三十多名居民参加了社区的广场舞比赛，拿了第二名",
        "街道组织一百多名志愿者一起植树，希望明年还能参加",
        "我们合唱团四十多人下个月要去市里参加演出，能不能借用社区活动室排练",
    ],
)
def test_people_at_a_pastime_are_no_collective_action(text: str) -> None:
    sev = assess_severity(text)
    assert sev.level == "low", (text, sev)
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a grievance beside the pastime words keeps the head count and the collective rule
        ("三十多名村民参加了集体上访", "high"),
        ("二十多名家长参加家长会后一起去教育局投诉", "high"),
        ("三十多名业主开会商量下周一起去区政府反映", "high"),
        # a danger at the event is a danger
        ("社区包饺子活动上二十多位老人吃完上吐下泻，已经送医院了", "critical"),
        ("一百多人参加庙会，现场发生踩踏，有人倒在地上", "critical"),
    ],
)
def test_a_grievance_or_a_danger_at_the_event_still_counts(text: str, level: str) -> None:
    assert assess_severity(text).level == level, text


def test_a_pastime_far_from_the_head_count_does_not_hide_a_grievance() -> None:
    """培训机构…四十多个家长: the class is the business that ran away, not the gathering."""
    text = "楼下培训机构的老板卷钱跑了，交了学费的家长一共四十多个，大家都很着急"
    assert assess_severity(text, learned=False).level != "low"


def test_a_district_adds_a_pastime_in_toml(tmp_path: Path) -> None:
    text = "社区二十多位老人一起打门球"
    assert assess_severity(text, learned=False).level == "high"
    custom = tmp_path / "severity.toml"
    toml = RUBRIC_PATH.read_text("utf-8")
    custom.write_text(re.sub(r"\npastime = \[", '\npastime = ["门球", ', toml, count=1), "utf-8")
    sev = assess_severity(text, load_rubric(custom), learned=False)
    assert sev.level == "low"
    assert "pastime" in sev.families


@pytest.mark.parametrize(
    "text",
    [
        "塔吊挡住了我家阳光，冬天屋里一点太阳都照不进来",
        "我家楼下工地的塔吊晚上十点还在施工，太吵了",
        "小区旁边工地立了两台塔吊，想问问这个工地有没有施工许可",
        "挖掘机天天在河边挖沙，河道都变宽了",
    ],
)
def test_an_object_of_a_danger_scene_is_no_danger_by_itself(text: str) -> None:
    sev = assess_severity(text)
    assert sev.level in ("low", "medium"), (text, sev)
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("工地塔吊倒了，砸在工棚上，底下压着人", "119"),
        ("有个工人爬上塔吊不下来，说不给工钱就跳下去", "110"),
    ],
)
def test_a_crane_in_a_danger_scene_is_still_critical(text: str, service: str) -> None:
    assert assess_severity(text).level == "critical", text
    found = detect(text)
    assert found is not None and service in found.services, text
