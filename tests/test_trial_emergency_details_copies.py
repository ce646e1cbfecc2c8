"""Stop 25's open defect: what a citizen who reported danger now gives next (where they
are, a number to call back, a shared location) reached only the owning unit. The
dispatcher desk, which gets every critical case at once and re-dispatches it when the
owner returns it, only had its read-only card edited in place — no notification, and
so nobody at the desk knew.

Now the 【紧急诉求补充】 with the report's text and the details reaches every unit that
holds the alert's card, as a reporter's 补充说明 on a critical case does: the owner
with its buttons, the desk's copy and the other copies without. Each reads it masked
as its card is: the owner and the desk see the phone and the map point in full (their
work needs them), the warning centres and the leadership the phone masked and no map
point.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import events_of

CITIZEN = 2701
POLICE = 2702
DESK = 2703
CENTRE = 2704
LEADER = 2705
FIRE = "隔壁着火了，浓烟很大"
PLACE = "东城街道幸福路88号3单元"
PHONE = "13912345678"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _people(kit: BotKit) -> dict[str, FakeUser]:
    people = {
        "police": (kit.user(POLICE, "公安站长"), Role.CHIEF),
        "desk": (kit.user(DESK, "分派员"), Role.STAFF),
        "centre": (kit.user(CENTRE, "社情民意中心主任"), Role.CHIEF),
        "leader": (kit.user(LEADER, "群工办主任"), Role.CHIEF),
    }
    units = {
        "police": "police",
        "desk": kit.district.dispatcher,
        "centre": kit.district.warning_centres[0],
        "leader": kit.district.leadership,
    }
    for key, (user, role) in people.items():
        await kit.bind(user, units[key], role)
    return {key: user for key, (user, _) in people.items()}


async def _fire(kit: BotKit, citizen: FakeUser) -> Case:
    action = citizen.send_text(FIRE)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.owning_unit_id == "police"
    return case


async def _ping(user: FakeUser, case: Case) -> ChatMessage:
    return await user.wait_for_message(
        lambda m: m.content.startswith(f"【紧急诉求补充】{case.number}"), WAIT
    )


async def test_the_desk_copy_is_told_where_and_whom_to_call(kit: BotKit) -> None:
    people = await _people(kit)
    citizen = kit.user(CITIZEN, "王芳")
    case = await _fire(kit, citizen)
    await kit.say(citizen, f"{PLACE} {PHONE}", "补充到")

    stored = await kit.case(case.id)
    assert (stored.address, stored.contact_phone) == (PLACE, PHONE)
    (added,) = [e for e in await events_of(kit, case.id) if e.type == "details_added"]
    assert added.data == {"place": PLACE, "phone": PHONE}

    owner = await _ping(people["police"], case)
    desk = await _ping(people["desk"], case)
    for told in (owner, desk):
        assert f"内容：{FIRE}" in told.content and f"地点：{PLACE}" in told.content
        assert f"联系电话：{PHONE}" in told.content
    assert "签收" in str(owner.buttons)
    assert not desk.buttons  # the desk's copy is for reading; the police act

    # The centres and the leadership hold a copy too: told, with the phone masked.
    for key in ("centre", "leader"):
        told = await _ping(people[key], case)
        assert f"地点：{PLACE}" in told.content and "联系电话：139****5678" in told.content
        assert not told.buttons
    await kit.delivered()
    for key in ("centre", "leader"):
        assert not [m for m in people[key].transcript() if PHONE in m.content]
    # One notice each, not one per card holder.
    for user in people.values():
        pings = [m for m in user.transcript() if m.content.startswith("【紧急诉求补充】")]
        assert len(pings) == 1


async def test_a_shared_location_reaches_the_desk_not_the_centres(kit: BotKit) -> None:
    people = await _people(kit)
    citizen = kit.user(CITIZEN, "王芳")
    case = await _fire(kit, citizen)
    action = citizen.send_location(31.23041, 121.47370)
    await citizen.wait_for_message(lambda m: "补充到" in m.content, WAIT, since=action)

    stored = await kit.case(case.id)
    assert (stored.latitude, stored.longitude) == (31.23041, 121.4737)
    desk = await _ping(people["desk"], case)
    assert "位置：" in desk.content and "31.23041" in desk.content
    centre = await _ping(people["centre"], case)
    assert "位置：" not in centre.content and "31.23041" not in centre.content


async def test_a_long_report_never_pushes_the_details_out_of_the_message(kit: BotKit) -> None:
    """Telegram takes 4,096 characters: the report comes last in the ping, so a long one
    is cut there, never the place and the phone."""
    people = await _people(kit)
    citizen = kit.user(CITIZEN, "王芳")
    now = "。现在隔壁着火了，浓烟很大，快来人"
    filler = "我们小区物业一直不作为，楼道堆满杂物没人管。" * 200
    long_text = "情况说明：" + filler[: 4090 - len(now) - 5] + now  # Telegram's most
    assert len(long_text) == 4090
    action = citizen.send_text(long_text)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    await kit.say(citizen, f"{PLACE} {PHONE}", "补充到")
    desk = await _ping(people["desk"], case)
    assert f"地点：{PLACE}" in desk.content and f"联系电话：{PHONE}" in desk.content
    assert len(desk.content) <= 4096 and "内容：情况说明" in desk.content
