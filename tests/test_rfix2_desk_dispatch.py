"""Review 2 Q1, Q8, Q9: the desk's 派单 on the dashboard and the 改派's correction.

Q1: a danger-now case returned by the police and sent back with a short note (「见上」)
was refused (「维持派单须填写理由」) and stayed at the desk with no owner. Danger is
always dispatched at once; a reason too short to count is asked for afterwards.
Q8: a note typed in the 理由 box for a fresh 派单 was dropped; it is the event's note.
Q9: a 改派 of an unsigned case to another unit of the same bureau (a street station
here: the bureau stays) is a timeliness failure, not a routing correction.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from bot.services.lifecycle import AT_DESK
from storage.enums import CaseStatus
from storage.models import CaseEvent, RoutingCorrection
from tests.criticalkit import RETURN_REASON as POLICE_RETURN_REASON
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case
from tests.test_b33_keep_reason import RETURN_REASON, WAGES
from tests.test_trial32_redispatch import LEAK, _escalate_unsigned

KNIFE = "有人拿刀在楼下砍人，已经有人流血倒地了"


async def _post_dispatch(dash: Dash, case_id: int, target: str, note: str) -> tuple[int, str]:
    case = await load_case(dash.db, case_id)
    response = await dash.client.post(
        f"/dashboard/cases/{case_id}/act",
        data={
            "csrf_token": await dash.csrf(),
            "action": "disp",
            "version": case.version,
            "target": target,
            "note": note,
        },
    )
    return response.status, await response.text()


async def _dispatched_events(dash: Dash, case_id: int) -> list[CaseEvent]:
    async with dash.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "dispatched")
            .order_by(CaseEvent.id)
        )
        return list(rows.all())


async def test_danger_with_a_short_note_is_dispatched_at_once(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=KNIFE, bureau="police"))
    case = await load_case(dash.db, view.id)
    assert case.severity == "critical"
    police_unit = case.owning_unit_id
    assert police_unit is not None
    police = await chief(dash.db, police_unit)
    await dash.cases.return_case(view.id, police.id, POLICE_RETURN_REASON)
    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    status, text = await _post_dispatch(dash, view.id, "police", "见上")
    assert status == 200, text
    case = await load_case(dash.db, view.id)
    assert (case.status, case.owning_unit_id) == (CaseStatus.DISPATCHED, police_unit)
    last = (await _dispatched_events(dash, view.id))[-1]
    assert not last.note
    assert (last.data or {}).get("reason_due") is True
    assert (last.data or {}).get("note_given") == "见上"
    # The reason is still wanted and may follow.
    assert await dash.cases.keep_reason_due(view.id, desk.id)


async def test_a_fresh_dispatch_keeps_its_note(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=WAGES, bureau="labor"))
    labor = await chief(dash.db, "labor")
    await dash.cases.return_case(view.id, labor.id, RETURN_REASON)
    assert CaseStatus((await load_case(dash.db, view.id)).status) in AT_DESK
    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    # Not back to 区劳动局, so no 维持派单 reason is needed; the note is kept all the same.
    status, text = await _post_dispatch(dash, view.id, "court", "属劳动争议诉讼，转法院")
    assert status == 200, text
    last = (await _dispatched_events(dash, view.id))[-1]
    assert last.note == "属劳动争议诉讼，转法院"


async def test_a_redispatch_within_the_bureau_is_no_routing_correction(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=LEAK, bureau="education"))
    sched = Scheduler(dash.db, dash.district, dash.clock, dash.cases)
    await _escalate_unsigned(dash.cases, sched, view.id, 1)
    desk = await chief(dash.db, dash.district.dispatcher)
    case = await load_case(dash.db, view.id)
    await dash.cases.dispatch(view.id, desk.id, "dongcheng", expected_version=case.version)
    case = await load_case(dash.db, view.id)
    assert (case.owning_unit_id, case.bureau) == ("dongcheng", "education")
    async with dash.db.session() as s:
        kinds = (await s.scalars(select(RoutingCorrection.kind))).all()
    assert "redispatch" not in kinds, kinds
