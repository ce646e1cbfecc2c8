"""Stop 32 #5: a withdrawal under threat reaches the district's 群工办, on the timeline.

物业的人说我再投诉就找人打断我的腿 as the reason to withdraw a routine case kept it open and
told its station, the police and the supervision centre, but not the mass-work office
(群工办) itself nor its centres, which a sign of instability reaches at once (DESIGN, flow
3): now the office and its warning centres get 【受威胁撤回·紧急】 with the card, and the
case's timeline says 报告区群工办 with the units told. The reporter does not see it.
"""

from __future__ import annotations

from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit
from tests.criticalkit import police_chief
from tests.test_trial31_threatened_withdrawal import _ask
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 3211
CHIEF = 3212
POLICE = 3213
OFFICE = 3214
MEDIATION = 3215


async def test_a_threatened_withdrawal_alerts_the_office_and_shows_on_the_timeline(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    await police_chief(kit, POLICE)
    office = kit.user(OFFICE, "群工办主任")
    await kit.bind(office, "office", Role.CHIEF)
    mediation = kit.user(MEDIATION, "调处中心")
    await kit.bind(mediation, "mediation_centre", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    await card_of(chief, case)
    await _ask(kit, citizen, case)
    reason = "物业的人说我再投诉就找人打断我的腿"
    action = citizen.send_text(reason)
    told = await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    assert "区群工办" in told.content and "110" in told.content
    await kit.handled(action)
    await kit.delivered()
    assert (await kit.case(case.id)).status != CaseStatus.WITHDRAWN.value
    for who in (office, mediation):
        await who.wait_for_message(
            lambda m: "【受威胁撤回·紧急】" in m.content and "打断我的腿" in m.content, WAIT
        )
        await card_of(who, case, buttons=False)

    alerted = [e for e in await events_of(kit, case.id) if e.type == "district_alerted"]
    assert len(alerted) == 1
    assert {"office", "mediation_centre", "opinion_centre", "supervision_centre"} <= set(
        (alerted[0].data or {}).get("unit_ids", [])
    )
    head = await kit.person(OFFICE)
    assert head is not None
    timeline = await kit.runtime.cases.timeline(case.id, head.id)
    entry = next(e for e in timeline if e.type == "district_alerted")
    assert entry.label == "报告区群工办" and "社会矛盾调处中心" in (entry.note or "")
    # The reporter's own timeline (/status) keeps the units' business to the units.
    reporter = await kit.person(CITIZEN)
    assert reporter is not None
    own = await kit.runtime.cases.timeline(case.id, reporter.id)
    assert "district_alerted" not in [e.type for e in own]
