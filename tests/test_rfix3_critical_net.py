"""Review 3 P6: the S8 critical net fires on a crowd's protest or blocking act, not on
a crowd dancing, fetching children or cars blocking a gate."""

from __future__ import annotations

import pytest

from bot.services.critical_net import critical_unlined
from tests.botkit import BotKit

CITIZEN = 3551


@pytest.mark.parametrize(
    "text",
    [
        "区政府门口聚集了上百人跳广场舞，噪音太大",
        "一百多个家长堵在学校门口接孩子，交通堵死了",
        "一百多辆车把小区门口堵了，消防通道也堵了",
    ],
)
def test_crowd_look_alikes_are_not_netted(text: str) -> None:
    assert not critical_unlined(text)


@pytest.mark.parametrize(
    "text",
    [
        "一百多人把区政府大门堵了，不让人进出",
        "上百名工人围堵区政府大门讨要工资",
        "两百多人在区政府门口拉横幅讨说法",
        "上百人聚集在区政府门口，堵住了大门",
    ],
)
def test_a_crowd_protesting_is_still_netted(text: str) -> None:
    assert critical_unlined(text)


async def test_a_square_dance_is_proposed_not_filed_critical(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小钱")
    await kit.say(citizen, "你好")
    answer = await kit.say(
        citizen, "区政府门口聚集了上百人跳广场舞，噪音太大", lambda m: bool(m.buttons)
    )
    assert "特别重大" not in answer.content
    assert not await kit.cases()
