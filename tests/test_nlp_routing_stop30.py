"""Duty rules of issue 14's stop 30 (branch c30): classes of wording found in the contest's
build rows (the 70 % split; each half scored by a lexicon mined without it), where this
district's duties and the contest's sectors agree.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml) and
the district decisions in docs/classifier.md ("Stop 30"), not copied from the contest or any
evaluation row. Each class has at least one wording; the look-alikes guard the exceptions the
rules carry.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify

ROUTES = [
    # a bus's or an intercity train's service (frequency, stops, refusal, the driver) is the
    # city's public transport, 建设局's, not the hospital or school a stop is named after
    ("早上在人民医院那站等公交车，班次太少，一等就是四十分钟", "construction"),
    ("这路公交车的司机到了站台不停，好几个乘客没上去", "construction"),
    ("城铁这个月车次减少了，早高峰根本挤不上", "construction"),
    (
        "18路公交车太难等了\n我每天上班要在县人民医院站坐18路公交车，早上七点到八点这段时间经常"
        "等半个多小时都等不到一趟，好不容易来了又挤得上不去，有时候司机看人多干脆不停靠站台直接"
        "开走。其他线路的车一会儿一趟，唯独18路这么少。希望公交公司增加早高峰的班次。",
        "construction",
    ),
    # a park's grounds and what is done on them are the parks' upkeep (园林), 建设局's
    ("公园里的儿童游乐场收费不标价，玩五分钟要二十块", "construction"),
    ("公园的厕所坏了半年没人修，晨练的老人很不方便", "construction"),
    ("公园的草坪被人占用了停车，草都压死了", "construction"),
    # cultural relics to be kept are the culture office's (the schools' and culture bureau)
    ("镇上那座清代的石桥是文物，听说修路要拆，能不能保护起来", "education"),
    # the social insurance of farmers whose land was taken; rural old-age insurance
    ("我们是被征地农民，养老保险能不能由政府帮着补缴", "labor"),
    ("我是失地农民，医保和社保该去哪里办", "labor"),
    (
        "被征地农民的失业保险问题\n领导好！我是城郊村民，2015年村里的地被征收了，当时说按政策给"
        "我们办理社会保障。现在我失业在家，去社区问能不能领失业保险，工作人员说我们属于被征地"
        "农民，不在参保范围，让我去问征地的部门，征地部门又说他们只管补偿款。请问我们这种情况到"
        "底能不能享受失业保险，应该找哪个部门？",
        "labor",
    ),
    ("我妈七十多了，农保每个月才一百多块，今年会不会涨", "labor"),
    # rewards of families who kept to the birth policy
    ("我家是两个女儿，听说计划生育有补助金，村里说不知道，该问谁", "family_planning"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


@pytest.mark.parametrize(
    ("text", "not_bureau"),
    [
        # a theft on a bus is the police's, though the driver is named
        ("公交车上我的钱包被偷了，司机说到站再说", "construction"),
        # a fight in a park is public order
        ("公园的停车场里晚上有几个人打架，还拿了棍子", "construction"),
        # music in a park at night is noise
        ("公园里的广场舞音响太吵了，晚上十点还不停", "construction"),
        # relics stolen or sold are a crime
        ("山上有人盗墓，还把挖出来的文物拿去倒卖", "education"),
    ],
)
def test_a_look_alike_stays_out(text: str, not_bureau: str) -> None:
    got = classify(text)
    assert got.bureau != not_bureau, (got.bureau, got.confidence, got.keywords)
