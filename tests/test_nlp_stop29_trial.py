"""Stop 29's product trial (/work/notes/trial29.md, defects 4 and 5): floods and breaches,
a child snatched now and a stated intent to kill got no emergency line and were rated low or
medium. Each family is checked on wordings of the trial and fresh ones, beside look-alikes
that must stay silent (a past flood, a habit, a rumour, a game, an animal, oneself). The
re-test of the trial (/work/notes/verify29.md) added close wordings."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect

DANGERS = [
    # floods and breaches reaching people (trial 29 defect 4)
    ("河堤决口了水漫进村子", "119"),
    ("村里发大水了，房子被淹了", "119"),
    ("村里发洪水了", "119"),
    ("水库的水漫过大坝了", "119"),
    ("上游溃坝了 水马上冲下来 村里还有老人没走", "119"),
    ("雨太大了 河水漫进屋里 已经淹到二楼了 我们在楼顶", "119"),
    # a child snatched or led away now (defect 5a)
    ("学校门口有人贩子抢孩子", "110"),
    ("有个陌生男人把我家孩子抱走了 往车上拖", "110"),
    ("菜市场有个女的拽走一个小孩 孩子一直在哭喊不认识她", "110"),
    # a stated intent to kill (defect 5b)
    ("我要杀了他全家", "110"),
    ("他说今晚要去把他老婆杀了", "110"),
    ("我要杀了他全家，这个老板欠我钱不还", "110"),
    ("邻居拿着手机喊 今天非弄死他不可", "110"),
    # the re-test of the trial (verify29): a dam failing, the water at the door, a threat
    # against the writer, a person at the water's edge not going back, the means made ready
    ("堤坝垮了", "119"),
    ("堤坝漏水了，快要垮了", "119"),
    ("水库大坝裂了好大一条缝", "119"),
    ("村口的河涨水了，已经漫到家门口了", "119"),
    ("他扬言要捅死我", "110"),
    ("我在桥上，不想回去了", "120"),
    ("我准备好了绳子", "120"),
]

LOOK_ALIKES = [
    "这条河每年夏天都发大水，什么时候修堤",
    "我家地下室被淹了，物业不管",
    "菜地被淹了",
    "家长群里这两天在传，说学校附近有人开面包车抢孩子",
    "幼儿园怎么教孩子防拐",
    "两个小孩在抢玩具",
    "过年把猪杀了",
    "游戏里老被人杀",
    "电视剧里他把他老婆杀了",
    "大坝裂缝修补工程什么时候开始",
    "我在桥上等你 不回家了 去吃饭",
]


@pytest.mark.parametrize(("text", "service"), DANGERS)
def test_a_danger_of_the_trial_gets_its_line_and_is_critical(text: str, service: str) -> None:
    found = detect(text)
    assert found is not None, text
    assert service in found.services
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_look_alike_of_the_trial_gets_no_line(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity != "critical"
