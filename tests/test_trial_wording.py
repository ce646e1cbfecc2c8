"""Warnings are told as 预警, not as a citizen's 诉求 (trial notes item 14)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.callbacks import CaseAction
from bot.services.cases import WarningDraft
from bot.services.clock import FakeClock
from bot.web.dashboard_pages import ActionForm, _action_forms
from config.district import District
from handlers import texts
from storage.db import Database
from tests.factories import chief, last_outbox_id, make_service, officer, outbox

SH = ZoneInfo("Asia/Shanghai")


async def test_trial_warning_wording_for_extension_resolution_and_dashboard(
    db: Database, district: District
) -> None:
    clock = FakeClock(datetime(2026, 9, 28, 10, tzinfo=SH))
    svc = make_service(db, district, clock)
    me = await officer(db, "dongcheng")
    boss = await chief(db, "dongcheng")
    supervisor = await chief(db, "supervision_centre")
    draft = WarningDraft(text="两户村民因宅基地边界发生争吵，可能动手")
    case_id = (await svc.file_warning(me.id, draft)).id
    await svc.acknowledge(case_id, boss.id)
    await svc.request_extension(case_id, boss.id, "需协调双方再谈一次", 2)
    after = await last_outbox_id(db)
    await svc.decide_extension(case_id, supervisor.id, True, "同意")
    told = [r.text for r in await outbox(db, case_id, after) if r.person_id == me.id]
    assert told and all("诉求" not in t for t in told)
    assert any("您的预警" in t and "延期" in t for t in told)

    view = await svc.resolve(case_id, boss.id, "已调解，双方签订协议")
    done = texts.note_done(CaseAction.RESOLVE, view)
    assert "回访" not in done and "反映人" not in done and "报送人" in done

    _quick, detailed = _action_forms([ActionForm(CaseAction.RESOLVE)], "", warning=True)
    (form,) = detailed
    assert "群众" not in str(form["hint"]) and "报送人" in str(form["hint"])
