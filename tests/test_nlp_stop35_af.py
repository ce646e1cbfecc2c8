"""Stop 35's triage set af (``blind13af_*``): guards after its misses were answered (dialect35).

Set af was written blind at stop 35 by a helper who never saw the code: a mountain county in
south-west China, Sichuan / Guizhou / Chongqing dialect (啥子, 莫得, 晓得, 咋个, 遭了, 娃儿),
voice-typed with few punctuation marks. Scored once **unseen** on main 8c1029a:

* warnings: critical 27/30 with **3 critical rated below high** (a restaurant burning told
  燃起来 with people upstairs, a suspension bridge's cable snapped with people on it, a drunk man
  swinging a pig-butchering knife at whoever comes), exact 0.89, under-rated 7, over-rated 4;
* emergency line 62/65 (right number 61), false alarms 2/65;
* small talk 77/80, vague 19/25, requests mistaken 0/100.

Because three criticals fell below high, the lead released the set: **set af is tuning data
since stop 35**. Branch dialect35 answered its misses by classes of wording (south-western
danger words, 莫得 as negation, 约起 and creditors in head counts, dialect openings and small
talk; tests/test_nlp_dialect35.py, never the set's sentences). After, in-sample:

* warnings: critical 30/30, none below high, exact 0.97, under-rated 0, over-rated 3 (the
  learned model's raises: a man banging a counter, an old people's home complaint, rubbish
  smoke grumbled about);
* emergency line 65/65, right number 65, false alarms 0/65;
* small talk 80/80, vague 25/25, requests mistaken 0/100.

The guards hold the after figures as floors: no estimate of unseen accuracy.
"""

from __future__ import annotations

from tests.test_nlp_stop25_sets import RANK
from tests.test_nlp_stop30_sets import _emergencies, _non_requests, _warnings


def test_set_af_warnings_hold_where_they_were_tuned() -> None:
    got = _warnings("af")
    critical = [g for g, want in got if want == "critical"]
    assert len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 97
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 3


def test_set_af_lines_and_small_talk_hold_where_they_were_tuned() -> None:
    line, right, alarms = _emergencies("af")
    assert line == 65 and right == 65 and alarms == 0
    assert _non_requests("af") == (80, 25, 0)
