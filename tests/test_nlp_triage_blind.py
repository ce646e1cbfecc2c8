"""Issue 13's quality figures, guarded on the sets written blind to the rubric.

Each ``blind13*`` set was written by a helper who saw only DESIGN.md, the seed
and the rubric's wording in the issue, never the code or ``config/severity.toml``.
Each was scored once while unseen (figures in ``tests/data/README.md`` and
``docs/severity.md``: set d's after round 3, set e's on the round-4 model).
Since then all five have been tuned on: the rubric's word lists were fixed on
what they missed and all five train the learned danger model
(``config/danger_model.json``). Set f (scored unseen in stop 21) was tuned on
in stop 22: small talk, vague openings and the medium families (veiled
threats, households in dispute) were generalised after its misses. Since stop
23 sets f and g train the danger model too. Set h (scored unseen after stop 23's
first merge) was tuned on in stop 23 by general families; it does not train the
danger model (adding it made train13b's leave-one-set-out criticals worse).
**These figures are on tuning data, not an unseen estimate**; they guard the
level reached. The development estimate is
leave-one-set-out (``tests/test_nlp_danger.py``; the model's part is honest
there, the rubric's is in-sample); the unseen one is a new set the lead
scores on the merged result.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent

DATA = Path(__file__).parent / "data"
RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
TUNED = [
    "blind13a",
    "blind13b",
    "blind13c",
    "blind13d",
    "blind13e",
    "blind13f",
    "blind13g",
    "blind13h",
    # Set i (stop 24) is no tuning data yet: it guards the targets at its unseen level.
    "blind13i",
]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _tuned_set_exact(prefix: str) -> int:
    """Check a tuned set's warnings (100, 30 critical, every critical critical, none
    under-rated) and emergencies (every danger-now line with a right number, no false alarm);
    return how many warnings got exactly their level."""
    rows = _rows(f"{prefix}_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    em = _rows(f"{prefix}_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    assert len(danger) == 65
    for r in danger:
        found = detect(r["text"])
        assert found is not None and set(r["service"].split("+")) & set(found.services), r
    assert not [r["text"] for r in em if r["danger"] == "0" and detect(r["text"]) is not None]
    return sum(g == want for g, want in got)


def _tuned_set_small_talk(prefix: str) -> list[bool]:
    """Check that a tuned set's requests all stay requests; whether each piece of small talk
    (greeting, thanks, noise) was recognised as small talk."""
    nr = _rows(f"{prefix}_nonrequests.tsv")
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")
    small = ("greeting", "thanks", "noise")
    return [classify_intent(r["text"]) in small for r in nr if r["kind"] in small]


@pytest.mark.parametrize("prefix", TUNED)
def test_warnings_are_never_under_rated(prefix: str) -> None:
    rows = _rows(f"{prefix}_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    exact = sum(g == want for g, want in got) / len(got)
    under = sum(RANK[g] < RANK[want] for g, want in got) / len(got)
    assert sum(g == "critical" for g in critical) / len(critical) >= 0.98
    assert all(RANK[g] >= RANK["high"] for g in critical), "a critical warning below high"
    assert exact >= 0.85
    assert under <= 0.05


@pytest.mark.parametrize("prefix", TUNED)
def test_danger_now_gets_the_emergency_line_and_look_alikes_do_not(prefix: str) -> None:
    rows = _rows(f"{prefix}_emergencies.tsv")
    danger = [r for r in rows if r["danger"] == "1"]
    harmless = [r for r in rows if r["danger"] == "0"]
    assert len(danger) >= 60 and len(harmless) >= 60
    missed = []
    for r in danger:
        found = detect(r["text"])
        if found is None or not set(r["service"].split("+")) & set(found.services):
            missed.append(r["text"])
        else:
            assert any(n in found.line for n in found.services)
    false_alarms = [r["text"] for r in harmless if detect(r["text"]) is not None]
    assert len(missed) / len(danger) <= 0.02, missed
    assert len(false_alarms) / len(harmless) <= 0.05, false_alarms


@pytest.mark.parametrize("prefix", TUNED)
def test_small_talk_is_recognised_and_requests_are_not_mistaken(prefix: str) -> None:
    rows = _rows(f"{prefix}_nonrequests.tsv")
    talk = [r for r in rows if r["kind"] in ("greeting", "thanks", "noise")]
    requests = [r for r in rows if r["kind"] == "request"]
    vague = [r for r in rows if r["kind"] == "vague"]
    small = ("greeting", "thanks", "noise")
    recognised = sum(classify_intent(r["text"]) in small for r in talk) / len(talk)
    mistaken = sum(classify_intent(r["text"]) != "request" for r in requests) / len(requests)
    asked_back = sum(classify_intent(r["text"]) == "vague" for r in vague) / len(vague)
    assert recognised >= 0.95
    assert mistaken < 0.02
    assert asked_back >= 0.9


def test_no_judged_citizen_message_is_taken_for_small_talk() -> None:
    texts = [
        r["text"] for path in sorted(DATA.glob("*citizen_messages.tsv")) for r in _rows(path.name)
    ]
    assert len(texts) > 900
    mistaken = [t for t in texts if classify_intent(t) != "request"]
    # Two blind writers disagree on the bare 我要上访: probe I's labels it 信访局, set e's (like
    # tests/test_nlp_intent.py) vague. The bot asks it back (what is the matter?) on purpose;
    # with a subject (我要上访 征地补偿一直没给) it is a request. Any other text fails here.
    assert mistaken == [t for t in texts if t == "我要上访"]


def test_set_f_stays_at_the_level_reached() -> None:
    """Set f was written blind in stop 21 (by a helper who saw only DESIGN.md, the seed and the
    rubric's wording) and scored on main dafb49a before any change of stop 21 and once, unseen,
    on the merged triage of stop 21: critical 30/30 (none below high), exact 0.90, under-rated
    4/100, emergency line 65/65 with the right number, look-alike false alarms 0/65, small talk
    41/45 (target 0.95: missed), vague asked back 20/25, requests mistaken 0/100. Tuned on in
    stop 22 (set g being written blind): small talk 45/45, vague 25/25, exact 94/100, under-rated
    0/100. This guards the tuned level, which is no unseen estimate.
    """
    # Stop 23 (f trains the danger model; a planned crowd of 500 is high): 95/100.
    assert _tuned_set_exact("blind13f") >= 95
    talk = _tuned_set_small_talk("blind13f")
    assert len(talk) == 45 and all(talk)


def test_set_g_stays_at_the_level_reached() -> None:
    """Set g was written blind (by helpers who saw only DESIGN.md, the seed and the issue) and
    scored once, unseen, on main 0995a54: critical 26/30 (3 below high), exact 0.82, under-rated
    0.10, emergency line 62/65 with the right number, look-alike false alarms 1/65, small talk
    79/80. Tuned on in stop 22 by general families (see docs/severity.md): critical 30/30,
    exact 92/100, under-rated 0/100, emergency 65/65, false alarms 0/65, small talk 80/80. This
    guards the tuned level, which is no unseen estimate.
    """
    # Stop 23 (rumours, jokes, debunked and settled stories, planned crowds; g trains the
    # danger model): 100/100.
    assert _tuned_set_exact("blind13g") >= 100
    talk = _tuned_set_small_talk("blind13g")
    assert len(talk) == 80 and all(talk)


def test_set_h_stays_at_the_level_reached() -> None:
    """Set h was written blind (100 warnings, 65 dangers now and 65 look-alikes, 205
    non-requests) and scored once, unseen, on main acda815 after stop 23's triage merge:
    critical 30/30 (none below high), exact 0.83, under-rated 0.05, emergency line 63/65
    with the right number, look-alike false alarms 8/65, small talk 79/80, vague asked back
    22/25. Tuned on in stop 23 (set h) by general families (fun and fiction, money and
    pressure idioms, venting, ransom calls, heatstroke, first visits, help-me openings, a
    whole group going to an office, a head count right after the people): critical 30/30,
    exact 90/100, under-rated 0/100, emergency 65/65, false alarms 0/65, small talk 80/80,
    vague 25/25. This guards the tuned level, which is no unseen estimate.
    """
    assert _tuned_set_exact("blind13h") >= 90
    talk = _tuned_set_small_talk("blind13h")
    assert len(talk) == 80 and all(talk)
    vague = [r for r in _rows("blind13h_nonrequests.tsv") if r["kind"] == "vague"]
    assert len(vague) == 25
    assert all(classify_intent(r["text"]) == "vague" for r in vague)


def test_set_i_stays_where_it_was_scored_unseen() -> None:
    """Set i was written blind in stop 24 (a helper who saw only DESIGN.md, the seed and the
    rubric's wording; a third of its look-alikes are everyday complaints with addresses, house
    numbers and phone numbers). Scored on main 5b259e8 before any change of stop 24: critical
    30/30, exact 0.89, under-rated 3/100, emergency line 65/65, false alarms 1/65, small talk
    74/80; and once, unseen, on the merged triage of stop 24 (1c56867): critical 30/30 (none
    below high), exact 0.90, under-rated 2/100, emergency line 65/65 with the right number,
    false alarms 1/65, small talk 79/80, vague asked back 25/25, requests mistaken 0/100. Nobody
    has tuned on it; this guards that level.
    """
    rows = _rows("blind13i_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    assert len(rows) == 100
    assert [g for g, want in got if want == "critical"] == ["critical"] * 30
    assert sum(g == want for g, want in got) >= 90
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 2
    em = _rows("blind13i_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    assert len(danger) == 65
    for r in danger:
        found = detect(r["text"])
        assert found is not None and r["service"] in found.services, r["text"]
    assert sum(detect(r["text"]) is not None for r in em if r["danger"] == "0") <= 1
    assert sum(_tuned_set_small_talk("blind13i")) >= 79
