"""Land and court duties of issue 14's stop 26 (branch i14h), told the way citizens write them.

Messages written for this test from the two bureaus' duties (DESIGN.md, config/district.toml)
and the district decisions in docs/classifier.md ("Stop 26, land and court"): 国土分局 approves
rural house plots, oversees contracted and transferred farmland, idle and illegally used land,
collective land, the registration of homes (不动产登记), geological hazards and plot boundaries;
the court takes suits, enforces judgments and court mediation papers. None is copied from a
probe or an evaluation row. The look-alikes check that an estate's, a new home's or a developer's
matter stays 建设局's and that 户口 as a person's status does not pull a school, welfare or a
vaccination question to the police.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify

LAND = [
    ("我家想在老房子旁边盖两间平房，村里说要先审批，这个手续去哪里办？", "land"),
    ("农村盖房子现在还要批吗？我们组好几户都被叫停了", "land"),
    ("儿子结婚想翻建老屋，申请批地批了半年还没下来，到底卡在哪", "land"),
    ("村里把我家承包的那十几亩地租给老板种果树，三年的租金一分没到手", "land"),
    ("土地流转给合作社，说好每年每亩八百，今年只给一半，找村委没人管", "land"),
    ("前年镇上说要修路把我们的地征了，到现在补偿款没发，地也没修路就荒着长草", "land"),
    ("开发商圈了我们村一百多亩地，说是建厂，五年了围墙围着啥也没干，地也不还给我们", "land"),
    ("村长把集体的地偷偷卖给外面的人建厂房，村民都不知道，钱去哪了", "land"),
    ("村干部私下把村里的集体地卖了，我们要求公开账目", "land"),
    ("买的二手房想过户，不动产登记中心说要排队两个月，太慢了", "land"),
    ("贷款还清了要去办抵押注销，登记中心让我们跑了三趟", "land"),
    ("小产权房能办证吗？家里老人买的村里的房子", "land"),
    ("后山上出现好几条裂缝，一下雨就往下掉石头，住在山脚下很害怕", "land"),
    ("村后的山坡去年下雨滑坡过一次，今年又开始裂了，请派人看看", "land"),
    ("有人在基本农田上建了个养猪场，挖掘机天天在推土", "land"),
    ("邻居建房子多占了我家一米多宅基地，地界吵了几年了没人来量", "land"),
    ("隔壁砌院墙砌到我家地里来了，两家地界不清楚，谁来划一下", "land"),
    ("路边的耕地被人倒满了建筑渣土，好好的地种不了了", "land"),
    ("镇上有人拿着村里的地搞非法采砂，河道都挖坏了", "land"),
    ("不动产权证上面积和实际不一样，要去哪里更正", "land"),
    ("父亲去世了，房产证上是他的名字，继承过户要什么手续", "land"),
    ("老宅基地上的房子塌了一半，想原地重建，镇里说没有指标不给批", "land"),
    ("我们家分户了，想申请一块宅基地，村里说没地了", "land"),
    ("承包给别人种的地，对方三年没给钱还不退地", "land"),
    ("合作社租了全村的地，今年说亏本了，地租拖着不给", "land"),
    ("前些年乡里把我们组的地收走说要建工业园，到现在还是一片荒地，能不能还给我们种", "land"),
    ("村支书把村里的山卖给老板开厂，全村人都没签字", "land"),
    ("买房五年了不动产证还没拿到，去登记中心查说材料不全", "land"),
    ("房子卖了要过户，买家贷款需要先把我的抵押解除，这个流程去哪里办", "land"),
    ("老家的房子是小产权，现在想卖能过户吗", "land"),
    ("连续下了几天雨，屋后的山坡开裂了，有一道一米多长的口子", "land"),
    ("村口那段山体有石头往下滚，已经砸坏了一辆摩托车，担心会滑坡", "land"),
    ("邻村的人在我们的林地里偷偷砍树还建了棚子", "land"),
    ("有人在河滩上挖沙卖，挖得坑坑洼洼", "land"),
    ("镇上有人占了农田盖厂房，田都被水泥封了", "land"),
    ("我家和邻居的宅基地边界有争议，他家新砌的墙压到我家地上", "land"),
    ("我在村里的老宅基地上盖了个厨房，镇里来人说是违建要拆，宅基地是我自己的啊", "land"),
    ("村里要收回我家的承包地给别人搞养殖，合同还没到期", "land"),
    ("我们小组的地被征用五年了，一直空着没动工，补偿也只给了一半", "land"),
    ("听说村委会把集体的鱼塘和地一起租给外人了，二十年的合同，村民没人同意", "land"),
    ("买的安置房一直办不了不动产证，街道说在等批文", "land"),
    ("我家去年办了房屋抵押贷款，现在还完了，去哪里注销登记", "land"),
    ("山上的石头一到雨天就往路边落，好几户人家就在下面", "land"),
    ("半夜听见后山轰隆响，早上一看山坡塌了一片，田都埋了", "land"),
    ("有人把河边的耕地挖成了鱼塘", "land"),
    ("邻居把界桩挪了，说那块地是他家的", "land"),
    pytest.param(
        "村里有人建房把我家出路堵了，物业也不管",
        "land",
        # Stop 27's learnt table: 物业 outweighs the village-building rule, 建设局 at 0.63
        # (without 物业也不管: 国土分局 0.89). A confident wrong answer; reported, not fixed
        # (stop 27 added no vocabulary). strict: it fails loudly once fixed.
        marks=pytest.mark.xfail(strict=True, reason="stop 27 table: 物业 says 建设局 (0.63)"),
    ),
]

COURT = [
    ("我起诉了三个月了还没立案，网上查不到进度，想问一下立案要多久", "court"),
    ("被人告了收到了应诉通知书，不知道要怎么应诉，去哪里交答辩状", "court"),
    ("判决书下来一年了对方一直不给钱，申请了强制执行也没动静", "court"),
    ("那个欠钱的人已经上了失信名单限制高消费了，还是天天开豪车，执行法官不管", "court"),
    ("我的银行卡突然被冻结了，说是法院冻结的，我都不知道是什么案子", "court"),
    ("诉讼费交了之后撤诉了，能退多少，怎么退", "court"),
    ("在法庭上调解签了调解书，说好分三期还钱，结果第一期就没给", "court"),
    ("一审判的不公平，想上诉，上诉期是多少天，到哪里交上诉状", "court"),
    ("我想告我前夫不付抚养费，起诉要准备什么材料", "court"),
    ("执行案件说终结本次执行程序了，钱还没拿到，这算结案了吗", "court"),
    ("去年借给朋友五万块钱，写了借条，现在不还，只能去告他了吗", "court"),
    ("我被列为被执行人了，但是钱已经还清了，怎么把失信记录撤掉", "court"),
    ("法院说我的案子已经受理了，可是三个月了也没通知开庭", "court"),
    ("起诉离婚后对方一直不出庭，这种情况法院会怎么判", "court"),
    ("欠我钱的公司被判了，但是说公司账上没钱执行不了，怎么办", "court"),
    ("他被法院限制高消费了还在坐飞机，能举报吗", "court"),
    ("打官司赢了，对方的钱已经到法院账户了，什么时候能转给我", "court"),
    ("调解书上写好了月底前付清，到现在一分钱没付，我能直接申请执行吗", "court"),
    ("二审维持原判，我不服还能去哪里申请再审", "court"),
    ("诉讼费太高了交不起，可以申请缓交吗", "court"),
    ("老板欠我工钱我起诉了，判决生效三个月了还没给，申请强制执行要交钱吗", "court"),
    ("法院执行局说对方名下没有财产，就把案子终本了，我怎么办", "court"),
    ("我收到了法院的传票，说我欠信用卡的钱，开庭我去不了能不能请人", "court"),
    ("离婚判决不准离，过多久可以再起诉", "court"),
    ("对方判了赔我三万，现在人找不到，能不能让法院把他拉入黑名单", "court"),
    ("借钱给亲戚写了欠条，他不认账，我想去法院告他要准备什么", "court"),
]

LOOK_ALIKES = [
    # the estate, a new home's quality, a late handover: 建设局 however much a home is told
    ("房子买了八年了产权证还办不下来，开发商说是土地手续没弄好", "construction"),
    ("小区物业不作为，楼道灯坏了一个月没人修", "construction"),
    ("新房交房时墙面开裂、卫生间漏水，开发商拖着不修", "construction"),
    ("买的期房到期不交房，开发商说资金链断了", "construction"),
    ("房屋质量问题，楼板开裂，找开发商没用", "construction"),
    ("我家装修时物业不让运建材进小区", "construction"),
    ("新房交房一年多，外墙瓷砖往下掉，开发商不管维修", "construction"),
    ("开发商延期交房两年了，违约金不给", "construction"),
    ("小区电梯三天两头坏，物业说没有维修资金", "construction"),
    # 户口 as a status in another office's question; the registration itself stays the police's
    ("外地户口孩子在这里上小学需要什么材料", "education"),
    ("外地户口能不能在社区医院给孩子打疫苗", "health"),
    ("农村户口的老人能不能在城里领养老补贴", "civil_affairs"),
    ("外地户口在这边失业了能领失业金吗", "labor"),
    ("外地户口怎么办居住证", "police"),
    ("孩子户口想迁到我这边要什么材料", "police"),
    ("孩子在学校被同学打了，老师不管，班主任说是小孩子打闹", "education"),
    ("学校食堂的饭菜有头发，孩子吃了拉肚子，学校不承认", "education"),
    ("幼儿园私自涨学费，一学期涨了两千", "education"),
    ("孩子转学学籍一直转不过来，新学校让等", "education"),
    ("学校放学后让家长交钱参加课后托管，不交就不让留校", "education"),
    ("高中老师在外面办补习班，暗示学生必须去", "education"),
    ("社区医院的医生态度很差，开个药也要排两个小时", "health"),
    ("孩子打完疫苗一直发烧，社区卫生服务中心说是正常反应", "health"),
    ("医院做手术后感染，医生说不是他们的责任，我想鉴定是不是医疗事故", "health"),
    ("诊所给老人输液没有资质，输完出现过敏", "health"),
    ("镇卫生院晚上没有医生值班，急病只能往县里送", "health"),
    ("医院乱收费，住院清单上多了很多没做过的检查", "health"),
    ("农村户口的孩子在城里上幼儿园有补助吗", "education"),
    ("户口在外地的老人能在这边领高龄补贴吗", "civil_affairs"),
]


EDUCATION_HEALTH = [
    # 教育局 and 卫健局 as parents and patients tell them (cosmetic medicine: 卫健局)
    ("孩子六岁了，我们租房住，学区划不进去，小学报名被拒", "education"),
    ("老师在班级群里推销教辅资料，不买的孩子被点名", "education"),
    ("学校让家长轮流去校门口站岗护学，我们都要上班", "education"),
    ("特殊教育学校太远了，孩子自闭症能不能送教上门", "education"),
    ("孩子被培训机构骗了学费，机构跑路了", "education"),
    ("学校的校车超载，一辆面包车坐了十几个孩子", "education"),
    ("中职学校的助学金一直没发到学生手里", "education"),
    ("学校午休让孩子趴桌子睡，能不能装午休床", "education"),
    ("职业技术学校强制学生去工厂实习，每天干十二个小时", "education"),
    ("孩子的体育中考成绩录错了", "education"),
    ("我爸在医院住了十天，护工态度恶劣，护士也不管", "health"),
    ("孩子发烧去儿童医院，排队挂号排了四个小时", "health"),
    ("药店卖的药过期了，吃了之后胃疼", "health"),
    ("家庭医生签约了一年，一次都没上门", "health"),
    ("村卫生室的医生没有行医资格证", "health"),
    ("医院检查结果不互认，换个医院又要重新做CT", "health"),
    ("老人去医院看病不会用手机挂号，没有人工窗口", "health"),
    ("小区附近开了个美容院做微整形，打针打出了问题", "health"),
    ("急救车来了四十分钟，人已经不行了", "health"),
    ("我怀疑医院给我多开了药，回扣的事谁来查", "health"),
]


@pytest.mark.parametrize(("text", "bureau"), LAND + COURT + LOOK_ALIKES + EDUCATION_HEALTH)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


def test_a_car_mortgage_is_no_home_registration() -> None:
    """A car's mortgage (抵押 + 车管所) is not the home registration centre's."""
    got = classify("二手车过户的时候车管所说这车有抵押没解除，卖家联系不上了")
    assert got.bureau != "land", (got.bureau, got.keywords)


def test_a_developer_late_with_title_deeds_stays_construction() -> None:
    """A developer who does not deliver title deeds is 建设局's (the labelled sets' convention)."""
    got = classify("交房两年了开发商还没给我们办产权证，一直说手续在走")
    assert got.bureau == "construction", (got.bureau, got.keywords)
