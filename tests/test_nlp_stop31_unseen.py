"""Stop 31's unseen estimates: triage set v (``blind13v_*``), routing probe X
(``probe_x_citizen_messages.tsv``) and real letters R8 (``letters_severity_r8.tsv``).

Set v and probe X were written at the start of stop 31 by helpers who read only DESIGN.md, the
seed, the issue and the writer rules (never the code, the lexicon, ``config/`` or another set);
which sets would be kept unseen (v of t/u/v, X of V/W/X) was decided before any was scored. R8 is
240 real letters of the contest's board (``../shared/eval/teddy2020-dev.tsv``, drawn at random,
seed 31007, from the letters no earlier labelled sample held) labelled by a helper who read only
the rubric. The lead scored all three on main 2369c81 before any change of the stop, kept them
while every branch was tuned and merged, and scored them again on the merged main (797313d).
No one tuned on them; they stay **unseen** until a later stop writes newer sets.

Set v, before → after: warnings critical 29/30 → 29/30 (**one rated medium**: an officer's
report of a man who gave his bank book and deeds to a neighbour, asked them to mind his dog, left
a letter and vanished — suicide signs told without a self-harm word), exact 0.89 → 0.89,
under-rated 5 → 5, over-rated 6 → 6; emergency line 64/65 → 64/65 (right number 64), false
alarms 5/65 → 4/65 (0.062; target ≤ 0.05: **missed**); small talk 76/80 → 76/80 (0.95), vague
23/25, requests mistaken 0/100.

Probe X, before → after: room 224 → 224 (0.933), bureau 217 → 217 (0.904), confidence ≥ 0.8
right 178/184 → 180/186. (Targets 0.93 / 0.90: met, and met before the stop's changes; the
stop's other fresh probes scored before any change V 0.908 / 0.892 and W 0.925 / 0.908.)

Letters R8 (4 of 240 labelled medium, none higher, none danger now), before → after: exact
0.767 (184) → 0.767, over-rated 55 → 55, under-rated 1 (0.004) → 1, rated critical 2 → 2,
emergency lines 2 → 2 (both false).

After that final score the lead read the misses (for the note). Branch i13nn then answered two
classes of set v's misses with wordings of its own, never v's sentences (farewell acts: valuables
handed over, a pet entrusted, a letter left, then gone; a gas appliance hissing with a gas
smell): on the stop's final main set v's critical warnings are 30/30 and its line 65/65 (right
number 65), false alarms still 4/65, exact 0.90, under-rated 4. **Those figures are no longer
unseen**; the other figures of v, and those of X and R8, are.

The guards hold the figures where they are, as floors: any change must not lose ground here."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows
from tests.test_nlp_stop30_sets import _emergencies, _non_requests, _warnings


def test_set_v_warnings_hold_the_unseen_level() -> None:
    got = _warnings("v")
    critical = [g for g, want in got if want == "critical"]
    assert len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 90
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 4


def test_set_v_emergencies_and_small_talk_hold_the_unseen_level() -> None:
    line, right, alarms = _emergencies("v")
    assert line == 65 and right == 65
    assert alarms <= 4
    talk, vague, mistaken = _non_requests("v")
    assert talk >= 76 and vague >= 23 and mistaken == 0


def test_probe_x_holds_the_unseen_level() -> None:
    rows = _rows(DATA / "probe_x_citizen_messages.tsv")
    assert len(rows) == 240
    got = [(classify(r["text"]), r) for r in rows]
    assert sum(c.room == r["room"] for c, r in got) >= 224
    assert sum(c.bureau == r["bureau"] for c, r in got) >= 217
    sure = [c.bureau == r["bureau"] for c, r in got if c.confidence >= 0.8]
    assert sum(sure) >= 180 and sum(sure) / len(sure) >= 0.96


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_real_letters_r8_hold_the_unseen_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r8.tsv")
    assert len(rows) == 240
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert sum(g == want for g, want in got) >= 184
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 55
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 1
    assert sum(g == "critical" for g, _ in got) <= 2
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= 2
