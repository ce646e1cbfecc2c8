"""Review 35d: charcoal burnt by the writer stays self-harm (F2); a bystander's charcoal
self-harm calls the ambulance first (F4a); the station of the officer who filed a
self-harm warning reads its place beside the privacy summary, never the words (F3)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.triage import FUMES, OTHER_AT_RISK, emergency_of
from config.district import District
from nlp.families import SELF_HARM
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot

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


# --- F3: a self-harm warning's station reads the place beside the summary ---------------

OFFICER = 3555
STATION_CHIEF = 3556
POLICE = 3554

#: Warnings whose words name a public word beside a home, a school dormitory, a hospital
#: ward: private disclosures all the same (review 35d F3).
PRIVATE_WARNINGS = [
    ("李某在自家楼顶扬言要跳楼", "李某"),
    ("辖区居民钱某（电话13800000000）在其居住的12号楼天台扬言轻生，系家暴受害者", "家暴"),
    ("学生小张在学校宿舍说不想活了", "小张"),
    ("赵某在医院病房里说不想活了，他是抑郁症患者", "抑郁症"),
]


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize(("text", "private"), PRIVATE_WARNINGS)
async def test_the_filing_station_reads_a_summary_and_the_place(
    kit: BotKit, text: str, private: str
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(STATION_CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    await kit.handled(officer.send_text(f"/warn {text}"))
    await kit.delivered()
    (case,) = await kit.cases()
    number = case.number or "?"
    assert case.owning_unit_id != "dongcheng"
    card = await chief.wait_for_message(lambda m: number in m.content, WAIT)
    assert "为保护当事人隐私" in card.content, card.content
    assert private not in card.content and "13800000000" not in card.content, card.content
    assert "地点：" in card.content, card.content


@pytest.mark.parametrize("text", OWN_CHARCOAL[:1] + OWN_CHARCOAL[3:4])
async def test_own_charcoal_gets_crisis_care_and_fresh_air(kit: BotKit, text: str) -> None:
    citizen = kit.user(3551, "小周")
    mark = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=mark)
    told = "\n".join(said_since(citizen, mark))
    assert "12356" in told and "您并不孤单" in told, told
    assert "开门窗通风" in told, told
    assert told.index("120") < told.index("110"), told
