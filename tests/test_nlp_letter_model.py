"""Stops 27–28: the learnt letter model (nlp/letter_model.py) raises letters the rubric under-rates.

The wordings below are our own (no labelled letter's text): a collective action told
in a letter that no rubric list names as a crowd (养殖户 is no crowd word), residents'
anger at a polluter and a contractor's threat to go higher told in a writer's words
(stop 28's medium head), routine complaints and requests, a short message. The
leave-one-set-out figures are in docs/severity.md ("Stop 27: the letter model",
"Stop 28"); this file guards the shipped weights and the behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.triage import EVAL
from nlp.classify import classify
from nlp.letter_model import default_letter_model, letter_features, raise_letter
from nlp.normalize import danger_text
from nlp.rubric import default_rubric
from nlp.rubric_level import Severity, rubric_assessment
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


SMOKE = (
    "化工厂偷排废气，周边居民苦不堪言\n尊敬的领导：我们是河东小区的居民。小区旁边的化工厂每到晚上就偷偷"
    "排放废气，气味刺鼻，很多老人孩子咳嗽头晕，严重影响大家的身体健康。我们多次打电话向环保部门反映，每次"
    "来人看一看就走了，至今没有任何处理。小区居民怨声载道，民愤极大，请上级领导派人调查，还我们一个干净的环境。"
)
CONTRACTOR = (
    "关于拖欠工程款的反映\n我是一名包工头，去年给镇上的一家公司做了四个月的土方工程，工程款二十多万元至今"
    "没有结清。我多次找公司老板，他总是推说资金困难。我手下的工人天天找我要钱，年关将至，我真的心寒。如果"
    "这事还不解决好，我只能继续告上去，到时候出了什么事谁负责？请领导帮忙督促公司尽快付款。"
)
TRANSFER = (
    "关于孩子转学手续的咨询\n您好，我家孩子今年九月要从外地转回本市读初二，请问需要准备哪些材料？户口在"
    "本市，房子是租的，租房合同已经在社区备案，孩子的学籍档案也已经调出来了。学校说要教育局的批条，教育局说"
    "要先找学校，我跑了几趟都没办成，请问正确的流程是什么？谢谢。"
)
POTHOLES = (
    "关于小区门口道路坑洼的建议\n您好，我们小区门口的那段路坑坑洼洼已经一年多了，下雨天积水很深，居民出行"
    "很不方便，电动车经过容易滑倒。之前给物业说过，物业说这段路归市政管。希望有关部门能安排人来看一看，找个"
    "时间修补一下路面，顺便把路边的排水沟清理一下，谢谢。"
)


@pytest.mark.parametrize(
    ("letter", "words"),
    [(SMOKE, {"怨声载道", "身体健康"}), (CONTRACTOR, {"告上去", "心寒"})],
)
def test_a_low_letter_telling_anger_or_a_threat_to_go_higher_is_raised_to_medium(
    letter: str, words: set[str]
) -> None:
    """Stop 28's medium head: many residents' anger at a danger to their health, one
    contractor's threat to take it higher — medium by the rubric, low by its lists."""
    rub = default_rubric()
    text = danger_text(letter)

    assert rubric_assessment(text, rub).level == "low"
    s = assess_severity(letter)
    assert s.level == "medium"
    assert s.families[-1] == "letter_model"
    # The officer sees the words that set the level, each a piece of the letter.
    assert words <= set(s.reasons)
    assert all(r in letter for r in s.reasons)


@pytest.mark.parametrize("letter", [LAMP, TRANSFER, POTHOLES])
def test_routine_requests_told_in_a_letter_stay_low(letter: str) -> None:
    s = assess_severity(letter)
    assert s.level == "low"
    assert "letter_model" not in s.families


def test_one_word_of_anger_alone_does_not_raise_a_routine_letter() -> None:
    s = assess_severity(LAMP + "物业这样推来推去，让人心寒。")
    assert s.level == "low"


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


def test_the_model_raises_to_medium_or_high_and_lowers_nothing() -> None:
    rub = default_rubric()
    text = danger_text(FARMERS)
    for level in ("high", "critical"):
        found = Severity(level, ("x",), None, False, ("x",), ())
        assert raise_letter(text, rub, found) is found
    for level in ("low", "medium"):
        found = Severity(level, ("上访",), None, False, ("上访",), ("gathering",))
        raised = raise_letter(text, rub, found)
        assert raised.level == "high" and raised.families == ("gathering", "letter_model")
    # A medium head's letter: low becomes medium; medium and above stay as found.
    smoke = danger_text(SMOKE)
    for level in ("medium", "high", "critical"):
        found = Severity(level, ("x",), None, False, ("x",), ())
        assert raise_letter(smoke, rub, found) is found
    low = Severity("low", (), None, False, (), ())
    assert raise_letter(smoke, rub, low).level == "medium"


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
    feats = letter_features(text, default_rubric())
    assert set(feats) <= {"repeat", "len300", "many"}
    assert model.level(feats) is None


