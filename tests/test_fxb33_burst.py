"""Trial 33b E14: a burst of short messages (你好 / 我要反映 / 噪音 / 楼上 / 天天半夜).

One proposal is shown for the burst, edited in place as the fragments join, and the
case text keeps the citizen's words without the filler 我要反映 (dropped only when it is
the whole fragment: 我要反映楼上噪音 keeps its words).
"""

from __future__ import annotations

import asyncio

from handlers.vague_talk import is_filler
from tests.botkit import BotKit


async def test_a_burst_gives_one_proposal_without_the_filler(kit: BotKit) -> None:
    citizen = kit.user(3351, "群众")
    for word in ("你好", "我要反映", "噪音", "楼上", "天天半夜"):
        citizen.send_text(word)
    await kit.delivered()
    await asyncio.sleep(2)
    await kit.delivered()
    proposals = [m for m in citizen.transcript() if m.from_bot and "提交" in str(m.buttons)]
    assert len(proposals) == 1, [m.content for m in proposals]
    (proposal,) = proposals
    assert "您的描述：噪音，楼上，天天半夜" in proposal.content, proposal.content
    assert "我要反映" not in proposal.content
    assert not any("记下了：「我要反映」" in m.content for m in citizen.transcript())
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == "噪音，楼上，天天半夜"


def test_a_filler_only_when_it_is_the_whole_fragment() -> None:
    for filler in ("我要反映", "我想反映一下", "我要投诉", "想反映个问题。", "你好，我要反映"):
        assert is_filler(filler), filler
    for words in ("噪音", "楼上", "天天半夜", "我要反映楼上噪音"):
        assert not is_filler(words), words
