"""Stop 35's unseen estimates: triage sets ag and ah (``blind13a{g,h}_*``), routing probes AE
and AF (``probe_a{e,f}_citizen_messages.tsv``) and real letters R12
(``letters_severity_r12.tsv``).

All were written at the start of stop 35 by helpers who read only DESIGN.md, the seed, the
issue texts and the writer rules (never the code, the lexicon, ``config/`` or another set):
ag a coastal fishing town in Fujian / Zhejiang, voice-typed with homophone errors, the key
fact in the middle of chatter; ah a big city's development zone, grid officers' jargon,
numbers, English abbreviations, eight rows in traditional characters; probe AE migrant
workers on sites, in factories and delivery jobs, voice input with homophone errors and no
punctuation; probe AF retirees of a northern city's old work-unit compounds, long polite
letters with the request last. R12 is the last 156 letters of the contest's board no earlier
labelled sample held (all of ``teddy2020-bureau-dev.tsv``'s remaining rows), labelled by a
helper who read only the rubric (121 low, 25 medium, 9 high, 1 critical; none danger now).
A third triage set, af (a south-western mountain county in dialect), was scored once unseen
and then released as tuning data (``tests/test_nlp_stop35_af.py``).

**These were kept unseen** — decided before any was scored: no rule was written from them.
The lead scored them on main 8c1029a before any change of the stop and on the merged main
after every change (figures: BEFORE -> AFTER):

* set ag: critical 30/30, exact 0.89, under-rated 3, over-rated 8; line 65/65, right 65,
  false alarms 5/65; small talk 77/80, vague 17/25, requests mistaken 0/100 (all the same
  before and after).
* set ah: critical 29/30 (one below high), exact 0.94, under 3, over 3; line 65/65, right 65,
  false alarms 1/65; small talk 80/80, vague 24/25, mistaken 0 (the same before and after).
* probe AE: room 205 (0.854), bureau 202 -> 203 (0.846), confidence >= 0.8 right 148/162 ->
  149/163 (0.914).
* probe AF: room 223 (0.929), bureau 218 (0.908), confidence >= 0.8 right 185/186 -> 184/186.
* R12: exact 0.833 (130), over-rated 18, under-rated 8 (0.051), rated critical 2, lines 1
  (false) (the same before and after).

The guards hold the after figures as floors: any change must not lose ground here.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows, assert_probe_holds
from tests.unseen_floors import assert_unseen_lines_and_small_talk_hold, assert_unseen_warnings_hold

# tag: (critical caught, critical below high at most, exact, under-rated at most)
WARNINGS = {"ag": (30, 0, 89, 3), "ah": (29, 1, 94, 3)}
# tag: (lines, right numbers, false alarms at most, small talk, vague)
EMERGENCIES = {"ag": (65, 65, 5, 77, 17), "ah": (65, 65, 1, 80, 24)}


@pytest.mark.parametrize("tag", sorted(WARNINGS))
def test_stop35_warnings_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_warnings_hold(tag, *WARNINGS[tag])


@pytest.mark.parametrize("tag", sorted(EMERGENCIES))
def test_stop35_emergencies_and_small_talk_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_lines_and_small_talk_hold(tag, *EMERGENCIES[tag])


@pytest.mark.parametrize(
    ("name", "room", "bureau", "sure_right", "sure_share"),
    [
        ("probe_ae_citizen_messages.tsv", 205, 203, 149, 0.91),
        ("probe_af_citizen_messages.tsv", 223, 218, 184, 0.98),
    ],
)
def test_stop35_probes_hold_the_unseen_level(
    name: str, room: int, bureau: int, sure_right: int, sure_share: float
) -> None:
    assert_probe_holds(name, room, bureau, sure_right, sure_share, size=240)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_real_letters_r12_hold_the_unseen_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r12.tsv")
    assert len(rows) == 156
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert sum(g == want for g, want in got) >= 130
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 18
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 8
    assert sum(g == "critical" for g, _ in got) <= 2
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= 1
