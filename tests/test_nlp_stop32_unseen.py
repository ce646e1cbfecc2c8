"""Stop 32's unseen estimates: triage set y (``blind13y_*``), routing probe Z
(``probe_z_citizen_messages.tsv``) and real letters R9 (``letters_severity_r9.tsv``).

Set y and probe Z were written at the start of stop 32 by helpers who read only DESIGN.md,
the seed, the issue and the writer rules (never the code, the lexicon, ``config/`` or
another set); which sets would be kept unseen (y of w/x/y, Z of Y/Z) was decided before any
was scored. R9 is 240 real letters of the contest's board (``../shared/eval/teddy2020-dev.tsv``,
drawn at random, seed 32007, from the letters no earlier labelled sample held) labelled by a
helper who read only the rubric. The lead scored all three on main f3a376a before any change of
the stop and again on the merged main (291a783); no one tuned on them.

Every figure was **the same before and after** the stop's changes (sets w, x and probe Y
were answered in-sample: w false alarms 9 → 0, x 8 → 1, Y bureau 0.908 → 0.979; none of it
moved y, Z or R9 by a row but one more confident answer on Z):

* set y: critical 29/30 (one rated medium), exact 0.86, under-rated 7 (target ≤ 5: missed),
  over-rated 7; emergency line 64/65 (right number 64); false alarms 5/65 = 0.077 (target
  ≤ 0.05: missed); small talk 76/80 (0.95), vague 23/25, requests mistaken 0/100.
* probe Z: room 228 (0.950), bureau 223 (0.929), confidence ≥ 0.8 right 191/193 → 192/195.
* R9: exact 0.738, over-rated 47, under-rated 16 (0.067), rated critical 2, lines 1.

The guards hold these figures as floors: any change must not lose ground here."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows
from tests.test_nlp_stop30_sets import _emergencies, _non_requests, _warnings


def test_set_y_warnings_hold_the_unseen_level() -> None:
    got = _warnings("y")
    critical = [g for g, want in got if want == "critical"]
    assert len(critical) == 30
    assert sum(g == "critical" for g in critical) >= 29
    assert all(RANK[g] >= RANK["medium"] for g in critical)
    assert sum(g == want for g, want in got) >= 86
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 7


def test_set_y_emergencies_and_small_talk_hold_the_unseen_level() -> None:
    line, right, alarms = _emergencies("y")
    assert line >= 64 and right >= 64
    assert alarms <= 5
    talk, vague, mistaken = _non_requests("y")
    assert talk >= 76 and vague >= 23 and mistaken == 0


def test_probe_z_holds_the_unseen_level() -> None:
    rows = _rows(DATA / "probe_z_citizen_messages.tsv")
    assert len(rows) == 240
    got = [(classify(r["text"]), r) for r in rows]
    assert sum(c.room == r["room"] for c, r in got) >= 228
    assert sum(c.bureau == r["bureau"] for c, r in got) >= 223
    sure = [c.bureau == r["bureau"] for c, r in got if c.confidence >= 0.8]
    assert sum(sure) >= 192 and sum(sure) / len(sure) >= 0.98


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_real_letters_r9_hold_the_unseen_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r9.tsv")
    assert len(rows) == 240
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert sum(g == want for g, want in got) >= 177
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 47
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 16
    assert sum(g == "critical" for g, _ in got) <= 2
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= 1
