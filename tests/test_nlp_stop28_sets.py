"""Stop 28's triage set m, guarded at the level tuned on it, and probes O and P's criticals.

* Triage set m (``blind13m_*``, issue 13) was written blind (by a helper who saw only
  DESIGN.md, the seed and the issue's rubric, never the code, the lexicon or
  ``config/severity.toml``) and scored **unseen** by the lead on main e263f21: critical
  29/30 (one critical rated medium: a petitioner in the reception room taking off his belt to
  hang it on the heating pipe), exact 0.91, under-rated 1, over-rated 8 (past or settled
  self-harm, an online petition of hundreds, a group planned for tomorrow with 100+ sign-ups
  and tens with banners but no conflict rated critical; two mediums in traditional characters
  rated high), emergency line 64/65 (missed: waters broken before the due date → 120), false
  alarms 2/65 (a first-aid video watched, a dream of a house falling down), small talk
  80/80, vague 25/25, requests mistaken 0/100.
* **Set m is tuning data since stop 28** (branch i13aa answered its misses by classes of
  wording, each tested with wordings of its own in ``tests/test_nlp_stop28.py``; docs/severity.md,
  "Stop 28: set m"): the guards below are at the level reached in-sample, no estimate.
* Probes O and P (citizen messages, issue 14) are tuning data for severity since stop 28
  (their routing figures stay guarded in ``tests/test_nlp_stop27_sets.py``): none is a danger
  now, yet on main e263f21 probe O had 20 rated critical (15 without an emergency line) and 9
  lines, probe P 11 critical (9 without a line) and 3 lines.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import DATA, RANK, _rows, assert_lines_and_small_talk_hold


def test_set_m_warnings_stay_where_they_were_tuned() -> None:
    """Set m's 100 warnings (30 critical). Unseen on main e263f21: critical 29/30, exact 0.91,
    under-rated 1, over-rated 8. In-sample since branch i13aa: critical 30/30, exact 0.99,
    under-rated 0, over-rated 1 (a past collective visit beside one man's threat, high for
    medium)."""
    rows = _rows(DATA / "blind13m_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 99
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 1


def test_set_m_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Set m unseen on main e263f21: the emergency line for 64/65 dangers now (missed:
    老婆羊水破了 还没到预产期 疼得厉害), false alarms 2/65 (刚看完一个溺水急救的视频 学到了;
    吓死我了 刚才做梦梦见房子塌了), small talk 80/80, vague 25/25, requests mistaken 0/100.
    In-sample since branch i13aa: the line for 65/65 with the right number, false alarms 0/65,
    the rest the same."""
    assert_lines_and_small_talk_hold("m")


@pytest.mark.parametrize(
    ("name", "critical", "critical_no_line", "lines"),
    [
        # Probe O (240): main e263f21 critical 20 (15 without a line), lines 9; i13aa 12 (11), 3.
        ("probe_o_citizen_messages.tsv", 12, 11, 3),
        # Probe P (200): main e263f21 critical 11 (9 without a line), lines 3; i13aa 6 (6), 0.
        ("probe_p_citizen_messages.tsv", 6, 6, 0),
    ],
)
def test_few_ordinary_requests_of_probes_o_and_p_are_critical(
    name: str, critical: int, critical_no_line: int, lines: int
) -> None:
    """Ordinary citizen requests, none a danger now: how many are rated critical or get the
    emergency line (in-sample since stop 28: the rules were chosen on these probes)."""
    rows = _rows(DATA / name)
    got = [(classify(r["text"]).severity, detect(r["text"])) for r in rows]
    assert sum(s == "critical" for s, _ in got) <= critical
    assert sum(s == "critical" and e is None for s, e in got) <= critical_no_line
    assert sum(e is not None for _, e in got) <= lines
