"""Duty families of the bureaus (issue 14, stop 23): where a citizen's matter goes.

Each message below was written for this test from the bureaus' duties (DESIGN.md,
config/district.toml) and the district decisions in docs/classifier.md ("Stop 23"), not
copied from any probe: it checks that a family of duty words routes to its owner, the way
the desk would file it, and that a mention of 户口 no longer pulls a marriage, a school place
or a birth certificate to the police.
"""

from __future__ import annotations

import pytest

from nlp.classify import UNSURE_BELOW, classify

ROUTES = [
    # police: certificates and ID, dogs, fraud on old people, missing people, night noise
    ("应聘保安公司要一份无犯罪记录证明，到哪里开", "police"),
    ("身分证掉了，补一张要多久", "police"),
    ("楼下那家养的大狗没拴绳，把我家老人腿咬伤了，狗主人不认账", "police"),
    ("街口租了个门面天天开养生讲座，送鸡蛋，最后让老人花几千块买保健品", "police"),
    ("我妈出去买菜到现在没回来，手机也打不通，家里人都找遍了", "police"),
    ("半夜两点楼下还有人跳广场舞放音乐，根本睡不了觉", "police"),
    # the matter, not the 户口 it mentions
    ("户口还在老家，想在这边办结婚登记可以吗", "civil_affairs"),
    ("我们俩已经谈好了要协议离婚，需要准备什么材料", "civil_affairs"),
    ("孩子户口在外省，随迁子女入学要交哪些证明", "education"),
    ("医院开的出生医学证明名字写错了，怎么更正", "health"),
    ("户口不在本地，能不能在这边申请低保", "civil_affairs"),
    ("户口在这边的老人可以领高龄补贴吗", "civil_affairs"),
    # environment: burning, black rivers, fumes, construction at night
    ("每年收麦后就有人在地头烧秸秆，整个村子烟雾弥漫", "environment"),
    ("小区后面的水沟发黑发臭，夏天蚊子成群", "environment"),
    ("路边那家修车铺在露天喷漆，油漆味飘进我家窗户", "environment"),
    ("对面工地凌晨还在浇混凝土，搅拌车轰隆隆响个不停", "environment"),
    # construction: the road surface and bridges
    ("人民路的路面坑洼不平，骑车经过差点摔倒", "construction"),
    ("立交桥桥面的伸缩缝翘起来了，开车过去咣当一声", "construction"),
    # personnel, health, education
    ("去年评的高级职称，证书到现在还没发下来", "personnel"),
    ("家里有人查出肺结核，我们要去哪里做筛查", "health"),
    ("社区广场上的健身器材断了一根扶手，老人锻炼很危险", "education"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_a_duty_family_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


@pytest.mark.parametrize(
    "text",
    ["农贸市场的菜价贵得离谱", "小区门口的菜价贵", "最近物价涨得太快了", "猪肉价格太高了"],
)
def test_retail_prices_have_no_bureau_here_and_go_to_the_desk(text: str) -> None:
    # No bureau of the district regulates retail prices (config/district.toml): the answer
    # must stay below the routing threshold so that the dispatcher desk decides.
    got = classify(text)
    assert got.confidence < UNSURE_BELOW, (got.bureau, got.confidence)


def test_a_service_price_stays_with_its_bureau() -> None:
    # The price rule leaves a bureau's own charges alone: 物业费 is 建设局's.
    got = classify("物业费涨价了，一平米从一块五涨到两块八，业主都不同意")
    assert got.bureau == "construction"


def test_moving_a_registration_is_still_the_polices() -> None:
    # The marriage and school exceptions must not take plain registration matters away.
    for text in ("孩子刚出生，上户口要带什么", "户口从老家迁过来要办哪些手续"):
        assert classify(text).bureau == "police", text
