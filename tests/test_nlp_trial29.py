"""Trial 29 P1, P2 and P4: the rubric's reading of three classes of wording.

P1: a first-person wish to die in everyday words (我想死, 不如死了算了, 今晚我就去死,
想一了百了, 活着有什么意思) is self-harm, critical, with the crisis path like 我不想活了;
affection (想死你了), hyperbole (热得想死, 加班加到想死, 想死的心都有了), an insult to someone
else (你去死吧) and places (死胡同, 死机) stay harmless.
P2: a danger told at the end of a message after its background, with an urgent call or a
scene under way (…窗户已经打开了，怎么办啊快帮帮我！; …有人拿刀砍人了！快来人啊！), is danger
now, in a letter or not; a past retelling at the end (去年楼下有人拿刀砍人，快来人管管吧) is not.
P4: a harm only nearly suffered (差点受伤, 差点被车撞, 险些掉进河里) is no danger now and not
critical; self-harm and violence told with 差点 keep their line.

The wordings are this file's own, not rows of a labelled set.
"""

from __future__ import annotations

import pytest

from bot.services.triage import emergency_of, triage
from nlp.emergency import detect
from nlp.families import SELF_HARM
from nlp.severity import assess_severity

WISH_TO_DIE = [
    "我想死",
    "好想死啊",
    "真想死了算了",
    "不如死了算了",
    "我想死，真的，没人管我",
    "我真的扛不住了 想去死",
    "今晚我就去死",
    "我撑不下去了，想一了百了",
    "活着有什么意思，每天都一样",
    "我不想再活了",
    "欠了一身债，还不如死了干净",
    "失业半年了，活着还有啥意思",
    "我已经想好了，明天就自我了断",
    # a habit word after it tells the reason, not the time
    "我想死，天天被人欺负",
    "我不想活了，每天都被催债",
]

NOT_A_WISH = [
    "累死了，今天加了一天班",
    "笑死，我家猫又把杯子推下去了",
    "热死了，小区停电空调也开不了",
    "妈妈我好想死你了，过年回家",
    "宝贝可想死我了",
    "热得想死，公交车上没有空调",
    "天天加班加到想死，老板还不发加班费",
    "物业天天停水，我想死的心都有了",
    "你去死吧，别再来烦我",
    "他让我去死，还骂了一堆脏话",
    "手机又死机了，营业厅不给修",
    "我们那条路是个死胡同，导航老往里带",
    "我不想死在这破厂里，想换个工作",
    "希望这次一次性解决，一了百了",
]


@pytest.mark.parametrize("text", WISH_TO_DIE)
def test_a_wish_to_die_is_self_harm_with_the_crisis_path(text: str) -> None:
    found = detect(text)
    assert found is not None and found.kind == SELF_HARM, (text, found)
    assert found.level == "critical"
    assert "120" in found.services and "110" in found.services
    assert assess_severity(text).level == "critical"
    told = emergency_of(text)
    assert told is not None and told.kind == SELF_HARM  # the writer: crisis care
    assert triage(text).kind == "emergency"


@pytest.mark.parametrize("text", NOT_A_WISH)
def test_look_alikes_of_a_wish_to_die_stay_harmless(text: str) -> None:
    assert detect(text) is None, text
    assert assess_severity(text).level != "critical", text


# 他经常说想死 was here until stop 29: someone's talk of suicide, however often, is their state
# now and gets the line (tests/test_nlp_stop29_wordings.py); a past word of long ago still dates it.
@pytest.mark.parametrize("text", ["他去年说过想死，现在上班了", "以前天天说不想活"])
def test_a_wish_to_die_told_as_past_or_habit_keeps_its_level_but_no_line(text: str) -> None:
    assert detect(text) is None, text
    assert assess_severity(text).level in ("critical", "medium"), text


def test_someone_elses_wish_to_die_is_a_bystanders_report() -> None:
    told = emergency_of("我女儿刚才说她想死，把自己锁在屋里了")
    assert told is not None and told.services[0] == "110"
    assert assess_severity("我女儿刚才说她想死，把自己锁在屋里了").level == "critical"


