"""Stop 29 (branch i13ee): medium letters of groups at odds with a company or an office, and
letters' false emergency lines on a past injury.

Letters of our own wording (none taken from a labelled set):

* a group named as many (司机们, 部分业主) whose wages are withheld and whose complaints went
  unanswered is a dispute of many, medium (the letter model's new word classes), and its
  reasons name those words;
* several people who went to an office together (我们多次去了县劳动局) made a collective
  visit: raised to high with the words that say so;
* a joint letter signed with a date after the signature, by 全村人 acting together, or by
  five family members each with a note of kinship is high (``nlp.letter_joint``); 全村人都知道,
  two signers and routine letters are not raised;
* a letter whose title names an injury with the medical bill refused is a grievance after
  the harm: no emergency line and not critical; the same injury told now in a short message
  keeps its line.
* a letter that tells of a neighbour trapped in a lift this morning 长达半个小时 tells an event
  over (``[letters] lasted``): no line; the same letter with the neighbour still trapped now
  keeps its line.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.letter_joint import joint_letter
from nlp.normalize import danger_text
from nlp.severity import assess_severity

DRIVERS = (
    "关于公交公司长期拖欠司机工资的反映\n尊敬的领导：市第三公交公司的司机们反映，公司从去年十月起拖欠工资，"
    "每月只发一半，加班费一分没有。司机们多次找公司领导，都说等上面拨款，投诉到区劳动监察大队也无果，推来推去"
    "没人管。大家上有老下有小，房贷车贷压得喘不过气，请领导帮我们讨回血汗钱。"
)
VISIT = (
    "关于某建筑公司拖欠工程款的反映\n领导您好：我们是给县工业园某厂房做土建的工人，厂房二〇一八年就完工了，"
    "老板至今没有结清工钱，一共欠我们三十多万。我们多次去了县劳动局，劳动局说让我们去法院起诉，可我们哪有钱"
    "打官司。现在年关将近，家里等着钱用，恳请领导为我们做主。"
)
SIGNED = (
    "关于小区不动产权证迟迟不能办理的请求\n我们小区二〇一五年交房，开发商至今没有为业主办理不动产权证，"
    "孩子上学、房屋买卖都受影响。业主多次找开发商和住建局，都说在协调。恳请政府督促开发商尽快办证。"
    "此致 诉求人：全体阳光花园小区业主二〇一九年十一月十一日"
)
VILLAGE = (
    "请求恢复村小学的报告\n我们村原有一所完小，前年被撤并，孩子们每天天不亮就要出门，走五六里山路去邻村上学，"
    "下雨天路滑，冬天天黑得早，家长们非常担心孩子路上的安全。全村人一起打报告要求恢复村小学，报告已经交给"
    "镇政府一个多月，至今没有答复，恳请教育局重视，让孩子们能在家门口安心上学。"
)
VILLAGE_ROAD = (
    "关于村道硬化的建议\n我们村通往镇上的村道一直是泥巴路，一下雨就没法走车，全村人都知道这条路该修了，村里的"
    "老人去镇上看病、孩子去镇上读书都要走这条路，可是多年来一直没有动静。希望有关部门把我们村的道路硬化列入"
    "计划，方便群众出行，也方便农产品运出去，谢谢领导。"
)
_HOSPITAL = (
    "请求追究某医院医疗事故责任的报告\n尊敬的卫健委领导：我家孩子在某医院出生时因医护人员处置不当导致脑瘫，"
    "我们多次与医院交涉，医院始终推脱责任，不予赔偿。恳请卫健委依法调查处理，还我们一个公道。报告人："
)
FAMILY = (
    _HOSPITAL
    + "张伟（系孩子的父亲）李娜（系孩子的母亲）张国强（系孩子的爷爷）王秀英（系孩子的奶奶）"
    "李建军（系孩子的外公）二〇二〇年五月六日"
)
COUPLE = _HOSPITAL + "张伟（系孩子的父亲）李娜（系孩子的母亲）二〇二〇年五月六日"
STREET_LAMP = (
    "关于小区路灯的建议\n尊敬的领导：您好！我是幸福小区的居民，小区东门到菜市场那段路的路灯坏了两个多月，"
    "晚上出门买菜、散步都很不方便，老人孩子走路容易摔跤。希望有关部门安排人员检修一下，顺便把路面的几个坑补"
    "一补，下雨天积水很深。谢谢！祝工作顺利。"
)
BARBECUE = (
    "关于楼下烧烤店噪音扰民的投诉\n尊敬的领导：我家住在幸福路18号3楼，楼下新开了一家烧烤店，每天营业到凌晨"
    "两点，油烟直往楼上窜，客人喝酒划拳声音很大。我们到了晚上就睡不着，孩子第二天还要上学。希望城管和环保部门"
    "去看一看，督促店家安装油烟净化器、按时打烊，谢谢。"
)
PROBATION = (
    "咨询试用期工资发放的问题\n您好，我今年六月入职本市一家公司，试用期三个月，公司说试用期工资要等转正后一起"
    "发，上个月的工资到现在还没发。请问这样做合法吗？我应该先和公司沟通还是直接向劳动监察部门反映？劳动合同"
    "上没有写这一条。麻烦解答，谢谢。"
)
INJURY_TITLE = (
    "工人在工地受伤，包工头拒绝支付医疗费\n领导您好，我丈夫今年三月在某小区工地干活时从脚手架上摔下来，腿骨"
    "骨折，到现在还在家里养伤不能干活。包工头只垫付了三千元，之后就不接电话了，医疗费都是我们借钱付的。家里"
    "还有两个孩子上学，全靠他一个人挣钱，请劳动部门帮我们讨个说法，谢谢。"
)


def test_a_group_whose_wages_are_withheld_and_unanswered_is_a_dispute_of_many() -> None:
    found = assess_severity(DRIVERS)
    assert found.level == "medium"
    assert found.families[-1] == "letter_model"
    assert {"司机们", "拖欠工资"} <= set(found.reasons)
    assert classify(DRIVERS).severity == "medium"


def test_several_people_who_went_to_an_office_together_are_a_collective_visit() -> None:
    found = assess_severity(VISIT)
    assert found.level == "high"
    assert "我们多次去了县劳动局" in found.reasons


@pytest.mark.parametrize(
    ("letter", "words"),
    [(SIGNED, "全体阳光花园小区业主"), (VILLAGE, "全村人"), (FAMILY, "报告人5人")],
)
def test_joint_letters_of_stop_29_are_high(letter: str, words: str) -> None:
    assert joint_letter(danger_text(letter)) == words
    found = assess_severity(letter)
    assert (found.level, found.reasons, found.families[-1]) == ("high", (words,), "letter_joint")


@pytest.mark.parametrize("letter", [VILLAGE_ROAD, COUPLE, STREET_LAMP, BARBECUE, PROBATION])
def test_look_alikes_and_routine_letters_stay_low(letter: str) -> None:
    assert joint_letter(danger_text(letter)) is None
    assert classify(letter).severity == "low"


def test_a_letter_titled_with_an_injury_s_unpaid_bill_gets_no_emergency_line() -> None:
    assert detect(INJURY_TITLE) is None
    assert classify(INJURY_TITLE).severity != "critical"
    now = "工地上有人从脚手架上摔下来受伤了，流了很多血，快叫救护车"
    line = detect(now)
    assert line is not None and "120" in line.services
    assert classify(now).severity == "critical"


_LIFT = (
    "关于我们小区电梯问题的反映\n尊敬的领导：我们是阳光小区的业主，小区电梯一年来故障不断，物业只是简单修一修"
    "就完事，存在很大的安全隐患，业主们多次反映都没有用。今天上午，三号楼有老人被困电梯"
)


def test_a_lift_trapping_of_this_morning_whose_length_is_told_is_over() -> None:
    over = _LIFT + "长达半个小时，物业电话一直打不通。请有关部门督促物业彻底检修电梯，消除隐患。"
    assert detect(over) is None
    assert classify(over).severity != "critical"
    now = _LIFT + "里，现在还在里面出不来，物业电话打不通，请赶紧派人来！"
    line = detect(now)
    assert line is not None and "119" in line.services
    assert classify(now).severity == "critical"
