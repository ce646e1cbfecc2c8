"""Stop 34 (branch let34): causes of real letters over-rated, answered as classes.

Letters and messages of our own wording (none taken from a labelled set):

* a short letter to an office, told by its form (its headline repeated by the body, a headline
  on its own line, a salutation to an official), asking about a routine matter is not raised
  by the danger model (``nlp.office_letter``); the same words as a chat message with a danger
  in them keep their level, and a short letter whose rubric finds a danger keeps it;
* a board letter whose headline recounts an old harm (a date, 事故 to deal with) is no danger
  now; a headline telling a collapse under way keeps its level;
* one bare word of the blocking family in a long letter (交通堵塞) counts nothing; going higher
  (告到省政府) still counts;
* 集体 alone in a long letter (集体户口) is no gathering; 集体上访 still is;
* a house number (5组12号村民) is no count of households;
* 大火 read across 太大 and 火炬 is no fire; 着大火 still is.
"""

from __future__ import annotations

import pytest

from nlp.letters import households_concerned, lone_letter_word
from nlp.normalize import danger_text
from nlp.office_letter import office_letter
from nlp.rubric import default_rubric
from nlp.rubric_level import rubric_assessment
from nlp.severity import assess_severity

_PAD = (
    "我们反映这个问题已经有一段时间了，社区说会向上面汇报，可是一直没有下文，住户们每天进进出出都要面对这个"
    "问题，大家的意见很大，希望有关部门能够重视，早日给个说法，谢谢。"
)
"""A calm ending that makes a text a long letter (more than 120 characters)."""


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("新华路菜场门口公交站牌被撞歪新华路菜场门口公交站牌被撞歪了，一直没人来修。", "headline"),
        (
            "关于城北幼儿园收取兴趣班费用的疑问\n孩子所在的城北幼儿园每学期要另交八百元兴趣班费用。",
            "headline",
        ),
        ("市教育局领导：您好！想咨询一下今年小升初划片的范围什么时候公布。", "salutation"),
        ("尊敬的王局长：我们村的路灯坏了半年，晚上出门很不方便。", "salutation"),
    ],
)
def test_a_short_letter_is_known_by_its_form(text: str, form: str) -> None:
    assert office_letter(danger_text(text)) == form


@pytest.mark.parametrize(
    "text",
    [
        "楼下有人拿刀砍人 快来",
        "三号楼电梯关人了，里面有个老人喘不上气",
        "我邻居家孩子发烧三天了，今天早上抽搐了一次",
        "被骗了二十万，骗子说是公安局的，让我转到安全账户",
    ],
)
def test_a_message_is_no_letter(text: str) -> None:
    assert office_letter(danger_text(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "西站广场出租车不打表西站广场出租车不打表，晚上到市区开口就要八十元，请交通部门管一管。",
        "关于老旧小区加装电梯补贴的咨询\n我家住六楼，父母年纪大了上下楼困难，想问加装电梯有没有补贴。",
        "李县长：您好！县医院住院部的停车场太小，每天排队等车位要半个多小时。",
    ],
)
def test_a_short_letter_about_a_routine_matter_stays_low(text: str) -> None:
    assert assess_severity(text).level == "low"


@pytest.mark.parametrize(
    "text",
    [
        # A danger the rubric finds in a short letter keeps its level.
        "尊敬的领导：城东加油站旁边的煤气管道破了，现在正在往外冒气，味道很大，请马上派人来。",
        "河堤路段塌方河堤路段塌方了，现在有两个人被埋在下面，快来人。",
    ],
)
def test_a_short_letter_telling_a_danger_now_keeps_it(text: str) -> None:
    assert assess_severity(text).level == "critical"


def test_a_headline_recounting_an_old_accident_is_no_danger_now() -> None:
    letter = (
        "关于2016年城南工地伤亡事故赔偿至今未落实的反映\n尊敬的领导：我哥哥在城南工地干活时受伤，"
        "事故发生后施工方只付了一部分医药费，剩下的赔偿一拖再拖。" + _PAD
    )
    assert assess_severity(letter).level != "critical"


def test_a_headline_telling_a_collapse_keeps_its_level() -> None:
    letter = (
        "城西菜市场后面的挡土墙出现坍塌\n城西菜市场后面的挡土墙出现坍塌，墙后就是居民楼，"
        "这几天一直下雨，裂缝越来越大。" + _PAD
    )
    assert assess_severity(letter).level in ("high", "critical")


