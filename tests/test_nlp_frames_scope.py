"""A frame that tells no danger now (nlp.frames: a lesson, a what-if, a rumour, a scene acted …)
holds only the dangers of its own sentence, and none told after a turn (可…真的, 突然).

The lead's final read of stop 31 found the frames taking the line from dangers told as events
beside them: 要是有人落水了怎么办？我儿子刚掉河里了 (a question, then the event), 教孩子背急救电话的
时候，他爷爷突然倒地不起了 (the lesson's time, then a collapse), 拍戏的时候演员真的从三楼摔下来了.
The frames' own look-alikes keep no line.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.frames import frame_holds


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("要是有人落水了怎么办？我儿子刚掉河里了", "120"),
        ("万一有人煤气中毒该咋办？隔壁大爷刚才中毒晕过去了", "120"),
        ("教孩子背急救电话的时候，他爷爷突然倒地不起了", "120"),
        ("拍戏的时候演员真的从三楼摔下来了，不动了", "120"),
        ("群里说是造谣，但隔壁真有人拿刀砍人，流了好多血", "110"),
    ],
)
def test_a_danger_outside_the_frame_or_after_a_turn_keeps_the_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services


@pytest.mark.parametrize(
    "text",
    [
        "要是有人落水了该怎么救",
        "火警是119对吧，我在教孩子背急救电话",
        "要是有人说要跳楼，邻居该怎么劝",
        "刚才一声巨响，一问才知道是工地放炮",
        "转那种某地发生大爆炸的假新闻要负法律责任吗",
        "拍短视频要演一段抢劫的戏，道具刀去哪买",
    ],
)
def test_a_frame_still_holds_its_own_sentence(text: str) -> None:
    assert detect(text) is None


def test_frame_holds_reads_sentences_and_turns() -> None:
    text = "要是有人落水了怎么办？我儿子刚掉河里了"
    assert frame_holds(text, 0, 9, [4])
    assert not frame_holds(text, 0, 9, [4, 14])
    assert not frame_holds("说是谣言，可楼下真的着火了", 2, 4, [9])
