"""Trial 25 T14: ``minqing lexicon learn`` never reads a critical case's correction.

A cry for help the police returned (trial 29 #7) is at the desk, which dispatches
it to the police again: that 派单 is recorded as a correction, but a danger to life is routed by
its danger, not its words, so the real CLI leaves it out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import Role
from storage.models import RoutingCorrection
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_desk
from tests.test_learn_e2e import learn

CITIZEN = 2541
DESK = 2542


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_critical_cases_dispatch_is_not_learnt_from(kit: BotKit, tmp_path: Path) -> None:
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await critical_case_at_desk(kit, citizen)
    card = await desk.wait_for_message(
        lambda m: (case.number or "") in m.content and "综合职能" in str(m.buttons), WAIT
    )
    bureaus = await kit.press(desk, card, "综合职能", "请选择承办部门")
    assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区公安分局"))
    async with kit.db.session() as s:
        [row] = (await s.scalars(select(RoutingCorrection))).all()
    assert row.case_id == case.id and row.kind == "returned"  # the desk re-dispatched it

    dry = await learn(kit.db.url, "--out", str(tmp_path / "overlay.toml"))
    assert dry.returncode == 0, dry.stderr
    assert "corrections: 0 case(s)" in dry.stdout
