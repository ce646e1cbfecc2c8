"""fix31: what a reporter with an open emergency writes next that is *not* about it.

A danger of another owning family after a first danger of a specific kind that no family
owns (a knife attack after a person collapsed in a lift) is its own emergency; a bare cry
for help first (救命) is still completed by the danger written next. A long request with
someone and 还没到 in different clauses (合同还没到期) is no one waiting for help.
Wordings are our own, not the trial's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.emergency_join import same_emergency
from bot.services.progress_questions import asks_for_help
from bot.services.triage import emergency_of

#: Minutes after the first message: the second is near it (stop 32's rule).
SOON = timedelta(minutes=5)


def _kind(text: str) -> str:
    found = emergency_of(text)
    assert found is not None, text
    return found.kind


def _joins(first: str, then: str) -> bool:
    return same_emergency(_kind(first), _kind(then), then, SOON)


@pytest.mark.parametrize(
    ("first", "then", "joins"),
    [
        # another owning family after a specific unowned danger: a case of its own
        ("商场电梯卡住了，里面有个孕妇晕过去了", "小区门口两个人拿着刀在砍人", False),
        ("工地脚手架倒塌了，压住了两个工人", "隔壁仓库着火了，火很大", False),
        # what happens next at the same place still joins
        ("商场电梯卡住了，里面有个孕妇晕过去了", "又有一个人被困在里面了", True),
        # a bare cry first is completed by the danger named next
        ("救命啊，快来人", "三楼厨房着火了，烟很大", True),
        # the same family again
        ("二单元着火了", "火越来越大了，整栋楼都是烟", True),
    ],
)
def test_a_different_danger_is_its_own_emergency(first: str, then: str, joins: bool) -> None:
    assert _joins(first, then) is joins


@pytest.mark.parametrize(
    ("text", "waiting"),
    [
        ("救护车怎么还没到啊", True),
        ("等了二十分钟还没人来", True),
        ("我家的房子租给别人住，租约还没到期就要赶人", False),
        ("单位的人说补贴还没到账", False),
        ("物业说维修资金还没到位", False),
    ],
)
def test_waiting_for_help_is_one_clause_about_an_arrival(text: str, waiting: bool) -> None:
    assert asks_for_help(text) is waiting
