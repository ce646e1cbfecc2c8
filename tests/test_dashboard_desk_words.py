"""Trial 26 T21: the dashboard names the desk's deadline and reminders as the bot does.

At the dispatcher desk the deadline is 派单时限, its reminder 催派单 and a missed one
超时未派单 (the bot's 【催派单】 and 【上报督办】…原因：超时未派单); a station's stay
签收时限 / 催签收 / 超时未签收. After an escalation the deadline is the round's:
督办派单时限 / 督办签收时限, as on the bot's card (trial 27 N3).
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.cases import RequestDraft
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case, make_scheduler


def _timeline(page: str) -> str:
    return page[page.index("办理过程") :]


async def _miss_the_deadline(dash: Dash, case_id: int, rounds: int) -> None:
    """Let the scheduler remind ``rounds`` times, then escalate (real timers)."""
    sched = make_scheduler(dash.cases)
    case = await load_case(dash.db, case_id)
    assert case.ack_due_at is not None
    dash.clock.advance(case.ack_due_at - dash.clock.now() + timedelta(seconds=1))
    for _ in range(rounds + 1):
        assert await sched.run_due() == 1
        dash.clock.advance(dash.district.escalation.renotify_interval)


async def test_the_desk_case_page_speaks_of_dispatch(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text="说不清是什么事"))
    assert view.status == "registered"
    await _miss_the_deadline(dash, view.id, rounds=2)
    case = await load_case(dash.db, view.id)
    assert case.escalation_level == 1 and case.status == "registered"

    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    resp = await dash.client.get(f"/dashboard/cases/{view.id}")
    assert resp.status == 200
    page = await resp.text()
    # The deadline shown is the escalated round's, named as the bot's card names it
    # (督办派单时限), not a plain 派单时限 a day ahead next to 超期 (trial 27 N3).
    assert "<dt>督办派单时限</dt>" in page and "<dt>派单时限</dt>" not in page
    timeline = _timeline(page)
    assert "催派单（第1次）" in timeline and "催派单（第2次）" in timeline
    assert "（超时未派单）" in timeline and "至督查督办中心" in timeline
    for word in ("签收时限", "催签收", "超时未签收"):
        assert word not in page, word

    # Once dispatched, the station's deadline is 签收时限 again.
    response = await dash.client.post(
        f"/dashboard/cases/{view.id}/act",
        data={
            "csrf_token": await dash.csrf(),
            "action": "disp",
            "version": case.version,
            "target": "labor",
        },
    )
    assert response.status == 200
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert "签收时限</dt>" in page and "派单时限</dt>" not in page
    # The desk's past reminders keep their words.
    assert "催派单（第1次）" in _timeline(page)


async def test_a_station_case_page_keeps_acknowledgement_words(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text="小区路灯坏了一个月"))
    assert view.status == "dispatched"
    await _miss_the_deadline(dash, view.id, rounds=2)

    boss = await chief(dash.db, "construction")
    await dash.login(boss.id)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert "<dt>督办签收时限</dt>" in page and "<dt>签收时限</dt>" not in page
    timeline = _timeline(page)
    assert "催签收（第1次）" in timeline and "（超时未签收）" in timeline
    for word in ("派单时限", "催派单", "超时未派单"):
        assert word not in page, word
