"""Trial 32 D18: an information officer's 「/diary 走访」 was accepted 「已记入民情日记」
and counted to him, but counted nowhere (the diary is the seed's duty of leaders of
deputy-section rank and above: 全区副科级以上领导干部…每月“民情日记”不少于1篇), and a
two-character entry passed as a month's diary.

The officer is now told kindly that the diary is the leaders' and pointed to /warn;
a leader's 「走访」 is refused with what a diary entry should say; nothing is stored.
"""

from __future__ import annotations

from sqlalchemy import func, select

from storage.enums import Role
from storage.models import DiaryEntry
from tests.botkit import BotKit

OFFICER = 3281
CHIEF = 3282


async def _entries(kit: BotKit) -> int:
    async with kit.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(DiaryEntry)) or 0)


async def test_an_officer_is_told_the_diary_is_the_leaders(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    for text in ("/diary 走访", "/diary 走访和平社区3户困难家庭，反映楼道照明不足", "/diary"):
        answer = (await kit.say(officer, text, "民情日记")).content
        assert "已记入" not in answer and "副科级以上领导干部" in answer, answer
        assert "/warn" in answer and "不需要填写" in answer, answer
    assert await _entries(kit) == 0


async def test_two_characters_are_not_a_diary_entry(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    person = await kit.person(CHIEF)
    assert person is not None
    async with kit.db.session() as s:
        row = await s.merge(person)
        row.leader_rank = "deputy_section"
    for text in ("/diary 走访", "/diary 走访！！", "/diary 好好好好好好好好"):
        answer = (await kit.say(chief, text, "民情日记")).content
        assert "已记入" not in answer and "算不上一篇民情日记" in answer, answer
        assert "至少6个字" in answer and "/diary 走访" in answer, answer
    assert await _entries(kit) == 0
    done = await kit.say(chief, "/diary 走访和平社区3户困难家庭，反映楼道照明不足", "已记入")
    assert "1 篇" in done.content
    assert await _entries(kit) == 1
