"""pf29 defect 2: a request's level and its deadlines agree.

A citizen's request that the classifier rated 特别重大 without danger now and without
the rules' urgency word kept the ordinary request deadlines and alerted nobody (the
policy of trial 28 P5), yet every card said 特别重大. Decision (docs/lifecycle.md):
the policy stays; such a request is filed at the level the rules alone give it, a
rules' critical one step down (重大), and then handled as that level — so the card,
the deadlines and the alerts say the same thing. The classifier's rating is kept on
the registered event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.cases.intake import urgent_by_rules
from bot.services.triage import emergency_of
from config.district import District
from nlp.classify import classify
from nlp.severity import assess_severity
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import file_request

#: A harm told to ask for help (the rules' critical, no urgency).
FIRE = "家里失火房子烧没了，能申请临时救助吗"
#: An ordinary complaint the learned model alone rates critical.
EMERGENCY_ROOM = "急诊等了两个小时没有医生来看，老人疼得受不了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize("text", [FIRE, EMERGENCY_ROOM])
async def test_a_critical_rating_without_urgency_is_not_shown_as_critical(
    kit: BotKit, text: str
) -> None:
    c = classify(text)
    # What the defect needs: rated critical, no danger now, no rules' urgency.
    assert c.severity == "critical" and emergency_of(text) is None and not urgent_by_rules(c)
    leader = kit.user(2993, "群工办")
    await kit.bind(leader, kit.district.leadership, Role.CHIEF)
    centre = kit.user(2994, "中心")
    await kit.bind(centre, kit.district.warning_centres[0], Role.STAFF)
    citizen = kit.user(2995, "群众")
    case = await file_request(kit, citizen, text)
    await kit.delivered()
    number = case.number or ""
    assert case.severity != "critical" and case.priority != "critical"
    rules = assess_severity(text, learned=False).level
    assert case.severity == ("high" if rules == "critical" else rules)
    # The deadlines are the filed level's, as for a warning of that level.
    deadlines = kit.district.deadlines[kit.district.severity_priority[case.severity]]
    assert case.priority == kit.district.severity_priority[case.severity]
    assert case.ack_due_at is not None and case.created_at is not None
    assert case.ack_due_at - case.created_at <= deadlines.acknowledge
    registered = await kit.registered(case.id)
    assert registered["rated"] == "critical"
    # Nobody reads 特别重大: not the citizen, not the cards.
    for user in (citizen, leader, centre):
        for m in user.transcript():
            if m.from_bot and number in m.content:
                assert "特别重大" not in m.content, m.content
    # No district alert: the leadership gets no card; the centres only for 重大.
    assert not any(number in m.content for m in leader.transcript() if m.from_bot)
    if case.severity == "high":
        card = await centre.wait_for_message(lambda m: number in m.content, WAIT)
        assert "（重大）" in card.content
    else:
        assert not any(number in m.content for m in centre.transcript() if m.from_bot)
