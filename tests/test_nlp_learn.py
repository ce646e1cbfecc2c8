"""nlp.learn and the lexicon overlay: proposals from corrections, on the packaged lexicon."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from nlp import classify
from nlp.learn import Correction, propose
from nlp.lexicon import LexiconError, load_lexicon, load_lexicon_with_overlay, merge_overlay

SIGNALS = "开发商拿地后一直不动工，地荒了好几年"
SIGNALS_2 = "开发商拿了地一直空着不建，早晚都有人在地里倒垃圾"
NOISE = "工地半夜施工噪音太大，早晚都不停"


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    lex = load_lexicon()
    data = dict(lex.raw)
    data["terms"] = {
        t: {**w, **({"idf": lex.term_idf[t]} if t in lex.term_idf else {})}
        for t, w in lex.terms.items()
    }
    return data


def corrected(text: str, room: str, bureau: str) -> Correction:
    c = classify(text)
    return Correction(text, c.room, c.bureau, room, bureau)


def test_a_misrouted_text_becomes_rules_for_where_it_belonged(base: dict[str, Any]) -> None:
    proposal = propose([corrected(SIGNALS, "general", "land")], base)
    assert (proposal.right_before, proposal.right_after, proposal.total) == (0, 1, 1)
    assert proposal.rules and {r.target for r in proposal.rules} == {"general/land"}
    assert all(r.word in SIGNALS and len(r.word) >= 2 for r in proposal.rules)
    overlay = tomllib.loads(proposal.overlay_after)
    assert [rule["when"][0] for rule in overlay["rules"]] == [r.word for r in proposal.rules]
    assert proposal.diff().startswith("--- a/lexicon.local.toml\n+++ b/lexicon.local.toml")
    assert proposal.confusions == {("construction", "land"): 1}


def test_words_shared_with_corrections_elsewhere_are_not_learnt(base: dict[str, Any]) -> None:
    land = [corrected(SIGNALS, "general", "land"), corrected(SIGNALS_2, "general", "land")]
    other = corrected(NOISE, "legal", "environment")
    proposal = propose([*land, other], base)
    words = {r.word for r in proposal.rules if r.target == "general/land"}
    assert words and "早晚" not in words  # also in the noise text


def test_corrections_already_routed_right_propose_nothing(base: dict[str, Any]) -> None:
    c = classify(SIGNALS)
    agreeing = Correction(SIGNALS, c.room, c.bureau, c.room, c.bureau)
    proposal = propose([agreeing], base)
    assert not proposal.changed and proposal.right_before == proposal.right_after == 1
    assert proposal.diff() == "" and proposal.confusions == {}


def test_a_second_round_keeps_the_first_rounds_rules(base: dict[str, Any]) -> None:
    first = propose([corrected(SIGNALS, "general", "land")], base)
    again = propose([corrected(SIGNALS, "general", "land")], base, first.overlay_after)
    assert again.right_before == 1 and not again.changed
    assert again.overlay_after == first.overlay_after


def test_the_overlay_loads_on_top_and_refuses_other_sections(
    base: dict[str, Any], tmp_path: Path
) -> None:
    proposal = propose([corrected(SIGNALS, "general", "land")], base)
    path = tmp_path / "overlay.toml"
    path.write_text(proposal.overlay_after, encoding="utf-8")
    learnt = load_lexicon_with_overlay(None, path)
    assert classify(SIGNALS, learnt).bureau == "land"
    assert len(learnt.rules) == len(load_lexicon().rules) + len(proposal.rules)
    merged = merge_overlay(
        base, {"rooms": {"general": {"bureaus": {"police": {"keywords": {"临检卡口": 2.0}}}}}}
    )
    assert merged["rooms"]["general"]["bureaus"]["police"]["keywords"]["临检卡口"] == 2.0
    assert "临检卡口" not in base["rooms"]["general"]["bureaus"]["police"].get("keywords", {})
    with pytest.raises(LexiconError, match="settings"):
        merge_overlay(base, {"settings": {"temperature": 2.0}})
