"""Duty rules of issue 14's stop 28 for probe Q (branch i14m): classes of wording that probe Q
(tuning data since stop 28) showed missing, each answered by what the bureau does.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml)
and the district decisions in docs/classifier.md ("Stop 28: probe Q"), not copied from probe
Q or any evaluation row. Each class has at least one wording; the look-alikes below guard the
exceptions the rules carry.
"""

from __future__ import annotations

import pytest

from tests.routingkit import assert_reaches, assert_stays_out

ROUTES = [
    # 公安分局: cars on the pavement, jams at a school gate, a towed car, a voyeur, someone
    # trading under another's name or seal
    ("菜市场旁边的人行道上天天停满了私家车，老人只能走到马路中间", "police"),
    ("我们这条街的盲道上一到晚上就停着一排车，盲人根本没法走", "police"),
    ("中学放学的时候门口的路堵得水泄不通，家长的车乱停，能不能派交警来", "police"),
    ("早上送孩子上学那段路天天堵，校门口接送的车排出去老远", "police"),
    ("我的电动车停在超市门口就被拖走了，也没贴通知，到哪去领车", "police"),
    ("公园女厕所附近有个人拿手机偷拍，被发现就跑了", "police"),
    ("有人冒用我的名字在网上借钱，催债电话都打到我单位了", "police"),
    ("我们厂的公章被人私刻了，拿去外面签了好几份购销合同", "police"),
    # 国土分局: a second-hand flat's title certificate, a share of village land, a rural
    # house the land office calls illegal, house plots re-measured
    ("去年买的二手房办了过户，不动产权证到现在都没出证，孩子转学等着用", "land"),
    ("我嫁到这个村十年了，户口也落过来了，组里还是不给我分地", "land"),
    ("国土所说我爷爷留下的老屋是违建，那是七几年在宅基地上盖的", "land"),
    ("镇里派人来重新丈量宅基地，说我家多占了二十平方", "land"),
    # 建设局: a load-bearing wall knocked out
    ("楼上装修把承重墙砸了一大块，整栋楼的人都害怕，谁来管", "construction"),
    # 环保局: used batteries dismantled
    ("村口有人收废电瓶回来拆，酸水直接倒进了水沟", "environment"),
    # 民政局: an old person's allowance stopped
    ("我妈九十岁了，高龄补贴今年突然没到账，社区说没做认证", "civil_affairs"),
    # 人事局: a medical title declared
    ("在县医院当医生八年，申报副主任医师的材料被打回来了，说论文不够，想申请复核", "personnel"),
    # 教育局: a migrant child's school place and months of insurance
    ("孩子想在这边上学，学校说父母社保要交满两年才能报名", "education"),
    # 卫健局: blood donors' free blood
    ("我献过好几次血，现在我爸住院用血能不能免费", "health"),
    # 计生局: a pregnancy to be registered
    ("怀孕三个月了，在这边上班，生育登记是不是一定要回户籍地办", "family_planning"),
    # 法院: a flat bought at auction whose occupant stays
    ("在网上竞拍买了一套房，原来的房主一家就是赖着不搬", "court"),
    # 检察院: a court's enforcement brought to supervision
    ("法院立案执行三年了一直消极执行，我想申请检察院对执行法官进行监督", "procuratorate"),
    # 司法局: a legal-service office's fee, a released prisoner's resettlement
    ("乡里的法律服务所帮我打个官司收了五千块代理费，还没办完", "justice"),
    ("我儿子刑满释放快一年了，一直找不到工作，社区也没人管", "justice"),
    # 规划分局: a street to be widened, a shop built out over the pavement
    ("听说老城那条街要拓宽，沿街的铺子都在红线里面", "planning"),
    ("对面饭店把门面往外扩建了一截，人行道被占了一半", "planning"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    assert_reaches(text, bureau)


@pytest.mark.parametrize(
    ("text", "not_bureau"),
    [
        # an estate's own parking bays by the pavement are the estate's, not traffic policing
        ("小区地下车库的车位不够，物业把车位划到了人行道边上还要收费", "police"),
        # building work blocking a school's gate is no traffic jam for the police
        ("学校门口的工地施工堵了半年，放学时满地都是泥", "police"),
        # rubbish towed away is no towed car
        ("小区门口的建筑垃圾堆了一个月也没人拖走", "police"),
        # filming a factory's discharge as evidence is no voyeur
        ("我偷拍了化工厂半夜排污的视频当证据，请环保部门来查", "police"),
        # a new flat whose certificate the developer holds up is 建设局's, not a registration matter
        ("开发商交房三年了还不给办房产证，说是土地手续没弄完", "land"),
        # brothers dividing an inheritance in court is no village land share
        ("我爸去世后我们兄弟几个为了分地的事已经起诉到法院了", "land"),
        # a flat's area measured short is the developer's, not a house plot
        ("收房的时候重新丈量，套内面积比合同少了八个平方，开发商不认", "land"),
        # batteries stolen from an electric bike are the police's, not hazardous waste
        ("楼下电动车的电瓶被人偷走了，拆得只剩个壳", "environment"),
        # a school canteen's staff unpaid insurance is labour, not enrolment
        ("学校食堂的员工社保一直没交，孩子报名上学要用社保记录", "education"),
        # a doctor's practising licence is 卫健局's registration, not a title review
        ("诊所的医生申报执业注册，医师执业证一直没批下来", "personnel"),
        # state land sold at auction below value is no court enforcement
        ("村里的集体土地被低价拍卖给了老板，我们一分钱没见到", "court"),
        # a road widened with night work is noise, not a road plan
        ("马路拓宽施工天天晚上干到十二点，噪音吵得人睡不着", "planning"),
    ],
)
def test_a_look_alike_stays_out(text: str, not_bureau: str) -> None:
    assert_stays_out(text, not_bureau)
