"""Review 32, S1: danger told now keeps its emergency line through stop 32's look-alike frames.

The reviewer's own wordings (not blind-set rows), each lost on the merged main of stop 32 and
given the line on f3a376a: a question of how to prevent a harm asked from inside it (有人拿刀砍我
怎么防), the writer's own encounter (我现在遇到有人持刀抢劫), a film site named without a
staging verb (剧组有人拿刀砍人), a fire put out with people still inside, a cry in its own clause
before a media question, equipment about to blow (楼下的变压器烧得要爆炸了). Safety is
asymmetric: each must reach the line, with its service where the danger makes it plain.
"""

from __future__ import annotations

import pytest

from bot.services.triage import triage
from nlp.emergency import detect

# (text, a service the line must name, or "" where the reviewer's table names no one number)
LOST = [
    ("有人拿刀砍我 怎么防", "110"),
    ("有人拿刀追我，怎么防身", "110"),
    ("楼道里有人拿刀，怎么防", "110"),
    ("着火了 怎么防止火势蔓延", "119"),
    ("楼下着火了，怎么防止烟进来", "119"),
    ("家里煤气泄漏了 怎么防止爆炸", "119"),
    ("有人溺水了 怎么预防", ""),
    ("大火已经扑灭了，里面还有人没出来", "119"),
    ("火已经灭了，还有人没救出来", "119"),
    ("有人拿刀追我 怎么防身", "110"),
    ("剧组有人拿刀砍人", "110"),
    ("我在影视城 有人拿刀砍人", "110"),
    ("救命 这是什么梗", "110"),
    # S1 addendum
    ("我现在遇到有人持刀抢劫，怎么办", "110"),
    ("剧组的人打起来了，有人被捅了", "110"),
    ("有人拿刀威胁我 怎么防止他伤害我", "110"),
    ("楼上一直在冒烟 怎么防止烧到我家", "119"),
    # S1 addendum 2
    ("楼下的变压器烧得要爆炸了", ""),
]


@pytest.mark.parametrize(("text", "service"), LOST)
def test_danger_now_gets_the_emergency_line(text: str, service: str) -> None:
    found = detect(text)
    assert found is not None, text
    if service:
        assert service in found.services


@pytest.mark.parametrize(
    "text",
    [
        "有人拿刀砍我怎么防",
        "着火了怎么防止火势蔓延",
        "家里煤气泄漏了怎么防止爆炸",
        "我正在遇到有人抢劫该怎么办",
        "剧组的人打起来了 有人被捅了 流了好多血",
        "剧组在拍戏 有人拿刀砍人了",
    ],
)
def test_the_same_dangers_unspaced_or_reworded_keep_the_line(text: str) -> None:
    assert detect(text) is not None


@pytest.mark.parametrize("text", [t for t, _ in LOST[:3]] + ["大火已经扑灭了，里面还有人没出来"])
def test_triage_answers_them_as_emergencies_not_requests(text: str) -> None:
    got = triage(text)
    assert got.kind == "emergency" and got.emergency is not None


@pytest.mark.parametrize(
    "text",
    [
        "冬天生煤炉子咋防煤气中毒，有啥讲究",
        "电动车在楼道充电要防止着火",
        "怎么预防一氧化碳中毒",
        "遇到有人触电该咋救",
        "片场今天拍枪战 整条街都是枪声",
        "作业多得要爆炸",
        "抖音直播间主播喊“家人们着火了着火了 库存要爆了”是什么梗",
    ],
)
def test_the_look_alikes_the_frames_were_made_for_still_get_none(text: str) -> None:
    assert detect(text) is None
