"""Verify 29 V7: private disclosures read in full only by those who handle them.

P14 (dfx24) gave a summary to the card holders outside the owning unit and the
desk only when a citizen wrote of harming *themselves*. A parent's report of a
15-year-old's threat to jump, an officer's warning about 老王's pesticide and an
abused wife's words still reached the centres, the leadership and other units in
full. Now any case whose danger is self-harm (whoever reports it), domestic
violence or sexual assault is read in full by the reporter, the owning unit and
the dispatcher desk; every other holder reads a summary (the kind of risk, the
handling unit; the card keeps the number, level and deadlines) with no words,
names, phones or places.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from bot.services.disclosures import disclosure_kind
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2951
OFFICER = 2952
UNITS = {
    "police": ("police", Role.CHIEF),
    "education": ("education", Role.CHIEF),
    "desk": ("service_centre", Role.STAFF),
    "opinion": ("opinion_centre", Role.CHIEF),
    "mediation": ("mediation_centre", Role.CHIEF),
    "office": ("office", Role.CHIEF),
    "dongcheng": ("dongcheng", Role.CHIEF),
    "school": ("dongcheng_school", Role.CHIEF),
    "heping": ("dongcheng_heping", Role.CHIEF),
}

CHILD = (
    "我儿子今年15岁，以前在东城第一小学读书，刚才在我们家12楼阳台说要跳下去，"
    "怎么劝都不听，我叫张建国，电话13900002222"
)
PESTICIDE = "东城街道和平社区村里老王说不想活了，要喝农药，家里人看不住"
ABUSE = "我老公天天喝酒打我，昨天把我打得鼻青脸肿，我住和平社区3栋，不敢回家"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _people(kit: BotKit) -> dict[str, FakeUser]:
    people = {}
    for i, (key, (unit, role)) in enumerate(UNITS.items()):
        people[key] = kit.user(2960 + i, f"干部{i}")
        await kit.bind(people[key], unit, role)
    return people


def _told(user: FakeUser, number: str) -> list[str]:
    return [m.content for m in user.transcript() if m.from_bot and number in m.content]


def test_disclosure_kinds() -> None:
    assert disclosure_kind(CHILD) == "self_harm"
    assert disclosure_kind(PESTICIDE) == "self_harm"
    assert disclosure_kind(ABUSE) == "domestic"
    assert disclosure_kind("我想死") == "self_harm"
    assert disclosure_kind("公司领导性骚扰我") == "sexual"
    # A threat made in a crowd is a mass incident the leadership reads in full.
    assert disclosure_kind("三百多名工人围堵区政府大门，有人扬言要跳楼，情况危急") is None
    for plain in ("邻居打我", "楼下有人打架", "小区路灯坏了", "我打我老公电话打不通"):
        assert disclosure_kind(plain) is None, plain


async def test_v7_a_parents_report_of_a_childs_suicide_threat(kit: BotKit) -> None:
    people = await _people(kit)
    parent = kit.user(CITIZEN, "张建国")
    action = parent.send_text(CHILD)
    await parent.wait_for_message(lambda m: "110" in m.content, WAIT, since=action)
    await kit.handled(action)
    (case,) = await kit.cases()
    await kit.delivered()
    owner = next(k for k, (unit, _) in UNITS.items() if unit == case.owning_unit_id)
    readers = {owner, "desk"}
    # The owning unit (and the desk) read the words.
    for key in readers:
        assert any("12楼" in c for c in _told(people[key], case.number)), key
    summaries = 0
    for key in set(UNITS) - readers:
        for card in _told(people[key], case.number):
            summaries += 1
            for private in ("12楼", "15岁", "东城第一小学", "张建国", "13900002222", "张*"):
                assert private not in card, (key, card)
    # The centres are told that it happened, in a summary.
    for key in ("opinion", "mediation"):
        told = _told(people[key], case.number)
        assert told, key
        assert any("自伤风险求助" in c and "承办单位" in c for c in told), told
    assert summaries >= 2


async def test_v7_an_officers_warning_of_pesticide(kit: BotKit) -> None:
    people = await _people(kit)
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng_heping", Role.OFFICER)
    action = officer.send_text(f"/warn {PESTICIDE}")
    await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    await kit.delivered()
    owner = next(k for k, (unit, _) in UNITS.items() if unit == case.owning_unit_id)
    readers = {owner, "desk"}
    assert any("喝农药" in c for c in _told(people[owner], case.number)), owner
    for key in set(UNITS) - readers:
        for card in _told(people[key], case.number):
            assert "喝农药" not in card and "老王" not in card, (key, card)
    for key in ("opinion", "mediation"):
        told = _told(people[key], case.number)
        assert told, key
        assert any("自伤风险求助" in c for c in told), told


async def test_v7_an_abused_wifes_words_stay_with_the_owner(kit: BotKit) -> None:
    """A high request alerts both centres (trial 29 P3): they get the summary."""
    people = await _people(kit)
    wife = kit.user(CITIZEN, "刘女士")
    proposal = await kit.say(wife, ABUSE, "提交")
    await kit.press(wife, proposal, "提交", "可选 1/3")
    await kit.say(wife, "跳过", "可选 2/3")
    await kit.say(wife, "跳过", "可选 3/3")
    await kit.answer(wife, wife.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    await kit.delivered()
    assert case.owning_unit_id == "police"
    assert any("鼻青脸肿" in c for c in _told(people["police"], case.number))
    for key in set(UNITS) - {"police", "desk"}:
        for card in _told(people[key], case.number):
            assert "鼻青脸肿" not in card and "3栋" not in card, (key, card)
    if case.severity in ("high", "critical"):
        for key in ("opinion", "mediation"):
            told = _told(people[key], case.number)
            assert told, key
            assert any("家庭暴力" in c for c in told), told
