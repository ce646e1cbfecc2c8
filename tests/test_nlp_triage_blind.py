"""Issue 13's quality figures, guarded on the sets written blind to the rubric.

Each ``blind13*`` set was written by a helper who saw only DESIGN.md, the seed
and the rubric's wording in the issue, never the code or ``config/severity.toml``.
Each was scored once while unseen (figures in ``tests/data/README.md`` and
``docs/severity.md``); a–c were tuned on afterwards and all four train the
learned danger model (``config/danger_model.json``), so these tests guard the
level reached on them, not an unseen estimate. The development estimate is
leave-one-set-out (``tests/test_nlp_danger.py``); the unseen one is set 13e,
scored by the lead.
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
TUNED = ["blind13a", "blind13b", "blind13c"]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


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
    assert mistaken == []


def test_set_d_stays_where_training_put_it() -> None:
    """Set d was scored once unseen after round 3 (critical 13/21, 6 below high,
    16 under-rated, danger 56/70, 8 false alarms); since round 4 it trains the
    danger model (the rubric's word lists were not tuned on it). Guarded at the
    level reached; its 8 look-alike false alarms are the rubric's own.
    """
    rows = _rows("blind13d_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert sum(g == "critical" for g in critical) == len(critical) == 21
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 2
    assert sum(g == want for g, want in got) >= 74
    em = _rows("blind13d_emergencies.tsv")
    assert sum(detect(r["text"]) is not None for r in em if r["danger"] == "1") >= 69
    assert sum(detect(r["text"]) is not None for r in em if r["danger"] == "0") <= 8
    nr = _rows("blind13d_nonrequests.tsv")
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")


def test_set_e_stays_at_least_where_it_was_scored_unseen() -> None:
    """Set e was written blind in stop 20 and scored once, unseen, on the merged danger model.

    It missed issue 13's targets (critical recall 28/32, 4 criticals below high, 8 of 100
    under-rated, look-alike false alarms 5/70, small talk 36/40; tests/data/README.md). This
    guards the level reached so that a change that makes it worse shows; the next round may
    tune on it and must then write a new unseen set.
    """
    rows = _rows("blind13e_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 32
    assert sum(g == "critical" for g in critical) >= 28
    assert sum(RANK[g] < RANK["high"] for g in critical) <= 4
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 8
    em = _rows("blind13e_emergencies.tsv")
    assert sum(detect(r["text"]) is not None for r in em if r["danger"] == "1") >= 68
    assert sum(detect(r["text"]) is not None for r in em if r["danger"] == "0") <= 5
    nr = _rows("blind13e_nonrequests.tsv")
    talk = [r for r in nr if r["kind"] in ("greeting", "thanks", "noise")]
    assert sum(classify_intent(r["text"]) in ("greeting", "thanks", "noise") for r in talk) >= 36
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")
