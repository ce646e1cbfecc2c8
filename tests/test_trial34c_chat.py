"""Trial 34 #12, #20, #21: what a goodbye, small talk and a burst of fire emoji get.

#12: 谢谢你们，我会好好活着的，再见 after a self-harm case closed raised the emergency
banner and 【紧急·关怀期告别】; a reassuring goodbye is no farewell sign, and real
farewells (beside reassurance too) keep the alarm.
#20: 今天天气真好哈哈 got 不客气 (the thanks answer); now a greeting.
#21: 🔥🔥🔥 alone was greeted; now asked back 是着火了吗？ with 119.

The bot over the fake Bot API; what the citizen and the police read and what is stored.
"""

from __future__ import annotations

import pytest

from nlp.intent import classify_intent
from nlp.reassurance import reassured_goodbye
from tests.botkit import WAIT, BotKit, said_since
from tests.test_pf30_crisis_aftercare import POLICE, closed_crisis
from tests.test_trial_defects import events_of

CITIZEN = 3498


@pytest.mark.parametrize(
    "words", ["谢谢你们，我会好好活着的，再见", "放心吧我没事，谢谢你们", "我不会做傻事的，再见"]
)
async def test_a_reassuring_goodbye_after_closure_raises_no_alarm(kit: BotKit, words: str) -> None:
    citizen = kit.user(CITIZEN, "小周")
    crisis = await closed_crisis(kit, citizen)
    police = kit.user(POLICE, "")
    mark = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: True, WAIT, since=mark)
    await kit.delivered()
    said = said_since(citizen, mark)
    assert not any(m.startswith("⚠️") for m in said), said
    assert not any("关怀期告别" in m.content for m in police.transcript() if m.from_bot)
    assert [e for e in await events_of(kit, crisis.id) if e.type == "note_added"] == []


@pytest.mark.parametrize(
    "words",
    [
        "永别了",
        "不用找我了，再见",
        "谢谢你们，我要走了，帮我跟我妈说声对不起",
        "我会好好活着的，下辈子再见",
    ],
)
async def test_a_farewell_after_closure_still_alarms(kit: BotKit, words: str) -> None:
    citizen = kit.user(CITIZEN, "小周")
    crisis = await closed_crisis(kit, citizen)
    police = kit.user(POLICE, "")
    mark = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: m.content.startswith("⚠️"), WAIT, since=mark)
    # 关怀期告别 on the closed case, or (words of self-harm: 永别了) a critical case of
    # their own; either way the police read the words at once.
    alert = await police.wait_for_message(
        lambda m: words in m.content and ("关怀期告别" in m.content or "特别重大" in m.content),
        WAIT,
    )
    if "关怀期告别" in alert.content:
        notes = [e.note for e in await events_of(kit, crisis.id) if e.type == "note_added"]
        assert notes == [words]
    else:
        assert [c.severity for c in await kit.cases()] == ["critical", "critical"]


@pytest.mark.parametrize(
    ("text", "cleared"),
    [
        ("谢谢你们，我会好好活着的，再见", True),
        ("我会好好照顾自己的，拜拜", True),
        ("放心吧我没事，谢谢", True),
        ("谢谢你们，再见", False),  # no reassurance: polite_goodbye decides, not this
        ("我会好好活着的，永别了", False),
        ("谢谢你们 我要走了 我会好好活着的", False),
        ("不会做傻事了，以后不用联系我了", False),
        ("这是我最后一次给你们发消息了，我没事了", False),
    ],
)
def test_what_reassurance_clears(text: str, cleared: bool) -> None:
    assert reassured_goodbye(text) is cleared


async def test_small_talk_about_the_weather_is_greeted(kit: BotKit) -> None:
    citizen = kit.user(3499, "群众")
    answer = await kit.say(citizen, "今天天气真好哈哈", lambda m: m.from_bot)
    assert "不客气" not in answer.content and "您好" in answer.content
    assert await kit.cases() == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("今天天气真好哈哈", "greeting"),
        ("周末愉快", "greeting"),
        ("谢谢，今天天气真好", "thanks"),
        ("好的谢谢", "thanks"),
        ("你们效率真高", "thanks"),
    ],
)
def test_weather_chat_is_no_thanks(text: str, kind: str) -> None:
    assert classify_intent(text) == kind


async def test_fire_emoji_alone_are_asked_about(kit: BotKit) -> None:
    citizen = kit.user(3500, "群众")
    answer = await kit.say(citizen, "🔥🔥🔥", lambda m: m.from_bot)
    assert answer.content.startswith("是着火了吗？") and "119" in answer.content
    assert "您好" not in answer.content
    assert await kit.cases() == []


async def test_a_smiley_alone_is_still_greeted(kit: BotKit) -> None:
    citizen = kit.user(3501, "群众")
    answer = await kit.say(citizen, "😊😊", lambda m: m.from_bot)
    assert "着火" not in answer.content and "您好" in answer.content
