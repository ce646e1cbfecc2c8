"""Trial 34 #1 and #16: an officer's warning of danger now is owned as a citizen's report is.

#1: an officer's /warn of a fire (119 first) or a drowning was owned by his own street
station, even for a fire in another street; the police held a copy without buttons and
could never 签收. Now the unit a citizen's report of the same words goes to owns it (the
danger family's bureau, else the line's): the police sign it, the officer's station and
the street named in the text get copies.
#16: a place given first (/warn 东城街道人民广场, then the text) was asked for again after
filing, and the proposal called the police owner of a drowning 「把握不大」.
"""

from __future__ import annotations

from bot.services.cases import WarningDraft
from tests.botkit import WAIT, BotKit
from tests.criticalkit import police_chief, receipt_names_everyone, sent_to
from tests.warnkit import bound_chief, bound_officer

OFFICER = 3401
POLICE = 3402
XIHU = 3403
DONGCHENG = 3404
CITIZEN = 3405
FIRE_ELSEWHERE = "西湖街道金桥小区3栋着火了，浓烟很大"
DROWNING = "有个老人掉进人工湖里了，正在挣扎"


async def test_a_fire_in_another_street_is_the_polices_with_copies_to_both_stations(
    kit: BotKit,
) -> None:
    officer = await bound_officer(kit, OFFICER)
    police = await police_chief(kit, POLICE)
    xihu = await bound_chief(kit, XIHU, "xihu", "西湖站长")
    dongcheng = await bound_chief(kit, DONGCHENG, "dongcheng", "东城站长")
    receipt = await kit.say(officer, f"/warn {FIRE_ELSEWHERE}", "预警已报送")

    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    assert case.severity == "critical" and case.owning_unit_id == police_station
    assert "已推送：" + kit.district.units[police_station].name in receipt.content
    notified = await receipt_names_everyone(kit, receipt, case)
    assert {"dongcheng", "xihu"} <= set(notified), notified
    assert "西湖街道" in sent_to(receipt) and "东城街道" in sent_to(receipt)
    number = case.number or ""
    card = await police.wait_for_message(lambda m: number in m.content, WAIT)
    assert "签收" in str(card.buttons)  # the police act on it
    for chief in (xihu, dongcheng):
        copy = await chief.wait_for_message(lambda m: number in m.content, WAIT)
        assert not copy.buttons  # a copy, to read


async def test_a_drowning_warning_is_owned_as_a_citizens_report_of_it(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    police = await police_chief(kit, POLICE)
    await kit.say(officer, f"/warn {DROWNING}", "预警已报送")
    citizen = kit.user(CITIZEN, "王女士")
    await kit.say(citizen, DROWNING, "紧急情况已记录")

    warning, request = await kit.cases()
    assert warning.kind == "warning" and request.kind != "warning"
    assert warning.owning_unit_id == request.owning_unit_id == "police"
    card = await police.wait_for_message(
        lambda m: (warning.number or "?") in m.content and "签收" in str(m.buttons), WAIT
    )
    assert card.content.startswith("【预警信息】")
    notified = await receipt_names_everyone(
        kit, await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT), warning
    )
    assert "dongcheng" in notified


async def test_a_lowered_fire_warning_stays_with_the_officers_station(kit: BotKit) -> None:
    """A level its officer lowered before filing keeps the station as owner (N12)."""
    officer = await bound_officer(kit, OFFICER)
    person = await kit.person(OFFICER)
    assert person is not None
    view = await kit.runtime.cases.file_warning(
        person.id,
        WarningDraft(
            text="和平路8号厨房着火了，已经扑灭，没人受伤",
            severity="medium",
            severity_reason="已到现场核实，明火已扑灭，无人员受伤",
        ),
    )
    case = await kit.case(view.id)
    assert case.owning_unit_id == "dongcheng", case.owning_unit_id
    assert officer is not None


async def test_a_place_given_first_is_not_asked_again_and_the_owner_is_sure(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await police_chief(kit, POLICE)
    await kit.say(officer, "/warn 东城街道人民广场", "已记下地点")
    action = officer.send_text(DROWNING)
    receipt = await officer.wait_for_message(
        lambda m: "预警已报送" in m.content, WAIT, since=action
    )
    step = await officer.wait_for_message(lambda m: "可选" in m.content, WAIT, since=action)
    assert "涉及多少人" in step.content and "发生地点" not in step.content
    assert receipt.message_id < step.message_id
    said = [m.content for m in officer.transcript() if m.from_bot]
    proposal = next(t for t in said if "预警研判" in t)
    assert "把握不大" not in proposal and "区公安分局" in proposal, proposal
    assert not any("发生地点？" in t for t in said), said

    (case,) = await kit.cases()
    assert case.owning_unit_id == "police"
    assert case.address == "东城街道人民广场"
    await kit.say(officer, "二十多人", "可选 3/3")
    assert (await kit.case(case.id)).head_count == 20
