"""Trial 33 D9: a station's 办理记录 reached read-only holders with phone numbers in full.

公安分局 replied to a card with 「…小孩家长电话是13566667777」 and the district's centres,
which read the case's own text with phones masked, got the note unmasked. A note (and
every free text a notice carries: 补充说明, reasons) now reads as the card does for its
reader: phone and ID numbers masked outside the owning unit and the desk, ID numbers
masked for everybody.
"""

from __future__ import annotations

from sqlalchemy import select

from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, escalated, note_on_card
from tests.test_trial_defects import file_request

WAGES = "单位不给交社保，已经两年了，老板说我是临时工"
PHONE = "13566667777"
ID_NUMBER = "110105199001011234"
NOTE = f"已约谈用人单位，老板电话是{PHONE}，身份证{ID_NUMBER}"


async def test_a_note_reaches_read_only_holders_masked(kit: BotKit) -> None:
    chief = kit.user(3371, "杨站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    colleague = kit.user(3372, "劳动站干事")
    await kit.bind(colleague, "labor", Role.STAFF)
    citizen = kit.user(3373, "群众")
    case = await file_request(kit, citizen, WAGES)
    assert case.owning_unit_id == "labor"
    number = case.number or ""
    _, _, supervisor = await escalated(kit, case, 3371, 3374, "督办中心主任")
    card = await chief.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)

    await note_on_card(kit, chief, card, number, NOTE)
    await kit.delivered()

    # The supervisor holds the case read-only: the phone is masked, as on its card.
    told = await supervisor.wait_for_message(lambda m: m.content.startswith("【办理记录】"), WAIT)
    assert PHONE not in told.content, told.content
    assert "135****7777" in told.content, told.content
    assert ID_NUMBER not in told.content and "110*************34" in told.content
    # The owning unit calls back: its colleague reads the phone, never the ID number.
    own = await colleague.wait_for_message(lambda m: m.content.startswith("【办理记录】"), WAIT)
    assert PHONE in own.content, own.content
    assert ID_NUMBER not in own.content and "110*************34" in own.content
    # Nothing of it reaches the citizen.
    assert not any(PHONE in m.content for m in citizen.transcript() if m.from_bot)
    # The database keeps the note as written (the units' record).
    async with kit.db.session() as s:
        kept = await s.scalar(
            select(CaseEvent.note).where(
                CaseEvent.case_id == case.id, CaseEvent.type == "staff_note"
            )
        )
    assert kept == NOTE

    # The dashboard's timeline reads the same for the supervisor and the owner.
    sup = await kit.person(3374)
    owner = await kit.person(3371)
    assert sup is not None and owner is not None
    seen = await kit.runtime.cases.timeline(case.id, sup.id)
    notes = [e.note for e in seen if e.type == "staff_note"]
    assert notes and PHONE not in (notes[0] or "") and "135****7777" in (notes[0] or "")
    mine = await kit.runtime.cases.timeline(case.id, owner.id)
    assert next(e.note for e in mine if e.type == "staff_note") == NOTE.replace(
        ID_NUMBER, "110*************34"
    )


async def test_a_citizens_addition_reaches_read_only_holders_masked(kit: BotKit) -> None:
    """The same for the citizen's 补充说明 on an escalated case."""
    chief = kit.user(3381, "杨站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(3383, "群众")
    case = await file_request(kit, citizen, WAGES)
    number = case.number or ""
    _, _, supervisor = await escalated(kit, case, 3381, 3384, "督办中心主任")
    await kit.runtime.cases.add_reporter_note(
        case.reporter_id or 0, case.id, f"我的电话是{PHONE}，随时联系"
    )
    await kit.delivered()
    told = await supervisor.wait_for_message(lambda m: "补充说明】" in m.content, WAIT)
    assert number in told.content and PHONE not in told.content, told.content
    assert "135****7777" in told.content
    own = await chief.wait_for_message(lambda m: "补充说明】" in m.content, WAIT)
    assert PHONE in own.content, own.content
