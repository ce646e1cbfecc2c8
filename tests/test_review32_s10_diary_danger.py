"""Review 32 S10: danger in a refused /diary text is checked like a warning.

The diary is for leaders; an information officer's ``/diary …`` is refused, and so is a
leader's entry too short to count. The text was dropped with the refusal, danger or not.
Now danger now gets the number to call first and is filed at once as a warning (the
rubric's level); a text the rubric rates 重大 gets a clear prompt with the ready /warn
command; an ordinary text gets the refusal only, as before.
"""

from __future__ import annotations

from bot.services.diary_rules import NOT_FOR_OFFICERS
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since
from tests.emergencykit import tells_to_call
from tests.warnkit import bound_chief, bound_officer

PETROL = "今天走访时看到有人在区政府门口往身上泼汽油，手里拿着打火机"
SIT_IN = "听说下周一有三十多个工人要一起去区政府上访讨薪"
VISIT = "今天走访了三户困难群众，了解了他们的生活情况"


async def test_an_officers_diary_danger_gets_the_line_first_and_is_filed(kit: BotKit) -> None:
    officer = await bound_officer(kit, 3311)
    chief = await bound_chief(kit, 3312)
    action = officer.send_command(f"/diary {PETROL}")
    await officer.wait_for_message(lambda m: NOT_FOR_OFFICERS[:8] in m.content, WAIT, since=action)
    after = said_since(officer, action)
    assert tells_to_call(after[0], "110"), after  # the number first
    filed = next(i for i, t in enumerate(after) if "已按预警立即报送" in t)
    refused = next(i for i, t in enumerate(after) if NOT_FOR_OFFICERS[:8] in t)
    assert filed < refused, after
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "critical"
    assert PETROL in case.original_text and (case.number or "") in after[filed]
    await kit.delivered()
    card = await chief.wait_for_message(lambda m: (case.number or "") in m.content, WAIT)
    assert "特别重大" in card.content


async def test_a_leaders_too_short_entry_with_danger_is_not_lost(kit: BotKit) -> None:
    leader = kit.user(3313, "刘主任")
    await kit.bind(leader, "dongcheng", Role.CHIEF)
    await kit.say(leader, "/diary 着火了！", "已按预警立即报送")
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "critical"


async def test_a_serious_diary_text_gets_the_warn_command_and_nothing_is_filed(
    kit: BotKit,
) -> None:
    officer = await bound_officer(kit, 3314)
    prompt = await kit.say(officer, f"/diary {SIT_IN}", "/warn")
    assert f"/warn {SIT_IN}" in prompt.content and "重大" in prompt.content
    await officer.wait_for_message(lambda m: NOT_FOR_OFFICERS[:8] in m.content, WAIT)
    assert await kit.cases() == []


async def test_an_ordinary_refused_diary_text_is_only_refused(kit: BotKit) -> None:
    officer = await bound_officer(kit, 3315)
    answer = await kit.say(officer, f"/diary {VISIT}")
    assert answer.content == NOT_FOR_OFFICERS
    assert await kit.cases() == []
