"""Stop 30's last unseen estimate: triage set s (``blind13s_*``).

Written at the start of stop 30 by a helper who read only DESIGN.md, the seed and the issue
(never the code, the lexicon, ``config/`` or another set), scored by the lead on main 244b2f2
before any change of the stop, kept by the lead while every branch was tuned and merged, and
scored again on the merged main (48e7bee). No one tuned on it; it is in the repository so that
the figures can be reproduced, and it stays **unseen** until a later stop writes a newer set and
releases it as tuning data.

Set s, before → after the stop: warnings critical 30/30 → 30/30 (none below high), exact 0.86 →
0.85, under-rated 2 → 2, over-rated 12 → 13; emergency line 64/65 → 64/65 (right number 64),
false alarms 4/65 → 4/65 (target ≤ 0.05: **missed**); small talk 79/80, vague 24/25, requests
mistaken 0/100 both times.

Routing probe U, written and scored with it, was released as tuning data at stop 31; its guard
is in ``tests/test_nlp_routing_stop31.py``.

The guards hold the figures where they are, as floors: any change must not lose ground here."""

from __future__ import annotations

from tests.test_nlp_stop25_sets import RANK
from tests.test_nlp_stop30_sets import _emergencies, _non_requests, _warnings


def test_set_s_warnings_hold_the_unseen_level() -> None:
    got = _warnings("s")
    assert sum(want == "critical" for _, want in got) == 30
    assert all(g == "critical" for g, want in got if want == "critical")
    assert sum(g == want for g, want in got) >= 85
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 2


def test_set_s_emergencies_and_small_talk_hold_the_unseen_level() -> None:
    line, right, alarms = _emergencies("s")
    assert line >= 64 and right >= 64
    assert alarms <= 4
    talk, vague, mistaken = _non_requests("s")
    assert talk >= 79 and vague >= 24 and mistaken == 0
