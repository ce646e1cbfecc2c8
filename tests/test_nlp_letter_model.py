"""Stop 27: the learnt letter model (nlp/letter_model.py) raises letters the rubric under-rates.

The wordings below are our own (no labelled letter's text): a collective action told
in a letter that no rubric list names as a crowd (养殖户 is no crowd word), a routine
complaint, a short message. The leave-one-set-out figures are in docs/severity.md
("Stop 27: the letter model"); this file guards the shipped weights and the behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.triage import EVAL
from nlp.classify import classify
from nlp.letter_model import default_letter_model, letter_features, raise_letter
from nlp.normalize import danger_text
from nlp.rubric import default_rubric
from nlp.rubric_level import Severity
from nlp.severity import assess_severity

DATA = Path(__file__).parent / "data"

FARMERS = (
    "关于拖欠货款的反映\n我们是某某镇的养殖户，一共三十多户，2019年把生猪卖给了县里的食品公司，"
    "公司至今拖欠我们货款两百多万元。我们多次找公司和镇政府反映，都没有结果。大家商量好了，"
    "下个月全体养殖户一起到市政府上访，请领导重视，尽快帮我们讨回血汗钱。"
)
LAMP = (
    "小区门口路灯坏了\n您好，我是幸福小区的居民，小区门口的路灯已经坏了两个多月了，晚上出门很不方便，"
    "老人孩子走路容易摔倒。我打过几次电话给物业，物业说不归他们管，请问这个路灯应该由哪个部门负责"
    "维修？希望有关部门尽快处理，谢谢。"
)


def test_a_collective_visit_told_in_a_letter_is_raised_to_high_with_its_words() -> None:
    s = assess_severity(FARMERS)
    assert s.level == "high"
    assert s.families[-1] == "letter_model"
    # The officer sees the words that set the level, each a piece of the letter.
    assert "上访" in s.reasons and "到市政府" in s.reasons
    assert all(r in FARMERS for r in s.reasons)
    assert classify(FARMERS).severity == "high"


def test_a_routine_complaint_letter_stays_low() -> None:
    s = assess_severity(LAMP)
    assert s.level == "low"
    assert "letter_model" not in s.families


def test_a_short_message_is_never_read_by_the_letter_model() -> None:
    short = "我们三十多户养殖户下个月一起到市政府上访"
    assert "letter_model" not in assess_severity(short).families


def test_the_model_raises_a_low_or_medium_letter_to_high_and_nothing_else() -> None:
    rub = default_rubric()
    text = danger_text(FARMERS)
    for level in ("high", "critical"):
        found = Severity(level, ("x",), None, False, ("x",), ())
        assert raise_letter(text, rub, found) is found
    for level in ("low", "medium"):
        found = Severity(level, ("上访",), None, False, ("上访",), ("gathering",))
        raised = raise_letter(text, rub, found)
        assert raised.level == "high" and raised.families == ("gathering", "letter_model")


def test_a_low_letter_that_says_the_matter_is_over_is_not_raised() -> None:
    settled = FARMERS + "后来镇里出面调解好了，钱也拿到了。"
    low = Severity("low", (), None, False, (), ())
    assert raise_letter(danger_text(settled), default_rubric(), low) is low


def test_a_letter_whose_features_name_no_word_is_not_raised() -> None:
    model = default_letter_model()
    assert model is not None
    feats = {"len300": "", "len600": "", "len1000": ""}
    assert model.reasons(feats, "high") == ()
    text = danger_text(LAMP)
    assert set(letter_features(text, default_rubric())) <= {"repeat", "len300"}


@pytest.mark.skipif(not (EVAL / "teddy2020-dev.tsv").is_file(), reason="letters' texts absent")
def test_the_shipped_weights_are_what_training_gives() -> None:
    from nlp.letter_model import LETTER_MODEL_PATH
    from nlp.letter_train import train

    assert LETTER_MODEL_PATH.read_text(encoding="utf-8") == train(DATA, EVAL).to_json()


@pytest.mark.skipif(not (EVAL / "teddy2020-dev.tsv").is_file(), reason="letters' texts absent")
def test_leave_one_set_out_the_model_lifts_high_letters_and_keeps_over_rating_in_check() -> None:
    """R1+R2+R3 pooled, each set scored by a model trained on the other two (weights and
    threshold): without the model exact 421, over 79, under 20, high at high 13/20; with it
    exact 421, over 81, under 18, high at high 15/20 (the rubric's figures are in-sample:
    its lists were tuned on these sets)."""
    from nlp.letter_train import cross_validate, figures, load_letters

    sets = cross_validate(load_letters(DATA, EVAL))
    before = figures([p for s in sets for p in s.before])
    after = figures([p for s in sets for p in s.after])
    assert (before["under"], before["over"], before["high_reached"]) == (20, 79, 13)
    assert after["under"] <= 18 and after["high_reached"] >= 15
    assert after["over"] <= before["over"] + 4
    assert after["exact"] >= before["exact"] - 2


OWN_LETTERS = (
    FARMERS,
    LAMP,
    "关于退休待遇的反映\n我们是原县纺织厂的退休职工，共有六十多人，退休后养老金一直按最低标准发放，"
    "多次到县人社局反映，至今没有答复。大家商量着下周一起去市里，请领导给个说法。我们不想闹事，"
    "只想要回应得的待遇。",
    "小区停车难的问题\n我们小区业主们反映，小区车位严重不足，物业还把公共车位出租给外来车辆，"
    "业主们多次找物业交涉无果，很多业主在群里说要联名投诉，请有关部门监督物业整改，维护业主权益。",
    "关于学校收费的投诉\n本人孩子在某某中学读书，学校以资料费名义每学期收取三百元，没有任何票据。"
    "我多次向学校询问，学校只说是统一要求，请教育局核实学校收费是否合规，谢谢。",
)


@pytest.mark.parametrize("letter", OWN_LETTERS)
def test_the_runtime_check_gives_what_every_feature_gives(letter: str) -> None:
    """raise_letter skips the costlier readers when they cannot reach the threshold: the
    level must be the one all the features give (the bound is exact)."""
    model = default_letter_model()
    assert model is not None
    rub = default_rubric()
    text = danger_text(letter)
    full = model.level(letter_features(text, rub))
    for level in ("low", "medium"):
        found = Severity(level, (), None, False, ("x",), ())
        assert raise_letter(text, rub, found).level == (full or level)


@pytest.mark.skipif(not (EVAL / "teddy2020-dev.tsv").is_file(), reason="letters' texts absent")
def test_training_reads_each_labelled_letter_as_the_classifier_rates_it() -> None:
    """The trainer's level of a text with the letter model (base, features, the raise) is
    the classifier's own level of it, for all 520 labelled texts: the leave-one-set-out
    figures measure what runs."""
    from nlp.letter_train import _combined, _texts, load_letters

    model = default_letter_model()
    assert model is not None
    texts = _texts(EVAL)
    for x in load_letters(DATA, EVAL):
        source, _, ident = x.key.partition(":")
        assert classify(texts[(source, ident)]).severity == _combined(x, model), x.key
