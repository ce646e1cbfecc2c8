"""Review 35d: charcoal burnt by the writer stays self-harm (F2); a bystander's charcoal
self-harm calls the ambulance first (F4a)."""

from __future__ import annotations

import pytest

from bot.services.triage import FUMES, OTHER_AT_RISK, emergency_of
from nlp.families import SELF_HARM

#: The writer's own charcoal (review 35d F2): self-harm, never an accident.
OWN_CHARCOAL = [
    "我在家烧炭取暖，想就这样睡过去",
    "我在屋里烧炭取暖，睡着就不会醒了",
    "我在出租屋烧炭，屋里好暖和，就这样睡过去吧",
    "我用炭盆烧炭，把门缝都贴上胶带了",
    "我在车里烧炭取暖",
    "我在屋里生了炭盆，不想活了，头已经晕了",
]


@pytest.mark.parametrize("text", OWN_CHARCOAL)
def test_own_charcoal_is_self_harm(text: str) -> None:
    found = emergency_of(text)
    assert found is not None
    assert found.kind == SELF_HARM
    assert found.services[0] == "120"


@pytest.mark.parametrize(
    "text",
    [
        "我爸在家烧炭取暖，现在叫不醒了",
        "老人在屋里烧炭取暖晕倒了",
        "两个工人在工棚里烧炭取暖，昏迷了",
    ],
)
def test_someone_else_overcome_is_fumes(text: str) -> None:
    found = emergency_of(text)
    assert found is not None
    assert found.kind == FUMES
    assert found.services[:2] == ("120", "110")


@pytest.mark.parametrize(
    "text",
    [
        "我爸在屋里烧炭取暖，门缝都贴上胶带了，现在叫不醒了",
        "我爸在车里烧炭取暖，叫不醒了",
        "我妈在屋里生了炭盆，说不想活了，已经晕了",
    ],
)
def test_someone_else_with_a_sign_is_self_harm(text: str) -> None:
    found = emergency_of(text)
    assert found is not None
    assert found.kind == OTHER_AT_RISK
    assert found.services[:2] == ("120", "110")


@pytest.mark.parametrize(
    "text",
    ["我老公把自己锁在房间里烧炭，用胶带封了门缝", "我妈在屋里烧炭，门窗都封上了，说活够了"],
)
def test_bystander_charcoal_calls_the_ambulance_first(text: str) -> None:
    found = emergency_of(text)
    assert found is not None
    assert found.kind == OTHER_AT_RISK
    assert found.services[:2] == ("120", "110")
    line = found.line
    assert "120" in line and line.index("120") < line.index("110")
    assert "通风" in line
