"""Duty words and rules of issue 14's stop 26 (branch i14g): the scarce bureaus' duties, told
the way citizens tell them, often without naming the office.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml)
and the district decisions in docs/classifier.md ("Stop 26"), not copied from any probe
or evaluation row.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify

ROUTES = [
    # 司法局: notarisation, legal aid, people's mediation, wills, resettlement, lawyers
    ("去国外读书要把毕业证翻译了做公证，要几个工作日", "justice"),
    ("打工摔伤了老板不认账，家里穷请不起律师，能不能给指派一个援助律师", "justice"),
    ("和隔壁为了院墙的事闹了好几年，想找村里的人民调解员来评评理", "justice"),
    ("我爷爷想立遗嘱把存款留给孙子，要去哪里办才算数", "justice"),
    ("我弟弟刚刑满释放，找不到活干，有没有安置帮教的政策", "justice"),
    ("请的律师收了两万块代理费连面都不露，我要投诉律师", "justice"),
    # 检察院: stages of a criminal case, appeals against a final judgment, duty crimes
    ("我儿子签了认罪认罚，检察官说量刑建议是三年，这个还能改吗", "procuratorate"),
    ("民事判决生效两年了，我觉得判错了，想申请检察监督", "procuratorate"),
    ("那个法官收了对方的钱，判得明显不公，我要举报他枉法裁判", "procuratorate"),
    ("河边的公益林被人砍光了也没人告，能不能提起公益诉讼", "procuratorate"),
    ("我哥在看守所里被同监室的人打了，谁来管", "procuratorate"),
    # 计生局: birth registration, special assistance, contraceptive surgery, fees
    ("生二胎之前要不要先办生育登记，网上怎么登", "family_planning"),
    ("我们是失独家庭，特别扶助金今年怎么还没发", "family_planning"),
    ("当年做了结扎手术，后来一直落下毛病，这个能申请补助吗", "family_planning"),
    ("老家让开一份婚育证明，我在这边打工，去哪开", "family_planning"),
    # 规划分局: approved plans and drawings, where a line or road will run
    ("小区交房时发现和当初规划图纸上的不一样，绿地变成了停车场", "planning"),
    ("新修的快速路走向要穿过我们村，这个线路是怎么定的", "planning"),
    # 公安分局: markings, parking tickets, things thrown from a height, fraud, a name change
    ("路口的导流线画得乱七八糟，经常有车压着走", "police"),
    ("楼上有人往下扔垃圾袋，差点砸到小孩", "police"),
    ("在一个投资平台充了五万，现在钱提不出来，客服也不回", "police"),
    ("孩子的名字想改一个字，要带什么材料", "police"),
    ("店门口天天有车乱停乱放，叫了半天也没人来贴条", "police"),
    ("幼儿园门口接孩子的车乱停，早上能不能派人疏导一下", "police"),
    ("单位让我开个没有违法犯罪的证明，去哪开", "police"),
    ("楼下那辆僵尸车停了大半年，轮胎都瘪了", "police"),
    # 户口本 as a document to bring, not the matter
    ("我们俩商量好了离婚协议，去办手续要带户口本吗", "civil_affairs"),
    # 劳动局: work injury, contracts ended, start-up subsidies
    ("下班路上被电动车撞了，交警定了责任，公司说不算工伤", "labor"),
    ("在超市干了八年，合同到期老板不续签，也不给经济补偿金", "labor"),
    ("回乡创业开个养殖场，有没有贴息贷款和补贴", "labor"),
    # 国土分局: a rural house's title with its plot (房地一体)
    ("村里的老宅想办不动产证，宅子和地要一块确权，找哪个部门", "land"),
    # 规划分局: a metro line's stations
    ("地铁5号线的站点会不会设在我们镇上，线路定了没有", "planning"),
    # 环保局: radiation measured
    ("家对面新立了个铁塔，上面全是天线，想请人来检测一下辐射有没有超标", "environment"),
    # 劳动局: subsidised skills training for adults
    ("下岗了想学个焊工，政府有没有补贴的培训班", "labor"),
    # 公安分局: the estate company says it cannot act
    ("半夜有人在小区里砸车窗，物业说查不到是谁，监控也没用", "police"),
    # 民政局: meals and day care for old people
    ("社区能不能办个老年食堂，给独居老人提供助餐", "civil_affairs"),
    # 人事局: civil-service exams
    ("省考报考条件里写的专业跟我的毕业证对不上，能报吗", "personnel"),
    # 环保局: machines shaking homes, a drinking-water source polluted
    ("厂里的冲床一开整栋楼都在震动，白天晚上都不停", "environment"),
    ("上游砂场把泥浆水排进了水库，这是我们的饮用水源", "environment"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


def test_a_park_renamed_is_no_police_matter() -> None:
    """改名 of a person is the police's; a park or a road renamed is not (no police rule)."""
    got = classify("建议把人民公园改名为湿地公园，更有特色")
    assert got.bureau != "police", (got.bureau, got.keywords)


def test_a_waste_incinerator_sited_stays_a_pollution_matter() -> None:
    """Where a line or station will run is planning; a polluting plant's siting stays 环保局's."""
    got = classify("垃圾焚烧厂的选线走向离村子太近，大家担心污染")
    assert got.bureau == "environment", (got.bureau, got.keywords)
