"""Trial 29 #2: danger now with no family owner goes at once to the police.

孩子掉进窨井里了, 山洪冲下来了, 隔壁老人好几天没出门了，敲门没人应: the 119/110 line, but no
rubric family named an owner and the topic was unsure, so each waited at the
dispatcher desk (教体局 proposed for the child) until a desk person picked a bureau.
Now the 110/119 lines' unit in the district, 区公安分局, owns such a case at once with
the card's buttons and the caller's phone; the desk holds a read-only copy; the
citizen is not told it is being dispatched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2961
POLICE = 2962
DESK = 2963
PHONE = "13900002222"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize(
    "text", ["孩子掉进窨井里了", "山洪冲下来了", "隔壁老人好几天没出门了，敲门没人应"]
)
async def test_danger_with_no_family_owner_goes_to_the_police_at_once(
    kit: BotKit, text: str
) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text(text), "已登记")
    await kit.answer(citizen, citizen.send_text(PHONE), "补充到")

    (case,) = await kit.cases()
    assert case.severity == "critical" and case.status == CaseStatus.DISPATCHED
    assert (case.bureau, case.owning_unit_id) == (
        "police",
        kit.district.bureaus["police"].station_id,
    )
    assert kit.district.dispatcher in (await kit.registered(case.id))["notify"]
    number = case.number or ""
    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert "承办单位：区公安分局" in card.content
    copy = await desk.wait_for_message(lambda m: number in m.content, WAIT)
    assert "派至" not in str(copy.buttons)
    await kit.delivered()
    police_seen = "\n".join(m.content for m in police.transcript())
    assert PHONE in police_seen
    said = "\n".join(m.content for m in citizen.transcript())
    assert "分派承办单位" not in said and "区公安分局" in said
