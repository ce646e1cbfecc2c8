"""Review 2 Q10: cancel words read as whole expressions; what was typed is not lost.

「我打算了很久才来反映，地址是和平路3号」 at the place step asked 要放弃提交吗？ (算了
inside 打算了) and the address was lost; after 继续提交 the step was asked again with
nothing kept. 打算了 / 算了解 are no cancel now, and when words are read as one, 继续提交
gives back what was typed.
"""

from __future__ import annotations

import pytest

from handlers.draft_cancel import is_cancellation
from tests.botkit import WAIT, BotKit
from tests.test_trial33_cancel_filing import FEES

CITIZEN = 3392


@pytest.mark.parametrize(
    "text",
    ["我打算了很久才来反映，地址是和平路3号", "我想算了解一下进度"],
)
def test_words_inside_other_words_are_no_cancel(text: str) -> None:
    assert not is_cancellation(text)


@pytest.mark.parametrize("text", ["算了，别报了", "算了", "还是算了吧", "那就算了", "不报了"])
def test_cancel_words_still_cancel(text: str) -> None:
    assert is_cancellation(text)


async def test_resuming_gives_back_what_was_typed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小李")
    proposal = await kit.say(citizen, FEES, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    typed = "算了，不想报了，和平路3号那边太远"
    await kit.say(citizen, typed, "要放弃提交吗")
    choice = await citizen.wait_for_message(lambda m: "继续提交" in str(m.buttons), WAIT)
    back = await kit.press(citizen, choice, "继续提交", typed)
    assert "和平路3号" in back.content
