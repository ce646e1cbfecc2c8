"""Stop 33's unseen estimates: triage sets z, aa and ab (``blind13z_*``, ``blind13aa_*``,
``blind13ab_*``), routing probes AA and AB (``probe_aa_citizen_messages.tsv``,
``probe_ab_citizen_messages.tsv``) and real letters R10 (``letters_severity_r10.tsv``).

All were written at the start of stop 33 by helpers who read only DESIGN.md, the seed, the
issue and the writer rules (never the code, the lexicon, ``config/`` or another set): z a
mountain township typed by voice input with southwestern dialect, aa a new high-rise district
in WeChat-group style, ab an old port city with a quarter of the messages in traditional
characters and long reports with the news last; probe AA a suburban town in transition, AB an
old city centre with wordy, polite messages. R10 is 240 real letters of the contest's board
(``../shared/eval/teddy2020-dev.tsv``, drawn at random, seed 33010, from the letters no
earlier labelled sample held) labelled by a helper who read only the rubric (236 low, 4
medium, none danger now). **Every one was kept unseen** — decided before any was scored: no
rule was written from them and no model was chosen by them. The lead scored them on main
10b0ad0 before any change of the stop and on the merged main d62a640 after every change:
**every figure was the same**.

* set z: critical 28/30 (one below high), exact 0.89, under-rated 7, over-rated 4; line
  64/65, false alarms 5/65; small talk 77/80, vague 23/25, requests mistaken 0/100.
* set aa: critical 27/30 (three below high), exact 0.88, under 7, over 5; line 65/65, false
  alarms 3/65; small talk 74/80, vague 24/25, mistaken 0.
* set ab: critical 27/30 (three below high), exact 0.90, under 7, over 3; line 64/65, false
  alarms 3/65; small talk 80/80, vague 25/25, mistaken 0.
* probe AA: room 229 (0.954), bureau 228 (0.950), confidence >= 0.8 right 187/188.
* probe AB: room 223 (0.929), bureau 221 (0.921), confidence >= 0.8 right 183/184.
* R10: exact 0.733, over-rated 62, under-rated 2 (0.008), rated critical 5, lines 2 (all
  false: no letter is danger now by the labeller).

The guards hold these figures as floors: any change must not lose ground here.

**Probes AA and AB are tuning data since stop 34** (branch route34): their misses were read and
answered by classes of duty wording (``tests/test_nlp_routing_stop34.py``, docs/classifier.md,
"Stop 34"), so their floors below are in-sample figures, not an unseen estimate: AA room 240,
bureau 240, confidence >= 0.8 right 198/198; AB room 239, bureau 239, 200/200.

**Sets z, aa and ab are tuning data since stop 34** (branch tri34a, docs/severity.md "Stop 34"):
their under-rated warnings were read and answered by classes of wording
(``tests/test_nlp_stop34_warnings.py``), so their warning floors below are in-sample figures
reached then, no longer unseen estimates: z critical 30/30 (none below high), exact 0.96,
under-rated 0, over-rated 4; aa 30/30, 0.95, 0, 5; ab 30/30, 0.97, 0, 3. Their emergency and
small-talk floors: see below. R10 is tuning data since stop 34 too (branch let34, below).

**Since stop 34 the emergency and non-request sets of z, aa and ab**
(``blind13{z,aa,ab}_emergencies.tsv`` and ``_nonrequests.tsv``) **are tuning data**: their
misses on main were released and answered by classes of wording (branch tri34b; tested with
sentences of our own in ``tests/test_nlp_stop34_lines_small_talk.py``). They no longer estimate
unseen accuracy; their floors were raised to what stop 34 reached: line 65/65 and right numbers
65/65, no false alarm, small talk 80/80 and vague 25/25 in each of the three sets, requests
mistaken 0. The warning sets and the probes above are unchanged by this."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows, assert_probe_holds
from tests.unseen_floors import assert_unseen_lines_and_small_talk_hold, assert_unseen_warnings_hold

# tag: (critical caught, critical below high at most, exact, under-rated at most)
# Stop 34 (tri34a): raised to the in-sample level reached (z, aa, ab are tuning data now).
WARNINGS = {"z": (30, 0, 96, 0), "aa": (30, 0, 95, 0), "ab": (30, 0, 97, 0)}
# tag: (lines, right numbers, false alarms at most, small talk, vague)
# Since stop 34 the emergency and small-talk sets of z, aa and ab are tuning data (docstring).
EMERGENCIES = {"z": (65, 65, 0, 80, 25), "aa": (65, 65, 0, 80, 25), "ab": (65, 65, 0, 80, 25)}


@pytest.mark.parametrize("tag", sorted(WARNINGS))
def test_stop33_warnings_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_warnings_hold(tag, *WARNINGS[tag])


@pytest.mark.parametrize("tag", sorted(EMERGENCIES))
def test_stop33_emergencies_and_small_talk_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_lines_and_small_talk_hold(tag, *EMERGENCIES[tag])


@pytest.mark.parametrize(
    ("name", "room", "bureau", "sure_right"),
    [
        ("probe_aa_citizen_messages.tsv", 240, 240, 198),
        ("probe_ab_citizen_messages.tsv", 239, 239, 200),
    ],
)
def test_stop33_probes_hold_the_unseen_level(
    name: str, room: int, bureau: int, sure_right: int
) -> None:
    assert_probe_holds(name, room, bureau, sure_right, 0.98, size=240)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_real_letters_r10_hold_the_unseen_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r10.tsv")
    assert len(rows) == 240
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    # Stop 34 (branch let34): R10 is **tuning data since stop 34** — its over-ratings were read
    # with R1–R9's to find their causes (docs/severity.md, "Stop 34: real letters"); the floors
    # hold the level reached (exact 0.792, over 48, under 2, critical 2, lines 0), no estimate.
    assert sum(g == want for g, want in got) >= 190
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 48
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 2
    assert sum(g == "critical" for g, _ in got) <= 2
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) == 0
