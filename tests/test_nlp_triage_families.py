"""Round 6 of issue 13's rubric: veiled threats, households in dispute, self-immolation.

The wordings are written for these tests (not rows of the blind sets): a
medium level needs one person's threat, open or veiled (鱼死网破, 找电视台
曝光, 发抖音, 讨个说法 in anger), or several households set against someone
(N户/好几户/几家 + 理论, 谈不拢, 不公平). Self-immolation is critical, a fire
risk (110 with 119) and the police's case unless it happens at a petition
office.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.rubric import default_rubric
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("老孙说这事不给个交代，大不了鱼死网破", "鱼死网破"),
        ("业主张某说物业再不退钱就找电视台来曝光", "电视台"),
        ("被辞退的保安说要把公司的事发抖音，让全网都知道", "发抖音"),
        ("王某气得直跺脚，说这回必须讨个说法", "讨个说法"),
        ("一楼住户说谁敢在他家窗前装电梯就砸了它", "谁敢"),
        ("李某这几天天天打电话骂社区主任", "骂"),
        ("张某在办事大厅摔了茶杯，说你们等着瞧", "等着瞧"),
    ],
)
def test_veiled_threats_are_medium_and_say_so(text: str, why: str) -> None:
    rubric_only = assess_severity(text, learned=False)
    assert rubric_only.level == "medium"
    assert why in rubric_only.why
    assert RANK[assess_severity(text).level] >= RANK["medium"]


@pytest.mark.parametrize(
    "text",
    [
        "七户村民为宅基地边界跟邻村理论了好几次",
        "小区3户业主觉得车位分配不公平，一直在找物业",
        "村里好几家为了灌溉用水跟承包户闹僵了",
        "加装电梯的事四五户谈不拢",
        "东头好几户对征地款分配不服，说村里偏心",
    ],
)
def test_several_households_in_dispute_are_medium(text: str) -> None:
    assert assess_severity(text, learned=False).level == "medium"
    assert "dispute" in assess_severity(text, learned=False).families


@pytest.mark.parametrize(
    "text",
    [
        "想问一下低保怎么申请",
        "我们小区有几户想装电梯，请问怎么申请",
        "记者来采访过我们社区的垃圾分类",
        "几家超市的鸡蛋价格不一样",
    ],
)
def test_the_same_words_without_a_dispute_or_threat_stay_low(text: str) -> None:
    assert assess_severity(text).level == "low"


def test_the_new_words_never_lower_a_higher_level() -> None:
    # 同归于尽 is self-harm (critical) and stays so though threats list veiled ones too.
    assert assess_severity("被辞退的工人说不给补偿就跟老板同归于尽").level == "critical"
    # Twenty households going to the district together stays a collective visit.
    text = "二十多户村民觉得补偿不公平，约好明天一起去区政府上访"
    assert RANK[assess_severity(text).level] >= RANK["high"]


def test_a_negation_in_the_previous_clause_does_not_cancel_a_danger() -> None:
    # 还没走 ends its clause: the knife that follows is not negated by its 没.
    found = detect("那帮人还没走 拿着刀在路边晃", learned=False)
    assert found is not None and found.kind == "violence" and "110" in found.services
    assert detect("那帮人没有拿刀", learned=False) is None


def test_self_immolation_is_its_own_family_with_the_fire_number() -> None:
    family = default_rubric().family("immolation")
    assert family.level == "critical"
    assert family.services[:2] == ("110", "119")
    assert "自焚" not in default_rubric().family("self_harm").words


@pytest.mark.parametrize(
    "text",
    [
        "小区门口有个男的往自己身上浇汽油，手里拿着打火机",
        "快来人，工地上有人拎着汽油说要点火自焚",
        "街道办门口一个老人浑身浇了汽油要自焚，快报警",
    ],
)
def test_a_citizen_seeing_self_immolation_gets_110_and_119(text: str) -> None:
    found = detect(text)
    assert found is not None and found.level == "critical"
    assert {"110", "119"} <= set(found.services)
    assert "110" in found.line and "119" in found.line and "12110" in found.line


@pytest.mark.parametrize(
    "text",
    [
        "网格员报告：居民赵某因房屋漏水纠纷在物业办公室泼汽油，称要自焚",
        "我们村有人扬言要去开发商售楼部门口自焚",
        "工地讨薪的工人往身上浇了汽油，手里攥着打火机",
        "村民李某因拆迁补偿不满，扬言要自焚",
    ],
)
def test_a_self_immolation_warning_goes_to_the_police(text: str) -> None:
    result = classify(text)
    assert result.severity == "critical"
    assert (result.room, result.bureau) == ("general", "police")


def test_at_a_petition_office_the_petition_bureau_keeps_the_case() -> None:
    result = classify("上访户老刘在区信访局接待大厅往身上倒汽油，说不解决就自焚")
    assert result.severity == "critical"
    assert (result.room, result.bureau) == ("general", "petition")


@pytest.mark.parametrize("text", ["有人在楼道里放火", "有个醉汉往我家门上泼油要点火"])
def test_arson_gets_the_fire_brigade_with_the_police(text: str) -> None:
    found = detect(text, learned=False)
    assert found is not None and found.kind == "arson" and found.level == "critical"
    assert found.services[:2] == ("110", "119")
