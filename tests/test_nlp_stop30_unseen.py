"""Stop 30's last unseen estimates: triage set s (``blind13s_*``) and routing probe U
(``probe_u_citizen_messages.tsv``).

Both were written at the start of stop 30 by helpers who read only DESIGN.md, the seed and
the issue (never the code, the lexicon, ``config/`` or another set), scored by the lead on main
244b2f2 before any change of the stop, kept by the lead while every branch was tuned and merged,
and scored again on the merged main (48e7bee). No one tuned on them; they are in the repository
so that the figures can be reproduced, and they stay **unseen** until a later stop writes a newer
set and releases these as tuning data.

Set s, before → after the stop: warnings critical 30/30 → 30/30 (none below high), exact 0.86 →
0.85, under-rated 2 → 2, over-rated 12 → 13; emergency line 64/65 → 64/65 (right number 64),
false alarms 4/65 → 4/65 (target ≤ 0.05: **missed**); small talk 79/80, vague 24/25, requests
mistaken 0/100 both times.

Probe U, before → after: room 212 → 212 (0.883), bureau 209 → 209 (0.871) (targets 0.93 / 0.90:
**missed**), confidence ≥ 0.8 right 164/165 → 166/168. Weakest after: police 22/30, court 9/12,
land 14/18. Stop 30's routing rules (from probe T and the contest's build rows) did not move it.

The guards hold the figures where they are, as floors: any change must not lose ground here."""

from __future__ import annotations

from nlp.classify import classify
from tests.test_nlp_stop25_sets import DATA, RANK, _rows
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


def test_probe_u_holds_the_unseen_level() -> None:
    rows = _rows(DATA / "probe_u_citizen_messages.tsv")
    assert len(rows) == 240
    got = [(classify(r["text"]), r) for r in rows]
    assert sum(c.room == r["room"] for c, r in got) >= 212
    assert sum(c.bureau == r["bureau"] for c, r in got) >= 209
    sure = [c.bureau == r["bureau"] for c, r in got if c.confidence >= 0.8]
    assert len(sure) >= 160 and sum(sure) / len(sure) >= 0.98
