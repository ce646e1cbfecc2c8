"""Trial 27 N10: the district office changes a warning's level from its card.

The district office (区群工办: ``district.leadership``'s chiefs and staff, and admins)
may change a warning's level as its officer may (:mod:`bot.services.cases.level`):
raise it freely, lower a critical one only with a real reason. Its copy of a
critical warning's card now carries 更改等级, and so does the warning's page on its
dashboard; the other copies (the centres', the police's) and the station's card do
not, as only the officer and the office may.
"""

from __future__ import annotations

from bot.fakeapi import ChatMessage, FakeUser
from bot.services.cases import WarningDraft
from storage.models import Case
from tests.botkit import BotKit
from tests.dashkit import Dash
from tests.factories import chief, events, load_case, officer
from tests.test_trial_defects import events_of
from tests.test_warning_level_after_filing import (
    KNIFE,
    OFFICER,
    REASON,
    ROOM,
)
from tests.warnkit import bound_officer, filed_critical, warning_chiefs

LEVEL = "更改等级"


def _card(user: FakeUser, case: Case) -> ChatMessage:
    """``user``'s newest card of ``case`` (edits applied)."""
    return [m for m in user.transcript() if m.content.startswith(f"【预警信息】{case.number}")][-1]


def _labels(message: ChatMessage) -> list[str]:
    return [b["text"] for b in message.buttons]


async def test_the_district_office_lowers_and_raises_a_warning_from_its_card(
    kit: BotKit,
) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    office = chiefs["leadership"]
    case, _ = await filed_critical(kit, officer, KNIFE)
    await kit.delivered()

    card = _card(office, case)
    assert LEVEL in _labels(card)
    for key in ("room", "opinion", "mediation", "police"):  # not theirs to change
        assert LEVEL not in _labels(_card(chiefs[key], case)), key

    picker = await kit.press(office, card, LEVEL, "请选择新的等级")
    assert "当前等级：特别重大" in picker.content
    assert _labels(picker) == ["重大", "较大"]  # a critical warning goes no lower than 较大
    await kit.press(office, picker, "较大", "理由")
    refused = await kit.say(office, "不是不是不是", "理由")  # no real reason: asked again
    assert "已将" not in refused.content
    assert (await kit.case(case.id)).severity == "critical"
    done = await kit.say(office, REASON, "已将")
    assert f"已将 {case.number} 的等级由“特别重大”更改为“较大”" in done.content

    stored = await kit.case(case.id)
    assert (stored.severity, stored.priority) == ("medium", "normal")
    office_person = await kit.person(office.id)
    assert office_person is not None
    (lowered,) = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert (lowered.data["from"], lowered.data["to"]) == ("critical", "medium")
    assert (lowered.note, lowered.actor_id) == (REASON, office_person.id)

    # The station reads who lowered it and why; the office keeps its card and button.
    await kit.delivered()
    note = next(
        m.content
        for m in chiefs["room"].transcript()
        if m.content.startswith(f"【定级说明】{case.number}")
    )
    assert REASON in note and "区群工办" in note
    card = _card(office, case)
    assert card.content.startswith(f"【预警信息】{case.number}（较大）")
    assert LEVEL in _labels(card)

    # Raising needs no reason.
    picker = await kit.press(office, card, LEVEL, "请选择新的等级")
    assert _labels(picker) == ["特别重大", "重大"]
    await kit.press(office, picker, "特别重大", "已将")
    assert (await kit.case(case.id)).severity == "critical"
    changes = [e for e in await events_of(kit, case.id) if e.type == "severity_changed"]
    assert [(e.data["to"], e.note) for e in changes] == [("medium", REASON), ("critical", None)]


async def test_a_district_office_card_button_on_a_closed_warning_is_refused(
    kit: BotKit,
) -> None:
    """Once the warning is over, the office's old button changes nothing."""
    officer = await bound_officer(kit, OFFICER, ROOM)
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    office = chiefs["leadership"]
    case, _ = await filed_critical(kit, officer, KNIFE)
    await kit.delivered()
    card = _card(office, case)
    async with kit.db.session() as s:
        stored = await s.get(Case, case.id)
        assert stored is not None
        stored.status = "closed"
        await s.commit()
    action = office.press(card, LEVEL)
    assert "不能再更改等级" in await kit.callback_answer(action)
    assert (await kit.case(case.id)).severity == "critical"


# --- the dashboard: where the district office also sees warnings -------------------------


async def test_the_district_office_changes_a_level_on_the_dashboard(dash: Dash) -> None:
    """The office's case page offers 更改等级: lowering a critical warning needs a real
    reason (refused with the service's words), the change is recorded as from the web."""
    reporter = await officer(dash.db, "dongcheng_heping")
    view = await dash.cases.file_warning(reporter.id, WarningDraft(text=KNIFE, severity="critical"))
    assert view.severity == "critical"
    station = await chief(dash.db, "dongcheng_heping")
    await dash.login(station.id)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert "更改等级" not in page  # the station acts on it; the level is not its to change

    office = await chief(dash.db, dash.district.leadership)
    await dash.login(office.id)
    url = f"/dashboard/cases/{view.id}"
    page = await (await dash.client.get(url)).text()
    assert "<summary>更改等级</summary>" in page
    assert '<option value="high">重大</option><option value="medium">较大</option>' in page
    assert 'value="low"' not in page  # a critical warning goes no lower than 较大

    form = {"csrf_token": await dash.csrf(url), "action": "lvl", "version": "0"}
    refused = await dash.client.post(f"{url}/act", data={**form, "target": "medium"})
    assert refused.status == 400 and "须写明具体理由" in await refused.text()
    assert (await load_case(dash.db, view.id)).severity == "critical"

    done = await dash.client.post(
        f"{url}/act", data={**form, "target": "medium", "note": REASON}, allow_redirects=False
    )
    assert done.status == 303
    shown = await (await dash.client.get(done.headers["Location"])).text()
    assert "等级已更改" in shown and "较大" in shown
    assert (await load_case(dash.db, view.id)).severity == "medium"
    (change,) = [
        e
        for e in await events(dash.db, view.id)
        if e.type == "severity_changed" and e.data.get("after_filing")
    ]
    assert (change.note, change.actor_id, change.channel) == (REASON, office.id, "web")
