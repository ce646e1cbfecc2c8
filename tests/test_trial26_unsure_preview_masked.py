"""Trial 26 T19: when the classifier was unsure, the preview repeated the citizen's phone
number unmasked and gave no privacy warning (the confident preview masked it). Every
preview now masks identity and phone numbers and warns."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 2671
PHONE = "13812349876"
#: The trial's text (楼上…扔垃圾) became a confident one when the classifier improved, and
#: so did 楼道里堆满了杂物 with stop 27's table (区建设局, 0.72: right); this one is still
#: unsure (``minqing classify`` says 不确定). The point is the masking, not the routing.
RUBBISH = f"我叫王建国，电话{PHONE}，住金桥居民区3栋，隔壁天天很吵"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_unsure_preview_masks_the_phone_and_warns(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王建国")
    preview = await kit.say(citizen, RUBBISH, "您的描述")
    assert "我不能确定" in preview.content or "没能判断" in preview.content
    assert PHONE not in preview.content
    assert "138****9876" in preview.content
    assert "⚠️ 您的描述中含有身份证号或电话号码" in preview.content
    assert await kit.cases() == []  # a preview files nothing
