"""Open311 GeoReport v2, the service side: services, records and searching requests.

Filing a request is in :mod:`bot.web.open311_submit`.

Pure functions and queries behind the routes of :mod:`bot.web.open311`, where
the decisions (services are bureaus, what ``open``/``closed`` mean, privacy,
search defaults) are described. Nothing here knows HTTP, JSON or XML.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services.cases import CaseService
from bot.services.clock import Clock
from bot.services.lifecycle import status_label
from bot.services.triage import is_self_harm
from bot.web.open311_public import (
    CRITICAL,
    PUBLIC_CHANNELS,
    general_address,
    is_withheld,
    public_coordinate,
    public_text,
    rated_levels,
)
from bot.web.throttle import Throttle
from config.district import District
from config.settings import DEFAULT_HTTP_PORT
from storage import open311_filings
from storage.db import Database
from storage.enums import CaseKind, CaseStatus
from storage.models import Case

log = logging.getLogger(__name__)

PREFIX = "/open311/v2"
#: Statuses shown as ``closed``: the bureau's work is done.
CLOSED_STATUSES = frozenset(
    {
        CaseStatus.RESOLVED,
        CaseStatus.FOLLOWED_UP,
        CaseStatus.CLOSED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    }
)
#: Statuses shown as ``open``.
OPEN311_OPEN = frozenset(CaseStatus) - CLOSED_STATUSES
DEFAULT_SPAN = timedelta(days=90)
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 100
MAX_ADDRESS = 500
MAX_MEDIA_URL = 1000
KEYWORDS_PER_SERVICE = 8
#: The answer to a description that is small talk (你好, 谢谢, 👍) or too vague (我有个问题).
NOT_A_REQUEST = (
    "description 未登记为诉求：请写明发生在哪里、什么事、持续多久，"
    "例如“幸福小区3号楼门口的路灯坏了一个月，晚上看不清路”。"
)

#: The GeoReport v2 specification, as named in the service discovery document.
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint last changed (service discovery ``changeset``).
CHANGESET = "2026-11-27T00:00:00Z"


class Open311Error(Exception):
    """A request the API refuses, reported as ``[{"code": ..., "description": ...}]``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        self.status = status
        self.description = description
        #: Seconds for the ``Retry-After`` header of a 429.
        self.retry_after = retry_after
        super().__init__(f"{status}: {description}")


def lexicon_keywords(limit: int = KEYWORDS_PER_SERVICE) -> dict[str, tuple[str, ...]]:
    """The strongest hand-written keywords of each bureau, from the packaged lexicon.

    Returns an empty mapping when the lexicon cannot be loaded: keywords are optional.
    """
    try:
        from nlp.lexicon import default_lexicon

        lexicon = default_lexicon()
        out: dict[str, tuple[str, ...]] = {}
        for (_room, bureau), words in lexicon.bureau_keywords.items():
            ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
            out[bureau] = tuple(w for w, weight in ranked[:limit] if weight > 0)
        return out
    except Exception as exc:  # optional decoration: never break the API over it
        log.warning("open311: no lexicon keywords for services: %s", type(exc).__name__)
        return {}


#: The public URL when none is configured (as :func:`config.settings.load_settings`).
DEFAULT_PUBLIC_URL = f"http://127.0.0.1:{DEFAULT_HTTP_PORT}"


@dataclass
class Open311Context:
    """What the Open311 routes need from the running service."""

    cases: CaseService
    db: Database
    district: District
    clock: Clock
    keywords: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: Where clients reach the service (``MINQING_PUBLIC_URL``), for the discovery document.
    public_url: str = DEFAULT_PUBLIC_URL
    #: Per-key limits (``o311_*`` rules of :class:`bot.web.throttle.Throttle`).
    throttle: Throttle = field(default_factory=Throttle)

    @classmethod
    def from_service(
        cls, cases: CaseService, *, keywords: bool = True, public_url: str = DEFAULT_PUBLIC_URL
    ) -> Open311Context:
        """A context sharing the case service's database, district and clock."""
        return cls(
            cases=cases,
            db=cases.db,
            district=cases.district,
            clock=cases.clock,
            keywords=lexicon_keywords() if keywords else {},
            public_url=public_url,
        )

    @property
    def tz(self) -> ZoneInfo:
        """The district's time zone."""
        return self.cases.tz


# --- the service side: pure functions and queries ------------------------------------


def open311_status(status: str) -> str:
    """``open`` or ``closed`` for one of our statuses (see the module docstring)."""
    return "closed" if status in CLOSED_STATUSES else "open"