def test_one_bare_word_of_a_collective_family_in_a_letter_counts_nothing() -> None:
    rub = default_rubric()
    assert lone_letter_word("blocking", ("堵塞",))
    assert not lone_letter_word("collective", ("串联",))
    assert not lone_letter_word("escalation", ("到…省政府",))
    assert not lone_letter_word("collective", ("说…去…政府",))
    assert not lone_letter_word("collective", ("冲突",))
    letter = (
        "关于新城大道早高峰交通堵塞的建议\n新城大道每天早上七点到九点交通堵塞严重，建议在路口增加左转"
        "车道，方便市民出行。" + _PAD
    )
    assert assess_severity(letter, rub).level == "low"


def test_going_higher_in_a_letter_still_counts() -> None:
    letter = (
        "关于单位拖欠工资的反映\n我们单位拖欠工资已经八个月，多次找领导都没有结果，再不解决我们"
        "就告到省政府去。" + _PAD
    )
    assert assess_severity(letter).level != "low"


def test_a_bare_collective_in_a_letter_is_no_gathering() -> None:
    letter = (
        "集体户口的孩子上学怎么办理\n我毕业后户口落在单位的集体户口上，孩子今年要上小学，学校说要"
        "户口本首页，单位不给借，请问应该怎么办理入学手续。" + _PAD
    )
    # The rubric alone (the letter model reads a letter's other words on its own).
    assert rubric_assessment(danger_text(letter)).level == "low"
    planned = letter.replace("请问应该怎么办理入学手续", "我们三十多户家长准备下周集体上访")
    assert assess_severity(planned).level in ("high", "critical")


def test_a_house_number_is_no_count_of_households() -> None:
    rub = default_rubric()
    assert households_concerned(danger_text("城关镇东风村5组12号村民王某冒领低保"), rub) is None
    assert households_concerned(danger_text("附近三百多户村民都受影响"), rub) is not None


def test_a_torch_is_no_fire() -> None:
    letter = (
        "火炬中学和实验中学硬件差距太大火炬中学和实验中学只隔两条街，实验中学有塑胶跑道和多媒体"
        "教室，火炬中学的操场还是泥地，差距太大火炬中学的家长都很有意见。" + _PAD
    )
    assert assess_severity(letter).level != "critical"
    assert assess_severity("隔壁仓库着大火了 火很大 快来").level == "critical"


# Review 34a F4: a letter's form never lowers a text that tells a danger now. Our own wordings of
# the reviewer's kinds: people down in a pit and the rescuer too, an old person behind a locked
# door not answering, a wall about to fall, smoke again with people underground, hopelessness.
_DANGER_BODIES = [
    ("村里的红薯窖有人下去了没上来，下去拉他的人也倒在里面了", "critical"),
    ("楼下独居的阿姨两天没出门，敲门半天没反应，门是从里面反锁的", "critical"),
    ("老房子的裂缝一年比一年宽，这两天后墙往外鼓，随时会塌下来", "critical"),
    ("我爸在鱼塘边晕倒了，叫不醒", "critical"),
    ("我实在活不下去了，不想再拖累孩子了", "critical"),
    ("这日子我撑不下去了，活着只会拖累家里", "critical"),
]
_LETTER_FORMS = [
    "村支书：您好，",
    "尊敬的主任：您好！",
    "尊敬的领导：",
    "镇长您好：",
    "关于我家情况的紧急反映\n",
]


@pytest.mark.parametrize("form", _LETTER_FORMS)
@pytest.mark.parametrize(("body", "level"), _DANGER_BODIES)
def test_a_danger_now_keeps_its_level_in_a_letters_form(form: str, body: str, level: str) -> None:
    from nlp.emergency import detect
    from tests.test_nlp_stop25_sets import RANK

    text = form + body
    got = assess_severity(text).level
    assert RANK[got] >= RANK[assess_severity(body).level] >= RANK[level], (got, text)
    # the severity and the emergency line agree: a danger detected is rated high or above
    if detect(text) is not None:
        assert RANK[got] >= RANK["high"], (got, text)


def test_a_headline_over_smoke_with_people_below_is_no_routine_letter() -> None:
    # Before stop 34 the headline's 事故 (an old accident to deal with) already made this medium
    # (nlp.background.letter_now); the letter's form must not lower it further to low.
    text = "关于煤矿安全问题的反映\n之前的事故还没处理完，今天矿井里又冒烟了，还有人在井下"
    assert assess_severity(text).level in ("medium", "high", "critical")
