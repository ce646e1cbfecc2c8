"""Trial 34 #18: the 办结 steps of a self-harm case contradicted themselves about 回访.

The note step said 「…此件不发起回访」, and the next step, the 办结 type, said
「（群众回访时的答复将与此一并记录…）」. A self-harm request closes with care and no
回访, so its type question now speaks of no 回访 answer; an ordinary request's still
does (it has one). The bot over the fake Bot API, as a station chief uses it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.cases import RequestDraft
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.factories import citizen as new_citizen
from tests.test_trial_defects import events_of

CITIZEN = 3481
POLICE = 3482
LABOR = 3483
WORDS = "我真的不想活了，撑不下去了"
RESULT = "已上门看望，当事人情绪平稳，家属已在身边陪伴"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_self_harm_closure_speaks_of_no_follow_up_answer(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小王")
    action = citizen.send_text(WORDS)
    await citizen.wait_for_message(
        lambda m: kit.district.crisis_hotline in m.content, WAIT, since=action
    )
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    number = case.number or ""
    card = await police.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)

    prompt = await kit.press(police, card, "办结", "办结说明")
    assert "不发起回访" in prompt.content
    asked = await kit.say(police, RESULT, "办结类型")
    assert "回访" not in asked.content, asked.content  # no 回访 answer to record
    labels = [b["text"] for row in (asked.reply_markup or {}).get("keyboard", ()) for b in row]
    assert labels == ["实际解决", "解释说明", "不属实"]  # the same choice as any 办结
    # A wrong type asks again, still without a 回访 answer.
    again = await kit.say(police, "差不多吧", "办结类型")
    assert "回访" not in again.content, again.content
    done = await kit.say(police, "实际解决", "已办结")
    assert "此件不发起回访" in done.content

    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.CLOSED
    types = [e.type for e in await events_of(kit, case.id)]
    assert types[-2:] == ["resolved", "closed"] and "followed_up" not in types


async def test_an_ordinary_closure_still_tells_of_the_follow_up_answer(kit: BotKit) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    person = await new_citizen(kit.db)
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="单位拖欠我两个月工资，老板不接电话", bureau="labor")
    )
    card = await labor.wait_for_message(lambda m: view.number in m.content and m.buttons, WAIT)
    await kit.callback_answer(labor.press(card, "签收"))
    await labor.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(labor, card, "办结", "办结说明")
    asked = await kit.say(labor, "已约谈企业负责人，工资已于本周全部补发到位", "办结类型")
    assert "群众回访时的答复将与此一并记录" in asked.content
    await kit.say(labor, "实际解决", "已办结")
    assert (await kit.case(view.id)).status == CaseStatus.RESOLVED
