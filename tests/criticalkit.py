"""Scenarios of danger now for :class:`tests.botkit.BotKit` tests: a critical case at the
police, one returned to the dispatcher desk, a critical warning owned by the police."""

from __future__ import annotations

from dataclasses import dataclass

from bot.fakeapi import ChatMessage, FakeUser, UserAction
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit
from tests.emergencykit import calls

#: Danger now that the police own (a knife, people hurt): a critical case at once.
KNIFE = "小区里有人拿刀在砍人，已有人受伤"


@dataclass(frozen=True)
class PoliceCase:
    """A citizen's report of danger now, filed as a critical case owned by the police.

    Attributes:
        case: the case as filed.
        card: the police chief's card of it, with its buttons.
    """

    case: Case
    card: ChatMessage

    @property
    def number(self) -> str:
        """The case number."""
        return self.case.number or ""


async def police_chief(kit: BotKit, user_id: int, name: str = "公安站长") -> FakeUser:
    """A chief bound to the police bureau's station."""
    police = kit.user(user_id, name)
    await kit.bind(police, "police", Role.CHIEF)
    return police


async def critical_case_at_police(
    kit: BotKit, citizen: FakeUser, police: FakeUser, text: str = KNIFE
) -> PoliceCase:
    """``citizen`` reports danger now (``text``) and skips the step that asks where and
    a phone; the case it filed is critical and the police's, and ``police`` (a chief
    bound there, :func:`police_chief`) has its card with the buttons.

    Units bound before the call get their copies as usual (the desk, the centres).
    """
    before = len(await kit.cases())
    await kit.say(citizen, text, calls("110"))
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT)
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    cases = await kit.cases()
    assert len(cases) == before + 1
    case = cases[-1]
    assert case.severity == "critical" and case.owning_unit_id == "police"
    number = case.number or ""
    card = await police.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)
    return PoliceCase(case, card)


async def filed_without_place(kit: BotKit, citizen: FakeUser, text: str) -> UserAction:
    """``citizen`` writes of danger now (``text``), is asked where it is (所在的地点) and
    skips the step: the case is filed (已登记). The message ``citizen`` sent."""
    action = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    return action


#: A 退单 reason that may return a danger-now case (what was verified: trial 29 #7).
RETURN_REASON = "已到现场核实，无人员被困，应由分派台重新派单"
#: The police chief who returns the case in :func:`critical_case_at_desk`.
RETURNING_POLICE = 2999


async def beating_sent_back_to_police(
    kit: BotKit, police_id: int, desk_id: int, victim_id: int
) -> tuple[FakeUser, FakeUser, Case]:
    """A beating reported now (他拿皮带在抽我 救命) is the police's; their chief
    (``police_id``, :func:`police_chief`) returns it with :data:`RETURN_REASON`, and the
    desk's chief (``desk_id``) presses 派至<police> on the 【紧急退单】 alert: the case
    goes back in one tap and the desk is asked its reason (维持派单的理由). The police
    chief, the desk and the case (as filed)."""
    police = await police_chief(kit, police_id)
    desk = kit.user(desk_id, "分派台")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    victim = kit.user(victim_id, "小梅")
    await kit.answer(victim, victim.send_text("他拿皮带在抽我 救命"), "所在的地点")
    (case,) = await kit.cases()
    number = case.number or "?"
    chief = await kit.person(police_id)
    assert chief is not None
    await kit.runtime.cases.return_case(case.id, chief.id, RETURN_REASON)
    kit.runtime.outbox_written()
    alert = await desk.wait_for_message(
        lambda m: m.content.startswith("【紧急退单】") and number in m.content, WAIT
    )
    police_name = kit.district.bureaus["police"].name
    await kit.press(desk, alert, f"派至{police_name}", "维持派单的理由")
    return police, desk, case


async def critical_case_at_desk(
    kit: BotKit, citizen: FakeUser, text: str = "救命啊，快来人啊"
) -> Case:
    """A danger-now case back at the dispatcher desk, the one way one gets there.

    ``citizen`` cries for help (the police's at once: danger now never waits at the
    desk, trial 29 #2), then a police chief returns it with a real reason (trial 29
    #7): the desk owns it with the danger's deadlines. The case as it is then.
    """
    await police_chief(kit, RETURNING_POLICE)
    await kit.answer(citizen, citizen.send_text(text), "已登记")
    case = (await kit.cases())[-1]
    assert case.severity == "critical" and case.owning_unit_id == "police"
    chief = await kit.person(RETURNING_POLICE)
    assert chief is not None
    await kit.runtime.cases.return_case(case.id, chief.id, RETURN_REASON)
    returned = await kit.case(case.id)
    assert returned.owning_unit_id == kit.district.dispatcher
    return returned


def sent_to(receipt: ChatMessage) -> str:
    """The 同时报送 line of a warning's receipt: the units it reached besides the owner."""
    return next(line for line in receipt.content.splitlines() if line.startswith("同时报送"))


async def receipt_names_everyone(kit: BotKit, receipt: ChatMessage, case: Case) -> list[str]:
    """Check that ``receipt``'s 同时报送 line names every unit ``case`` was sent to at filing
    (its ``registered`` event's ``notify``); those units.
    """
    notified = list((await kit.registered(case.id))["notify"])
    line = sent_to(receipt)
    for unit in notified:
        assert kit.district.units[unit].name in line, (unit, line)
    return notified


async def critical_warning_owned_by_police(
    kit: BotKit, officer: FakeUser, police: FakeUser, text: str
) -> tuple[Case, ChatMessage]:
    """``officer`` (bound to 东城) warns of danger the police own (``text``: violence now,
    a fire, a drowning) with /warn.

    The warning is critical and the police own it, as a citizen's report of the same words
    (trial 33 D3, trial 34 #1: the station cannot stop a knife attack or put out a fire
    and sat on them unsigned): ``police`` (a chief bound there) gets the card with 签收;
    the officer's station is among the units told and named on the receipt. The case and
    the receipt.
    """
    receipt = await kit.say(officer, f"/warn {text}", "预警已报送")
    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    assert case.severity == "critical" and case.owning_unit_id == police_station
    notified = await receipt_names_everyone(kit, receipt, case)
    assert "dongcheng" in notified
    assert kit.district.units["dongcheng"].name in sent_to(receipt)
    card = await police.wait_for_message(
        lambda m: (case.number or "") in m.content and "签收" in str(m.buttons), WAIT
    )
    assert card.content.startswith("【预警信息】")
    return case, receipt
