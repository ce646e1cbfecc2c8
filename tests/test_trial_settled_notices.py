"""Trial defect dfx3 #5: a notice sent to several recipients loses its buttons once one acts.

An escalation reaches both chiefs of the supervision centre, each with 催办 / 上报.
When one of them urges, the other's notice (and the presser's own) is edited
through the outbox: it says who acted and when, and its buttons are gone. An edit
Telegram refuses is delivered with a note, never resent and never lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import Role
from storage.models import OutboxMessage
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

STATION = 2801
FIRST = 2802
SECOND = 2803
CITIZEN = 1801


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_escalation_to_two_chiefs_is_settled_when_one_urges(kit: BotKit) -> None:
    station = kit.user(STATION, "劳动站长")
    await kit.bind(station, "labor", Role.CHIEF)
    first = kit.user(FIRST, "李督办")
    await kit.bind(first, kit.district.supervision, Role.CHIEF)
    second = kit.user(SECOND, "赵督办")
    await kit.bind(second, kit.district.supervision, Role.CHIEF)
    case = await file_request(kit, kit.user(CITIZEN, "王芳"), LABOR_TEXT)
    number = case.number or ""
    card = await card_of(station, case)
    await kit.press(station, card, "上报", "上报")
    await kit.say(station, "企业拒不配合，请上级协调", "已上报")

    def escalation_notice(m: object) -> bool:
        content = getattr(m, "content", "")
        return content.startswith("【上报督办】") and number in content

    notices = [await u.wait_for_message(escalation_notice, WAIT) for u in (first, second)]
    assert all("催办" in str(n.buttons) for n in notices)
    await kit.delivered()

    done = await kit.callback_answer(first.press(notices[0], "催办"))
    assert done.startswith("已催办承办单位")
    # The other chief's copy now says who urged, and has no buttons left.
    notice = notices[1]
    await second.wait_for_message(
        lambda m: m is notice and "督查督办中心李督办已于" in m.content, WAIT
    )
    assert "催办，此消息的按钮已失效" in notice.content
    assert not notice.buttons
    await kit.delivered()
    async with kit.db.session() as s:
        edits = (await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "edit"))).all()
    # Both chiefs' notices (and any other earlier notice of the case with buttons).
    assert SECOND in {e.chat_id for e in edits} and FIRST not in {e.chat_id for e in edits}
    assert all(e.status == "sent" and e.reply_markup is None for e in edits)

    # A later act does not edit the same notices again.
    await kit.press(station, card, "签收", lambda m: m is card and "已签收" in m.content)
    await kit.delivered()
    async with kit.db.session() as s:
        again = (await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "edit"))).all()
    assert len(again) >= 1
    assert len({(e.chat_id, e.message_id) for e in again}) == len(again)


async def test_an_edit_telegram_refuses_is_recorded_not_resent(kit: BotKit) -> None:
    chief = kit.user(FIRST, "李督办")
    await kit.bind(chief, kit.district.supervision, Role.CHIEF)
    await kit.delivered()
    before = [m.message_id for m in chief.transcript() if m.from_bot]
    async with kit.db.session() as s:
        row = OutboxMessage(
            chat_id=FIRST,
            kind="edit",
            text="不存在的消息",
            reply_markup=None,
            message_id=987654,
            created_at=kit.clock.now(),
            next_attempt_at=kit.clock.now(),
        )
        s.add(row)
        await s.commit()
        row_id = row.id
    await kit.delivered()
    async with kit.db.session() as s:
        stored = await s.get(OutboxMessage, row_id)
        assert stored is not None
        assert stored.status == "sent" and "not edited" in (stored.last_error or "")
    # No new message was sent in its place.
    assert [m.message_id for m in chief.transcript() if m.from_bot] == before
