"""Duty words and rules of issue 14's stop 25 (branch i14f): where these matters go.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml)
and the district decisions in docs/classifier.md ("Stop 25"), not copied from any probe
or evaluation row.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify

ROUTES = [
    # public housing applied for is 建设局's housing security
    ("廉租房去哪里申请，要准备哪些证明", "construction"),
    # street lights, public toilets, manhole covers, street trees: municipal works
    ("派出所门口那段路的路灯坏了一个多月了，晚上黑乎乎的", "construction"),
    ("幼儿园对面人行道上的井盖碎了，谁来换一下", "construction"),
    ("台风把小区外面的行道树吹倒了，压在路边没人扶正", "construction"),
    # stalls on the pavement: city management (规划分局's enforcement side)
    ("医院大门口天天有人摆摊卖水果，占道经营，病人进出都不方便", "planning"),
    # common parts fenced off for oneself: an illegal structure
    ("一楼住户把楼道口圈起来砌墙当自家储物间", "planning"),
    # injuries on the way to work, vocational training, start-up subsidies: 劳动局
    ("我是外卖骑手，下雨天送单摔断了腿，站点说不算工伤", "labor"),
    ("想报个职业技能培训学电焊，有没有补贴", "labor"),
    ("返乡创业补贴需要什么条件", "labor"),
    ("公司要求我们节假日强制加班，也不给加班费", "labor"),
    # martyrs' families are 民政局's
    ("我父亲是烈士，家里的抚恤金找谁领", "civil_affairs"),
    # food hygiene is 卫生局's in this district
    ("点的外卖里吃出了一只蟑螂，老板还骂人", "health"),
    ("那家面馆后厨全是油污，老鼠乱窜", "health"),
    # childbirth and one-child allowances are 计生局's
    ("独生子女父母的奖励补贴什么时候发", "family_planning"),
    ("生三胎有没有育儿补贴", "family_planning"),
    # theft and fraud are the police's
    ("昨晚我家的门被撬了，丢了两条金项链", "police"),
    ("有人拉我进群搞理财，说保本高收益，钱转进去就提现不了", "police"),
    ("楼上每天半夜蹦迪，跺脚声吵得孩子睡不着", "police"),
    # the complaint is about how a complaint was handled: 信访局
    ("问题根本没解决就给我办结了，还让我给好评", "petition"),
    # pollution of soil and wells, a base station, noise barriers: 环保局
    ("化工厂旁边的土壤发黑，我们打的井水有一股怪味", "environment"),
    ("小区楼顶装了个通讯基站，大家担心辐射", "environment"),
    ("高架桥边上的住户申请装隔音屏障", "environment"),
    # community correction is 司法局's, also when the complaint is its staff's manners
    ("我丈夫在社区矫正，司法所的人说话态度很凶", "justice"),
    # asking whether one can sue is the court's question
    ("物业公司乱收费，业主能不能集体起诉", "court"),
    # athletes' grades are sport
    ("二级运动员证书怎么申请", "education"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


def test_an_office_that_declined_is_not_the_answer() -> None:
    # The citizen names the office that said it is not theirs: the matter's own words decide.
    got = classify("找了建设局，建设局说化工厂排的黑烟不归他们管")
    assert got.bureau == "environment", (got.bureau, got.keywords)
    got = classify("学校门口的红绿灯坏了，教育局说不归他们")
    assert got.bureau == "police", (got.bureau, got.keywords)


def test_the_narrowing_conditions_hold() -> None:
    # a teacher's pay stays with the school's side, not the wage rule's labour bureau
    got = classify("学校拖欠代课老师的工资半年了")
    assert got.room in {"social", "livelihood"}
    # a lawyer asked for about unpaid wages: legal aid (司法局), as before
    got = classify("老板欠我工钱，想请律师又没钱，有没有法律援助")
    assert got.bureau == "justice", (got.bureau, got.keywords)
