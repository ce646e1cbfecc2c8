"""Review 32 S8: the net under the emergency line on Telegram and Open311.

A citizen's text the written rubric rates 特别重大 told now, for which the emergency line
(``nlp.emergency.detect``) has no number — a hundred people blocking the district
government's gate — waited on Telegram behind 提交 and three optional steps as a routine
proposal, and was filed 重大 at most. Now every channel files it at once as critical: the
owning unit and the dispatcher desk get the card, the district (群工办, the two centres)
is alerted, and the citizen reads plainly what happened, with 110 only as the general
sentence for someone's safety on the spot (no 119 / 120 invented). A past event asked
about for relief stays a request (pf29).
"""

from __future__ import annotations

from bot.services.critical_net import GENERAL_LINE, critical_unlined
from bot.services.triage import emergency_of
from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.open311kit import open311_api

CITIZEN = 3301
GATE = "一百多人把区政府大门堵了，不让人进出"
RELIEF = "家里失火房子烧没了，能申请临时救助吗"


def test_the_net_takes_a_crowd_now_and_leaves_a_past_fire_asked_about_relief() -> None:
    assert emergency_of(GATE) is None and critical_unlined(GATE)
    assert not critical_unlined(RELIEF)
    assert not critical_unlined("电视剧里有人跳楼，孩子看了一直问")
    assert not critical_unlined("刚才炒菜锅里起火，我盖上锅盖就灭了，没事了")


async def test_telegram_files_the_rubrics_critical_at_once_and_alerts_the_district(
    kit: BotKit,
) -> None:
    district = kit.district
    leader = kit.user(3302, "群工办")
    await kit.bind(leader, district.leadership, Role.CHIEF)
    desk = kit.user(3303, "调度台")
    await kit.bind(desk, district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王女士")
    first = await kit.say(citizen, GATE)
    (case,) = await kit.cases()
    number = case.number or ""
    # The first answer says what happened: registered at once as 特别重大, who was told.
    assert number in first.content and "特别重大" in first.content, first.content
    assert GENERAL_LINE in first.content
    said = first.content.replace(number, "")
    assert "119" not in said and "120" not in said
    assert not first.buttons  # no 提交 / 换一个部门: nothing left to confirm
    assert case.severity == "critical" and case.priority == district.severity_priority["critical"]
    deadlines = district.deadlines[case.priority]
    assert case.ack_due_at is not None and case.created_at is not None
    assert case.ack_due_at - case.created_at <= deadlines.acknowledge
    notify = (await kit.registered(case.id))["notify"]
    # The desk holds it (too unsure to route) or has its card beside the owner.
    assert district.dispatcher in (*notify, case.owning_unit_id)
    assert district.leadership in notify
    assert all(c in notify for c in district.warning_centres)
    await kit.delivered()
    for user in (leader, desk):
        card = await user.wait_for_message(lambda m: number in m.content, WAIT)
        assert "特别重大" in card.content, card.content
    # The citizen's receipt comes too, after the plain answer.
    await citizen.wait_for_message(lambda m: number in m.content and m is not first, WAIT)


async def test_a_past_fire_asking_for_relief_is_still_proposed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王女士")
    proposal = await kit.say(citizen, RELIEF)
    assert await kit.cases() == []
    assert any(b["text"] == "提交" for b in proposal.buttons), proposal.buttons


async def test_open311_files_it_critical_and_says_what_happens(kit: BotKit) -> None:
    async with open311_api(kit.runtime.cases, kit.clock) as api:
        resp = await api.client.post(
            "/open311/v2/requests.json", data={"api_key": api.key, "description": GATE}
        )
        body = await resp.json()
    assert resp.status == 201, body
    notice = str(body[0]["service_notice"])
    (case,) = await kit.cases()
    assert case.severity == "critical" and (case.number or "-") in notice
    said = notice.replace(case.number or "", "")
    assert "特别重大" in notice and GENERAL_LINE in notice
    assert "119" not in said and "120" not in said
    notify = (await kit.registered(case.id))["notify"]
    assert kit.district.dispatcher in (*notify, case.owning_unit_id)
    assert kit.district.leadership in notify
