"""Review 34b (branch rfix34c): real dangers the stop-34 look-alikes and exclusions erased.

Every input of findings F1-F4 and F7 of the review, with the line (at least the numbers the
commit before stop 34, 0687f47, gave), the severity and the intent that commit gave. The
look-alikes keep their own harmless readings (辣得我嘴巴着火了, 救命鱼汤是我家的招牌菜, 你好 我是
上坝村的), tested beside them.
"""

from __future__ import annotations

import pytest

from bot.services.triage import triage
from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent


def _line(text: str) -> set[str]:
    found = detect(text)
    return set() if found is None else set(found.services)


# F1: a place (饭店, 菜市场, 鱼塘, 茶馆) after 那个/那种 is no dish or product named.
# F2: a body part as a place, an object exploding, a wound told: no figure of the body.
# F3: a story or an exclamation marker covers its own clause only; a vital sign keeps the cry.
# F4: a captive bound, a purpose that is no leisure: the 110 stays.
DANGERS = [
    ("着火的那个饭店里还有人没出来", {"119"}),
    ("起火那个菜市场里面还有好多人", {"119"}),
    ("起火的那个茶馆二楼还有老人", {"119"}),
    ("着火的那种饭店后厨里还有人", {"119"}),
    ("溺水那个鱼塘里的孩子还没上来", {"119", "110", "120"}),
    ("落水那个鱼塘边上围了好多人，人还没捞上来", {"119", "110", "120"}),
    ("砍人那个饭店门口还有人在砍", {"110", "120"}),
    ("中毒的那个饭店还有十几个人在吐", {"120"}),
    ("煤气泄漏那个饭店里还有人晕倒在里面", {"119", "120"}),
    ("被困的那个菜窖里有两个人晕倒了", {"119", "120"}),
    ("爆炸那个饭店现在还在烧，里面有人", {"110", "120", "119"}),
    ("爆炸的那个饭馆里面有人被埋", {"110", "120", "119"}),
    ("刚刚喝了农药酒，现在肚子很痛", {"120", "110"}),
    ("着火那个饭堂里面还有学生", {"119"}),
    ("被砍那个饭店老板现在流了好多血", {"120"}),
    ("着火的那种菜棚里面有人", {"119"}),
    ("冒烟那个饭店后厨有人晕倒了", {"120", "119"}),
    ("漏气的那个饭馆里有人晕倒了", {"119", "120"}),
    ("爆炸那个茶叶店里面有人在喊救命", {"110", "120", "119"}),
    ("手机在我嘴边爆炸了，脸上全是血", {"110", "120", "119"}),
    ("电动车在我眼睛前面爆炸了，有人被炸伤", {"119", "110", "120"}),
    ("锂电池在他胃里爆炸了吗，他在吐血", {"119", "110", "120"}),
    ("充电宝在他心口爆炸了，他倒地不起", {"119", "110", "120"}),
    ("他肚子里的电池爆炸了吗？孩子吞了纽扣电池在哭", {"119", "110", "120"}),
    ("哄睡的时候发现宝宝不呼吸了 救命", {"110"}),
    ("OMG救命 楼下有人跳下来了", {"110"}),
    ("我写作文写到火灾，突然闻到烟味，厨房起火了", {"119"}),
    # 0687f47 gave 119/120; 119 (the one for a fall into a well) is kept.
    ("有个故事讲一个人被困在井里，现在我邻居真的掉井里了", {"119"}),
    ("作文写完了，妈妈突然倒地不省人事", {"120"}),
    # 0687f47 gave 119/110/120; only the cry's 110 is kept (a drowning's numbers: left to do).
    ("这条河淹死过好几个人，现在又有一个学生在河中间喊救命", {"110"}),
    ("不让我出去见人，把我绑在床上三天了", {"110"}),
    ("他不让我出去买药，我孩子高烧抽搐了", {"110", "120"}),
]


@pytest.mark.parametrize(("text", "numbers"), DANGERS)
def test_review34b_danger_keeps_its_line_and_critical(text: str, numbers: set[str]) -> None:
    assert numbers <= _line(text)
    assert classify(text).severity == "critical"


# F3: a danger repeated after a story's clause (a correction or a present word opens a clause
# read on its own) or told by a person shut in and not answering after a wish to die (issue 13,
# branch safety35): self-harm now, 120 and 110.
@pytest.mark.parametrize(
    "text",
    [
        "课文里讲的那个人跳河了，不是，是我同学现在要跳河",
        "日记里写过他想死，今天他把自己锁在房间里，喊不应",
    ],
)
def test_review34b_story_then_danger_gets_its_line(text: str) -> None:
    assert {"110", "120"} <= _line(text)


@pytest.mark.parametrize(
    "text",
    [
        "课文里讲的那个人跳河了，不是，是我同学现在要跳河",
        "日记里写过他想死，今天他把自己锁在房间里，喊不应",
    ],
)
def test_review34b_story_then_danger_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical"


# The look-alikes' own readings stay harmless.
@pytest.mark.parametrize(
    "text",
    [
        "辣得我嘴巴着火了",
        "救命鱼汤是我家的招牌菜",
        "上吊的那种吊篮怎么安装",
        "救命啊 宝宝一点了还不睡",
        "妈妈不让我出去玩",
    ],
)
def test_review34b_look_alikes_keep_no_line(text: str) -> None:
    assert detect(text) is None


# F7: a self-introduction is a place's name only, and the message ends there.
@pytest.mark.parametrize(
    "text",
    [
        "你好我是被关在楼",
        "你好，我是被狗咬了在小区",
        "你好，我是3栋的，漏水淹到楼",
        "你好，我是要举报隔壁村",
        "你好 我是要反映我们村",
        "你好我是来投诉小区",
        "您好 我是想问怎么去社区",
        "你好，我是来举报楼",
        "你好，我是5栋的，我老婆要跳楼",
        "你好，我是5栋的，老婆要跳楼",
        "你好 我是3栋的 楼道灯坏了",
    ],
)
def test_review34b_matter_after_self_intro_is_no_greeting(text: str) -> None:
    assert classify_intent(text) == "request"
    assert triage(text).kind != "greeting"


@pytest.mark.parametrize("text", ["你好 我是上坝村的", "哈喽 我是18栋的业主", "你好我是3栋的"])
def test_review34b_self_intro_alone_is_a_greeting(text: str) -> None:
    assert classify_intent(text) == "greeting"
