"""Stop 25's blind sets, guarded at the level reached (since stop 26 tuned on them).

* Triage set j (``blind13j_*``, issue 13) and probe L (``probe_l_citizen_messages.tsv``,
  issue 14) were written by helpers who saw only DESIGN.md, the seed and the issue's text,
  never the code, the lexicon or ``config/severity.toml``. Each was scored on main 9f51b57
  before any change of stop 25 and on the merged result, unseen. Set j is **tuning data**
  since stop 26 (branch i13s fixed its remaining misses by general rules); probe L is not.
* ``letters_severity_r1.tsv`` / ``_r2.tsv``: 120 + 160 real letters of the contest's board
  (``../shared/eval/teddy2020-dev.tsv`` and ``teddy2020-bureau-dev.tsv``, referenced by id)
  labelled by severity and danger-now by two helpers who read only the rubric. R1 was the
  development half of stop 25's letter rules (branch i13r chose rules on it); R2 was held out
  and scored by the lead only, before and after stop 25. **Both are development data since
  stop 26** (branch i13s chose its collective-action rules on R2's under-rated letters): their
  figures are no estimate any more; the lead's fresh labelled sample is.

The figures are in docs/severity.md and docs/classifier.md ("Stop 25", "Stop 26"). These
guards keep the level reached; they are no new estimate once anyone tunes on the sets (probe L
is tuned on since stop 26).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent
RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
SMALL = ("greeting", "thanks", "noise")
_CANDIDATES = [REPO.parent / "shared" / "eval", REPO.parent.parent / "shared" / "eval"]
EVAL_DIR = next((d for d in _CANDIDATES if (d / "teddy2020-dev.tsv").is_file()), None)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def assert_probe_holds(
    name: str,
    room: int,
    bureau: int,
    sure_right: int,
    sure_share: float,
    *,
    size: int | None = None,
) -> None:
    """A probe's rooms and bureaus right at least ``room`` / ``bureau`` times, and its
    answers with confidence >= 0.8 right at least ``sure_right`` times and ``sure_share``;
    given ``size``, the probe has exactly that many messages."""
    rows = _rows(DATA / name)
    if size is not None:
        assert len(rows) == size
    pairs = [(classify(r["text"]), r) for r in rows]
    assert sum(c.room == r["room"] for c, r in pairs) >= room
    assert sum(c.bureau == r["bureau"] for c, r in pairs) >= bureau
    sure = [c.bureau == r["bureau"] for c, r in pairs if c.confidence >= 0.8]
    assert sum(sure) >= sure_right and sum(sure) / len(sure) >= sure_share


def assert_warnings_hold(tag: str, exact: int, under: int, over: int | None = None) -> None:
    """Set ``tag``'s 100 warnings (30 critical): every critical one rated critical, at least
    ``exact`` rated exactly, at most ``under`` under-rated and (given) ``over`` over-rated."""
    rows = _rows(DATA / f"blind13{tag}_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= exact
    assert sum(RANK[g] < RANK[want] for g, want in got) <= under
    if over is not None:
        assert sum(RANK[g] > RANK[want] for g, want in got) <= over


def assert_lines_hold(
    tag: str, *, lines: int = 65, right: int | None = 65, false_alarms: int = 0
) -> None:
    """Of set ``tag``'s 65 dangers now at least ``lines`` get the emergency line (and, given,
    exactly ``right`` of them with the right number); at most ``false_alarms`` of its 65
    look-alikes get one."""
    em = _rows(DATA / f"blind13{tag}_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    harmless = [r for r in em if r["danger"] == "0"]
    assert len(danger) == 65 and len(harmless) == 65
    found = [(detect(r["text"]), r) for r in danger]
    assert sum(f is not None for f, _ in found) >= lines
    if right is not None:
        assert right == sum(
            f is not None and bool(set(r["service"].split("+")) & set(f.services)) for f, r in found
        )
    assert sum(detect(r["text"]) is not None for r in harmless) <= false_alarms


def assert_lines_and_small_talk_hold(tag: str) -> None:
    """Set ``tag``'s 65 dangers now all get the emergency line with the right number, its 65
    look-alikes none; its 80 pieces of small talk and 25 vague openings are all recognised and
    none of its 100 requests is taken for either (the level a tuned set is kept at)."""
    assert_lines_hold(tag)
    nr = _rows(DATA / f"blind13{tag}_nonrequests.tsv")
    talk = [classify_intent(r["text"]) in SMALL for r in nr if r["kind"] in SMALL]
    assert len(talk) == 80 and sum(talk) == 80
    vague = [classify_intent(r["text"]) == "vague" for r in nr if r["kind"] == "vague"]
    assert len(vague) == 25 and sum(vague) == 25
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")


def test_set_j_warnings_stay_where_they_were_tuned() -> None:
    """Set j's 100 warnings: on main 9f51b57 critical 28/30 (2 below high: a long report whose
    poisoning comes after two sentences of background; a tuberculosis cluster with pupils in
    hospital), exact 0.86, under-rated 3; on the merged triage of stop 25 (cff83f9) unseen:
    critical 26/30 (3 below high), exact 0.85, under-rated 5 — i13r's letter rule had taken two
    long reports of today's event for background. The lead's fix (f80c791, a word of today in
    the danger's sentence) brought it back to 28/30, exact 0.87, under-rated 3. Stop 26 (i13s,
    tuned on the set): critical 30/30, none below high, exact 0.90, none under-rated."""
    rows = _rows(DATA / "blind13j_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 90
    assert all(RANK[g] >= RANK[want] for g, want in got)


def test_set_j_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Set j unseen (the same before and after stop 25's merge): the emergency line for 65/65
    dangers now, the right number for 64 (a child locked in a hot car got 110, written 119),
    look-alike false alarms 4/65 (a fire-safety question, a cat jumping from a balcony, a gas
    explosion of 2019 retold, a derelict factory feared); small talk 78/80, vague asked back
    23/25, requests mistaken 0/100. Stop 26 (i13s, tuned on the set): false alarms 0/65 (a
    safety question, an animal's jump, 发生过 and a feared hazard are no danger now)."""
    em = _rows(DATA / "blind13j_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    harmless = [r for r in em if r["danger"] == "0"]
    assert len(danger) == 65 and len(harmless) == 65
    found = [(detect(r["text"]), r) for r in danger]
    assert all(f is not None for f, _ in found)
    right = sum(
        f is not None and bool(set(r["service"].split("+")) & set(f.services)) for f, r in found
    )
    assert right >= 64
    assert not [r["text"] for r in harmless if detect(r["text"]) is not None]
    nr = _rows(DATA / "blind13j_nonrequests.tsv")
    talk = [classify_intent(r["text"]) in SMALL for r in nr if r["kind"] in SMALL]
    assert len(talk) == 80 and sum(talk) >= 78
    vague = [classify_intent(r["text"]) == "vague" for r in nr if r["kind"] == "vague"]
    assert len(vague) == 25 and sum(vague) >= 23
    assert all(classify_intent(r["text"]) == "request" for r in nr if r["kind"] == "request")


def test_probe_l_keeps_the_level_it_was_tuned_to() -> None:
    """Probe L (240 citizen messages, every bureau at least 8 rows, a third without the obvious
    keyword): on main 9f51b57 room 213 (0.887), bureau 204 (0.850), confidence >= 0.8 right
    151/160; unseen on stop 25's merged classifier: room 214 (0.892), bureau 204 (0.850),
    confidence >= 0.8 right 154/162 = 0.951 (targets room 0.93 and bureau 0.90: missed).

    **Tuning data since stop 26** (branch i14g): its weak bureaus (justice, family planning,
    procuratorate, planning, police) were read and fixed by duty vocabulary and rules in
    ``config/lexicon.toml`` (docs/classifier.md, "Stop 26"), so this is an in-sample guard of
    the level reached (room 237, bureau 237, confidence >= 0.8 right 182/182), no estimate:
    the unseen figure of stop 26 is the lead's fresh probe M. The learnt bureau weights were
    not retrained, so probe L trains nothing."""
    assert len(_rows(DATA / "probe_l_citizen_messages.tsv")) == 240
    assert_probe_holds("probe_l_citizen_messages.tsv", 237, 237, 181, 0.98)


def _letters() -> dict[tuple[str, str], str]:
    assert EVAL_DIR is not None
    texts = {}
    for name in ("teddy2020-dev.tsv", "teddy2020-bureau-dev.tsv"):
        for r in _rows(EVAL_DIR / name):
            body = r["body"].replace("\\n", "\n")
            texts[(name, r["id"])] = f"{r['title']}\n{body}" if r["title"] else body
    return texts


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
@pytest.mark.parametrize(
    ("labels", "exact", "over", "under", "critical", "lines"),
    [
        # R1 (development half of stop 25): main 9f51b57 exact 0.367, over 73, under 3,
        # critical 21, lines 12; stop 25 exact 0.858, over 12, under 5, critical 0, lines 1;
        # stop 26 (i13s) exact 0.883, over 9 (two exam registrations no longer high, one
        # 威胁 of speech no longer a threat), under 5, critical 0, lines 1.
        # stop 28 (i13z, the letter model's medium head, trained on R1–R4plus; in-sample):
        # exact 0.867 (104), over 13, under 3 (four low letters raised to medium).
        # since i13bb (R5 and R5plus trained, the joint-letter rule; in-sample): exact 100,
        # over 16, under 4 (the medium head's threshold, priced with R5's labeller, moved).
        # stop 29 (i13ee: R6 and R6plus trained, new word classes, thresholds priced at
        # under-cost 5; in-sample): exact 93, over 24, under 3 (eight more lows raised).
        ("letters_severity_r1.tsv", 93, 24, 3, 0, 1),
        # R2 (held out and unseen until stop 25's figures; development data since stop 26):
        # main 9f51b57 exact 0.338 (54), over 104, under 2, critical 24, lines 12 (all false);
        # stop 25 exact 0.762 (122), over 27, under 11 (4 collective letters of high rated
        # medium, 7 medium rated low: 0.069, missed), critical 2, lines 1; stop 26 (i13s,
        # tuned on it) exact 0.812 (130), over 27, under 3 (0.019), critical 1, lines 0.
        # stop 26 round 2 (i13t, tuned on R3): exact 0.819 (131), over 26, under 3.
        # stop 28 (i13z, in-sample): exact 0.794 (127), over 31, under 2.
        # since i13bb (in-sample): exact 0.781 (125), over 33, under 2.
        # stop 29 (i13ee, in-sample): exact 0.725 (116), over 42, under 2 (R2's labeller kept
        # low what the others' price raises: the cost of the lower thresholds).
        ("letters_severity_r2.tsv", 116, 42, 2, 1, 0),
        # R3 (240 letters labelled blind by two helpers at stop 26; scored unseen by the
        # lead on main 10315b2: exact 0.688, over 52, under 23 = 0.096; on i13s 0.683 /
        # 52 / 24): development data of stop 26 round 2 (i13t): exact 0.767 (184),
        # over 44, under 12 (0.050), critical 3, lines 0 — in-sample.
        # stop 27 (i13v, the letter model trained on R1–R3, in-sample): exact 0.783 (188),
        # over 44, under 8 (0.033), high at high 10/13; R1 and R2 unchanged.
        # stop 28 (i13z, in-sample): exact 0.779 (187), over 46, under 7 (0.029).
        # since i13bb (in-sample, the joint-letter rule): exact 0.783 (188), over 47, under 5,
        # high at high 12/13.
        # stop 29 (i13ee, in-sample): exact 0.725 (174), over 62, under 4, high at high 12/13.
        ("letters_severity_r3.tsv", 174, 62, 4, 3, 0),
    ],
)
def test_real_letters_are_rated_as_a_duty_officer_rated_them(
    labels: str, exact: int, over: int, under: int, critical: int, lines: int
) -> None:
    texts = _letters()
    rows = _rows(DATA / labels)
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert sum(g == want for g, want in got) >= exact
    assert sum(RANK[g] > RANK[want] for g, want in got) <= over
    assert sum(RANK[g] < RANK[want] for g, want in got) <= under
    assert sum(g == "critical" for g, _ in got) <= critical
    assert all(r["danger_now"] == "0" for r in rows)
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= lines
