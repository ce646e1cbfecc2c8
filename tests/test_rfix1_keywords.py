"""Review 1, R8: leaving place and time words out of 判断依据 is display only.

Whether words name an office's matter (``names_an_office``: a new problem while a
self-harm case is open, the routine matter beside a danger) reads every keyword the
classifier scored, as before the display was filtered; the words shown stay filtered.
"""

from __future__ import annotations

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.services.routine_problems import names_an_office
from config.district import load_district
from tests.factories import CODEC, START

#: Unsure, with a room, and only place and time words among its keywords.
PLACES_ONLY = "楼下门口的事情好几天了"


def test_place_words_still_count_for_the_decision_but_are_not_shown() -> None:
    service = CaseService(None, load_district(), FakeClock(START), CODEC)  # type: ignore[arg-type]
    preview = service.preview(PLACES_ONLY)
    assert preview.unsure and preview.room_name
    assert not {"楼下", "门口"} & set(preview.keywords)
    assert {"楼下", "门口"} <= set(preview.keywords_all)
    assert names_an_office(preview, unsure=True)
