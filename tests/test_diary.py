"""The public-sentiment diary (民情日记): entries, monthly compliance, the 27th's reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services.clock import FakeClock
from bot.services.diary import (
    MAX_CONTENT_CHARS,
    REMINDER_STATE_KIND,
    DiaryError,
    add_entry,
    compliance,
    leaders_missing_entry,
    list_entries,
    parse_month,
    pending_reminders,
    queue_diary_reminders,
    reminder_due,
    reminder_text,
    validate_entry,
)
from storage.db import Database
from storage.enums import Channel
from storage.models import DiaryEntry, OutboxMessage, Person
from storage.state import load_state

TZ = ZoneInfo("Asia/Shanghai")
#: Long before the month under test, so everybody is assessed for it.
JOINED = datetime(2024, 1, 1, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A district-local wall time as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


async def add_person(
    db: Database,
    name: str,
    *,
    unit_id: str | None,
    role: str = "chief",
    leader_rank: str | None = "deputy_section",
    chat_id: int | None = None,
    active: bool = True,
    created_at: datetime = JOINED,
) -> int:
    async with db.session() as s:
        person = Person(
            name=name,
            unit_id=unit_id,
            role=role,
            leader_rank=leader_rank,
            chat_id=chat_id,
            telegram_user_id=chat_id,
            active=active,
            created_at=created_at,
        )
        s.add(person)
        await s.flush()
        return person.id


class People:
    """The cast of the constructed month (May 2024)."""

    def __init__(self, ids: dict[str, int]) -> None:
        self.ids = ids

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


@pytest.fixture
async def people(db: Database) -> People:
    return People(
        {
            # leaders
            "a": await add_person(db, "张东城", unit_id="dongcheng", chat_id=1001),
            "b": await add_person(db, "李和平", unit_id="dongcheng_heping", chat_id=1002),
            "c": await add_person(db, "王西湖", unit_id="xihu", chat_id=1003),
            "d": await add_person(db, "赵劳动", unit_id="labor", role="staff", chat_id=None),
            "g": await add_person(db, "钱离任", unit_id="xihu", chat_id=1007, active=False),
            "h": await add_person(
                db,
                "孙新任",
                unit_id="dongcheng",
                chat_id=1008,
                created_at=local(2024, 6, 2, 9).astimezone(UTC),
            ),
            # not leaders
            "e": await add_person(
                db, "周干事", unit_id="dongcheng", role="staff", leader_rank=None
            ),
            "f": await add_person(
                db, "吴群众", unit_id=None, role="citizen", leader_rank=None, chat_id=1006
            ),
        }
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(2024, 5, 27, 10).astimezone(UTC))


async def write(
    db: Database, clock: FakeClock, author: int, day: date, text: str = "走访东城三户困难家庭"
) -> None:
    await add_entry(
        db,
        author_id=author,
        visited_on=day,
        content=text,
        channel=Channel.TELEGRAM,
        now=clock.now(),
        tz=TZ,
    )


async def constructed_month(db: Database, clock: FakeClock, p: People) -> None:
    """A: 2 entries in May; B: one on 30 April only; C: one on 27 May; D: none; E (no rank): 1."""
    await write(db, clock, p["a"], date(2024, 5, 3), "走访和平社区三户困难家庭")
    await write(db, clock, p["a"], date(2024, 5, 20))
    await write(db, clock, p["b"], date(2024, 4, 30))
    await write(db, clock, p["c"], date(2024, 5, 27))
    await write(db, clock, p["e"], date(2024, 5, 10))


async def test_compliance_on_a_constructed_month(
    db: Database, clock: FakeClock, people: People
) -> None:
    await constructed_month(db, clock, people)
    report = await compliance(db, "2024-05", tz=TZ)
    got = {row.name: (row.entries, row.met) for row in report.leaders}
    # G is inactive, H joined after May, E and F are no leaders.
    assert got == {
        "张东城": (2, True),
        "李和平": (0, False),
        "王西湖": (1, True),
        "赵劳动": (0, False),
    }
    assert (report.leader_count, report.met_count, report.rate) == (4, 2, 0.5)
    assert report.total_entries == 3
    # Ordered by unit id, then person.
    assert [m.name for m in report.missing] == ["李和平", "赵劳动"]
    heping = next(r for r in report.leaders if r.name == "李和平")
    assert heping.unit_name == "和平社区群众工作室" and heping.leader_rank == "deputy_section"

    april = await compliance(db, "2024-04", tz=TZ)
    assert {r.name: r.entries for r in april.leaders}["李和平"] == 1
    assert april.met_count == 1

    # A street station's figure covers its communities; siblings are left out.
    dongcheng = await compliance(db, "2024-05", "dongcheng", tz=TZ)
    assert {r.name for r in dongcheng.leaders} == {"张东城", "李和平"}
    assert dongcheng.rate == 0.5
    labor = await compliance(db, "2024-05", "labor", tz=TZ)
    assert labor.rate == 0.0
    nobody = await compliance(db, "2024-05", "hearing_room", tz=TZ)
    assert nobody.leaders == [] and nobody.rate is None

    # H is assessed for June, the month they joined in.
    june = await compliance(db, "2024-06", tz=TZ)
    assert "孙新任" in {r.name for r in june.leaders}

    missing = await leaders_missing_entry(db, "2024-05", tz=TZ)
    assert {m.person_id for m in missing} == {people["b"], people["d"]}


async def test_entries_are_stored_with_their_channel(
    db: Database, clock: FakeClock, people: People
) -> None:
    entry = await add_entry(
        db,
        author_id=people["a"],
        visited_on=date(2024, 5, 26),
        content="  了解到小区停车难问题  ",
        channel=Channel.WEB,
        now=clock.now(),
        tz=TZ,
    )
    assert entry.content == "了解到小区停车难问题" and entry.channel == "web"
    await write(db, clock, people["e"], date(2024, 5, 1))
    mine = await list_entries(db, author_id=people["a"], month="2024-05")
    assert [e.id for e in mine] == [entry.id]
    assert len(await list_entries(db, month="2024-05")) == 2
    assert await list_entries(db, month="2024-04") == []


@pytest.mark.parametrize(
    ("content", "day", "reason"),
    [
        ("   \n ", date(2024, 5, 27), "empty"),
        ("字" * (MAX_CONTENT_CHARS + 1), date(2024, 5, 27), "too_long"),
        ("走访", date(2024, 5, 28), "future_date"),
        ("走访", date(2024, 4, 25), "too_old"),
        ("走访", date(2024, 5, 27), "too_short"),
        ("走访！！ 😀", date(2024, 5, 27), "too_short"),
        ("好" * 40, date(2024, 5, 27), "too_short"),
    ],
)
def test_invalid_entries_are_refused_in_chinese(content: str, day: date, reason: str) -> None:
    with pytest.raises(DiaryError) as err:
        validate_entry(content, day, today=date(2024, 5, 27))
    assert err.value.reason == reason
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)


async def test_an_invalid_entry_stores_nothing(
    db: Database, clock: FakeClock, people: People
) -> None:
    with pytest.raises(DiaryError, match="future_date"):
        await write(db, clock, people["a"], date(2024, 5, 28))
    with pytest.raises(DiaryError, match="empty"):
        await write(db, clock, people["a"], date(2024, 5, 27), "")
    async with db.session() as s:
        assert (await s.scalars(select(DiaryEntry))).all() == []


async def test_limits_are_inclusive(db: Database, clock: FakeClock, people: People) -> None:
    longest = ("走访和平社区困难家庭" * MAX_CONTENT_CHARS)[:MAX_CONTENT_CHARS]
    await write(db, clock, people["a"], date(2024, 4, 26), longest)
    await write(db, clock, people["a"], date(2024, 5, 27), "走访三户家庭")
    await write(db, clock, people["a"], date(2024, 5, 27))


async def test_today_is_the_district_calendar_day(db: Database, people: People) -> None:
    # 16:30 UTC on 31 May is already 00:30 on 1 June in Shanghai.
    clock = FakeClock(datetime(2024, 5, 31, 16, 30, tzinfo=UTC))
    await write(db, clock, people["a"], date(2024, 6, 1))
    with pytest.raises(DiaryError, match="future_date"):
        await write(db, clock, people["a"], date(2024, 6, 2))


async def test_who_may_write(db: Database, clock: FakeClock, people: People) -> None:
    with pytest.raises(DiaryError) as err:
        await write(db, clock, people["f"], date(2024, 5, 27))
    assert err.value.reason == "not_bound"
    with pytest.raises(DiaryError) as err:
        await write(db, clock, people["g"], date(2024, 5, 27))
    assert err.value.reason == "unknown_person"
    with pytest.raises(DiaryError) as err:
        await write(db, clock, 999_999, date(2024, 5, 27))
    assert err.value.reason == "unknown_person"


@pytest.mark.parametrize("month", ["2024-13", "2024-5", "May", "", "1899-12"])
def test_bad_months(month: str) -> None:
    with pytest.raises(DiaryError) as err:
        parse_month(month)
    assert err.value.reason == "bad_month"


def test_month_bounds() -> None:
    assert parse_month("2024-12") == (date(2024, 12, 1), date(2025, 1, 1))
    assert parse_month("2024-02") == (date(2024, 2, 1), date(2024, 3, 1))


async def test_unknown_unit_and_bad_month(db: Database) -> None:
    with pytest.raises(DiaryError, match="unknown_unit"):
        await compliance(db, "2024-05", "atlantis")
    with pytest.raises(DiaryError, match="bad_month"):
        await compliance(db, "2024/05")


@pytest.mark.parametrize(
    ("when", "due"),
    [
        (local(2024, 5, 26, 23, 59), None),
        (local(2024, 5, 27, 8, 59), None),
        (local(2024, 5, 27, 9, 0), "2024-05"),
        (local(2024, 5, 28, 7, 0), "2024-05"),
        (local(2024, 5, 31, 23, 59), "2024-05"),
        (local(2024, 6, 1, 0, 0), None),
        (local(2024, 2, 27, 9, 0), "2024-02"),
    ],
)
def test_reminder_window(when: datetime, due: str | None) -> None:
    assert reminder_due(when.astimezone(UTC), TZ) == due


def test_reminder_text_fits_the_day() -> None:
    assert "明天（5月28日）是“民情日”" in reminder_text("李和平", date(2024, 5, 27))
    assert "今天（5月28日）是“民情日”" in reminder_text("李和平", date(2024, 5, 28))
    late = reminder_text("", date(2024, 5, 30))
    assert "已过" in late and late.startswith("【民情日记提醒】您好！")
    assert "李和平同志" in reminder_text("李和平", date(2024, 5, 27))


async def test_the_27th_reminds_leaders_without_an_entry_once(
    db: Database, clock: FakeClock, people: People
) -> None:
    await constructed_month(db, clock, people)
    # Before 09:00 on the 27th nothing is due.
    early = FakeClock(local(2024, 5, 27, 8).astimezone(UTC))
    assert await queue_diary_reminders(db, early.now(), tz=TZ) == []

    preview = await pending_reminders(db, clock.now(), tz=TZ)
    # B has no May entry; D has none either but no chat to reach; A and C wrote.
    assert [(r.person_id, r.chat_id) for r in preview] == [(people["b"], 1002)]

    sent = await queue_diary_reminders(db, clock.now(), tz=TZ)
    assert [(r.person_id, r.month) for r in sent] == [(people["b"], "2024-05")]
    assert "明天（5月28日）" in sent[0].text
    async with db.session() as s:
        rows = (await s.scalars(select(OutboxMessage))).all()
        state = await load_state(s, REMINDER_STATE_KIND, "2024-05")
    assert [(r.chat_id, r.person_id, r.text) for r in rows] == [(1002, people["b"], sent[0].text)]
    assert set(state) == {str(people["b"])}

    # Not twice: later the same day, or on the 28th.
    clock.advance(timedelta(hours=3))
    assert await queue_diary_reminders(db, clock.now(), tz=TZ) == []
    clock.set(local(2024, 5, 28, 9).astimezone(UTC))
    assert await pending_reminders(db, clock.now(), tz=TZ) == []
    # Someone who becomes reachable on the 28th is reminded then, with the day's text.
    new = await add_person(db, "郑新来", unit_id="xihu_jinqiao", chat_id=1009)
    again = await queue_diary_reminders(db, clock.now(), tz=TZ)
    assert [r.person_id for r in again] == [new] and "今天（5月28日）" in again[0].text
    async with db.session() as s:
        assert len((await s.scalars(select(OutboxMessage))).all()) == 2

    # June starts with a clean slate, and B's May reminder does not carry over.
    clock.set(local(2024, 6, 27, 9, 30).astimezone(UTC))
    june = await queue_diary_reminders(db, clock.now(), tz=TZ)
    assert {r.person_id for r in june} == {people["a"], people["b"], people["c"], people["h"], new}
