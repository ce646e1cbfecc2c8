"""A case new to a station that arrives in a digest, with the citizen's photos (dfx21).

After trial 28 P4 a scheduler pass folds each person's notices into one 【待办汇总】. A
card the chat had never received was folded too, and so were the photos that follow
it: the new case's card came only with the next change or a press of 查看, and the
citizen's photos never reached that station at all (the folded photo rows counted as
sent, 查看 did not send them, and the next change sent new photos only).

Now the digest names such a case as 新案件 (新转来的案件 at a level above) with the
number of its photos, gives it a 查看 button first, and 查看 brings the full card and
then the photos (by their file_id, through the outbox); pressing it again sends them
no second time, and a later change sends the photos a holder never got. The bot, the
fake Bot API and the real scheduler; the citizens send a photo with their words.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.fakeapi.server import FakeUser
from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot

CHIEF = 2861
CENTRE = 2862
CITIZENS = (2863, 2864)
TEXTS = ("公司拖欠我三个月工资，老板一直不给", "工地老板拖欠我们农民工工资两个月了")


#: The service's own loggers (a library's DEBUG lines are not on in service).
OWN_LOGGERS = ("bot", "handlers", "storage", "nlp", "config")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _file_with_photo(kit: BotKit, user_id: int, text: str) -> None:
    """A citizen sends a photo with the problem as its caption and files it."""
    citizen = kit.user(user_id, f"居民{user_id}")
    action = citizen.send_photo(text)
    proposal = await kit.answer(citizen, action, "提交")
    await kit.answer(citizen, action, "照片已附上")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.say(citizen, "完成", "提交成功")


def _photos(user: FakeUser, number: str) -> list[str]:
    return [m.content for m in user.transcript() if m.kind == "photo" and number in m.content]


async def test_a_new_case_in_a_digest_brings_its_card_and_photos_on_open(
    kit: BotKit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    for user_id, text in zip(CITIZENS, TEXTS, strict=True):
        await _file_with_photo(kit, user_id, text)
    cases = await kit.cases()
    assert [len(c.photo_file_ids) for c in cases] == [1, 1]
    owner = cases[0].owning_unit_id
    assert {c.owning_unit_id for c in cases} == {owner}
    numbers = [c.number or "" for c in cases]
    # The station's new chief joins after the filing: both cards are new to the chat.
    chief = kit.user(CHIEF, "新站长")
    await kit.bind(chief, owner, Role.CHIEF)
    await kit.delivered()

    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(timedelta(days=1, minutes=1))
    await sched.run_due()
    await kit.delivered()
    (digest,) = [m for m in chief.transcript() if m.content.startswith("【待办汇总】")]
    for number in numbers:
        assert f"{number} 新案件" in digest.content
    assert digest.content.count("附照片1张") == 2 and "点「查看」" in digest.content
    assert [b["text"] for b in digest.buttons] == [f"查看 {n}" for n in numbers]
    assert not [m for m in chief.transcript() if m.kind == "photo"]

    # 查看: the whole card with the chief's buttons, then the citizen's photo.
    card = await kit.press(chief, digest, f"查看 {numbers[0]}", "承办单位")
    assert card.content.startswith(f"【群众诉求】{numbers[0]}") and "照片：1张" in card.content
    assert any(b["text"] == "签收" for b in card.buttons)
    photo = await chief.wait_for_message(lambda m: m.kind == "photo", 10.0)
    assert numbers[0] in photo.content
    assert chief.transcript().index(photo) > chief.transcript().index(card)
    # Once only: 查看 again shows the card, not the photo a second time.
    await kit.press(chief, digest, f"查看 {numbers[0]}", "承办单位")
    await kit.delivered()
    assert len(_photos(chief, numbers[0])) == 1

    # The other case, not opened: its next change (the citizen adds a note) brings the
    # card and the photo the chat never got.
    assert _photos(chief, numbers[1]) == []
    person = await kit.person(CITIZENS[1])
    assert person is not None
    await kit.runtime.cases.add_reporter_note(person.id, cases[1].id, "老板的电话也打不通了")
    await kit.delivered()
    assert len(_photos(chief, numbers[1])) == 1

    # The level above (督查督办中心) gets the escalated cases as 新转来的案件, photos on open.
    for _ in range(2):
        kit.clock.advance(timedelta(minutes=31))
        await sched.run_due()
    await kit.delivered()
    moved = [m for m in centre.transcript() if "新转来的案件" in m.content]
    assert moved and moved[0].content.startswith("【待办汇总】")
    await kit.press(centre, moved[0], moved[0].buttons[0]["text"], "承办单位")
    await centre.wait_for_message(lambda m: m.kind == "photo", 10.0)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] in OWN_LOGGERS)
    for text in (*TEXTS, "老板的电话也打不通了"):
        assert text not in ours  # our logs carry numbers, never what citizens wrote


async def test_every_new_case_of_a_digest_has_its_button(kit: BotKit) -> None:
    citizen = kit.user(CITIZENS[0], "居民")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZENS[0])
    assert person is not None
    texts = [f"和平路{n}号门口的路灯坏了一个星期了" for n in range(1, 11)]
    for text in texts:
        await kit.runtime.cases.file_request(person.id, RequestDraft(text=text))
    cases = await kit.cases()
    (owner,) = {c.owning_unit_id for c in cases}
    chief = kit.user(CHIEF, "新站长")
    await kit.bind(chief, owner, Role.CHIEF)
    await kit.delivered()
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(timedelta(days=1, minutes=1))
    await sched.run_due()
    await kit.delivered()
    (digest,) = [m for m in chief.transcript() if m.content.startswith("【待办汇总】")]
    # Ten cases new to the chief: ten 查看 buttons (a digest used to stop at eight).
    assert sorted(b["text"] for b in digest.buttons) == sorted(f"查看 {c.number}" for c in cases)
