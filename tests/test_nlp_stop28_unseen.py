"""Stop 28's last blind sets, never tuned on: guarded at the level scored unseen.

* Probe R (``probe_r_citizen_messages.tsv``, issue 14): 240 citizen messages written at stop 28
  by a helper who saw only DESIGN.md, the seed and issue 14 (three quarters without the
  office or its obvious keyword; about 90 message-board letters, the rest chats and voice-input
  run-ons; 14 in traditional characters; shuffled).
* ``letters_severity_r6.tsv`` (220 random real letters of the contest's board, every one
  labelled) and ``letters_severity_r6plus.tsv`` (88 letters a second labeller rated medium or
  above while reading 480 others), labelled blind by two helpers who read only the rubric, from
  letters no earlier sample held.

The lead scored them on main 7015324 (stop 28's first round merged) and on the merged main of
stop 28, outside the repository; no engineer saw them. Figures (tests/data/README.md):

* probe R: 7015324 room 224 (0.933), bureau 220 (0.917), confidence >= 0.8 right 186/189;
  merged stop 28 (i14m's duty rules from probe Q) room 226 (0.942), bureau 223 (0.929),
  189/192 = 0.984 (targets 0.93 / 0.90 / 0.95: met). Ordinary requests rated critical 16 -> 12
  of 240 (i13cc), emergency lines 2 (both false).
* R6: exact 0.755, over-rated 33 -> 34, under-rated 21 -> 20 = 0.091 (target 0.05: missed),
  medium at medium or above 6 -> 7 of 24, high at high 3/6; one false emergency line.
* R6plus: rated at least as labelled 34 -> 43 of 88 (i13bb's joint letters: high at high 4 -> 14
  of 31), medium at medium or above 29 -> 28 of 55, critical 1/2; one false emergency line.

These were the unseen estimates of stop 28.
**R6 and R6plus are training data of the letter model since stop 29** (branch i13ee, released
by the lead, who holds fresher samples for the estimate): their two tests below are in-sample
guards at the level i13ee reached, the unseen figures above kept for the record. In-sample on
i13ee: R6 exact 167, over 40, under 13 = 0.059, medium at medium or above 14/24, high at high
3/6, no emergency line (the false one, 今天上午，有邻居被困电梯长达半个小时, is gone: ``[letters]
lasted``);
R6plus at least as labelled 62/88, high at high 19/31, medium at medium or above 42/55,
critical 1/2, no line. Their leave-one-set-out figures (each scored by a model trained without
it; docs/severity.md, "Stop 29"): R6 exact 161, over 43, under 16 = 0.073, medium 11/24;
R6plus 64/88.

**Probe R is tuning data since stop 29** (branch i14n read its 17 bureau misses and answered
them by classes of duty wording, ``tests/test_nlp_routing_stop29.py``; docs/classifier.md,
"Stop 29"): its routing test below is an **in-sample guard** at the tuned level (room 239,
bureau 239, confidence >= 0.8 right 199 of 200), no longer an unseen estimate; the unseen
figures above stay the record. Its severity was not tuned on: those tests stay unseen guards.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows, assert_probe_holds


def test_probe_r_holds_its_tuned_level() -> None:
    # In-sample since stop 29 (unseen: room 226, bureau 223, 189 of 192 sure answers right).
    assert len(_rows(DATA / "probe_r_citizen_messages.tsv")) == 240
    assert_probe_holds("probe_r_citizen_messages.tsv", 239, 239, 199, 0.99)


def test_probe_r_requests_are_rarely_rated_critical() -> None:
    rows = _rows(DATA / "probe_r_citizen_messages.tsv")
    assert sum(classify(r["text"]).severity == "critical" for r in rows) <= 12
    assert sum(detect(r["text"]) is not None for r in rows) <= 2


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r6_letters_hold_their_trained_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r6.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 220
    assert sum(g == want for g, want in got) >= 167
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 13
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 40
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 3
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 14
    assert not [r for r in rows if detect(texts[(r["source"], r["id"])]) is not None]


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r6plus_letters_of_medium_and_above_are_not_rated_lower() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r6plus.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 88 and all(want != "low" for _, want in got)
    assert sum(RANK[g] >= RANK[want] for g, want in got) >= 62
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 19
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 42
    assert not [r for r in rows if detect(texts[(r["source"], r["id"])]) is not None]
