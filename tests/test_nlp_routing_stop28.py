"""Duty rules of issue 14's stop 28 (branch i14l): classes of wording that probes O and P
(tuning data since stop 28) showed missing, each answered by what the bureau does.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml)
and the district decisions in docs/classifier.md ("Stop 28"), not copied from probe O, P or
any evaluation row. Each class has at least one wording; the look-alikes below guard the
exceptions the rules carry.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from tests.routingkit import assert_reaches, assert_stays_out

ROUTES = [
    # 检察院: supervision of a final civil judgment, of case-filing, of detention, of
    # sentence execution; duty crimes told without the crime's name; public interest
    ("一审二审我都败诉了，判决书里认定的事实根本不对，想找个地方申请监督", "procuratorate"),
    ("被人骗了十几万去报案，警察说是民事纠纷不予立案，这样对吗", "procuratorate"),
    ("村里会计办个低保证明都要先塞两条烟，吃拿卡要成了习惯", "procuratorate"),
    ("到镇里办个准迁证明，管章的人不给钱就不盖章", "procuratorate"),
    ("镇上管林业的站长收了木材老板的好处，对乱砍滥伐睁一只眼闭一只眼", "procuratorate"),
    ("村主任利用职务便利，把去世老人的养老补贴一直冒领到现在", "procuratorate"),
    ("卫生院院长挪用了防疫专项经费给自己装修办公室", "procuratorate"),
    ("幼儿园园长把伙食费挪用去炒股，孩子们天天吃白菜", "procuratorate"),
    ("村会计挪用了修路的钱去赌博，路修了一半就停了", "procuratorate"),
    ("县里的国有资产被低价转给了领导亲戚的公司，损害国家利益", "procuratorate"),
    ("撞死人的司机关了一年多就假释出来了，他家找了人", "procuratorate"),
    ("我老公被派出所关了三天，一直没给我们任何拘留通知书", "procuratorate"),
    # 公安分局: fraud with a 'safe account', money sent to someone now unreachable, break-ins
    # and damaged cars, a report already made, firecrackers, a shop suspected of prostitution,
    # a crossing's green light, parking bays over the pavement, square dancing at night,
    # a neighbour's threats
    ("有人打电话冒充客服，说我的快递丢了要理赔，让我把钱转到安全账户", "police"),
    ("网上认识的朋友让我转了八千帮他周转，转完就把我拉黑了", "police"),
    ("店里的卷帘门昨晚被人撬开，收银台里的零钱全没了", "police"),
    ("停在路边的电动车后视镜被砸了，这个月已经第三回", "police"),
    ("上周报了警也做了笔录，丢的手机到现在也没个说法", "police"),
    ("隔壁办喜事从早上五点开始放鞭炮，吵得整栋楼睡不了", "police"),
    ("巷子口那家按摩店半夜还开着，门口总站着些不三不四的人", "police"),
    ("学校门前那个路口红绿灯转得太快，孩子们过马路绿灯不够用", "police"),
    ("新修的路把车位直接划到了人行道上，推婴儿车都没地方走", "police"),
    ("楼下广场舞每天晚上跳到十点多，孩子写作业都写不进去", "police"),
    ("楼下那户天天敲我家门恐吓我，说再投诉就让我家好看", "police"),
    # 法院: a court's auction and possession, a debt with an IOU to be sued, quick procedures
    ("在法院拍卖平台买了套法拍房，原来的住户一直不肯搬", "court"),
    ("朋友借了我五万写了借条，现在人找不到了，我想去告他", "court"),
    ("几千块的小钱也能起诉吗，听说有个小额诉讼程序", "court"),
    # 司法局: a place to have a quarrel settled, a licensed appraisal body
    ("婆家和娘家为了彩礼吵翻了，有没有能给两家评理的地方", "justice"),
    ("车祸后想做个伤残等级鉴定，哪些鉴定机构是正规有资质的", "justice"),
    # 国土分局: land enclosed for a plant, which village a plot belongs to, the land
    # transfer fee, an area put into the expropriation scope, a farm road taken
    ("一个老板把我们组的耕地圈起来建仓库，从来没跟我们签过字", "land"),
    ("我们村东头的几亩地被砖厂圈了，说是租的，可谁也没签过合同", "land"),
    ("两个组为了山脚那片荒地的归属争了三年，都说有老地契", "land"),
    ("小区的土地出让金到底交没交，为什么我们的证一直办不了", "land"),
    ("我家老宅被划进了征收范围，可评估的面积跟实际对不上", "land"),
    ("养殖场把田间的机耕路挖断了，拖拉机开不进地里", "land"),
    # 信访局: meeting a leader in person, a closed petition pursued, letters unanswered,
    # offices passing a matter to each other
    ("听说书记每周四接待群众，我想当面向领导讲讲我们的情况", "petition"),
    ("我反映的事被告知信访终结了，不再受理，我还能去哪里说", "petition"),
    ("找了城管找街道，都说不归他们管，互相推诿半年了", "petition"),
    # 民政局: someone sleeping rough, a society registered, help for a grave illness, an old
    # person's allowance
    ("桥洞底下住着一个流浪汉，天冷了没吃没穿的", "civil_affairs"),
    ("我们几个退休教师想成立一个摄影协会，去哪里注册登记", "civil_affairs"),
    ("孩子得了白血病，治疗费几十万，家里能申请什么救助", "civil_affairs"),
    ("我奶奶八十多岁了，村里说高龄的老人有补助，怎么领", "civil_affairs"),
    # 计生局: after-effects of a family-planning operation, sex selection of a foetus
    ("九十年代结扎以后一直腰疼，干不了重活，政府管不管", "family_planning"),
    ("有个诊所偷偷帮人鉴定胎儿性别，不要的就拿掉", "family_planning"),
    # 卫生局: a birth certificate written wrong, a pool's water
    ("出生证明上把孩子的出生日期写错了，要去哪里更正", "health"),
    ("健身房的游泳池水有股怪味，游完眼睛又红又痒", "health"),
    # 规划分局: a metro station's entrance, a road never opened, old streets, a flat's use
    ("地铁站的出口位置听说要挪到马路对面去，这是谁定的", "planning"),
    ("城东那条断头路规划了多年，到现在还是断的", "planning"),
    ("那片老街的古建筑听说要拆掉盖楼，太可惜了", "planning"),
    ("一楼的住宅被改成了饭馆，排烟管道直接伸到了窗户底下", "planning"),
    # 人事局: competition for posts and promotion in a public body
    ("单位这次竞争上岗，票数最多的没被提拔，有没有地方申诉", "personnel"),
    # 建设局: a flat's online signing and filing
    ("开发商收了首付迟迟不给网签，说备案系统还没开", "construction"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    assert_reaches(text, bureau)


@pytest.mark.parametrize(
    ("text", "not_bureau"),
    [
        # blasting a hill for stone is land and mining, not firecrackers
        ("石场天天放炮开山，整座山都被挖空了，也不知道有没有采矿证", "police"),
        # a stray dog spayed is no family-planning operation
        ("小区里的流浪狗做了绝育手术以后一直喊疼，谁来管", "family_planning"),
        # a pool's prepaid card refused is no hygiene matter
        ("游泳馆突然关门了，办的卡里还有两千块退不了", "health"),
        # a wage protest's "no money, no coming down" is no official asking for bribes
        ("工地上讨薪的几个人站在楼顶，说不给钱就不下来", "procuratorate"),
        # a friends' circle (朋友圈) is no land enclosed
        ("有人在朋友圈发了张图，把我的车圈起来说我乱停，还骂人", "land"),
    ],
)
def test_a_look_alike_stays_out(text: str, not_bureau: str) -> None:
    assert_stays_out(text, not_bureau)


def test_square_dancing_without_an_hour_keeps_its_earlier_owner() -> None:
    """Square-dance music is the police's when it runs into the night (stop 23's rule and
    stop 28's); told without an hour it is not forced to the police (set 13e labels it 环保局)."""
    night = classify("小区门口的广场舞每晚放到十点，音箱震得窗户响")
    assert night.bureau == "police", (night.bureau, night.keywords)


def test_a_favour_taken_beside_a_demolition_is_not_confidently_wrong() -> None:
    """A favour (好处) taken by an official is 检察院's; told beside a demolition and a developer
    (拆迁, 开发商, 评估) the learnt table's construction words still outvote the rule: the
    answer is unsure and goes to the dispatcher desk. A limit, kept visible: it must not
    become a confident 建设局."""
    got = classify("街道主任收了开发商不少好处，拆迁评估就压我们的价")
    assert got.bureau == "procuratorate" or got.confidence < 0.6, (got.bureau, got.confidence)
