"""The common steps of a case in end-to-end tests, driven through a :class:`~tests.botkit.BotKit`:
a citizen files a request, a chief resolves it, a unit 上报s it, a note goes on a card; and
:data:`WAIT`, how long a test waits for the bot. Importable from :mod:`tests.botkit` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fakeapi import ChatMessage, FakeUser, UserAction
from storage.enums import CaseStatus, Role
from storage.models import Case, Person

if TYPE_CHECKING:
    from tests.botkit import BotKit

#: How long a test waits for the bot's answer before giving up. It bounds a hang, not
#: the bot's speed (nothing asserts a reply's time): 10 s was passed on a 2-core machine
#: running several suites at once (load average 17), the answer still coming.
WAIT = 30.0


def said_since(user: FakeUser, action: UserAction) -> list[str]:
    """The bot's messages in ``user``'s chat after ``action``."""
    after = action.message_id or 0
    return [m.content for m in user.transcript() if m.from_bot and m.message_id > after]


async def escalated(
    kit: BotKit, case: Case, owner_id: int, chief_id: int, chief_name: str
) -> tuple[Case, Person, FakeUser]:
    """The owning unit's person with Telegram id ``owner_id`` 上报s ``case`` (the
    service's act); a chief ``chief_id`` is bound to the unit it went up to, and the
    outbox is delivered. The case as it is then, the owner's person and that chief."""
    owner = await kit.person(owner_id)
    assert owner is not None
    await kit.runtime.cases.escalate(case.id, owner.id)
    after = await kit.case(case.id)
    upper = after.escalated_to_unit_id
    assert upper is not None and upper not in (case.owning_unit_id, kit.district.dispatcher)
    chief = kit.user(chief_id, chief_name)
    await kit.bind(chief, upper, Role.CHIEF)
    await kit.delivered()
    return after, owner, chief


async def note_on_card(
    kit: BotKit, user: FakeUser, card: ChatMessage, number: str, note: str
) -> ChatMessage:
    """``user`` replies ``note`` to the card (or a notice) of case ``number``: a 办理记录.
    The bot's answer, which names the case and says the note was kept (已记入)."""
    kept = await kit.answer(user, user.send_text(note, reply_to=card.message_id), number)
    assert "已记入" in kept.content, kept.content
    return kept


async def submit_proposal(kit: BotKit, citizen: FakeUser, proposal: ChatMessage) -> None:
    """``citizen`` submits the bot's ``proposal`` (to the desk if the bot is unsure),
    skipping the details, until 提交成功."""
    labels = [b["text"] for b in proposal.buttons]
    label = "提交" if "提交" in labels else "交由工作人员分派"
    await kit.press(citizen, proposal, label, "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")


async def file_request(kit: BotKit, citizen: FakeUser, text: str) -> Case:
    """A citizen files ``text`` (to the desk if the bot is unsure), skipping the details."""
    before = len(await kit.cases())
    await submit_proposal(kit, citizen, await kit.say(citizen, text, lambda m: bool(m.buttons)))
    cases = await kit.cases()
    assert len(cases) == before + 1
    return cases[-1]


async def card_of(user: FakeUser, case: Case, buttons: bool = True) -> ChatMessage:
    """The case card in ``user``'s chat (one with buttons unless ``buttons`` is False)."""
    number = case.number or ""
    return await user.wait_for_message(
        lambda m: (
            m.content.startswith("【") and number in m.content and (bool(m.buttons) or not buttons)
        ),
        10,
    )


async def resolve_as_chief(kit: BotKit, chief: FakeUser, citizen: FakeUser, case_id: int) -> None:
    """``chief`` 签收s (if asked) and 办结s the case (实际解决) from its card; the citizen
    is asked for the 回访 (解决了吗)."""
    case = await kit.case(case_id)
    await card_of(chief, case)
    number = case.number or ""
    card = [
        m
        for m in chief.transcript()
        if m.content.startswith("【") and number in m.content and m.buttons
    ][-1]
    if "签收" in [b["text"] for b in card.buttons]:
        await kit.callback_answer(chief.press(card, "签收"))
        card = await chief.wait_for_message(
            lambda m: number in m.content and "办结" in [b["text"] for b in m.buttons], WAIT
        )
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发工资", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    assert (await kit.case(case_id)).status == CaseStatus.RESOLVED


async def resolved_request(
    kit: BotKit, citizen_id: int, chief_id: int, text: str
) -> tuple[FakeUser, FakeUser, Case]:
    """李站长 (``chief_id``), chief of 劳动局, and 王大爷 (``citizen_id``), whose request
    ``text`` (one for 劳动局) the chief has resolved: its 回访 waits. The chief, the
    citizen and the case."""
    chief = kit.user(chief_id, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(citizen_id, "王大爷")
    case = await file_request(kit, citizen, text)
    await resolve_as_chief(kit, chief, citizen, case.id)
    return chief, citizen, case
