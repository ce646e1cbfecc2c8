"""Which routing corrections ``minqing lexicon learn`` can learn from, and why not.

One rule for the command (``bot/cli/learn.py``) and the district office's routing page
(:mod:`bot.services.routing_stats`), so that what the page calls "waiting" is what the
command reads. A correction that disagrees with the classifier is, for learning:

* **left out** (``excluded``), with a reason, and never learnt from:

  - ``critical``: a danger to life is routed by its danger, not its words (trial 25 T14);
  - ``open311``: an Open311 caller's service_code is another system's category, not a
    citizen's correction;
  - ``no_room``: it went to no service room (no room/bureau to learn words for);
  - ``held_out``: one correction in :data:`nlp.learn.HOLD_OUT_EVERY` (a stable hash of
    its text) measures the proposal and teaches nothing (the command still reads it,
    for the honest figure);

* **not learnable yet** (``too_few``): where it belonged has fewer than
  :data:`nlp.learn.MIN_SUPPORT` corrections, or they come from fewer than that many
  people — a word is learnt only from that many texts by that many reporters, so the
  command can propose nothing for it until more corrections of the same kind come;
* **waiting** (``waiting``): enough corrections by enough people: the next run weighs
  it (whether a word comes of it depends on the words the texts share).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from config.district import District
from nlp.learn import MIN_SUPPORT, Correction, held_out
from storage.db import Database
from storage.models import Case, RoutingCorrection

__all__ = [
    "EXCLUDED_REASONS",
    "CorrectionFacts",
    "LearnStatus",
    "Verdict",
    "correction_facts",
    "left_out",
    "sort_out",
]

LearnStatus = Literal["waiting", "too_few", "excluded"]

EXCLUDED_REASONS: dict[str, str] = {
    "critical": "涉及人身安全的紧急事项，按危险类别派单，不从其用词学习",
    "open311": "Open311 接入系统自带的分类，不是群众本人的纠正",
    "no_room": "最终承办不属于任何服务室，没有可学的部门",
    "held_out": "留作检验（每4件抽1件检验学习效果），不用于学习",
}
"""Why a correction is left out of learning, as the routing page says it."""


@dataclass(frozen=True, slots=True)
class CorrectionFacts:
    """What learning needs to know of one correction (the latest of its case)."""

    id: int
    text: str
    classified_room: str
    classified_bureau: str
    final_room: str
    final_bureau: str
    reporter: str
    """Who wrote the text ("" when unknown: counted as a person of its own)."""
    severity: str
    channel: str
    kind: str

    def correction(self) -> Correction:
        """The pure learner's view of it."""
        return Correction(
            self.text,
            self.classified_room,
            self.classified_bureau,
            self.final_room,
            self.final_bureau,
            self.reporter,
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """A correction's place in learning: ``status``, a reason code, and the reason in words."""

    status: LearnStatus
    reason: str = ""
    why: str = ""


async def correction_facts(
    db: Database, rows: Sequence[RoutingCorrection]
) -> list[CorrectionFacts]:
    """``rows`` with what learning needs of their cases (level, channel, reporter); a row
    whose case is gone is dropped."""
    async with db.read() as s:
        found = await s.execute(
            select(Case.id, Case.severity, Case.channel, Case.reporter_id).where(
                Case.id.in_([r.case_id for r in rows])
            )
        )
        cases = {i: (sev, ch, rep) for i, sev, ch, rep in found.all()}
    return [
        CorrectionFacts(
            r.id,
            r.text,
            r.classified_room,
            r.classified_bureau,
            r.final_room,
            r.final_bureau,
            str(cases[r.case_id][2] or ""),
            cases[r.case_id][0],
            cases[r.case_id][1],
            r.kind,
        )
        for r in rows
        if r.case_id in cases
    ]


def left_out(facts: CorrectionFacts, rooms: Sequence[str] | set[str]) -> str | None:
    """The reason ``lexicon learn`` never reads ``facts`` (``critical``, ``open311``,
    ``no_room``), or None. Held-out corrections are read (they are the honest figure)."""
    if facts.severity == "critical":
        return "critical"
    if facts.kind == "citizen" and facts.channel == "open311":
        return "open311"
    if facts.final_room not in rooms:
        return "no_room"
    return None


def sort_out(items: Sequence[CorrectionFacts], district: District) -> dict[int, Verdict]:
    """Each disagreeing correction's verdict (by id); agreeing ones are not in the result.

    Args:
        items: the latest correction of each case (learnt already or not: they all
            count towards the support of where they belonged, as in the command).
        district: the organisation (its rooms, and the names in the reasons).
    """
    rooms = set(district.rooms)
    names = {r: v.name for r, v in district.rooms.items()}
    names.update({b: v.name for b, v in district.bureaus.items()})
    verdicts: dict[int, Verdict] = {}
    support: dict[str, tuple[int, set[str]]] = {}
    candidates: list[tuple[CorrectionFacts, str]] = []
    for facts in items:
        c = facts.correction()
        if c.agrees:
            continue
        reason = left_out(facts, rooms) or ("held_out" if held_out(c) else None)
        if reason is not None:
            verdicts[facts.id] = Verdict("excluded", reason, EXCLUDED_REASONS[reason])
            continue
        count, people = support.get(c.target, (0, set()))
        people.add(facts.reporter or f"#{facts.id}")
        support[c.target] = (count + 1, people)
        candidates.append((facts, c.target))
    for facts, target in candidates:
        count, people = support[target]
        if count >= MIN_SUPPORT and len(people) >= MIN_SUPPORT:
            verdicts[facts.id] = Verdict("waiting")
            continue
        where = names.get(target.rsplit("/", 1)[-1], target)
        verdicts[facts.id] = Verdict(
            "too_few",
            "too_few",
            f"纠正到{where}的仅{count}件、{len(people)}人，"
            f"需至少{MIN_SUPPORT}件、来自至少{MIN_SUPPORT}人",
        )
    return verdicts
