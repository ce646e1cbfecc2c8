"""Stop 32's triage sets w and x: false alarms and small talk held where branch i13oo left them.

Sets w and x (``blind13w_*``, ``blind13x_*``, issue 13) were written blind this stop by two
helpers who never saw the code (w in rural wording, x in city slang). Scored by the lead on main
f3a376a before any change:

- w: warnings critical 29/30 (none below high), exact 0.87, under 3, over 10; line 63/65, right
  number 63; **false alarms 9/65 (0.138)**; small talk 79/80, vague 23/25, requests mistaken 0.
- x: warnings critical 28/30 (one below high), exact 0.87, under 5, over 8; line 65/65, right
  number 65; **false alarms 8/65 (0.123)**; small talk 78/80, vague 25/25, requests mistaken 0.

Branch i13oo read every false alarm and small-talk miss of both sets and answered them by classes
of wording (``tests/test_nlp_stop32_false_alarms.py``, docs/severity.md "Stop 32: false alarms").
After it (in-sample, no longer an unseen estimate): w false alarms 0/65, x 1/65 (a gas smell
asked about, left on purpose: 家里闻到…应该先做什么 reads as a person smelling it now); small talk
80/80 and vague 25/25 on both; nothing else moved. Danger recall on these sets is branch i13pp's:
the lines and warnings are held here only at their level before the stop (floors that a
better recall keeps).
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.intent import classify_intent
from tests.test_nlp_stop25_sets import DATA, RANK, SMALL, _rows, assert_lines_hold


@pytest.mark.parametrize(("tag", "lines", "false_alarms"), [("w", 63, 0), ("x", 65, 1)])
def test_false_alarms_stay_where_they_were_tuned(tag: str, lines: int, false_alarms: int) -> None:
    assert_lines_hold(tag, lines=lines, right=None, false_alarms=false_alarms)


@pytest.mark.parametrize("tag", ["w", "x"])
def test_small_talk_and_vague_openings_stay_where_they_were_tuned(tag: str) -> None:
    nr = _rows(DATA / f"blind13{tag}_nonrequests.tsv")
    talk = [classify_intent(r["text"]) in SMALL for r in nr if r["kind"] in SMALL]
    assert len(talk) == 80 and sum(talk) == 80
    vague = [classify_intent(r["text"]) == "vague" for r in nr if r["kind"] == "vague"]
    assert len(vague) == 25 and sum(vague) == 25
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")


@pytest.mark.parametrize(
    ("tag", "critical", "exact", "under"), [("w", 29, 87, 3), ("x", 28, 87, 5)]
)
def test_warnings_stay_at_least_where_they_were(
    tag: str, critical: int, exact: int, under: int
) -> None:
    rows = _rows(DATA / f"blind13{tag}_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    assert len(rows) == 100
    assert sum(g == "critical" for g, want in got if want == "critical") >= critical
    assert sum(g == want for g, want in got) >= exact
    assert sum(RANK[g] < RANK[want] for g, want in got) <= under
