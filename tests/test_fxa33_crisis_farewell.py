"""Trial 33b E2, E17: a farewell on an open self-harm case alarms; a polite goodbye
after closure does not; a summary reader is not quoted the goodbye.

On an OPEN self-harm case 谢谢你们，再见了，以后不用联系我了 reached the police as an
ordinary 【群众补充说明】; after closure a plain 嗯，谢谢，再见 raised 【紧急·关怀期告别】.
The rule now (bot.services.cases.aftercare.is_farewell): words of leaving (再见了 with
以后不用联系我了, 永别) are a sign on an open self-harm case as in aftercare; a polite
goodbye with thanks and nothing else is not. The bot over the fake Bot API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import filed_without_place
from tests.test_pf30_crisis_aftercare import POLICE, closed_crisis
from tests.test_trial_defects import events_of

CITIZEN = 3461
HEALTH = 3463
FIRST = "我不想活了"
FAREWELL = "谢谢你们，再见了，以后不用联系我了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_farewell_on_an_open_self_harm_case_alarms_the_units(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小林")
    await filed_without_place(kit, citizen, FIRST)
    (case,) = await kit.cases()
    number = case.number or ""

    mark = citizen.send_text(FAREWELL)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.delivered()
    told = said_since(citizen, mark)
    assert told[0].startswith("⚠️") and "110" in told[0], told

    alert = await police.wait_for_message(
        lambda m: number in m.content and "紧急·告别信号" in m.content, WAIT
    )
    assert FAREWELL in alert.content and "110" in alert.content
    assert not any(
        "【群众补充说明】" in m.content and number in m.content
        for m in police.transcript()
        if m.from_bot
    )
    notes = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [e.note for e in notes] == [FAREWELL]
    assert (notes[0].data or {}).get("danger") == "farewell"
    assert (await kit.case(case.id)).status == case.status  # still one open case
    assert len(await kit.cases()) == 1


async def test_a_polite_goodbye_after_closure_raises_no_alarm(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小周")
    crisis = await closed_crisis(kit, citizen)
    police = kit.user(POLICE, "")
    mark = citizen.send_text("嗯，谢谢，再见")
    await citizen.wait_for_message(lambda m: True, WAIT, since=mark)
    await kit.delivered()
    assert not any("110" in m and m.startswith("⚠️") for m in said_since(citizen, mark))
    assert not any("关怀期告别" in m.content for m in police.transcript() if m.from_bot)
    notes = [e for e in await events_of(kit, crisis.id) if e.type == "note_added"]
    assert notes == []


async def test_a_summary_reader_is_not_quoted_the_goodbye(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    health = kit.user(HEALTH, "卫生站")
    await kit.bind(health, kit.district.bureaus["health"].station_id, Role.CHIEF)
    citizen = kit.user(CITIZEN, "小林")
    await filed_without_place(kit, citizen, "安眠药我已经攒够了，活着就是拖累家里人")
    (case,) = await kit.cases()
    number = case.number or ""
    citizen.send_text("谢谢你们。再见了，永别了")
    copy = await health.wait_for_message(
        lambda m: number in m.content and "紧急补充" in m.content, WAIT
    )
    assert "永别" not in copy.content and "告别" in copy.content
    owner = await police.wait_for_message(
        lambda m: number in m.content and "紧急补充" in m.content, WAIT
    )
    assert "永别" in owner.content
