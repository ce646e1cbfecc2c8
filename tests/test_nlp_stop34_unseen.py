"""Stop 34's unseen estimates: triage sets ac, ad and ae (``blind13a{c,d,e}_*``), routing
probes AC and AD (``probe_a{c,d}_citizen_messages.tsv``) and real letters R11
(``letters_severity_r11.tsv``).

All were written at the start of stop 34 by helpers who read only DESIGN.md, the seed, the
issue texts and the writer rules (never the code, the lexicon, ``config/`` or another set):
ac a north-eastern county seat in winter, older people typing in one breath with dialect
(整, 咋整, 嘎哈); ad an industrial park in the Pearl River delta, shorthand with Cantonese
words, internet slang and emoji; ae a provincial capital's old districts, formal report style
with the decisive fact last, hedged wording and past events beside present ones, a few rows
in traditional characters; probe AC farming villages of central China, probe AD young
renters and office workers, abrupt online style. R11 is 240 real letters of the contest's
board (125 from ``teddy2020-dev.tsv``, 115 from ``teddy2020-bureau-dev.tsv``, drawn at
random, seed 33011, from the letters no earlier labelled sample held), labelled by a helper
who read only the rubric (204 low, 30 medium, 5 high, 1 critical; none danger now).

**Every one was kept unseen** — decided before any was scored: no rule was written from
them. The lead scored them on main 0687f47 before any change of the stop and on the merged
main bcad22d after every change:

* set ac: critical 30/30, exact 0.86, under-rated 7, over-rated 7 (the same before); line
  61/65, right 60, false alarms 5 -> 4/65; small talk 74 -> 75/80, vague 23/25, mistaken 0.
* set ad: critical 29/30 (one below high), exact 0.91, under 3, over 6 (the same before);
  line 64/65, false alarms 7/65; small talk 76 -> 77/80, vague 20 -> 21/25, mistaken 0.
* set ae: critical 30/30, exact 0.89, under 1, over 10 (the same before); line 64/65, false
  alarms 7/65; small talk 80/80, vague 24/25, mistaken 0.
* probe AC: room 216 (0.900), bureau 211 (0.879), confidence >= 0.8 right 162/166 -> 163/167.
* probe AD: room 221 (0.921), bureau 217 (0.904), confidence >= 0.8 right 170/177 -> 172/179.
* R11: exact 0.783 -> 0.817 (196), over-rated 39 -> 31, under-rated 13 (the same), rated
  critical 0, lines 1 (false).

Probes AC and AD are **tuning data since stop 35** (branch route35 read their bureau misses
and answered them by classes of duty wording, ``tests/test_nlp_routing_stop35.py``): their
floors below are the in-sample figures after stop 35 — AC room 236, bureau 235, confidence
>= 0.8 right 189/190; AD room 239, bureau 237, 193/194 — no longer an unseen estimate.

The guards hold the after figures as floors: any change must not lose ground here.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows, assert_probe_holds
from tests.unseen_floors import assert_unseen_lines_and_small_talk_hold, assert_unseen_warnings_hold

# tag: (critical caught, critical below high at most, exact, under-rated at most)
WARNINGS = {"ac": (30, 0, 86, 7), "ad": (29, 1, 91, 3), "ae": (30, 0, 89, 1)}
# tag: (lines, right numbers, false alarms at most, small talk, vague)
EMERGENCIES = {"ac": (61, 60, 4, 75, 23), "ad": (64, 64, 7, 77, 21), "ae": (64, 64, 7, 80, 24)}


@pytest.mark.parametrize("tag", sorted(WARNINGS))
def test_stop34_warnings_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_warnings_hold(tag, *WARNINGS[tag])


@pytest.mark.parametrize("tag", sorted(EMERGENCIES))
def test_stop34_emergencies_and_small_talk_hold_the_unseen_level(tag: str) -> None:
    assert_unseen_lines_and_small_talk_hold(tag, *EMERGENCIES[tag])


@pytest.mark.parametrize(
    ("name", "room", "bureau", "sure_right", "sure_share"),
    [
        ("probe_ac_citizen_messages.tsv", 236, 235, 189, 0.99),
        ("probe_ad_citizen_messages.tsv", 239, 237, 193, 0.99),
    ],
)
def test_stop34_probes_hold_the_unseen_level(
    name: str, room: int, bureau: int, sure_right: int, sure_share: float
) -> None:
    assert_probe_holds(name, room, bureau, sure_right, sure_share, size=240)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_real_letters_r11_hold_the_unseen_level() -> None:
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r11.tsv")
    assert len(rows) == 240
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert sum(g == want for g, want in got) >= 196
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 31
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 13
    assert sum(g == "critical" for g, _ in got) <= 0
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= 1
