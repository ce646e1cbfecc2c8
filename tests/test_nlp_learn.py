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
#: Five citizens' letters about idle land (the land bureau's; the lexicon says 建设局). Two
#: wordings were replaced at stop 26, whose idle-land duty rule routes 荒地/闲置 right already.
LAND = (
    SIGNALS,
    SIGNALS_2,
    "开发商拿地以后一直没开工，地里种满了菜",
    "那块地开发商拿了五年没动工，成了荒地",
    "开发商拿地三年不动工，地上全是荒草",
)


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    lex = load_lexicon()
    data = dict(lex.raw)
    data["terms"] = {
        t: {**w, **({"idf": lex.term_idf[t]} if t in lex.term_idf else {})}
        for t, w in lex.terms.items()
    }
    return data


def corrected(text: str, room: str, bureau: str, reporter: str = "") -> Correction:
    c = classify(text)
    return Correction(text, c.room, c.bureau, room, bureau, reporter)


def land() -> list[Correction]:
    return [corrected(t, "general", "land", f"citizen-{i}") for i, t in enumerate(LAND)]


def test_misrouted_texts_become_rules_for_where_they_belonged(base: dict[str, Any]) -> None:
    proposal = propose(land(), base)
    # Two of the five are held out: learnt from three, measured on the other two.
    assert (proposal.right_before, proposal.right_after, proposal.total) == (0, 3, 3)
    assert (proposal.held_right_before, proposal.held_right_after, proposal.held_out) == (0, 2, 2)
    assert proposal.rules and {r.target for r in proposal.rules} == {"general/land"}
    assert all(r.support >= 3 and len(r.word) >= 2 for r in proposal.rules)
    overlay = tomllib.loads(proposal.overlay_after)
    assert [rule["when"][0] for rule in overlay["rules"]] == [r.word for r in proposal.rules]
    assert proposal.diff().startswith("--- a/lexicon.local.toml\n+++ b/lexicon.local.toml")
    assert proposal.confusions == {("construction", "land"): 5}


def test_one_case_or_one_person_teaches_nothing(base: dict[str, Any]) -> None:
    """Trial 25 T14: a single correction proposed 电话/一直 → 人事局."""
    alone = propose([corrected(SIGNALS, "general", "land")], base)
    assert not alone.changed and alone.right_after == alone.right_before == 0
    same = [corrected(t, "general", "land", "one-citizen") for t in LAND]
    assert not propose(same, base).changed


def test_generic_and_masked_words_are_never_learnt(base: dict[str, Any]) -> None:
    texts = [
        "我身份证号是1101，社保卡办理一直被拒，电话13800000000，请帮忙",
        "社保卡一直办不下来，电话打了也没人接，身份证号已经登记",
        "电话联系了好多次，社保卡补办一直说系统有问题，身份证号没错",
        "社保卡挂失后一直没有新卡，电话问了三次",
    ]
    rows = [corrected(t, "livelihood", "personnel", f"c{i}") for i, t in enumerate(texts)]
    words = {r.word for r in propose(rows, base).rules}
    assert not words & {"电话", "一直", "身份", "证号", "身份证号"}


def test_words_shared_with_corrections_elsewhere_are_not_learnt(base: dict[str, Any]) -> None:
    other = corrected(NOISE, "legal", "environment")
    proposal = propose([*land(), other], base)
    words = {r.word for r in proposal.rules if r.target == "general/land"}
    assert words and "早晚" not in words  # also in the noise text


def test_corrections_already_routed_right_propose_nothing(base: dict[str, Any]) -> None:
    c = classify(SIGNALS)
    agreeing = Correction(SIGNALS, c.room, c.bureau, c.room, c.bureau)
    proposal = propose([agreeing], base)
    assert not proposal.changed and proposal.right_before == proposal.right_after == 1
    assert proposal.diff() == "" and proposal.confusions == {}


def test_a_second_round_keeps_the_first_rounds_rules(base: dict[str, Any]) -> None:
    first = propose(land(), base)
    again = propose(land(), base, first.overlay_after)
    assert again.right_before == 3 and not again.changed
    assert again.overlay_after == first.overlay_after


def test_the_overlay_loads_on_top_and_refuses_other_sections(
    base: dict[str, Any], tmp_path: Path
) -> None:
    proposal = propose(land(), base)
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
