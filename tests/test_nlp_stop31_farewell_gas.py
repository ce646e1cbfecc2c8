"""Stop 31 (branch i13nn): farewell acts and a gas leak heard, classes the triage missed.

Farewell acts are the warning signs of suicide told with no word of self-harm: valuables
handed to kin, a pet entrusted "from now on", a letter or a farewell message left, with the
person gone or unreachable after (or, in the writer's own words, with a farewell said). Two
signs are needed: one alone (furniture given away for a move, a dog left for a trip, a
resignation letter, 以后就拜托你们了 at a handover) stays what it was. A gas leak told by its
hiss and its smell, in Mandarin or Cantonese, calls 119 first; a kettle, a cooking smell, a
question about a leak and the gas bill do not. Wordings are our own.
"""

from __future__ import annotations

import pytest

from bot.services.triage import danger_owner_bureau, is_self_harm
from nlp.emergency import detect
from nlp.severity import assess_severity
from storage.enums import Role
from tests.botkit import WAIT, BotKit

FAREWELL_OF_ANOTHER = [
    "我姑妈把存折和房产证都交给了表哥，现在手机一直关机",
    "楼下王大爷把他养的狗托付给邻居，说以后就拜托你们了，今天人就联系不上了",
    "同事小刘把工资卡和金镯子塞给了他妹妹，到现在人找不到",
    "她把女儿交给外婆，留了一封信，人不见了",
    "村民李某把积蓄分给了两个儿子，还留了张纸条，人下落不明",
    "表姐在群里发了句以后就拜托你们了，之后一直联系不上",
    "他把房本和存折放在桌上，留了一封信",
    "老周联系不上了，桌上留了一张纸条",
    "低保户张某把存折交给了邻居，还托邻居以后帮他喂狗。当晚人就不见了，手机关机。",
    "张某将存折、房产证交给邻居代为保管，托其照看家中的狗，屋内桌上留有一封信，目前本人去向不明",
]

FAREWELL_OF_THE_WRITER = [
    "我的猫托付给邻居了，以后就拜托你们了",
    "家里的存款我都交给老伴了，以后就拜托你们了，对不起",
    "我把狗送给同事了，从今以后就拜托你们了",
]

FAREWELL_LOOK_ALIKES = [
    "我们下个月搬家，把旧家具都送给邻居了",
    "出去旅游几天，把狗交给邻居帮忙看着",
    "他交了辞职信，说以后就拜托你们了",
    "工作交接完了，以后就拜托你们了",
    "老人在公证处立了遗嘱，想问问要交什么材料",
    "爷爷把存折给了孙子交学费",
    "我把工作交给小王了，以后就拜托你们了，我下周调岗",
    "员工留了一封辞职信就走了，电话也打不通，工资怎么算",
    "我要去外地打工了，孩子交给奶奶，以后就拜托你们了",
    "出差一周，把猫交给朋友照看几天",
    "搬家前把首饰交给女儿保管，狗也托她照看几天",
]

GAS_HEARD = [
    "家里的热水器一直嗤嗤响，有一股煤气味",
    "厨房煤气灶那边嘶嘶声，气味好浓",
    "屋企个热水器喺度嗤嗤声，一阵好浓嘅气味",
    "楼道里燃气管子嗤嗤地响，一股臭鸡蛋味",
    "我家煤气灶关了还在嘶嘶响",
    "厨房里有股臭鸡蛋味，煤气灶那边还在嗤嗤响",
    "屋企啲煤气喉嘶嘶声，好大阵味",
    "阀门那里呲呲地响，闻着一股怪味",
]

GAS_LOOK_ALIKES = [
    "水壶烧开了嘶嘶响",
    "厨房一股饭菜香味，好浓",
    "如果家里煤气泄漏了该怎么办",
    "这个月燃气费怎么这么贵",
    "热水器不出热水了，找谁修",
    "水管嗤嗤漏水，物业不来修",
    "冰箱里一股臭鸡蛋味",
    "下水管子一股臭鸡蛋味，物业不管",
]


@pytest.mark.parametrize("text", FAREWELL_OF_ANOTHER)
def test_farewell_acts_of_someone_gone_are_self_harm_now(text: str) -> None:
    assert assess_severity(text).level == "critical"
    found = detect(text)
    assert found is not None and found.kind == "self_harm"
    assert {"110", "120"} <= set(found.services)
    assert danger_owner_bureau(text) == "police"


@pytest.mark.parametrize("text", FAREWELL_OF_THE_WRITER)
def test_the_writers_own_farewell_gets_the_crisis_care(text: str) -> None:
    assert assess_severity(text).level == "critical"
    assert is_self_harm(text)


def test_the_words_that_set_a_farewell_are_named() -> None:
    reasons = " ".join(assess_severity(FAREWELL_OF_ANOTHER[0]).reasons)
    assert "存折" in reasons and "关机" in reasons


@pytest.mark.parametrize("text", FAREWELL_LOOK_ALIKES)
def test_one_farewell_sign_alone_is_no_danger(text: str) -> None:
    assert assess_severity(text).level in {"low", "medium"}
    assert detect(text) is None


@pytest.mark.parametrize("text", GAS_HEARD)
def test_a_gas_leak_heard_or_smelt_calls_119_first(text: str) -> None:
    assert assess_severity(text).level == "critical"
    found = detect(text)
    assert found is not None
    assert found.services[0] == "119"


@pytest.mark.parametrize("text", GAS_LOOK_ALIKES)
def test_a_kettle_a_smell_of_cooking_or_a_question_is_no_gas_leak(text: str) -> None:
    assert detect(text) is None
    assert assess_severity(text).level != "critical"


CITIZEN = 3131
POLICE = 3132


async def test_a_citizens_farewell_message_gets_the_crisis_care(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小吴")
    action = citizen.send_text("我的猫托付给邻居了，以后就拜托你们了")
    hotline = kit.district.crisis_hotline
    first = await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    assert "您并不孤单" in first.content
    receipt = await citizen.wait_for_message(
        lambda m: "您不是一个人" in m.content, WAIT, since=action
    )
    assert "110" in receipt.content and "120" in receipt.content
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    assert (await kit.registered(case.id))["emergency"] == "self_harm"
    await police.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT)
    await kit.delivered()
