"""Lexicon mining (SVM on tf-idf vectors), mined bureau models, idf and the parse cache."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from nlp import LexiconError, classify, load_lexicon
from nlp.dataset import LabelledMessage
from nlp.lexicon import Lexicon, parse_lexicon
from nlp.mine import mine, render_lexicon, train_svm


def test_svm_separates_words_of_two_classes() -> None:
    rows = [{"甲": 1.0, "共": 0.5}, {"甲": 0.8}, {"乙": 1.0, "共": 0.5}, {"乙": 0.9}]
    bias, weights = train_svm(rows, [True, True, False, False], [4.0] * 4)
    assert weights["甲"] > 0 > weights["乙"]
    assert abs(weights.get("共", 0.0)) < min(weights["甲"], -weights["乙"])
    margins = [bias + sum(weights.get(t, 0.0) * v for t, v in r.items()) for r in rows]
    assert [m > 0 for m in margins] == [True, True, False, False]
    # Deterministic for a seed.
    assert train_svm(rows, [True, True, False, False], [4.0] * 4) == (bias, weights)


def _messages() -> list[LabelledMessage]:
    # Words chosen outside the hand-written lexicon: only the mined part can decide.
    samples = {
        ("social", "education"): ["琴房排课混乱", "琴房课表又变", "排课老是冲突"],
        ("social", ""): ["挂号窗口排长队", "挂号系统崩溃", "窗口挂号太慢"],
        ("urban", ""): ["楼道堆放杂物", "楼道杂物没人清", "杂物堵住楼道"],
    }
    out = []
    i = 0
    for (room, bureau), texts in samples.items():
        for rep in range(6):
            for text in texts:
                i += 1
                out.append(LabelledMessage(str(i), room, room, bureau, f"{text}，第{rep}次"))
    return out


def test_mining_gives_idf_room_weights_and_a_bureau_model() -> None:
    head = '[rooms.social]\ndefault_bureau = "health"\n'
    base = parse_lexicon(tomllib.loads(head), "<head>")
    model = mine(_messages(), base, folds=3)
    assert model.targets == ("social", "urban")
    assert model.bureau_models == ("social/education",)
    assert model.cv_macro_f1 is not None and model.cv_macro_f1 > 0.9
    assert model.terms["楼道"]["urban"] > 0 > model.terms["楼道"]["social"]
    assert model.terms["琴房"]["social/education"] > 0
    assert model.terms["挂号"].get("social/education", 0.0) < 0
    # A word in every message is worth little; a word in a few is worth more.
    assert model.idf["次"] < model.idf["琴房"]

    lex = parse_lexicon(tomllib.loads(render_lexicon(head, model, "test")), "<mined>")
    assert lex.term_idf["琴房"] == model.idf["琴房"]
    assert "idf" not in lex.terms["琴房"]
    # The bureau model picks the bureau inside the room; it is not a room of its own.
    teaching = classify("琴房排课又乱了", lex)
    assert (teaching.room, teaching.bureau) == ("social", "education")
    queue = classify("挂号窗口的队太长", lex)
    assert (queue.room, queue.bureau) == ("social", "health")
    # The room's share is not split between the room and its bureau model; the
    # answer's own confidence is that of its bureau (room × bureau share), no more.
    for answer in (teaching, queue):
        assert answer.alternatives[0].confidence > 0.9
        assert answer.confidence <= answer.alternatives[0].confidence
    assert classify("楼道里全是杂物", lex).room == "urban"


def test_mined_section_is_validated() -> None:
    with pytest.raises(LexiconError, match=r"terms\.楼道\.idf"):
        parse_lexicon({"terms": {"楼道": {"idf": -1.0, "urban": 1.0}}}, "x.toml")
    with pytest.raises(LexiconError, match="names no bureau"):
        parse_lexicon({"mined": {"bureau_models": ["social"]}}, "x.toml")
    with pytest.raises(LexiconError, match="unknown bureau"):
        parse_lexicon({"mined": {"bureau_models": ["social/mayor"]}}, "x.toml")


def test_parsed_lexicon_is_cached_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("MINQING_CACHE", "1")
    path = tmp_path / "lexicon.toml"
    path.write_text('[terms]\n"楼道" = { idf = 2.0, urban = 1.5 }\n', encoding="utf-8")
    first = load_lexicon(path)
    cached = list((tmp_path / "cache" / "minqing").glob("lexicon-*.marshal"))
    assert len(cached) == 1
    assert load_lexicon(path).terms == first.terms == {"楼道": {"urban": 1.5}}
    # An edited file is parsed afresh, never served from the old entry.
    path.write_text('[terms]\n"楼道" = { idf = 2.0, urban = -0.5 }\n', encoding="utf-8")
    assert load_lexicon(path).terms["楼道"]["urban"] == -0.5
    assert len(list((tmp_path / "cache" / "minqing").glob("lexicon-*.marshal"))) == 2
    # A damaged cache entry falls back to parsing; errors still name the file.
    for entry in (tmp_path / "cache" / "minqing").glob("lexicon-*.marshal"):
        entry.write_bytes(b"\x00garbage")
    assert load_lexicon(path).terms["楼道"]["urban"] == -0.5
    path.write_text("[terms\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon\.toml: not valid TOML"):
        load_lexicon(path)
    # Edits do not pile up: only the newest few parsed lexicons are kept.
    for i in range(12):
        path.write_text(f'[terms]\n"楼道" = {{ urban = {i} }}\n', encoding="utf-8")
        assert load_lexicon(path).terms["楼道"]["urban"] == i
    assert len(list((tmp_path / "cache" / "minqing").glob("lexicon-*.marshal"))) == 8


def test_new_settings_are_validated() -> None:
    with pytest.raises(LexiconError, match=r"settings\.keyword_freq"):
        parse_lexicon({"settings": {"keyword_freq": -1}}, "x.toml")
    lex = parse_lexicon({"settings": {"keyword_freq": 500}}, "x.toml")
    assert lex.settings.keyword_freq == 500
    # The severity section moved to the rubric (tests/test_nlp_severity_rubric.py);
    # an old lexicon that still has one is told where it went.
    with pytest.raises(LexiconError, match=r"\[severity\] moved: .*config/severity\.toml"):
        parse_lexicon({"severity": {"planning": ["商量"]}}, "x.toml")


def test_a_room_prior_counts_when_classifying_and_survives_mining() -> None:
    # A bias is absorbed by the shifts that mining fits; a prior is not: mined
    # with or without it, the mined weights and shifts are the same, and when
    # classifying it lowers its room as a bias would.
    head = '[rooms.social]\ndefault_bureau = "health"\n'
    plain = parse_lexicon(tomllib.loads(head), "<head>")
    lowered = parse_lexicon(tomllib.loads(head + "prior = -2.0\n"), "<head>")
    assert lowered.room_prior["social"] == -2.0
    a = mine(_messages(), plain, folds=3)
    b = mine(_messages(), lowered, folds=3)
    assert (a.bias, a.terms) == (b.bias, b.terms)
    text = "挂号窗口排长队"
    lex_a = load_lexicon_text(render_lexicon(head, a, "test"))
    lex_b = load_lexicon_text(render_lexicon(head + "prior = -2.0\n", b, "test"))
    room_a = next(x for x in classify(text, lex_a).alternatives if x.room == "social")
    room_b = next(x for x in classify(text, lex_b).alternatives if x.room == "social")
    assert room_b.confidence < room_a.confidence


def load_lexicon_text(text: str) -> Lexicon:
    return parse_lexicon(tomllib.loads(text), "<mined>")
