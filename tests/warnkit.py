"""An officer, the chiefs a warning reaches and the warning itself, through the real bot.

The trial tests of officers' warnings share these steps rather than each spelling them out:
a person bound to a unit with /bind and an invite code, as the bot's users are; a warning
filed in one message, or proposed by the guided /warn and confirmed; a warning the rubric
rates 特别重大, which the guided /warn files at once; the units a critical warning reaches,
each with a chief; and what a person was told about a case.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.fakeapi import ChatMessage, FakeUser
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit

STATION = "dongcheng"
"""东城街道's work station: where the trial tests' officers and chiefs work by default."""


async def bound(kit: BotKit, user_id: int, name: str, unit_id: str, role: Role) -> FakeUser:
    """A user who has bound themselves to ``unit_id`` in ``role`` (``/bind CODE``)."""
    user = kit.user(user_id, name)
    await kit.bind(user, unit_id, role)
    return user


async def bound_officer(
    kit: BotKit, user_id: int, unit_id: str = STATION, name: str = "张信息员"
) -> FakeUser:
    """An information officer of ``unit_id``."""
    return await bound(kit, user_id, name, unit_id, Role.OFFICER)


async def bound_chief(
    kit: BotKit, user_id: int, unit_id: str = STATION, name: str = "东城站长"
) -> FakeUser:
    """The chief of ``unit_id``."""
    return await bound(kit, user_id, name, unit_id, Role.CHIEF)


async def bound_chiefs(
    kit: BotKit, units: Mapping[str, str], first_user_id: int
) -> dict[str, FakeUser]:
    """A chief for each of ``units`` (key → unit id), named after the unit, with user ids
    counted from ``first_user_id``; by the same keys."""
    return {
        key: await bound_chief(kit, first_user_id + i, unit, f"{unit}负责人")
        for i, (key, unit) in enumerate(units.items())
    }


async def warning_chiefs(kit: BotKit, room: str, first_user_id: int) -> dict[str, FakeUser]:
    """The chiefs a critical warning from ``room`` reaches at once: the room's own
    (``room``), both centres (``opinion``, ``mediation``), the district office
    (``leadership``) and the police (``police``)."""
    units = {
        "room": room,
        "opinion": "opinion_centre",
        "mediation": "mediation_centre",
        "leadership": kit.district.leadership,
        "police": "police",
    }
    return await bound_chiefs(kit, units, first_user_id)


async def proposed(kit: BotKit, officer: FakeUser, text: str) -> ChatMessage:
    """The guided /warn's proposal (预警研判) for ``text``, not yet confirmed."""
    await kit.say(officer, "/warn", "请描述预警情况")
    return await kit.say(officer, text, "预警研判")


async def confirmed(kit: BotKit, officer: FakeUser, text: str) -> ChatMessage:
    """``text`` proposed by the guided /warn, confirmed, its optional steps left (/cancel);
    the receipt."""
    proposal = await proposed(kit, officer, text)
    receipt = await kit.press(officer, proposal, "确认", "预警已报送")
    await kit.say(officer, "/cancel", "补充完毕")  # no place, head count or photos
    return receipt


async def filed_critical(kit: BotKit, officer: FakeUser, text: str) -> tuple[Case, ChatMessage]:
    """The guided /warn files ``text``, a 特别重大 danger, at once (trial 26 T24); the case
    and its receipt, once the first optional step (发生地点) is asked."""
    await kit.say(officer, "/warn", "请描述预警情况")
    action = officer.send_text(text)
    receipt = await officer.wait_for_message(
        lambda m: "预警已报送" in m.content, WAIT, since=action
    )
    await officer.wait_for_message(lambda m: "发生地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    return case, receipt


def first_lines(user: FakeUser, case: Case) -> list[str]:
    """The first line of each message ``user`` got about ``case``, in order (edits applied)."""
    return [
        m.content.split("\n", 1)[0]
        for m in user.transcript()
        if m.from_bot and (case.number or "?") in m.content
    ]
