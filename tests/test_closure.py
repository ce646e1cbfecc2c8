"""Honest closure: the station's claim at 办结, the reporter's answer, no survey for officers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.cases import RequestDraft, WarningDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from bot.services.scores import unit_scores
from config.district import District
from storage.db import Database
from tests.factories import (
    chief,
    citizen,
    events,
    last_outbox_id,
    load_case,
    make_service,
    officer,
    outbox,
)


async def test_closure_kind_is_kept_and_the_reporter_decides(
    db: Database, district: District
) -> None:
    clock = FakeClock(datetime(2026, 3, 3, 1, tzinfo=UTC))
    svc = make_service(db, district, clock)
    boss = await chief(db, "construction")
    me = await citizen(db)
    case_id = (await svc.file_request(me.id, RequestDraft(text="路灯坏了"))).id
    await svc.acknowledge(case_id, boss.id)
    with pytest.raises(CaseError) as err:
        await svc.resolve(case_id, boss.id, "已修复路灯", closure="fixed-ish")
    assert err.value.code == "bad_input"
    await svc.resolve(case_id, boss.id, "已向群众解释", closure="explained")
    case = await load_case(db, case_id)
    assert case.closure_kind == "explained"
    # The station's claim and the reporter's answer are both in the event log.
    await svc.answer_follow_up(case_id, me.id, False, "unsatisfied", "根本没人来")
    log = {e.type: e.data for e in await events(db, case_id)}
    assert log["resolved"]["closure"] == "explained"
    assert log["followed_up"]["solved"] is False
    # Marked 办结, but the reporter says not solved: it counts against the unit.
    (score,) = await unit_scores(
        db, district, 2026, 3, as_of=clock.now(), unit_ids=["construction"]
    )
    assert (score.resolved, score.standing, score.disputed) == (1, 0, 1)
    assert score.resolution_rate == pytest.approx(0.0)


async def test_an_officer_is_never_surveyed_on_their_own_warning(
    db: Database, district: District
) -> None:
    svc = make_service(db, district)
    me = await officer(db, "xihu")
    boss = await chief(db, "xihu")
    view = await svc.file_warning(me.id, WarningDraft(text="路边广告牌松动", severity="low"))
    assert view.owning_unit_id == "xihu"
    await svc.acknowledge(view.id, boss.id)
    after = await last_outbox_id(db)
    await svc.resolve(view.id, boss.id, "已加固广告牌", closure="solved")
    to_officer = [r for r in await outbox(db, view.id, after) if r.person_id == me.id]
    assert len(to_officer) == 1
    assert "已办结" in to_officer[0].text and "满意" not in to_officer[0].text
    assert not to_officer[0].reply_markup  # no 回访 buttons
    with pytest.raises(CaseError) as err:
        await svc.answer_follow_up(view.id, me.id, True, "satisfied")
    assert err.value.code == "forbidden"