@pytest.mark.skipif(not (EVAL / "teddy2020-dev.tsv").is_file(), reason="letters' texts absent")
def test_the_shipped_weights_are_what_training_gives() -> None:
    from nlp.letter_model import LETTER_MODEL_PATH
    from nlp.letter_train import train

    assert LETTER_MODEL_PATH.read_text(encoding="utf-8") == train(DATA, EVAL).to_json()


@pytest.mark.skipif(not (EVAL / "teddy2020-dev.tsv").is_file(), reason="letters' texts absent")
def test_leave_one_set_out_the_model_lowers_under_rating_at_a_bounded_cost() -> None:
    """R1–R5plus (1,079), each set scored by a model trained on the others (weights and
    thresholds, priced on the random samples R1–R5 only). Stop 28 (i13z, R1–R4plus, 810):
    without the model under 94, over 98, high at high 19/57, medium 83/137; with it under 77,
    over 125, high 29/57, medium 90/137; random samples (740) under 51, over 118. Since i13bb
    (R5 and R5plus added, 1,079): without the model under 150, over 131, high 23/96, medium
    at medium or above 99/174; the model alone (no joint-letter rule) under 107, over 187,
    high 49/96, medium 116/174, random (960) under 62, over 168; with the joint-letter rule
    (shipped) under 95, over 188, high 60/96, medium 117/174, random under 54, over 169.
    Stop 29 (i13ee, R6 and R6plus added, 1,387): without the model under 240, over 161, high
    24/133, medium 125/253; stop 28's design retrained with them under 162, over 236, high
    71/133, medium 156/253, random (1,180) under 72, over 212; shipped (new word classes, the
    visit feature, thresholds priced at under-cost 5) under 108, over 288, high 86/133, medium
    195/253, random under 54 (0.046), over 259. (Stop 28's design retrained was scored before
    i13ee's ``[letters]`` entries, whose lift letter makes the rubric's over 162 there.)"""
    from nlp.letter_train import PLUS_SETS, cross_validate, figures, load_letters

    sets = cross_validate(load_letters(DATA, EVAL))
    before = figures([p for s in sets for p in s.before])
    after = figures([p for s in sets for p in s.after])
    # Stop 30 (i13hh): the rubric alone over-rates one letter fewer (over 161 -> 160).
    # Stop 31 (i13kk): one more (160 -> 161): 被打爆 (phone lines swamped) became a look-alike of
    # the fight family, which the danger model's training masks too; the retrained model rates a
    # short R3 text (火车站…候车室要收钱，悲哀) medium, labelled low.
    # Stop 34 (let34): the rubric alone over-rates 43 letters fewer (161 -> 118: short letters
    # to an office not raised by the danger model, a headline's past harm, a blocking word
    # or 集体 alone in a letter, a house number) and under-rates one more (240 -> 241): a medium
    # letter whose only gathering word was 村集体财产 (collective property); the letter model
    # raises it to medium as before (the shipped model is unchanged), and the figures with the
    # model below hold (under 108, medium 195, random under 54, over 249 and 220).
    # Review 34a F4 (rfix34b): safety over over-rating — a short letter's form no longer keeps the
    # danger model from a text with a word of now (现在), people at risk or self-harm
    # (nlp.office_letter.DANGER_BESIDE), so six short low letters whose only such word is 现在
    # (K3县楚江河现在是污水横流, 现在怀孕生二胎 ...) are raised to medium again (118 -> 124); the
    # letter model's figures below hold.
    assert (before["under"], before["over"], before["high_reached"]) == (241, 124, 24)
    assert before["medium_reached"] == 124
    assert after["under"] <= 108 and after["high_reached"] >= 86
    assert after["medium_reached"] >= 195
    assert after["over"] <= 288
    random = figures([p for s in sets if s.name not in PLUS_SETS for p in s.after])
    assert random["under"] <= 54 and random["over"] <= 259
    assert random["under"] <= 0.05 * random["n"]


OWN_LETTERS = (
    FARMERS,
    LAMP,
    SMOKE,
    CONTRACTOR,
    TRANSFER,
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
    the classifier's own level of it, for all 810 labelled texts: the leave-one-set-out
    figures measure what runs."""
    from nlp.letter_train import _combined, _texts, load_letters

    model = default_letter_model()
    assert model is not None
    texts = _texts(EVAL)
    for x in load_letters(DATA, EVAL):
        source, _, ident = x.key.partition(":")
        assert classify(texts[(source, ident)]).severity == _combined(x, model), x.key
