"""Trial 27 N17: danger now written in English is a critical case, as a Chinese one is.

「help! fire at building 5」 over Open311 was filed without a place and answered with
the emergency numbers, but rated by the Chinese rubric, which does not read English:
not critical, nobody alerted. The domain service now reads it (:mod:`nlp.english_danger`
through :func:`bot.services.triage.emergency_of`): critical, the line guessed (fire 119;
drowning, someone unconscious 120; else 110), owned and copied as the same danger
written in Chinese — on every channel, the bot too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.services.triage import emergency_of
from config.district import District
from nlp.english_danger import read
from storage.models import Case, CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import calls
from tests.open311kit import URL, Open311Api
from tests.test_trial26_open311 import api  # noqa: F401 (fixture)


async def _post(api: Open311Api, description: str) -> tuple[Case, dict[str, Any], str]:  # noqa: F811
    resp = await api.client.post(URL, data={"api_key": api.key, "description": description})
    body = await resp.json()
    assert resp.status == 201, body
    async with api.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == body[0]["service_request_id"]))
        assert case is not None
        event = await s.scalar(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.type == "registered")
        )
    assert event is not None and event.data is not None
    return case, event.data, body[0]["service_notice"]


@pytest.mark.parametrize(
    ("english", "chinese", "line"),
    [
        ("help! fire at building 5", "5号楼着火了", "119"),
        ("A child is drowning in the river near the bridge", "桥边河里有小孩落水了", "120"),
        ("An old man is unconscious on the pavement", "有人昏迷不醒了", "120"),
        ("a man with a knife is attacking people outside the mall", "商场门口有人持刀伤人", "110"),
        ("HELP", "救命啊", "110"),
    ],
)
async def test_english_danger_is_critical_and_owned_as_in_chinese(
    api: Open311Api,  # noqa: F811
    district: District,
    english: str,
    chinese: str,
    line: str,
) -> None:
    case, data, notice = await _post(api, english)
    assert (case.severity, case.priority) == ("critical", district.severity_priority["critical"])
    assert data["services"][0] == line and line in notice
    assert notice.startswith("⚠️")
    assert case.address is None  # filed without a place
    same, same_data, _ = await _post(api, chinese)
    # Owned and copied as the same danger in Chinese: the district is alerted.
    assert case.owning_unit_id == same.owning_unit_id
    assert data["emergency"] == same_data["emergency"]
    assert set(data["notify"]) == set(same_data["notify"])
    assert {district.leadership, *district.warning_centres} <= set(data["notify"])


def test_an_english_question_that_asks_for_help_is_no_emergency() -> None:
    """A long polite question with "help" in it is not a cry for help."""
    english = "Could you help me find which office handles pension transfers for foreign workers"
    assert read(english) is None and emergency_of(english) is None
    assert emergency_of("help me please") is not None
    # A Chinese message with an English word in it is the Chinese rubric's to read.
    assert read("请问help中心在哪里办理社保") is None
    assert emergency_of("请问help中心在哪里办理社保") is None


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_bot_files_english_danger_as_critical(kit: BotKit) -> None:
    citizen = kit.user(2751, "John")
    action = citizen.send_text("Help! There is a fire in my building")
    answer = await citizen.wait_for_message(calls("119"), WAIT, since=action)
    assert answer.content.startswith("⚠️")
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
