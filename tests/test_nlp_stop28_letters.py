"""Stop 28 (branch i13bb): letters written jointly by many, and the letter samples R5 / R5plus.

* A letter signed jointly by many or on behalf of a group petitioning (联名, 全体村民 as the
  signature, N户联名, 我们四十八名村民, 集体请愿) is a collective petition, high by the rubric
  (``nlp.letter_joint``); every labeller of R4–R5plus rated such letters high. Tested with
  letters of our own wording and look-alikes (a single writer, 全体村民都知道, one writer's
  mandate for 300 households, a plan to sign, a joint letter of years ago that was settled,
  three people signing).
* ``letters_severity_r5.tsv`` (220 random letters) and ``letters_severity_r5plus.tsv`` (49
  letters a second labeller rated medium or above while reading 500 others) were scored unseen
  by the lead at stop 28 and are **training data of the letter model since branch i13bb**
  (released by the lead): the guards are at the in-sample level reached there, the unseen
  figures kept in their docstrings.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.letter_joint import joint_letter
from nlp.normalize import danger_text
from nlp.severity import assess_severity
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, RANK, _letters, _rows

_BODY = (
    "尊敬的领导：您好！我们村东头的石料厂自前年开工以来，每天从早到晚粉尘飞扬，附近的庄稼叶子上"
    "全是白灰，今年的稻谷基本绝收，村里的水井也浑了，老人小孩咳嗽不断。我们找过村委会和镇里，"
    "都说在处理，可一年多过去了，石料厂照样开工，运石车还把村道压得坑坑洼洼。"
)

JOINT = [
    (_BODY + "特此联名反映，恳请领导派人调查，依法关停这个石料厂。\n东湖村全体村民", "联名"),
    (_BODY + "为此，我们全组共86户联名，要求有关部门尽快处理，还我们一个干净的家园。", "86户联名"),
    (_BODY + "我们四十八名村民恳请市环保局依法查处，给村民一个说法。", "我们四十八名"),
    (
        "关于出租车份子钱过高的反映\n"
        + _BODY.replace("我们村东头的石料厂", "公司")
        + "全体出租车司机集体请愿，请求取消不合理的份子钱。",
        "集体请愿",
    ),
]


@pytest.mark.parametrize(("letter", "said"), JOINT)
def test_a_letter_signed_jointly_by_many_is_high(letter: str, said: str) -> None:
    """A joint signature or a letter on behalf of a group petitioning: high, naming the words."""
    assert joint_letter(danger_text(letter)) is not None
    s = assess_severity(letter)
    assert s.level == "high"
    assert "letter_joint" in s.families
    assert any(said in r for r in s.reasons)


LOOK_ALIKES = [
    # A residents' complaint with no joint act (我们小区业主反映 ...).
    _BODY.replace("我们村东头的石料厂", "我们小区楼下的烧烤店").replace("粉尘", "油烟")
    + "我们小区业主反映多次，希望城管部门处理。",
    # A single writer quoting the village.
    "我是本村村民，" + _BODY + "这事全体村民都知道，请领导帮我家解决一下庄稼的补偿。",
    # A joint letter of years ago, settled.
    _BODY + "十年前全体村民联名反映过修桥的事，后来已经解决了，这次是我个人反映粉尘的问题。",
    # One writer's mandate: the number concerned, no crowd (stop 26).
    _BODY + "我代表东湖村三百多户村民反映此事，恳请市环保局依法查处。",
    # A plan to sign.
    _BODY + "很多村民在群里说要联名投诉，请有关部门监督整改。",
    # Three people signing: no collective petition.
    _BODY + "我们3人联名举报，请领导调查。",
    # 村集体, 联名卡: no joint act.
    _BODY + "另外村集体土地被私人占用，我的银行联名卡也被乱扣年费。",
]


@pytest.mark.parametrize("letter", LOOK_ALIKES)
def test_look_alikes_of_a_joint_letter_are_not_read_as_one(letter: str) -> None:
    """No joint act (or one that is over, or of three people): the joint rule does not fire."""
    s = assess_severity(letter)
    assert "letter_joint" not in s.families
    assert s.level != "high"


def test_the_joint_rule_never_lowers_a_level() -> None:
    """A joint letter that the rubric already rates above high keeps its level."""
    letter = _BODY + "村民们说今天下午就去把镇政府围了。特此联名反映。\n东湖村全体村民"
    s = assess_severity(letter)
    assert RANK[s.level] >= RANK["high"]


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r5_letters_hold_their_trained_level() -> None:
    """R5 (220 random letters: low 192, medium 12, high 15, critical 1), unseen at stop 28:
    main e263f21 exact 0.764, over-rated 31, under-rated 21 = 0.095, medium at medium or above
    5/12, high at high 1/15, emergency lines 2 (both false); merged main of stop 28 (376e6e2)
    0.759, over 33, under 20 = 0.091, medium 6/12, high 1/15, lines 2. Training data of the
    letter model since branch i13bb (in-sample, no estimate; with the joint-letter rule):
    exact 172 = 0.782, over 32, under 16 = 0.073, high at high 6/15, medium at medium or above
    5/12, lines 2. Since stop 29 (i13ee: R6 and R6plus trained, new word classes, thresholds
    priced at under-cost 5, no line for an injury's unpaid bill in a letter's title;
    in-sample): exact 160, over 48, under 12 = 0.055, high at high 6/15, medium at medium or
    above 9/12, lines 1 (the blood-lead letter of 113 characters, not a letter)."""
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r5.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 220
    assert sum(g == want for g, want in got) >= 160
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 48
    assert sum(RANK[g] < RANK[want] for g, want in got) <= 12
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 6
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 9
    assert not [r for r in rows if r["danger_now"] == "1"]
    assert sum(detect(texts[(r["source"], r["id"])]) is not None for r in rows) <= 1


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_r5plus_letters_of_medium_and_above_are_not_rated_lower() -> None:
    """R5plus (49: medium 25, high 24), unseen at stop 28: rated at least as labelled on main
    e263f21 15/49 (high at high 4/24, medium 11/25), merged main of stop 28 (376e6e2) 22/49
    (high 9/24, medium 13/25). Training data since branch i13bb (in-sample, with the joint-letter
    rule): 29/49, high at high 17/24, medium at medium or above 12/25. Since stop 29 (i13ee,
    in-sample): 34/49, high at high 17/24, medium at medium or above 17/25."""
    texts = _letters()
    rows = _rows(DATA / "letters_severity_r5plus.tsv")
    got = [(classify(texts[(r["source"], r["id"])]).severity, r["severity"]) for r in rows]
    assert len(rows) == 49 and all(want != "low" for _, want in got)
    assert sum(RANK[g] >= RANK[want] for g, want in got) >= 34
    high = [g for g, want in got if want == "high"]
    assert sum(RANK[g] >= RANK["high"] for g in high) >= 17
    medium = [g for g, want in got if want == "medium"]
    assert sum(RANK[g] >= RANK["medium"] for g in medium) >= 17
