"""Trial 30 #6: a self-harm writer who writes again while nobody has signed their case.

我不想活了，今晚就从楼上跳下去, then the place (我在阳光小区8栋顶楼); nobody signs for
26 hours; then 我好难受，没有人理我. The police got a routine 【群众补充说明】 (no
特别重大, no 超期, no place) and the person was told again 「…他们会尽快联系您」. Now
the owner and the desk get a fresh critical alert — 【紧急·无人签收】, the level, the
missed deadline, how long it has waited, the place — and the person gets the crisis
line first and no promise of a call that has not come. Once the police sign, a
further message is an ordinary 补充说明 again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 3041
POLICE = 3042
DESK = 3043
OFFICE = 3044
WISH = "我不想活了，今晚就从楼上跳下去"
PLACE = "我在阳光小区8栋顶楼"
AGAIN = "我好难受，没有人理我"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_unsigned_crisis_note_is_a_fresh_alert(kit: BotKit) -> None:
    police = kit.user(POLICE, "于站长")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    office = kit.user(OFFICE, "群工办")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    first = citizen.send_text(WISH)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=first)
    await kit.say(citizen, PLACE, "已将地点补充")
    (case,) = await kit.cases()
    assert case.address == PLACE
    assert case.acknowledged_at is None
    number = case.number or ""

    # Within the first 签收时限 (the alert has just gone out) a note is a 补充说明.
    mark = citizen.send_text("我现在在楼顶")
    await citizen.wait_for_message(lambda m: "会尽快联系" in m.content, WAIT, since=mark)
    await police.wait_for_message(lambda m: m.content.startswith("【群众补充说明】"), WAIT)

    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for hours in (1, 1, 24):
        kit.clock.advance(timedelta(hours=hours))
        await scheduler.run_due()
    await kit.delivered()

    mark = citizen.send_text(AGAIN)
    answer = await citizen.wait_for_message(lambda m: "12356" in m.content, WAIT, since=mark)
    assert answer.content.index("12356") < answer.content.index("转给")
    assert "会尽快联系" not in answer.content and "正在帮助您" not in answer.content
    await kit.delivered()
    (only,) = await kit.cases()
    assert only.id == case.id and only.acknowledged_at is None
    assert (await kit.events(case.id)).count("note_added") == 2

    for chief in (police, desk):
        alert = await chief.wait_for_message(
            lambda m: "无人签收" in m.content and AGAIN in m.content, WAIT
        )
        assert alert.content.startswith(f"【紧急·无人签收】{number}（特别重大）")
        assert "超期" in alert.content.splitlines()[0]  # the missed deadline
        assert f"地点：{PLACE}" in alert.content
        assert "1天2小时" in alert.content  # how long it has waited
    # The police's alert carries the card's buttons: they can sign at once.
    alert = next(m for m in reversed(police.transcript()) if m.from_bot and "无人签收" in m.content)
    assert "签收" in str(alert.buttons)
    # A summary reader learns that the person wrote again, not what or where.
    told = await office.wait_for_message(lambda m: "无人签收" in m.content, WAIT)
    assert AGAIN not in told.content and "8栋" not in told.content

    # Signed: the next message is an ordinary 补充说明 and the promise is true again.
    chief = await kit.person(POLICE)
    assert chief is not None
    await kit.runtime.cases.acknowledge(case.id, chief.id)
    await kit.delivered()
    mark = citizen.send_text("我还在这里")
    answer = await citizen.wait_for_message(lambda m: "12356" in m.content, WAIT, since=mark)
    assert "会尽快联系" in answer.content
    note = await police.wait_for_message(lambda m: "我还在这里" in m.content, WAIT)
    assert note.content.startswith("【群众补充说明】")
