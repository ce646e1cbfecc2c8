"""Stop 27's blind sets, guarded at the level they were scored unseen.

* Triage set l (``blind13l_*``, issue 13), probes O and P (``probe_o``/``probe_p``, issue 14)
  were written by helpers who saw only DESIGN.md, the seed and the issue's text, never the
  code, the lexicon or ``config/severity.toml``; probe P half in the style of a message
  board's posts (a title-like phrase, then 2–6 sentences).
* ``letters_severity_r4.tsv`` (220 real letters of the contest's board, every one labelled) and
  ``letters_severity_r4plus.tsv`` (70 letters that a second labeller rated medium or above while
  reading 500 others): labelled blind by two helpers who read only the rubric, from letters no
  earlier sample held; held out by the lead, no engineer saw them.

Each was scored by the lead on main before stop 27's triage and routing merges and once on the
merged result (tests/data/README.md, docs/severity.md and docs/classifier.md, "Stop 27"). These
guards keep the level reached; once anyone tunes on a set they are no new estimate.
Set l is tuning data since branch i13y (after the lead's unseen scoring): its guards are at
the level reached in-sample there, the unseen figures kept in their docstrings. Probes O and P
are tuning data since stop 28 (branch i14l), guarded the same way.
R4 and R4plus are **training data of the letter model since stop 28** (branch i13z, released
by the lead; `minqing triage letters-train`): their guards are at the in-sample level
reached there, the held-out figures kept in their docstrings.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import (
    DATA,
    EVAL_DIR,
    RANK,
    _letters,
    _rows,
    assert_lines_and_small_talk_hold,
    assert_probe_holds,
)


def test_set_l_warnings_stay_where_they_were_scored() -> None:
    """Set l's 100 warnings (30 critical), unseen: main f143f84 before stop 27's triage
    critical 30/30, exact 0.82, under-rated 4, over-rated 14; merged stop 27 (i13w, i13v,
    speed27, dfx19) critical 30/30, exact 0.87, under-rated 4 (a dozen clients planning to
    complain together, five households sitting in, an online call to gather, three families'
    joint complaint), over-rated 9 (past or settled self-harm threats and gatherings).
    In-sample since branch i13y (tuned on its misses, docs/severity.md "Stop 27: set l's
    misses"): critical 30/30, exact 0.96, under-rated 0, over-rated 4."""
    rows = _rows(DATA / "blind13l_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 96
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 4


def test_set_l_emergencies_and_small_talk_stay_where_they_were_scored() -> None:
    """Set l unseen, the same before and after stop 27: the emergency line for 65/65 dangers
    now with the right number; false alarms 5/65 = 0.077 (missed: a TV drama's jump, a
    father's old mine collapse retold, 救命啊 about a pay cut, a dish 辣得冒火, 气得要爆炸);
    small talk 79/80, vague asked back 24/25, requests mistaken 0/100. In-sample since branch
    i13y: false alarms 0/65, the line for 65/65 with the right number, small talk 80/80, vague
    25/25, requests mistaken 0/100."""
    assert_lines_and_small_talk_hold("l")


@pytest.mark.parametrize(
    ("name", "room", "bureau", "sure_right", "sure_share"),
    [
        # Probe O (240, about three quarters without the bureau's keyword), unseen: with stop
        # 26's bureau table (main f143f84) room 217 (0.904), bureau 205 (0.854), confidence
        # >= 0.8 right 162/169 = 0.959; with stop 27's retrained table (scored by the lead
        # before it was switched on, i14k) room 220 (0.917), bureau 210 (0.875), 147/151 =
        # 0.974. Targets room 0.93, bureau 0.90: missed. Tuning data since stop 28 (i14l):
        # in-sample room 240, bureau 240, 168/168.
        ("probe_o_citizen_messages.tsv", 238, 238, 165, 0.98),
        # Probe P (200, half message-board posts), unseen: stop 26's table room 181 (0.905),
        # bureau 168 (0.840), 141/147 = 0.959; stop 27's table room 180 (0.900), bureau 175
        # (0.875), 142/145 = 0.979. Tuning data since stop 28 (i14l): in-sample room 199,
        # bureau 199, 154/154.
        ("probe_p_citizen_messages.tsv", 197, 197, 153, 0.98),
    ],
)
def test_probes_o_and_p_hold_their_tuned_level(
    name: str, room: int, bureau: int, sure_right: int, sure_share: float
) -> None:
    """Probes O and P are TUNING data since stop 28 (branch i14l): their misses were read and
    answered by classes of duty wording (docs/classifier.md, "Stop 28";
    tests/test_nlp_routing_stop28.py), so these bars are in-sample, a little below the level
    reached, and no estimate. Their unseen figures are in the comments above; the lead's
    newer probe is the unseen check."""
    assert_probe_holds(name, room, bureau, sure_right, sure_share)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r4_letters_stay_where_they_were_scored() -> None:
    """R4 (220 random letters: low 169, medium 36, high 15), held out until stop 27: on main
    f143f84 exact 0.755, over-rated 18, under-rated 36 = 0.164, high at high 1/15; merged stop
    27 (the letter model) exact 0.755, over 18, under 36, high at high 2/15, medium at medium
    or above 13/36 (14 before). Training data of the letter model since stop 28 (in-sample,
    no estimate): exact 174 = 0.791, over 21, under 25 = 0.114, high at high 2/15, medium at
    medium or above 24/36. Since i13bb (R5 and R5plus trained, the joint-letter rule;
    in-sample): exact 176, over 22, under 22 = 0.100, high at high 9/15, medium at medium or
    above 20/36 (the medium head's threshold, priced with R5's labeller, rose). Since stop 29
    (i13ee: R6 and R6plus trained, new word classes, thresholds priced at under-cost 5;
    in-sample): exact 177, over 30, under 13 = 0.059, high at high 9/15, medium at medium or
    above 29/36. No letter is a danger now; none gets an emergency line."""
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r4.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 220
    assert sum(g == want for g, want in got) >= 177
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 30
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 13
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 9
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 29
    assert not [r for r in rows if r["danger_now"] == "1"]
    assert not [r for r in rows if detect(texts[(r["source"], r["id"])]) is not None]


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r4plus_letters_of_medium_and_above_are_not_rated_lower() -> None:
    """R4plus (70: medium 45, high 22, critical 3), held out until stop 27: rated at least as
    labelled on main f143f84 33, merged stop 27 37 (high at high 5/22 -> 9/22; critical 1/3 ->
    1/3). Training data of the letter model since stop 28 (in-sample): 52, high at high
    12/22, medium at medium or above 39/45. Since i13bb (R5 and R5plus trained, the
    joint-letter rule; in-sample): 53, high at high 15/22, medium at medium or above 37/45.
    Since stop 29 (i13ee, in-sample): 58, high at high 15/22, medium at medium or above
    42/45."""
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r4plus.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 70 and all(want != "low" for _, want in got)
    assert sum(RANK[g] >= RANK[want] for g, want in got) >= 58
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 15
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 42
