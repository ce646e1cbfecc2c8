"""``bench scale``'s data: cases with consistent lifecycles, their events and citizens, as rows."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from config.district import District

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 100_000
#: Final status → share of cases (open ones are about a third, as in a busy district).
STATUS_MIX: tuple[tuple[str, float], ...] = (
    ("closed", 0.50),
    ("followed_up", 0.04),
    ("resolved", 0.08),
    ("in_progress", 0.06),
    ("acknowledged", 0.08),
    ("dispatched", 0.17),
    ("returned", 0.03),
    ("reopened", 0.04),
)
#: The events that lead to each final status, in order.
LIFECYCLE: dict[str, tuple[str, ...]] = {
    "dispatched": ("registered", "dispatched"),
    "acknowledged": ("registered", "dispatched", "acknowledged"),
    "in_progress": ("registered", "dispatched", "acknowledged", "in_progress"),
    "resolved": ("registered", "dispatched", "acknowledged", "resolved"),
    "followed_up": ("registered", "dispatched", "acknowledged", "resolved", "followed_up"),
    "closed": ("registered", "dispatched", "acknowledged", "resolved", "followed_up", "closed"),
    "returned": ("registered", "dispatched", "returned"),
    "reopened": ("registered", "dispatched", "acknowledged", "resolved", "followed_up", "reopened"),
}
_TO_STATUS = {
    "registered": "registered",
    "dispatched": "dispatched",
    "acknowledged": "acknowledged",
    "in_progress": "in_progress",
    "resolved": "resolved",
    "followed_up": "followed_up",
    "closed": "closed",
    "returned": "returned",
    "reopened": "reopened",
    "reminded": None,
}
TEXTS = (
    "公司拖欠我三个月工资不发，老板一直找借口",
    "小区路灯坏了一个多月没人修",
    "邻居装修噪音太大，晚上十一点还在施工",
    "孩子上学报名需要什么材料",
    "工厂晚上偷排污水，河里的鱼都死了",
)
CASE_COLUMNS = [
    "id",
    "number",
    "kind",
    "channel",
    "original_text",
    "normalized_text",
    "room",
    "bureau",
    "confidence",
    "keywords",
    "severity",
    "priority",
    "status",
    "owning_unit_id",
    "territorial_unit_id",
    "reporter_id",
    "address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "photo_file_ids",
    "head_count",
    "ack_due_at",
    "first_contact_due_at",
    "resolve_due_at",
    "dispatched_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "escalation_level",
    "escalated_to_unit_id",
    "resolution_note",
    "created_at",
    "updated_at",
    "version",
]
EVENT_COLUMNS = [
    "id",
    "case_id",
    "type",
    "from_status",
    "to_status",
    "unit_id",
    "actor_id",
    "channel",
    "note",
    "data",
    "created_at",
]
PEOPLE_COLUMNS = [
    "id",
    "telegram_user_id",
    "chat_id",
    "name",
    "role",
    "unit_id",
    "leader_rank",
    "phone",
    "blocked_at",
    "active",
    "created_at",
]


@dataclass
class Generated:
    """What the generator wrote."""

    cases: int = 0
    events: int = 0
    people: int = 0
    seconds: float = 0.0
    busiest_unit: str = ""
    sample_case_id: int = 0
    month: str = ""


def _owners(district: District) -> list[str]:
    kinds = {"department_station", "street_station", "park_station", "service_room"}
    kinds |= {"community_room", "residential_room", "centre"}
    return [uid for uid, unit in district.units.items() if unit.kind.value in kinds]


class CaseGenerator:
    """Deterministic rows for cases, events and citizens."""

    def __init__(self, district: District, cases: int, events: int, now: datetime) -> None:
        self.rng = random.Random(20260303)
        self.cases = cases
        self.target_events = events
        self.now = now
        self.owners = _owners(district)
        # A skewed load: the first units get much more than the last ones.
        self.weights = [1.0 / (i + 1) ** 0.6 for i in range(len(self.owners))]
        self.citizens = max(1, cases // 10)
        self.first_person = 1_000
        self.statuses = [s for s, _ in STATUS_MIX]
        self.status_weights = [w for _, w in STATUS_MIX]
        lifecycle_mean = sum(len(LIFECYCLE[s]) * w for s, w in STATUS_MIX)
        self.extra_per_case = max(0.0, events / max(1, cases) - lifecycle_mean)
        self.events_written = 0
        self.unit_counts: dict[str, int] = {}

    def people(self) -> Iterator[tuple[Any, ...]]:
        created = self.now - timedelta(days=800)
        for i in range(self.citizens):
            pid = self.first_person + i
            yield (
                pid,
                5_000_000_000 + pid,
                5_000_000_000 + pid,
                f"群众{pid}",
                "citizen",
                None,
                None,
                None,
                None,
                True,
                created,
            )

    def rows(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
        """Per case: the case row and its event rows (ids assigned in order)."""
        rng = self.rng
        span = timedelta(days=730).total_seconds()
        event_id = 0
        for case_id in range(1, self.cases + 1):
            created = self.now - timedelta(seconds=rng.random() * span)
            owner = rng.choices(self.owners, self.weights)[0]
            self.unit_counts[owner] = self.unit_counts.get(owner, 0) + 1
            status = rng.choices(self.statuses, self.status_weights)[0]
            kind = "warning" if rng.random() < 0.1 else "request"
            severity = (
                rng.choice(("low", "medium", "high", "critical")) if kind == "warning" else "low"
            )
            ack_due = created + timedelta(hours=1 if severity in ("high", "critical") else 24)
            resolve_due = created + timedelta(days=7)
            steps = list(LIFECYCLE[status])
            extra = int(self.extra_per_case) + (rng.random() < self.extra_per_case % 1)
            if status in ("dispatched", "acknowledged", "in_progress", "reopened"):
                steps[2:2] = []  # reminders go at the end for open cases
            steps += ["reminded"] * extra
            times: list[datetime] = []
            t = created
            for _ in steps:
                times.append(t)
                t = t + timedelta(minutes=rng.randint(5, 60 * 24))
            text_ = TEXTS[case_id % len(TEXTS)] + f"（{case_id}）"
            milestones = dict(zip(steps, times, strict=True))
            last = times[-1]
            case_row = (
                case_id,
                f"MQ{created:%Y%m%d}-{case_id:07d}",
                kind,
                "telegram",
                text_,
                text_,
                "livelihood",
                "labor",
                0.8,
                json.dumps(["工资"], ensure_ascii=False),
                severity,
                "normal",
                status,
                owner,
                None,
                self.first_person + rng.randrange(self.citizens),
                None,
                None,
                None,
                None,
                None,
                "[]",
                None,
                ack_due,
                None,
                resolve_due,
                milestones.get("dispatched"),
                milestones.get("acknowledged"),
                milestones.get("resolved"),
                milestones.get("closed"),
                0,
                None,
                None,
                created,
                last,
                len(steps),
            )
            events: list[tuple[Any, ...]] = []
            prev: str | None = None
            for type_, at in zip(steps, times, strict=True):
                event_id += 1
                to = _TO_STATUS[type_]
                data: dict[str, Any] = {}
                if type_ == "acknowledged":
                    data = {"on_time": at <= ack_due}
                elif type_ == "resolved":
                    data = {"on_time": at <= resolve_due}
                elif type_ == "followed_up":
                    data = {
                        "solved": rng.random() < 0.85,
                        "satisfaction": rng.choice(
                            ("satisfied", "satisfied", "basically_satisfied", "unsatisfied")
                        ),
                    }
                events.append(
                    (
                        event_id,
                        case_id,
                        type_,
                        prev if to else None,
                        to,
                        owner,
                        None,
                        "system",
                        None,
                        json.dumps(data),
                        at,
                    )
                )
                if to:
                    prev = to
            self.events_written += len(events)
            yield case_row, events


def batches(
    gen: CaseGenerator,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int | None]]:
    """The generated rows in loads of about ``4 * BATCH`` events.

    Yields ``(cases, events, last case id)``; the last load (possibly empty) has
    ``None`` for the id.
    """
    cases: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for case_row, event_rows in gen.rows():
        cases.append(case_row)
        events.extend(event_rows)
        if len(events) >= BATCH * 4:
            yield cases, events, case_row[0]
            cases, events = [], []
    yield cases, events, None
