"""Trial 28 P11: wording that was odd or leaked internals.

- 分类依据 listed 暴力伤害, a rubric family's name the officer never wrote: now only the
  officer's words.
- 定级依据：15人 for 十几户: the head count is shown as written.
- A snippet was cut in the middle of an appended 照片说明 (「…和平社区 照……」).
- After a 解释说明 closure the survey offered 已解决·满意: now 满意 / 问题仍未解决.
- The withdraw receipt pointed to a 「我的诉求」 screen that does not exist.
- A chief's /help told him to register a phone so that the 站长 could call back.
- /mine left out the level change of the officer's own warning.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.cases import RequestDraft
from config.district import District
from handlers.texts.common import snippet
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.lowering import file_lowered
from tests.test_bot_station import card_of, file_request

OFFICER, CHIEF, CITIZEN = 2871, 2872, 2873
KNIFE = "村民老刘拿着刀在村委会门口说要砍人"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_warning_proposal_shows_the_officers_own_words(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    fight = await kit.say(officer, "和平社区两户人家因为停车位吵起来了，有人扬言要动刀", "预警研判")
    basis = next(line for line in fight.content.splitlines() if line.startswith("分类依据"))
    assert "动刀" in basis and "暴力伤害" not in basis
    await kit.say(officer, "/cancel")
    await kit.say(officer, "/warn", "请描述预警情况")
    crowd = await kit.say(officer, "阳光小区十几户居民到社区反映物业费上涨的问题", "预警研判")
    why = next(line for line in crowd.content.splitlines() if line.startswith("定级依据"))
    assert "十几户" in why and "15人" not in why


def test_a_snippet_is_not_cut_in_the_middle_of_a_photo_caption() -> None:
    text = (
        "小区门口的路灯坏了一个星期了，晚上孩子放学很黑，老人出门也不方便，在东城街道和平社区"
        "\n照片说明：路灯在和平社区东门口"
    )
    shown = snippet(text, 40)
    assert "照……" not in shown and shown.startswith("小区门口的路灯坏了")
    assert "（共" in shown


async def test_an_explained_closure_asks_no_already_solved_question(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "建设局站长")
    await kit.bind(chief, "construction", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, "小区门口的路灯坏了一个星期了，晚上很黑")
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "该路灯属于供电公司资产，已转告供电公司并告知联系电话", "办结类型")
    await kit.say(chief, "解释说明", "已办结")
    asked = await citizen.wait_for_message(lambda m: "满意" in str(m.buttons), WAIT)
    labels = [b["text"] for b in asked.buttons]
    assert "满意" in labels and not any("已解决" in label for label in labels)


async def test_withdrawing_points_to_status_not_a_missing_screen(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 1, "李华")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZEN + 1)
    assert person is not None
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="学校门口的路灯坏了一个星期了")
    )
    await kit.runtime.cases.withdraw(view.id, person.id)
    told = await citizen.wait_for_message(lambda m: "您已撤回" in m.content, WAIT)
    assert "我的诉求" not in told.content and "/status" in told.content


async def test_a_chiefs_help_does_not_tell_him_the_chief_will_call(kit: BotKit) -> None:
    chief = kit.user(CHIEF + 10, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    shown = await kit.say(chief, "/help", "使用说明")
    assert "/phone" in shown.content and "站长收到您的预警" not in shown.content
    officer = kit.user(OFFICER + 10, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    shown = await kit.say(officer, "/help", "使用说明")
    assert "站长收到您的预警时可以回电" in shown.content


async def test_mine_shows_the_level_change_and_its_reason(kit: BotKit) -> None:
    officer = kit.user(OFFICER + 20, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await file_lowered(kit, officer, KNIFE, "medium", "刀是玩具，已电话核实")
    mine = await kit.say(officer, "/mine", "您报送的预警")
    assert "等级调整为“较大”（原为“特别重大”）" in mine.content
    assert "理由：刀是玩具，已电话核实" in mine.content