_BACKGROUND = "我要反映小区物业的问题。物业费年年涨，服务越来越差，电梯经常坏，垃圾没人清。" * 3

DANGER_AT_THE_END = [
    (
        "我儿子今年十五岁，在东城第一小学读完后上了初中，这半年成绩下滑厉害，天天玩手机，"
        "我说他几句他就顶嘴，今天晚上我没收了他的手机，他把自己锁在房间里，说要从窗户跳下去，"
        "我们家住十二楼，窗户已经打开了，怎么办啊快帮帮我！",
        "110",
    ),
    (
        "我老公这几年做生意亏了很多钱，天天喝酒，以前还跟我吵过好几次，今天喝多了跑到阳台上，"
        "说要往下跳，孩子在旁边哭，求求你们快来人！",
        "110",
    ),
    (_BACKGROUND + "有人拿刀砍人了！快来人啊！", "110"),
    (_BACKGROUND + "写到这里，楼道里有人正拿刀追着砍人，快来！", "110"),
    (_BACKGROUND + "救命！楼下着火了！", "119"),
    (_BACKGROUND * 8 + "救命！楼下着火了，烟很大！", "119"),
    (_BACKGROUND + "刚说完，门口有个老人倒在地上抽搐，快叫救护车！", "120"),
]

RETOLD_AT_THE_END = [
    _BACKGROUND + "去年楼下有人拿刀砍人，快来人管管吧！",
    _BACKGROUND + "去年，楼下有人拿刀砍人，快来人管管吧！",
    _BACKGROUND + "楼下经常有人打架，快来人管管吧！",
    _BACKGROUND + "快来人管管吧！",
    _BACKGROUND + "以前这里着过一次火，曾经烧死过人，赶紧来人看看吧！",
    "我爸年轻时在矿上遇到过塌方，他天天说起这事，今天又说了一遍，怎么办啊快帮帮我劝劝他",
]


@pytest.mark.parametrize(("text", "first"), DANGER_AT_THE_END)
def test_danger_told_at_the_end_after_background_is_now(text: str, first: str) -> None:
    found = detect(text)
    assert found is not None, text[-40:]
    assert first in found.services, (text[-40:], found.services)
    assert assess_severity(text).level == "critical"


@pytest.mark.parametrize("text", RETOLD_AT_THE_END)
def test_a_retelling_or_a_call_for_an_office_at_the_end_is_no_danger_now(text: str) -> None:
    assert detect(text) is None, text[-40:]


NEARLY = [
    "对了还有一个事，我们小区的健身器材坏了好久了，小孩玩的时候差点受伤",
    "路口红绿灯坏了，刚才差点被车撞",
    "小区的秋千链子断了，孩子差点摔下来",
    "河边护栏缺了一段，我家孩子险些掉进河里",
    "楼道里电线老化，昨晚差一点就着火了",
    "工地围挡倒了，差点砸伤放学的小孩",
    "电动车在人行道上开得飞快，我妈差点儿被撞倒",
]

STILL_DANGER = [
    ("他差点跳下去，现在还坐在楼顶边上", "self_harm"),
    ("刚才有人拿刀差点砍到我，他还在楼下", "violence"),
    ("差点被车撞的那个老人现在躺在地上流血", "injury"),
    ("刚才差点摔倒，扶我的大爷自己摔下去了，头上流血", "injury"),
]


@pytest.mark.parametrize("text", NEARLY)
def test_a_harm_nearly_suffered_is_no_emergency_and_not_critical(text: str) -> None:
    assert detect(text) is None, text
    assert emergency_of(text) is None
    assert assess_severity(text).level in ("low", "medium"), text


@pytest.mark.parametrize(("text", "kind"), STILL_DANGER)
def test_nearly_beside_a_danger_now_keeps_the_line(text: str, kind: str) -> None:
    found = detect(text)
    assert found is not None and kind in (found.kind, *_kinds(text)), (text, found)
    assert assess_severity(text).level == "critical"


def _kinds(text: str) -> tuple[str, ...]:
    from nlp.danger_owner import danger_now
    from nlp.normalize import danger_text
    from nlp.rubric import default_rubric

    return tuple(m.family.name for m in danger_now(danger_text(text), default_rubric()))
