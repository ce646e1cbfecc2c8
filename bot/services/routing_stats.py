"""Routing figures for the district office: accuracy by month, confusions, what to learn.

* **Accuracy by month** (by the month a request was filed): of the requests that
  have reached an owner, how many had their *first* dispatch go to the unit
  that owns them now (first dispatch = final owner). Requests still waiting at
  the dispatcher desk are left out until dispatched.
* **Confusions**: the classifier's bureau → the bureau where the case finally
  belonged, counted over the latest correction of each case that disagreed.
* **What learning makes of the corrections** not yet taken in by
  ``minqing lexicon learn --apply`` (:mod:`bot.services.learning`): waiting (enough
  corrections by enough people for the next run to weigh), not learnable yet (too few
  corrections or people for where they belonged, with the counts), and left out (a
  critical case, an Open311 category, no service room, held out to measure), each
  with its reason: a correction the command cannot learn from is never shown as
  waiting for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services.corrections import latest_corrections
from bot.services.learning import correction_facts, sort_out
from config.district import District
from storage.db import Database
from storage.enums import CaseKind
from storage.models import Case, CaseEvent, RoutingCorrection

__all__ = [
    "Confusion",
    "MonthAccuracy",
    "PendingCorrection",
    "RoutingFigures",
    "routing_figures",
]


@dataclass(frozen=True, slots=True)
class MonthAccuracy:
    """One month's routing accuracy.

    ``first_right`` + :attr:`redirected` = ``dispatched``. ``corrected`` is another
    count, not a part of them: requests whose classifier's office was corrected
    (by the reporter's own choice at filing, or by the desk on dispatch), which
    may well have gone right the first time (a citizen who picked the office).
    """

    month: str
    dispatched: int
    first_right: int
    corrected: int

    @property
    def redirected(self) -> int:
        """Dispatched requests whose first dispatch was not their final owner (转派)."""
        return self.dispatched - self.first_right

    @property
    def accuracy(self) -> float | None:
        """first_right / dispatched, or None for a month without dispatched requests."""
        return self.first_right / self.dispatched if self.dispatched else None


@dataclass(frozen=True, slots=True)
class Confusion:
    """The classifier said ``said``; the case belonged to ``was``, ``count`` times."""

    said: str
    said_name: str
    was: str
    was_name: str
    count: int


@dataclass(frozen=True, slots=True)
class PendingCorrection:
    """A correction not yet taken in by ``lexicon learn --apply``; ``why`` says why it
    cannot be learnt from (yet), empty when it waits for the next run."""

    case_id: int
    number: str
    kind: str
    said_name: str
    was_name: str
    confidence: float
    created_at: datetime
    why: str = ""


@dataclass(frozen=True, slots=True)
class RoutingFigures:
    """What the routing page shows: ``pending`` waits for the next ``lexicon learn``;
    ``not_yet`` cannot be learnt from until more corrections of the same kind come;
    ``left_out`` is never learnt from."""

    months: list[MonthAccuracy]
    confusions: list[Confusion]
    pending: list[PendingCorrection]
    not_yet: list[PendingCorrection]
    left_out: list[PendingCorrection]


def _disagrees(row: RoutingCorrection) -> bool:
    if row.final_bureau and row.final_bureau != "unknown":
        return row.classified_bureau != row.final_bureau
    return row.classified_room != row.final_room


def _month_keys(now: datetime, tz: ZoneInfo, months: int) -> list[str]:
    local = now.astimezone(tz)
    year, month = local.year, local.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


async def routing_figures(
    db: Database,
    district: District,
    now: datetime,
    tz: ZoneInfo,
    *,
    months: int = 12,
    top: int = 10,
) -> RoutingFigures:
    """The routing page's figures over the last ``months`` months (the clock's ``now``)."""
    keys = _month_keys(now, tz, months)
    start = datetime.fromisoformat(f"{keys[0]}-01").replace(tzinfo=tz) - timedelta(days=1)
    async with db.session() as s:
        events = (
            await s.execute(
                select(Case.id, Case.created_at, Case.owning_unit_id, CaseEvent.unit_id)
                .join(CaseEvent, CaseEvent.case_id == Case.id)
                .where(
                    Case.kind == CaseKind.REQUEST.value,
                    Case.created_at >= start,
                    CaseEvent.type == "dispatched",
                )
                .order_by(CaseEvent.id)
            )
        ).all()
        numbers = dict(
            (await s.execute(select(Case.id, Case.number).where(Case.created_at >= start))).all()
        )
    first: dict[int, tuple[datetime, str, str | None]] = {}
    for case_id, created_at, owner, unit_id in events:
        first.setdefault(case_id, (created_at, owner, unit_id))
    corrected_cases = {r.case_id for r in await latest_corrections(db, start) if _disagrees(r)}
    tally = {k: [0, 0, 0] for k in keys}
    for case_id, (created_at, owner, unit_id) in first.items():
        key = created_at.astimezone(tz).strftime("%Y-%m")
        if key not in tally or owner == district.dispatcher:
            continue
        tally[key][0] += 1
        tally[key][1] += int(unit_id == owner)
        tally[key][2] += int(case_id in corrected_cases)
    month_rows = [MonthAccuracy(k, *tally[k]) for k in keys]

    names = {b: v.name for b, v in district.bureaus.items()}
    names.update({r: f"{v.name}（未定部门）" for r, v in district.rooms.items()})
    latest = await latest_corrections(db)
    counts: dict[tuple[str, str], int] = {}
    for row in latest:
        if _disagrees(row):
            was = row.final_bureau if row.final_bureau != "unknown" else row.final_room
            said = row.classified_bureau
            counts[(said, was)] = counts.get((said, was), 0) + 1
    confusions = [
        Confusion(said, names.get(said, "未分类"), was, names.get(was, was), n)
        for (said, was), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ]
    verdicts = sort_out(await correction_facts(db, latest), district)
    lists: dict[str, list[PendingCorrection]] = {"waiting": [], "too_few": [], "excluded": []}
    for r in latest:
        verdict = verdicts.get(r.id)
        if r.learnt_at is not None or verdict is None:
            continue
        lists[verdict.status].append(
            PendingCorrection(
                r.case_id,
                numbers.get(r.case_id) or f"#{r.case_id}",
                r.kind,
                names.get(r.classified_bureau, "未分类"),
                names.get(
                    r.final_bureau if r.final_bureau != "unknown" else r.final_room,
                    r.final_bureau,
                ),
                r.confidence,
                r.created_at,
                verdict.why,
            )
        )
    return RoutingFigures(
        month_rows, confusions, lists["waiting"], lists["too_few"], lists["excluded"]
    )
