"""The rubric's trigger-word index, word-list searches and the per-text memo give the
answers of the plain definitions they replace."""

from __future__ import annotations

import csv
from pathlib import Path

from nlp.classify import classify
from nlp.emergency import detect
from nlp.family_index import any_in, found_in, index_of, occurrences
from nlp.normalize import normalize
from nlp.rubric import RUBRIC_PATH, default_rubric, load_rubric
from nlp.textcache import TextCache

DATA = Path(__file__).parent / "data"


def _texts() -> list[str]:
    out: list[str] = []
    for name in ("triage_dev_emergencies.tsv", "triage_dev_lookalikes.tsv", "warnings.tsv"):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        out += [normalize(r[0]) for r in rows[1:] if r]
    return out


def _naive(text: str) -> dict[str, list[int]]:
    """Every place of every trigger word, by trying each word at each place."""
    words = index_of(default_rubric()).families_of
    found: dict[str, list[int]] = {}
    for p in range(len(text)):
        for w in words:
            if w and text.startswith(w, p):
                found.setdefault(w, []).append(p)
    return found


def test_occurrences_finds_every_place_of_every_trigger_word() -> None:
    rubric = default_rubric()
    texts = [*_texts()[:60], "有人打人了，打人的跑了", "割腕割腕", ""]
    for text in texts:
        occ = occurrences(text, rubric)
        assert dict(occ) == _naive(text), text
        firsts = [places[0] for places in occ.values()]
        assert firsts == sorted(firsts), text


def test_word_list_searches_match_their_definitions() -> None:
    rubric = default_rubric()
    lists = [rubric.settled, rubric.past, rubric.strong_now, rubric.hearsay, ()]
    for text in [*_texts()[:60], "", "已经处理完了"]:
        # Lists put together at each call, as nlp.background does: a new tuple every time.
        joined = [(*rubric.past, *rubric.habit), (*rubric.strong_now, *rubric.present)]
        for words in [*lists, *joined]:
            assert any_in(text, words) == any(w in text for w in words)
            assert found_in(text, words) == [w for w in words if w in text]
            assert any_in(text, words, 2, 9) == any(w in text[2:9] for w in words)


def test_text_cache_keeps_few_entries_for_the_same_objects() -> None:
    cache: TextCache[int] = TextCache(size=2)
    a, b = object(), object()
    cache.put("x", a, value=1)
    assert cache.get("x", a) == 1
    assert cache.get("x", b) is None
    cache.put("y", a, value=2)
    cache.put("z", a, value=3)
    assert cache.get("x", a) is None  # the oldest went first
    assert cache.get("z", a) == 3


def test_emergency_first_or_classification_first_gives_the_same_answers() -> None:
    texts = ["隔壁着火了，快来人", "小区门口有人拿刀砍人", "物业费又涨了", "网传化工厂要爆炸"]
    alone = []
    for text in texts:
        c = classify(text)
        alone.append((c.severity_detail, detect(text)))
    # A fresh rubric object: nothing read before counts for it.
    rubric = load_rubric(RUBRIC_PATH)
    for text, (severity, emergency) in zip(texts, alone, strict=True):
        assert detect(text) == emergency
        assert classify(text).severity_detail == severity
        assert detect(text, rubric) == emergency
