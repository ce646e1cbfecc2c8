"""rfix35c: a split question left unanswered loses nothing; a reported 说不想活了 is a
bystander's report.

1. 「第2件不是我反映的，另外我家楼上漏水」 is asked about (是对…的说明 / 是一件新的事) and
   its words were kept only in the pending question: a citizen who never answered it (or
   pressed its button once expired) lost the matter. Now the next message first brings
   them back as the usual proposal with 提交, and an expired button does the same.
2. 说不想活了要跳下去 alone (someone said it) is another person at risk, not the writer's
   own crisis (trial 35 D8): the bystander is told to call 110, never 「您并不孤单」.

The bot over the fake Bot API; what the citizen reads and what is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.triage import OTHER_AT_RISK, SELF_HARM, emergency_of
from handlers.split_reply import ASK_WINDOW
from nlp.at_risk import at_risk
from tests.botkit import WAIT, BotKit, said_since
from tests.botkit_steps import submit_proposal
from tests.emergencykit import calls
from tests.test_stop35_split_denial import MIXED, _split_fight

OTHER = "小区门口的垃圾堆了好几天没人清理，臭得很"


async def test_an_unanswered_question_is_proposed_at_the_next_message(kit: BotKit) -> None:
    _, citizen, _, new, _ = await _split_fight(kit, 3590)
    action = citizen.send_text(MIXED)
    await kit.answer(citizen, action, "还是一件新的事")
    await kit.handled(action)
    # The question is ignored: another matter is sent.
    nxt = citizen.send_text(OTHER)
    await kit.handled(nxt)
    said = said_since(citizen, nxt)
    assert any("还没有提交" in m and "漏水" in m for m in said), said
    kept = next(
        m
        for m in citizen.transcript()
        if m.from_bot
        and m.message_id > (nxt.message_id or 0)
        and "漏水" in m.content
        and "提交" in [b["text"] for b in m.buttons]
    )
    assert "您的描述" in kept.content or "漏水" in kept.content
    # The later matter is read as usual too.
    assert any("垃圾" in m for m in said), said
    before = len(await kit.cases())
    await submit_proposal(kit, citizen, kept)
    cases = await kit.cases()
    assert len(cases) == before + 1
    assert "漏水" in cases[-1].original_text
    assert (await kit.case(new.id)).status != "withdrawn"


async def test_an_expired_question_button_still_proposes_the_words(kit: BotKit) -> None:
    _, citizen, _, _, _ = await _split_fight(kit, 3600)
    action = citizen.send_text(MIXED)
    asked = await kit.answer(citizen, action, "还是一件新的事")
    await kit.handled(action)
    kit.clock.advance(ASK_WINDOW + timedelta(minutes=5))
    proposal = await kit.press(
        citizen, asked, "是一件新的事", lambda m: "漏水" in m.content and bool(m.buttons)
    )
    labels = [b["text"] for b in proposal.buttons]
    assert "提交" in labels or "交由工作人员分派" in labels, labels
    before = len(await kit.cases())
    await submit_proposal(kit, citizen, proposal)
    cases = await kit.cases()
    assert len(cases) == before + 1 and "漏水" in cases[-1].original_text


async def test_the_answered_question_is_not_proposed_again(kit: BotKit) -> None:
    _, citizen, _, new, _ = await _split_fight(kit, 3610)
    action = citizen.send_text(MIXED)
    asked = await kit.answer(citizen, action, "还是一件新的事")
    pressed = citizen.press(asked, f"是对{new.number}的说明")
    await kit.handled(pressed)
    await citizen.wait_for_message(lambda m: "不是您反映的" in m.content, WAIT)
    nxt = citizen.send_text(OTHER)
    await kit.handled(nxt)
    assert not any("还没有提交" in m for m in said_since(citizen, nxt))


# --- 2. 说不想活了要跳下去: someone said it (trial 35 D8) ---------------------------------

SAID = "说不想活了要跳下去"
CRISIS_WORDS = ("您并不孤单", "您不是一个人", "心理援助热线")


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (SAID, "other"),
        ("扬言要跳楼", "other"),
        ("嚷着要跳河", "other"),
        ("一直说不想活了", "other"),
        ("我们楼顶有个人，坐在边上，说不想活了要跳下去", "other"),
        ("我说我不想活了", "self"),
        ("我不想活了", "self"),
        ("我好累，说不想活了", "self"),
        ("说实话我不想活了", "self"),
        ("说白了就是不想活了", "self"),
        ("讲真，活着没意思", "self"),
    ],
)
def test_reported_speech_is_another_persons(text: str, who: str) -> None:
    assert at_risk(text) == who


def test_reported_speech_is_a_bystanders_emergency() -> None:
    said = emergency_of(SAID)
    assert said is not None and said.kind == OTHER_AT_RISK and said.services[0] == "110"
    own = emergency_of("我说我不想活了")
    assert own is not None and own.kind == SELF_HARM


async def test_a_bystander_who_reports_what_was_said_reads_110(kit: BotKit) -> None:
    citizen = kit.user(3620, "路人")
    action = citizen.send_text(SAID)
    line = await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    assert calls("110")(line)
    assert "视线内" in line.content
    await kit.handled(action)
    await kit.delivered()
    seen = said_since(citizen, action)
    assert not any(w in t for t in seen for w in CRISIS_WORDS), seen
