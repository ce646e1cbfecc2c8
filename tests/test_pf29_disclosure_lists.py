"""pf29 defect 1: /pending and the case timeline follow the disclosure rule.

An abused wife's words are read in full by the reporter, the owning unit and the
desk; the escalation chief who holds the case after 上报 reads the summary on the
card (trial 29 V7). Their /pending list and the dashboard's timeline (办理记录,
notes) quoted the full text all the same. Now they read the summary there too,
while the owning unit still reads every word.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, escalated, note_on_card, sqlite_bot
from tests.dashkit import serve

ABUSE = "我老公天天喝酒打我，昨天把我打得鼻青脸肿，我住和平社区3栋，不敢回家"
NOTE = "已上门核实，当事人暂住娘家，情绪稳定"
PRIVATE = ("鼻青脸肿", "3栋", "喝酒", "娘家")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_pending_and_timeline_of_an_escalated_disclosure(kit: BotKit) -> None:
    police = kit.user(2991, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    wife = kit.user(2990, "刘女士")
    proposal = await kit.say(wife, ABUSE, "提交")
    await kit.press(wife, proposal, "提交", "可选 1/3")
    await kit.say(wife, "跳过", "可选 2/3")
    await kit.say(wife, "跳过", "可选 3/3")
    await kit.answer(wife, wife.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.owning_unit_id == "police"
    number = case.number or ""
    card = await police.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)
    assert "鼻青脸肿" in card.content
    # The owning chief writes a 办理记录 on the card, then 上报 (service: the chief's act).
    await note_on_card(kit, police, card, number, NOTE)
    case, owner, chief = await escalated(kit, case, 2991, 2992, "上级站长")

    # /pending: the escalation chief's list names the case but not the words.
    listing = await kit.say(chief, "/pending", number)
    for private in PRIVATE:
        assert private not in listing.content, listing.content
    assert "家庭暴力" in listing.content
    # The owner's list still quotes the text (their work needs it).
    own = await kit.say(police, "/pending", number)
    assert "鼻青脸肿" in own.content

    # The dashboard's case page: the timeline keeps its steps, not the note's words.
    upper_person = await kit.person(2992)
    assert upper_person is not None
    async with serve(kit.db, kit.district, service=kit.runtime.cases) as dash:
        await dash.login(upper_person.id)
        page = await (await dash.client.get(f"/dashboard/cases/{case.id}")).text()
        assert number in page and "办理记录" in page
        for private in PRIVATE:
            assert private not in page, private
        dash.logout_locally()
        await dash.login(owner.id)
        page = await (await dash.client.get(f"/dashboard/cases/{case.id}")).text()
        assert NOTE in page and "鼻青脸肿" in page
