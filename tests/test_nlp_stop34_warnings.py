"""Stop 34 (tri34a): warnings under-rated in sets z, aa and ab, answered by classes of wording.

Sets z, aa and ab (``blind13{z,aa,ab}_*``) are tuning data since stop 34 (see
``tests/test_nlp_stop33_unseen.py``). Each under-rating was read as the kind of text it stands
for and answered at its cause in ``config/severity.toml`` (the ``Stop 34`` families and marked
lines) or, for a new kind of pattern, in ``nlp/`` (head counts, a story denied that people act
on). Every sentence below is this branch's own, never a set's: positives at their
level, and look-alikes that the rule must leave alone (read by the rubric alone, so that what is
asserted is the rule's doing, not the learned model's).
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.headcount import parse_head_count
from nlp.severity import assess_severity
from tests.test_nlp_stop25_sets import RANK


def _families(text: str) -> tuple[str, ...]:
    return assess_severity(text, learned=False).families


# --- critical: life at risk now ---------------------------------------------------------------

CRITICAL = [
    # a person gone at the water: things left on a bank or a bridge, the person not found
    (
        "gone_by_water",
        "王家老汉早上出门就没回来。下午有人在河边看到他的拖鞋，人不见了，家里人正沿河找",
    ),
    ("gone_by_water", "村口桥上放着一件外套和一部手机 人找不到 家属已经在河里找"),
    # an infection cluster among babies or young children with several in hospital
    ("care_cluster", "月子中心这周好几个婴儿先后感染，已经都转进了监护室，家属在前台吵"),
    ("care_cluster", "小学三年级十多个学生发烧呕吐，昨晚又有两个住进了医院，家长在问要不要停课"),
    # a building shedding pieces with households still inside
    ("crumbling_occupied", "那栋老楼外墙一直往下掉水泥块 三楼还有两户老人没撤出来 物业说等鉴定"),
    ("crumbling_occupied", "楼里还有几户人没疏散，刚才楼板又掉了一大块，砸在楼道口"),
    # something swallowed or poured down in an office
    ("office_swallow", "调解室里谈不拢，那个男的突然掏出一个小药瓶拧开就往嘴里倒，我们赶紧去抢"),
    ("office_swallow", "街道办窗口吵了半天，让他回去等通知。他把兜里一包什么东西塞进嘴里吞了下去"),
    # hanging threatened with the rope in hand
    ("rope_in_hand", "上访的老王今天拿着一根绳子来了，说补偿不到位就在你们办公室门框上吊上去"),
]


@pytest.mark.parametrize(("family", "text"), CRITICAL)
def test_danger_to_life_told_without_its_usual_words_is_critical(family: str, text: str) -> None:
    assert family in _families(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("小区门口这会儿起码三百多业主围着 出口车出不去", 300),
        ("省道上坐了一百好几十号村民，说是征地款的事", 130),
        ("估计二十来个快递员在网点门口", 20),
        ("门口排着七八个档主", 8),
    ],
)
def test_head_counts_written_in_more_ways(text: str, count: int) -> None:
    assert parse_head_count(text) == count


@pytest.mark.parametrize(
    "text",
    ["小区门口这会儿起码三百多业主围着 出口车出不去", "省道上坐了一百好几十号村民，说是征地款的事"],
)
def test_a_hundred_people_or_more_gathered_now_is_critical(text: str) -> None:
    assert classify(text).severity == "critical"


# The rules leave these alone: no family of the class is found in them.
LOOK_ALIKES = [
    ("gone_by_water", "河边捡到一双鞋子，不知道是谁的，放在村委会了"),
    ("gone_by_water", "孩子把鞋子落在河边了，明天去拿"),
    ("care_cluster", "班里好几个孩子感冒发烧，都请假在家休息"),
    ("care_cluster", "我家宝宝发烧住院了，想问下医保怎么报"),
    ("care_cluster", "三个月大的宝宝发烧住院，家里人很着急"),
    ("crumbling_occupied", "我家墙裂开了，还住着人，能不能派人来看看"),
    ("crumbling_occupied", "老厂房早就没人住了，墙上一直掉渣"),
    ("office_swallow", "他在办公室等答复，拧开一瓶矿泉水喝了几口"),
    ("office_swallow", "在大厅排队的时候，她拧开保温杯喝了口水"),
    ("office_swallow", "窗口的小王拧开一瓶水往嘴里灌，说今天太热了"),
    ("rope_in_hand", "他拎着一捆麻绳去市场捆货"),
    ("rope_in_hand", "老人拿着绳子在房梁上挂腊肉"),
    ("group_blocks", "放学时好多家长在校门口围观"),
    ("group_blocks", "她把围巾围上就出门了"),
    ("escalation", "下周去市里看演唱会，票买好了"),
    ("collective", "兄弟姐妹一起去医院看望奶奶"),
    ("strike_call", "下雨了，我今天不接单了"),
    ("strike_call", "春节期间工地统一放假"),
    ("office_group", "几个老人坐在居委会门口晒太阳"),
    ("office_group", "他一个人坐在居委会门口等说法"),
    ("threat", "元宵节村委会门口很热闹"),
    ("online", "听说要建个新公园，大家都挺高兴"),
]


@pytest.mark.parametrize(("family", "text"), LOOK_ALIKES)
def test_look_alikes_stay_out_of_the_new_classes(family: str, text: str) -> None:
    assert family not in _families(text)


def test_look_alikes_stay_low_by_the_rubric() -> None:
    for text in (
        "他在办公室等答复，拧开一瓶矿泉水喝了几口",
        "他拎着一捆麻绳去市场捆货",
        "听说要建个新公园，大家都挺高兴",
        "下雨了，我今天不接单了",
        "几个老人坐在居委会门口晒太阳",
    ):
        assert assess_severity(text, learned=False).level == "low", text


# --- high: collective action planned or under way ---------------------------------------------

HIGH = [
    ("group_blocks", "撤并的事 家长们在群里说好了 下周一把校门围起来 不让拉走课桌"),
    ("group_blocks", "十来个司机今天上午把停车场大门堵起来了，说是押金不退"),
    ("escalation", "老刘家说区里再不解决就去市纪委，车都包好了"),
    ("collective", "判决下来他们不服，老赵的兄弟姐妹说好了明天一块去医院讨说法"),
    ("strike_call", "外卖站的骑手们在群里约好明天集体不接单，说是配送费又降了"),
    ("office_group", "十几个租户这会儿坐在街道办门口等说法，说是被清退没给押金"),
    ("office_group", "上周还只是吐槽，今天几个摊主拿着联名的纸排着队要见所长"),
]


@pytest.mark.parametrize(("family", "text"), HIGH)
def test_a_group_acting_is_high(family: str, text: str) -> None:
    assert family in _families(text)
    assert RANK[classify(text).severity] >= RANK["high"]


# --- medium: threats, rumours acted on, disputes ---------------------------------------------

MEDIUM = [
    "最近都在传有人开面包车拐小孩，好多家长不让孩子出门了，派出所说没这回事",
    "网上说养老金要停发，好几个老人哭着问我怎么办，我说没这回事，他们还是不放心",
    "不知道谁传的 说下半年村里要整体搬迁 好多人地都不种了",
    "两家为晾衣服吵起来，男的吼着说要一把火都烧了，虽然是气话但很吓人",
    "被查的那个老板在群里发语音，说谁举报的查出来绝不让这个人好过",
    "五家人对排水沟改道意见很大，天天到居委会闹",
]


@pytest.mark.parametrize("text", MEDIUM)
def test_threats_rumours_acted_on_and_disputes_are_medium(text: str) -> None:
    assert assess_severity(text, learned=False).level == "medium"
    assert RANK[classify(text).severity] >= RANK["medium"]


def test_a_rumour_denied_that_nobody_acts_on_stays_low() -> None:
    text = "网上说养老金要停发，有人来问，我说没这回事，他说那就好"
    assert assess_severity(text, learned=False).level == "low"