def _iso(when: datetime | None, tz: ZoneInfo) -> str | None:
    return None if when is None else when.astimezone(tz).isoformat(timespec="seconds")


def list_services(ctx: Open311Context) -> list[dict[str, Any]]:
    """Every bureau as an Open311 service, in config order."""
    out: list[dict[str, Any]] = []
    for room in ctx.district.rooms.values():
        for bureau in room.bureaus.values():
            out.append(
                {
                    "service_code": bureau.id,
                    "service_name": bureau.name,
                    "description": f"{room.name}·{bureau.name}受理的群众诉求"
                    + (f"（{room.address}）" if room.address else ""),
                    "metadata": False,
                    "type": "realtime",
                    "keywords": ",".join(ctx.keywords.get(bureau.id, ())),
                    "group": room.name,
                }
            )
    return out


def discovery(ctx: Open311Context, base_url: str) -> dict[str, Any]:
    """The service discovery document: where the v2 endpoint is and what it speaks."""
    desk = ctx.district.units[ctx.district.dispatcher]
    return {
        "changeset": CHANGESET,
        "contact": " ".join(x for x in (ctx.district.name, desk.name, desk.phone) if x),
        "key_service": "接口密钥（api_key）请向区群工办申请。",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url.rstrip("/") + PREFIX,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service_definition(ctx: Open311Context, code: str) -> dict[str, Any]:
    """The definition of one service: no extra attributes.

    Raises:
        Open311Error: 404 for an unknown service code.
    """
    if code not in ctx.district.bureaus:
        raise Open311Error(404, f"unknown service_code: {code}")
    return {"service_code": code, "attributes": []}


#: What a danger-to-life case shows instead of its words (self-harm, a person in danger).
WITHHELD = "（涉及人身安全，内容不公开）"


def request_record(ctx: Open311Context, case: Case, rated: str | None = None) -> dict[str, Any]:
    """One case as a public Open311 service request (no personal data).

    Names, house numbers and phone numbers masked, the address generalised and
    the coordinates rounded (:mod:`bot.web.open311_public`).

    A withheld case (:func:`is_withheld`: critical, rated critical, or a private
    disclosure) is never in a search; asked for by its number it shows its status
    and owner only: no words, no place, no result note, no photo.
    """
    bureau = ctx.district.bureaus.get(case.bureau)
    room = ctx.district.rooms.get(case.room)
    notes = status_label(case.status)
    withheld = is_withheld(case, rated)
    area = ctx.district.units.get(case.territorial_unit_id or "")
    if case.resolution_note and case.status in CLOSED_STATUSES and not withheld:
        notes += f"：{public_text(case.resolution_note, case.contact_name)}"
    media = next(
        (str(p) for p in case.photo_file_ids or () if str(p).startswith(("https://", "http://"))),
        None,
    )
    record = {
        "service_request_id": case.number or str(case.id),
        "status": open311_status(case.status),
        "status_notes": notes,
        "service_name": bureau.name if bureau else (room.name if room else "待分派"),
        "service_code": bureau.id if bureau else None,
        "description": public_text(case.original_text, case.contact_name),
        "agency_responsible": ctx.cases.unit_name(case.owning_unit_id),
        "service_notice": None,
        "requested_datetime": _iso(case.created_at, ctx.tz),
        "updated_datetime": _iso(case.updated_at, ctx.tz),
        "expected_datetime": _iso(case.resolve_due_at, ctx.tz),
        "address": general_address(case.address, area.name if area else None),
        "address_id": None,
        "zipcode": None,
        "lat": public_coordinate(case.latitude),
        "long": public_coordinate(case.longitude),
        "media_url": media,
    }
    if withheld:
        record.update(description=WITHHELD, address=None, lat=None, long=None, media_url=None)
        if is_self_harm(case.original_text):
            record["expected_datetime"] = None  # no deadline toward a person in crisis (N8)
    return record


#: The dates a search may name (beyond them date arithmetic overflows).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def parse_when(text: str, tz: ZoneInfo, *, end: bool = False) -> datetime:
    """An ISO 8601 date or time; without an offset it is read in ``tz``.

    A bare date means its first instant, or with ``end`` its last instant (so
    that ``end_date=2026-03-31`` includes the whole day).

    Raises:
        ValueError: not ISO 8601.
    """
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        start = datetime.combine(day, time(0), tzinfo=tz)
        return start + timedelta(days=1, microseconds=-1) if end else start
    if len(text) > 19 and text[-6] == " ":
        # "+08:00" arrives as " 08:00" when a client forgets to encode the plus sign.
        text = text[:-6] + "+" + text[-5:]
    when = datetime.fromisoformat(text)
    return when if when.tzinfo is not None else when.replace(tzinfo=tz)


@dataclass(frozen=True)
class RequestQuery:
    """The filters of ``GET requests``, checked."""

    numbers: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()
    limit: int = MAX_RESULTS


def _comma_list(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in (value or "").split(",") if v.strip()))


