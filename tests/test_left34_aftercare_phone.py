"""Review left open #2: a goodbye with a phone number in it takes the crisis path too.

In aftercare (a self-harm case closed less than 30 days ago) 谢谢你们 我要走了 typed at
the place-and-phone step of another emergency ended the step and reached the helpers
as a farewell; 谢谢你们 我要走了 我电话13900001111 was taken as that emergency's place and
phone (收到地点和电话) and nobody heard of the farewell: the step let any text with a
number through as details before asking whether it was words their helpers must hear.
A request's address and phone steps took the goodbye as an address or a bad number,
with a number or not. Now every step that takes a text as a detail asks first
(handlers.crisis.is_crisis_farewell): a farewell from someone in crisis or aftercare
reaches the crisis path, the number in it or not. The bot over the fake Bot API.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, FakeUser, said_since
from tests.test_pf30_crisis_aftercare import POLICE, closed_crisis
from tests.test_trial_defects import LABOR_TEXT, events_of

CITIZEN = 3481
PHONE = "13900001111"


async def _at_step(kit: BotKit, citizen: FakeUser, where: str) -> None:
    """``citizen`` is at a step that takes a text as a detail."""
    if where == "emergency-details":
        action = citizen.send_text("楼下着火了，烟很大")
        await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
        return
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    labels = [b["text"] for b in proposal.buttons]
    await kit.press(
        citizen, proposal, "提交" if "提交" in labels else "交由工作人员分派", "可选 1/3"
    )
    if where == "request-phone":
        await kit.say(citizen, "跳过", "可选 2/3")


@pytest.mark.parametrize("phone", ["", f" 我电话{PHONE}", f"，有事打{PHONE}"])
@pytest.mark.parametrize("where", ["emergency-details", "request-address", "request-phone"])
async def test_an_aftercare_goodbye_at_a_step_reaches_the_helpers(
    kit: BotKit, phone: str, where: str
) -> None:
    citizen = kit.user(CITIZEN, "小周")
    crisis = await closed_crisis(kit, citizen)
    police = kit.user(POLICE, "")
    await _at_step(kit, citizen, where)
    await kit.delivered()
    words = "谢谢你们 我要走了" + phone

    mark = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.delivered()
    told = said_since(citizen, mark)
    assert any(m.startswith("⚠️") and "110" in m for m in told), told
    assert not any("收到地点和电话" in m or "请输入正确的手机号" in m for m in told), told
    assert not any("可选 2/3" in m or "可选 3/3" in m for m in told), told
    await police.wait_for_message(
        lambda m: "紧急·关怀期告别" in m.content and words in m.content, WAIT
    )
    notes = [e for e in await events_of(kit, crisis.id) if e.type == "note_added"]
    assert [(e.note, (e.data or {}).get("aftercare")) for e in notes] == [(words, True)]
    assert (await kit.case(crisis.id)).status == CaseStatus.CLOSED
    # Nothing of the goodbye became another case's detail.
    for case in await kit.cases():
        if case.id != crisis.id:
            assert PHONE not in (case.contact_phone or "") and "我要走了" not in (
                case.address or ""
            )


async def test_a_goodbye_with_a_number_at_the_crisis_case_own_step(kit: BotKit) -> None:
    """On the open self-harm case's own place-and-phone step: its 【紧急·告别信号】."""
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小林")
    action = citizen.send_text("我不想活了")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    words = f"谢谢大家，再见了，有事打{PHONE}"
    mark = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.delivered()
    told = said_since(citizen, mark)
    assert any(m.startswith("⚠️") for m in told) and not any("收到地点" in m for m in told), told
    await police.wait_for_message(
        lambda m: "紧急·告别信号" in m.content and (case.number or "?") in m.content, WAIT
    )
    assert PHONE not in ((await kit.case(case.id)).contact_phone or "")


@pytest.mark.parametrize(
    ("crisis", "words"),
    [(True, f"和平路5号楼下 电话{PHONE}"), (False, f"谢谢 我走了 电话{PHONE}")],
    ids=["aftercare-details", "no-crisis-goodbye"],
)
async def test_details_stay_details(kit: BotKit, crisis: bool, words: str) -> None:
    """Look-alikes: a place and a number in aftercare, or a goodbye with a number from
    someone with no self-harm case, are the emergency's details as before."""
    citizen = kit.user(CITIZEN, "小周")
    if crisis:
        await closed_crisis(kit, citizen)
    await _at_step(kit, citizen, "emergency-details")
    await kit.say(citizen, words, lambda m: "收到" in m.content and "补充到" in m.content)
    fire = (await kit.cases())[-1]
    assert (await kit.case(fire.id)).contact_phone == PHONE, [
        m.content for m in citizen.transcript()
    ]
