"""Stop 26's blind sets, guarded at the level they were scored unseen.

* Triage set k (``blind13k_*``, issue 13), probes M and N (``probe_m``/``probe_n``, issue 14)
  were written by helpers who saw only DESIGN.md, the seed and the issue's text, never the
  code, the lexicon or ``config/severity.toml``.
* ``letters_severity_r3plus.tsv``: 46 real letters of the contest's board (by id into
  ``../shared/eval/teddy2020-dev.tsv``) that two blind labellers rated medium or above while
  reading 300 letters beside R3 (they wrote only those); held out by the lead: no engineer saw
  them. It measures under-rating only (nothing in it is low).

Figures and their history: tests/data/README.md and docs/severity.md / docs/classifier.md
("Stop 26"). These guards keep the level reached; once anyone tunes on a set they are no new
estimate: set k is tuning data since stop 27 (its guards are in-sample, docs/severity.md
"Stop 27").
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent
from tests.test_nlp_stop25_sets import (
    DATA,
    EVAL_DIR,
    RANK,
    SMALL,
    _letters,
    _rows,
    assert_probe_holds,
)


def test_set_k_warnings_stay_where_they_were_tuned() -> None:
    """Set k's 100 warnings (30 critical, a third long reports that give background first).
    Unseen (main before and after stop 26): critical 30/30, exact 0.88, under-rated 1, over-rated
    11. **Tuning data since stop 27** (branch i13w answered its misses by classes of wording,
    tests/test_nlp_stop27.py): in-sample critical 30/30, exact 0.99, under-rated 0, over-rated 1
    (a habitual wife-beater's threat of arson: medium, rated high by the fight he is known for).
    No estimate any more: the lead's newer set is."""
    rows = _rows(DATA / "blind13k_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 99
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 1


def test_set_k_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Set k unseen (before and after stop 26): line 65/65 with the right number, false alarms
    4/65 = 0.062, small talk 79/80, vague 25/25, requests mistaken 0/100. Tuned on at stop 27
    (in-sample): line 65/65 with the right number, false alarms 0/65 (a noodle shop named
    “一把刀”, a stolen e-bike reported with no news, a question whether a jump video is real,
    fights outside a net cafe that happen often), small talk 80/80 (小民你好), vague 25/25,
    requests mistaken 0/100."""
    em = _rows(DATA / "blind13k_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    harmless = [r for r in em if r["danger"] == "0"]
    assert len(danger) == 65 and len(harmless) == 65
    found = [(detect(r["text"]), r) for r in danger]
    assert all(f is not None for f, _ in found)
    right = sum(
        f is not None and bool(set(r["service"].split("+")) & set(f.services)) for f, r in found
    )
    assert right == 65
    assert sum(detect(r["text"]) is not None for r in harmless) == 0
    nr = _rows(DATA / "blind13k_nonrequests.tsv")
    talk = [classify_intent(r["text"]) in SMALL for r in nr if r["kind"] in SMALL]
    assert len(talk) == 80 and all(talk)
    vague = [classify_intent(r["text"]) == "vague" for r in nr if r["kind"] == "vague"]
    assert len(vague) == 25 and all(vague)
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")


@pytest.mark.parametrize(
    ("name", "room", "bureau", "sure_right", "sure_share"),
    [
        # Probe N (200, most without the bureau's keyword), unseen: main 10315b2 room 146,
        # bureau 133, confidence >= 0.8 right 103/117; after i14g 148 / 135 / 108 of 122; after
        # i14h (merged stop 26) 154 (0.770) / 141 (0.705) / 114 of 128 = 0.891. Targets room
        # 0.93, bureau 0.90, sure 0.95: missed. Released as training data at stop 27: stop 27's
        # table, packaged since the end of stop 27 (i14k), is trained on it, so this is no
        # longer an unseen level, only a floor.
        ("probe_n_citizen_messages.tsv", 154, 141, 114, 0.89),
        # Probe M (240): unseen on main 10315b2 (208 / 198 / 153 of 167) and after i14g (208 /
        # 199 / 157 of 171); i14h's brief quoted its per-bureau recall and land wordings, so its
        # figure after i14h (219 / 212 / 166 of 176) is NOT unseen.
        ("probe_m_citizen_messages.tsv", 219, 212, 166, 0.94),
    ],
)
def test_probes_m_and_n_stay_where_they_were_scored(
    name: str, room: int, bureau: int, sure_right: int, sure_share: float
) -> None:
    assert_probe_holds(name, room, bureau, sure_right, sure_share)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_held_out_letters_of_medium_and_above_are_not_rated_lower() -> None:
    """R3plus (46: medium 30, high 15, critical 1), held out: at least as high as labelled on
    main 10315b2 12, after i13s 14, after i13t 17 (under-rated 29 = 0.63); high letters rated
    high or above 1/15 throughout — collective action told in a letter is still mostly missed;
    the one critical (a relative held by a pyramid-selling ring) is rated below high. Stop 27
    (the letter model, i13v; still held out): 20, high at high 4/15, the critical below high."""
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r3plus.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 46 and all(want != "low" for _, want in got)
    assert sum(RANK[g] >= RANK[want] for g, want in got) >= 20
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 16
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 4
