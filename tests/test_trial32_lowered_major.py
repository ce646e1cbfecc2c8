"""Trial 32 D12: an officer took a 重大 warning (二十多户…扬言去市政府上访) down to 一般
before filing, and the district centres never heard of it, while a one-step lowering
after filing reached them with the 【定级说明】.

Now the rule before filing is the one after it: a 重大 or 特别重大 rating goes no lower
than 较大 on its officer's word, any lowering needs a real reason kept on the case's
``severity_changed`` event, and the lowered warning still reaches the district centres
at once with the 【定级说明】 for them to verify.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.cases import WarningDraft
from bot.services.lifecycle import CaseError
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit

OFFICER = 3201
CHIEF = 3202
OPINION = 3203
MEDIATION = 3204
PETITION = "阳光小区二十多户业主聚集在物业办公室，扬言明天要去市政府上访"
REASON = "已到现场核实，业主代表已同意明天先与物业协商"


async def test_a_major_warning_lowered_before_filing_reaches_the_centres(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "周信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    opinion = kit.user(OPINION, "社情民意中心")
    await kit.bind(opinion, "opinion_centre", Role.CHIEF)
    mediation = kit.user(MEDIATION, "矛盾调处中心")
    await kit.bind(mediation, "mediation_centre", Role.CHIEF)

    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, PETITION, "预警研判")
    assert "等级：重大" in proposal.content
    await kit.press(
        officer, proposal, "更改等级", lambda m: m is proposal and "较大" in str(m.buttons)
    )
    offered = [b["text"] for b in proposal.buttons]
    assert "一般" not in offered, offered
    # A forged 一般 (an old keyboard) is refused, nothing filed.
    data = next(b["callback_data"] for b in proposal.buttons if b["text"] == "较大")
    forged = kit.fake.press_button(
        OFFICER, proposal.message_id, data.replace("medium", "low"), strict=False
    )
    refused = await kit.callback_answer(forged)
    assert "最多可下调至“较大”" in refused
    # One level down asks the reason, as after filing.
    await kit.press(officer, proposal, "较大", "须说明理由")
    again = await kit.say(officer, REASON, "预警研判")
    assert "等级：较大" in again.content
    receipt = await kit.press(officer, again, "确认", "预警已报送")
    assert "社情民意收集中心" in receipt.content and "社会矛盾调处中心" in receipt.content

    (case,) = await kit.cases()
    assert case.severity == "medium"
    number = case.number or ""
    async with kit.db.session() as s:
        changed = list(
            await s.scalars(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.type == "severity_changed"
                )
            )
        )
    assert [(e.data["from"], e.data["to"], e.note) for e in changed] == [("high", "medium", REASON)]
    for centre in (opinion, mediation):
        await centre.wait_for_message(
            lambda m: number in m.content and m.content.startswith("【预警"), WAIT
        )
        note = await centre.wait_for_message(
            lambda m: number in m.content and m.content.startswith("【定级说明】"), WAIT
        )
        assert "“重大”下调为“较大”" in note.content and REASON in note.content


async def test_the_service_refuses_a_major_warning_filed_as_ordinary(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "周信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    person = await kit.person(officer.id)
    assert person is not None
    for level, reason, code in (
        ("low", REASON, "too_low"),
        ("medium", None, "reason_required"),
        ("medium", "不是不是不是", "reason_required"),
    ):
        with pytest.raises(CaseError) as err:
            await kit.runtime.cases.file_warning(
                person.id, WarningDraft(text=PETITION, severity=level, severity_reason=reason)
            )
        assert err.value.code == code
    assert await kit.cases() == []
