"""``minqing lexicon learn``: the district's routing corrections as a reviewable lexicon change.

Reads the latest correction of each case (``routing_corrections``) — never of a
critical case, nor an Open311 caller's service_code — asks
:func:`nlp.learn.propose` for overlay rules, and prints: the corrections by kind,
the most frequent confusions, how many corrections the lexicon routes right
before and after, the fixed evaluation sets before and after, the overlay's
unified diff, and which corrections it cannot learn from yet or leaves out, and why
(:mod:`bot.services.learning`, the routing page's rule). Nothing is written without
``--apply``; with it the overlay file (``--out``, else ``MINQING_LEXICON_OVERLAY``,
else ``config/lexicon.local.toml``) is written and the corrections it took in are
marked learnt — all it read but those not learnable yet, which wait for more of
their kind. A running service loads the overlay at its next start.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import REPO_ROOT
from bot.cli.common import db_clock, fail, load_config, with_db
from config.district import District
from config.settings import Settings

if TYPE_CHECKING:  # `minqing classify` imports this module; the database stack stays out
    from bot.services.learning import CorrectionFacts
    from storage.db import Database

__all__ = ["register"]

_REPO = REPO_ROOT
EVAL_SETS = (
    _REPO / "tests" / "data" / "citizen_messages.tsv",
    _REPO / "tests" / "data" / "warnings.tsv",
)
"""The fixed evaluation sets printed before and after (also the background texts)."""


def register(lexicon_actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``learn`` to the actions of ``minqing lexicon``."""
    p = lexicon_actions.add_parser(
        "learn",
        help="propose lexicon rules from the district's routing corrections",
        description="Turn the district's routing corrections (退单 then 派单, the desk's "
        "派单, citizens' and officers' own choice of office) into overlay rules; print the "
        "figures before and after and the TOML diff. Writes nothing without --apply.",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only corrections made since this day")
    p.add_argument("--apply", action="store_true", help="write the overlay, mark them learnt")
    p.add_argument("--out", type=Path, help="overlay file (default: the configured overlay)")
    p.add_argument(
        "--max-per-target",
        type=int,
        default=5,
        metavar="N",
        help="at most N new words per bureau (default 5)",
    )
    p.set_defaults(func=cmd_lexicon_learn)


def _eval_line(name: str, before: Any, after: Any) -> str:
    def fig(report: Any) -> str:
        bureau = report.bureau_accuracy
        b = f"{bureau:.3f}" if bureau is not None else "-"
        return f"room {report.accuracy:.3f} bureau {b}"

    return f"  {name}: before {fig(before)} | after {fig(after)} (n={before.n})"


@dataclass(frozen=True, slots=True)
class _Read:
    """The corrections read: those to learn from (held-out ones included: they are the
    honest figure), the ids an applied run takes in, and the rest with the reason."""

    rows: list[CorrectionFacts]
    taken_in: list[int]
    too_few: dict[str, int]
    left_out: dict[str, int]


def _read_rows(since: datetime | None) -> tuple[_Read, District, Settings] | None:
    loaded: list[Any] = []

    async def work(settings: Settings, district: District, db: Database) -> int:
        from bot.services.corrections import latest_corrections
        from bot.services.learning import correction_facts, left_out, sort_out

        facts = await correction_facts(db, await latest_corrections(db, since))
        rooms = set(district.rooms)
        verdicts = sort_out(facts, district)
        too_few: dict[str, int] = {}
        excluded: dict[str, int] = {}
        for verdict in verdicts.values():
            if verdict.status == "too_few":
                too_few[verdict.why] = too_few.get(verdict.why, 0) + 1
            elif verdict.reason != "held_out" and verdict.status == "excluded":
                excluded[verdict.reason] = excluded.get(verdict.reason, 0) + 1
        # Never learn from a danger to life (routed by its danger, not its words), nor
        # from an Open311 caller's category (another system's choice, not a citizen's).
        rows = [f for f in facts if left_out(f, rooms) is None]
        # An applied run takes in all it read but what it could not learn from yet (too
        # few corrections or people for where they belonged): those stay, shown as such.
        taken_in = [
            f.id for f in facts if f.id not in verdicts or verdicts[f.id].status != "too_few"
        ]
        loaded.append((_Read(rows, taken_in, too_few, excluded), district, settings))
        return 0

    code = with_db(work)
    return loaded[0] if code == 0 and loaded else None


def _mark(ids: list[int]) -> int:
    async def work(settings: Settings, district: District, db: Database) -> int:
        from bot.services.corrections import mark_learnt

        marked = await mark_learnt(db, ids, (await db_clock(settings, db)).now())
        print(f"marked learnt: {marked} correction(s)")
        return 0

    return with_db(work)


def cmd_lexicon_learn(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon learn``."""
    from bot.services.clock import service_clock
    from bot.services.corrections import KINDS
    from nlp.evaluate import evaluate, read_hand_set
    from nlp.learn import Correction, propose
    from nlp.lexicon import (
        LEXICON_PATH,
        LOCAL_OVERLAY_PATH,
        load_lexicon,
        merge_overlay,
        overlay_path,
        parse_lexicon,
    )

    try:
        since_day = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        return fail(f"--since: not a date (YYYY-MM-DD): {args.since!r}")
    config = load_config()
    if config is None:
        return 2
    settings = config[0]
    since = (
        datetime(since_day.year, since_day.month, since_day.day, tzinfo=settings.timezone)
        if since_day
        else None
    )
    loaded = _read_rows(since)
    if loaded is None:
        return 2
    read, district, settings = loaded
    rows = read.rows
    out: Path = args.out or overlay_path() or LOCAL_OVERLAY_PATH
    overlay_text = out.read_text(encoding="utf-8") if out.is_file() else ""
    base_lex = load_lexicon(LEXICON_PATH)
    base: dict[str, Any] = dict(base_lex.raw)
    base["terms"] = {
        t: {**w, **({"idf": base_lex.term_idf[t]} if t in base_lex.term_idf else {})}
        for t, w in base_lex.terms.items()
    }
    corrections = [
        Correction(
            r.text, r.classified_room, r.classified_bureau, r.final_room, r.final_bureau, r.reporter
        )
        for r in rows
    ]
    hand = {p.name: read_hand_set(p) for p in EVAL_SETS if p.is_file()}
    background = [c.text for cases in hand.values() for c in cases]
    today = service_clock(settings.clock_start).now().astimezone(settings.timezone).date()
    proposal = propose(
        corrections,
        base,
        overlay_text,
        background,
        max_per_target=max(1, args.max_per_target),
        note=today.isoformat(),
        guard=[Correction(c.text, "", "", c.room, c.bureau) for cs in hand.values() for c in cs],
    )
    # A correction is a case that ended elsewhere than the classifier said, as on the
    # routing page (``learning.sort_out``): a desk 派单 that agreed with it (a 退单 then
    # 派至 back to the proposed bureau) is read for the figures below but corrects
    # nothing (trial 32 D9).
    corrected = [r for r in rows if not r.correction().agrees]
    by_kind: dict[str, int] = {}
    for r in corrected:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    kinds = ", ".join(f"{KINDS.get(k, k)} {n}" for k, n in sorted(by_kind.items()))
    since_text = " since " + args.since if args.since else ""
    print(f"corrections: {len(corrected)} case(s){since_text}")
    if kinds:
        print(f"  by kind: {kinds}")
    if len(rows) > len(corrected):
        print(
            f"  dispatches that agreed with the classifier (not corrections): "
            f"{len(rows) - len(corrected)}"
        )
    names = {b: v.name for b, v in district.bureaus.items()}
    for (said, was), n in sorted(proposal.confusions.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {names.get(said, said)} -> {names.get(was, was)}: {n}")
    print(
        f"routed right on the corrections learnt from: before {proposal.right_before}"
        f"/{proposal.total}, after {proposal.right_after}/{proposal.total}"
    )
    if proposal.held_out:
        print(
            f"routed right on held-out corrections (not learnt from): before "
            f"{proposal.held_right_before}/{proposal.held_out}, "
            f"after {proposal.held_right_after}/{proposal.held_out}"
        )
    else:
        print("held-out corrections: none yet (one in 4 is held out), so no honest figure")
    for why, n in sorted(read.too_few.items()):
        print(f"not learnable yet ({n} correction(s)): {why}")
    if read.left_out:
        print(
            "left out (never learnt from): "
            + ", ".join(f"{k} {n}" for k, n in sorted(read.left_out.items()))
        )
    if hand:
        before = parse_lexicon(merge_overlay(base, _toml(proposal.overlay_before)), "<before>")
        after = parse_lexicon(merge_overlay(base, _toml(proposal.overlay_after)), "<after>")
        print("fixed evaluation sets:")
        for name, cases in hand.items():
            print(_eval_line(name, evaluate(cases, before), evaluate(cases, after)))
    if not proposal.changed:
        print("nothing to learn: no new rule proposed")
    else:
        print(f"proposed change to {out}:")
        print(proposal.diff(out.name), end="")
    if not args.apply:
        print("dry run: nothing written (use --apply to write the overlay)")
        return 0
    if proposal.changed:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(proposal.overlay_after, encoding="utf-8")
        print(f"written: {out} (the service loads it at its next start)")
    return _mark(read.taken_in)


def _toml(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text) if text.strip() else {}
