"""Review left open #4: danger now told in a later sentence wins over the request.

「我要反映一下我们村的道路问题，路面坑坑洼洼很多年了，下雨全是泥。今天早上一个骑电动车的
摔进坑里，腿断了，人还躺在那里」 was proposed as a road matter with 提交: the learned
danger reading of the whole message was drowned by the request's words, though the last
sentence alone is danger now. When nothing in the message makes it past or unreal, each
sentence is read on its own too (nlp.emergency.detect): the emergency line first and a
critical case, wherever in the message the danger is. A harm told as past in its own
sentence (去年…腿断了) keeps the message a request. The bot over the fake Bot API.
"""

from __future__ import annotations

import pytest

from tests.botkit import WAIT, BotKit, said_since

CITIZEN = 3521
ROAD = "我要反映一下我们村的道路问题，路面坑坑洼洼很多年了，下雨全是泥。"


@pytest.mark.parametrize(
    "text",
    [
        ROAD + "今天早上一个骑电动车的摔进坑里，腿断了，人还躺在那里",
        "小区门口的路灯坏了好几天了，一直没人修。刚才有个老人在那摔倒了，现在头上一直在流血",
        "想咨询一下低保怎么申请。另外我邻居刚才被狗咬了，流了好多血",
    ],
)
async def test_danger_in_a_later_sentence_is_an_emergency(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "小周")
    mark = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=mark)
    told = said_since(citizen, mark)
    assert told[0].startswith("⚠️") and "120" in told[0], told
    assert not any("请点「提交」" in m for m in told), told
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.original_text == text


async def test_a_past_harm_in_its_own_sentence_stays_a_request(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小周")
    text = ROAD + "去年一个骑电动车的摔进坑里，腿断了"
    proposal = await kit.say(citizen, text, lambda m: bool(m.buttons))
    assert not proposal.content.startswith("⚠️") and "提交" in str(proposal.buttons)
    assert await kit.cases() == []
