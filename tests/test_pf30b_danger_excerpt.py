"""Trial 30 #2: the card's 危险情况（原文摘句） is the sentence that raised the alarm.

One message of 我们小区的物业管理很差， × 400, then 现在三楼着火了，有人被困在里面！
(4,816 characters, commas only before the end): the critical card's excerpt was the
message's start — its "sentence" ran from the first character — and the dashboard
list summarised the case as 我们小区的物业管理很差…. Now the excerpt starts at the
clause of the matched words, on the cards and in the dashboard list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.dashkit import serve

CITIZEN = 3031
POLICE = 3032
DESK = 3033
DANGER = "现在三楼着火了，有人被困在里面！"
TEXT = "我们小区的物业管理很差，" * 400 + DANGER


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_excerpt_is_the_danger_sentence(kit: BotKit) -> None:
    police = kit.user(POLICE, "于站长")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    assert len(TEXT) == 4816
    await kit.answer(citizen, citizen.send_text(TEXT), "119")
    await kit.delivered()
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.original_text == TEXT
    number = case.number or ""
    for chief in (police, desk):
        card = await chief.wait_for_message(lambda m: number in m.content, WAIT)
        assert "全文共4816字" in card.content
        excerpt = next(x for x in card.content.splitlines() if x.startswith("危险情况（原文摘句）"))
        assert excerpt == f"危险情况（原文摘句）：{DANGER}"
        assert card.content.index("危险情况") < card.content.index("内容：")

    # The dashboard's list names the fire, not the 物业.
    chief = await kit.person(POLICE)
    assert chief is not None
    async with serve(kit.db, kit.district, service=kit.runtime.cases) as dash:
        await dash.login(chief.id)
        listing = await (await dash.client.get("/dashboard")).text()
        assert number in listing
        row = listing[listing.index(number) :]
        row = row[: row.index("</tr>")]
        assert "三楼着火了" in row and "被困" in row