def parse_request_query(ctx: Open311Context, params: Mapping[str, str]) -> RequestQuery:
    """Check the search parameters and apply the defaults.

    Raises:
        Open311Error: 400 for a malformed date or status, or a span over 90 days.
    """
    numbers = _comma_list(params.get("service_request_id"))
    if len(numbers) > MAX_IDS:
        raise Open311Error(400, f"at most {MAX_IDS} service_request_id values")
    if numbers:
        return RequestQuery(numbers=numbers)
    wanted = _comma_list(params.get("status"))
    for s in wanted:
        if s not in ("open", "closed"):
            raise Open311Error(400, "status must be open, closed or open,closed")
    statuses: set[str] = set()
    if "open" in wanted:
        statuses |= {s.value for s in OPEN311_OPEN}
    if "closed" in wanted:
        statuses |= {s.value for s in CLOSED_STATUSES}
    try:
        start = parse_when(params["start_date"], ctx.tz) if params.get("start_date") else None
        end = parse_when(params["end_date"], ctx.tz, end=True) if params.get("end_date") else None
    except (ValueError, OverflowError):
        raise Open311Error(400, "start_date and end_date must be ISO 8601") from None
    for when in (start, end):
        if when is not None and not EARLIEST <= when <= LATEST:
            raise Open311Error(400, "start_date and end_date must lie between 2000 and 2100")
    if end is None:
        end = start + DEFAULT_SPAN if start is not None else ctx.clock.now()
    if start is None:
        start = end - DEFAULT_SPAN
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > MAX_SPAN + timedelta(days=1):
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return RequestQuery(
        service_codes=_comma_list(params.get("service_code")),
        start=start,
        end=end,
        statuses=frozenset(statuses),
    )


async def find_requests(
    ctx: Open311Context, query: RequestQuery, api_key_id: int
) -> list[dict[str, Any]]:
    """Public requests matching ``query`` that the key ``api_key_id`` filed, newest first.

    A partner reads back its own requests and nothing of another partner's, not even
    that a number exists (trial 33 D15, ``docs/open311.md``)."""
    stmt = select(Case).where(
        Case.kind == CaseKind.REQUEST.value,
        Case.channel.in_(PUBLIC_CHANNELS),
        Case.id.in_(open311_filings.filed_by(api_key_id)),
    )
    if query.numbers:
        stmt = stmt.where(Case.number.in_(list(query.numbers)))
    else:
        if query.start is not None:
            stmt = stmt.where(Case.created_at >= query.start)
        if query.end is not None:
            stmt = stmt.where(Case.created_at <= query.end)
        if query.statuses:
            stmt = stmt.where(Case.status.in_(sorted(query.statuses)))
        if query.service_codes:
            stmt = stmt.where(Case.bureau.in_(list(query.service_codes)))
        stmt = stmt.where(Case.severity != CRITICAL)
    stmt = stmt.order_by(Case.created_at.desc(), Case.id.desc())
    records: list[dict[str, Any]] = []
    offset = 0
    async with ctx.db.session() as s:
        # A search leaves out the withheld cases the query cannot tell (their level
        # rated or their words): read on until the page is full or the rows end.
        while len(records) < query.limit:
            rows = list((await s.scalars(stmt.offset(offset).limit(query.limit))).all())
            rated = await rated_levels(s, [c.id for c in rows])
            for case in rows:
                if query.numbers or not is_withheld(case, rated.get(case.id)):
                    records.append(request_record(ctx, case, rated.get(case.id)))
            offset += len(rows)
            if len(rows) < query.limit:
                break
    return records[: query.limit]


async def get_request(ctx: Open311Context, number: str, api_key_id: int) -> dict[str, Any]:
    """One public citizen's request by case number, filed with the key ``api_key_id``.

    Raises:
        Open311Error: 404 when there is none, or it is an early warning, a
            request from Telegram or the web form (:mod:`bot.web.open311_public`)
            or one another partner's key filed.
    """
    found = await find_requests(ctx, RequestQuery(numbers=(number,), limit=1), api_key_id)
    if not found:
        raise Open311Error(404, f"unknown service_request_id: {number}")
    return found[0]
