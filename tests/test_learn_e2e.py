"""End to end (issue 14): a station returns a misrouted case, the desk re-assigns it, and
``minqing lexicon learn`` reads the correction — but one case alone proposes no rule
(trial 25 T14), and nothing is written until ``--apply``."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.notifications import DISTRICT_TZ
from config.district import District
from nlp import classify
from nlp.lexicon import LOCAL_OVERLAY_PATH
from storage.enums import CaseStatus, Role
from storage.models import RoutingCorrection
from tests.botkit import BotKit, sqlite_bot
from tests.conftest import REPO_ROOT
from tests.test_bot_station import card_of, file_request

CITIZEN = 1001
CHIEF = 2001
DESK = 2002
#: Idle land a developer holds unbuilt is the land bureau's (闲置土地); the packaged
#: lexicon says 建设局, confidently.
SIGNALS = "开发商拿地后一直不动工，地荒了好几年"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def learn(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``minqing lexicon learn ARGS`` as a user runs it (the bot keeps running meanwhile)."""
    return await asyncio.to_thread(_learn, db_url, *args)


def _learn(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_")}
    env.update(
        {"DATABASE_URL": db_url, "PYTHONPATH": str(REPO_ROOT), "MINQING_LEXICON_OVERLAY": ""}
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "lexicon", "learn", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_a_returned_and_reassigned_case_is_read_but_alone_teaches_nothing(
    kit: BotKit, tmp_path: Path
) -> None:
    before = classify(SIGNALS)
    assert (before.bureau, before.confidence >= 0.6) == ("construction", True)
    chief = kit.user(CHIEF, "建设局站长")
    await kit.bind(chief, "construction", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, "service_centre", Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")

    case = await file_request(kit, citizen, SIGNALS)
    assert case.owning_unit_id == "construction"
    card = await card_of(chief, case)
    await kit.press(chief, card, "退单", "退单理由")
    await kit.say(chief, "闲置土地归国土分局处置，请转国土分局", "已退单")
    desk_card = await desk.wait_for_message(
        lambda m: (case.number or "") in m.content and "综合职能" in str(m.buttons), 10
    )
    bureaus = await kit.press(desk, desk_card, "综合职能", "请选择承办部门")
    assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区国土分局"))
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "land")

    async with kit.db.session() as s:
        [row] = (await s.scalars(select(RoutingCorrection))).all()
    assert (row.kind, row.classified_bureau, row.final_bureau) == (
        "returned",
        "construction",
        "land",
    )

    overlay = tmp_path / "lexicon.local.toml"
    local_existed = LOCAL_OVERLAY_PATH.exists()
    dry = await learn(kit.db.url, "--out", str(overlay))
    assert dry.returncode == 0, dry.stderr
    out = dry.stdout
    assert "corrections: 1 case(s)" in out and "退单后改派 1" in out
    assert "区建设局 -> 区国土分局: 1" in out
    # One case teaches nothing (trial 25 T14): a rule needs three corrections by three people.
    assert "routed right on the corrections learnt from: before 0/1, after 0/1" in out
    assert "held-out corrections: none yet" in out
    assert "citizen_messages.tsv: before room" in out and "warnings.tsv" in out
    assert "nothing to learn" in out
    assert not [line for line in out.splitlines() if line.startswith("+when")]
    assert "dry run: nothing written" in out
    assert not overlay.exists()
    assert LOCAL_OVERLAY_PATH.exists() == local_existed
    async with kit.db.session() as s:
        assert (await s.scalar(select(RoutingCorrection.learnt_at))) is None

    assert "not learnable yet (1 correction(s)): 纠正到区国土分局的仅1件、1人" in out

    # Applying takes in nothing: the one correction waits for more of its kind (stop 25:
    # marking it learnt hid it although nothing was learnt from it).
    applied = await learn(kit.db.url, "--out", str(overlay), "--apply")
    assert applied.returncode == 0, applied.stderr
    assert "written:" not in applied.stdout and "marked learnt: 0" in applied.stdout
    assert not overlay.exists()
    async with kit.db.session() as s:
        assert (await s.scalar(select(RoutingCorrection.learnt_at))) is None
    # --since counts from the day the correction was made (the service's clock).
    next_day = (row.created_at.astimezone(DISTRICT_TZ) + timedelta(days=1)).date().isoformat()
    later = await learn(kit.db.url, "--out", str(overlay), "--since", next_day)
    assert f"corrections: 0 case(s) since {next_day}" in later.stdout
