"""Trial 31 #3: a withdrawal whose reason tells of a threat does not close the case.

他威胁我说报警就杀了我 typed as the reason to withdraw a knife case used to open a new
critical case and leave the knife case none the wiser; 物业的人说我再投诉就找人打断我的腿
withdrew a routine case with 「群众已撤回此件，无需继续办理」. Now the case stays open, one case,
the reason is recorded with the flag, its handlers (and the police) get 【受威胁撤回·紧急】,
and the reporter is told it goes on, with 110. A plain reason still withdraws.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 3121
CHIEF = 3122
POLICE = 3123


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _ask(kit: BotKit, citizen: FakeUser, case: Case) -> ChatMessage:
    tail = (case.number or "").rsplit("-", 1)[-1]
    listing = await kit.say(citizen, "/status", "您反映的问题")
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "确定")
    yes = "确认申请撤回" if case.severity == "critical" else "确认撤回"
    await kit.press(citizen, ask, yes, lambda m: m is ask and "原因" in m.content)
    return ask


async def _threat_event(kit: BotKit, case_id: int, reason: str) -> None:
    events = await events_of(kit, case_id)
    asked = [e for e in events if e.type == "withdraw_requested"]
    assert len(asked) == 1 and asked[0].note == reason
    assert (asked[0].data or {}).get("threat") is True
    assert "withdrawn" not in [e.type for e in events]


async def test_a_threat_as_the_reason_keeps_the_knife_case_and_reaches_the_police(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "赵强")
    filed = await critical_case_at_police(kit, citizen, police, "有人拿刀在追着砍人 快来 人民路")
    await _ask(kit, citizen, filed.case)
    reason = "那个人说我要是敢报警就弄死我全家"
    action = citizen.send_text(reason)
    told = await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    assert "110" in told.content and "威胁" in told.content
    await kit.delivered()
    assert [c.id for c in await kit.cases()] == [filed.case.id]  # no new case
    assert (await kit.case(filed.case.id)).status != CaseStatus.WITHDRAWN.value
    await _threat_event(kit, filed.case.id, reason)
    await police.wait_for_message(
        lambda m: "【受威胁撤回·紧急】" in m.content and "弄死我全家" in m.content, WAIT
    )


async def test_a_threat_keeps_a_routine_case_open_and_a_plain_reason_still_withdraws(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    await card_of(chief, case)
    await _ask(kit, citizen, case)
    reason = "老板放话说我再去劳动局告状就叫人收拾我"
    action = citizen.send_text(reason)
    await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    await kit.delivered()
    assert (await kit.case(case.id)).status != CaseStatus.WITHDRAWN.value
    await _threat_event(kit, case.id, reason)
    for who in (chief, police):
        await who.wait_for_message(
            lambda m: "【受威胁撤回·紧急】" in m.content and "收拾我" in m.content, WAIT
        )

    # A change of mind is still a withdrawal.
    await _ask(kit, citizen, await kit.case(case.id))
    number = case.number or ""
    await kit.say(citizen, "老板已经把工资都补发了", f"您已撤回 {number}")
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN.value


@pytest.mark.parametrize(
    ("reason", "threat"),
    [
        ("他们恐吓我 不让我再说了", True),
        ("楼下那伙人说再举报就要我的命", True),
        ("不敢再投诉了 怕被报复", True),
        ("对方喊人来打我 我只好撤了", True),
        ("问题已经解决了 谢谢", False),
        ("不想再投诉了 太麻烦", False),
        ("不敢相信这么快就修好了", False),
        ("如果再坏我会再反映", False),
        ("找人修好了", False),
    ],
)
def test_threat_wordings_and_look_alikes(reason: str, threat: bool) -> None:
    from nlp.coercion import tells_of_threat

    assert tells_of_threat(reason) is threat
