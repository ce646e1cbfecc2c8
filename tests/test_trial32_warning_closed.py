"""Trial 32 D24: an officer whose warning was 办结 was told, a week later, that he had
not answered a 回访 he was never asked (「办结后未收到您的回访答复，已结案」).

A warning's officer is told of the 办结 and never surveyed; the warning now closes
when the follow-up window passes without a message to the officer, and the timeline
does not speak of an unanswered 回访.
"""

from __future__ import annotations

from datetime import timedelta

from bot.fakeapi import FakeUser
from bot.runtime.scheduler import Scheduler
from storage.enums import CaseKind, CaseStatus, Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, said_since
from tests.test_trial_defects import card_of

OFFICER = 3241
CHIEF = 3242
RESULT = "已组织双方调解，边界重新丈量确认"


async def _resolve_on_card(kit: BotKit, chief_user: FakeUser, case: Case) -> None:
    card = await card_of(chief_user, case)
    await kit.callback_answer(chief_user.press(card, "签收"))
    await chief_user.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief_user, card, "办结", "办结说明")
    await kit.say(chief_user, RESULT, "办结类型")
    await kit.say(chief_user, "实际解决", "已办结")


async def test_a_resolved_warning_closes_without_an_unasked_follow_up(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "和平站长")
    await kit.bind(chief, "dongcheng_heping", Role.CHIEF)
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng_heping", Role.OFFICER)
    await kit.say(officer, "/warn 两户村民因宅基地边界发生争吵，可能动手", "预警已报送")
    (case,) = await kit.cases()
    assert case.kind == CaseKind.WARNING
    number = case.number or ""
    await _resolve_on_card(kit, chief, case)
    told = await officer.wait_for_message(lambda m: "已办结" in m.content, WAIT)
    assert number in told.content and not told.buttons  # told, never asked

    mark = officer.send_text("/mine")
    await kit.answer(officer, mark, "您报送的预警")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(kit.district.follow_up_no_response_after + timedelta(hours=1))
    await sched.run_due()
    assert (await kit.case(case.id)).status == CaseStatus.CLOSED
    await kit.delivered()
    after = said_since(officer, mark)
    assert not [t for t in after if "回访" in t], after
    mine = await kit.say(officer, "/mine", "您报送的预警")
    assert number in mine.content and "回访" not in mine.content, mine.content
