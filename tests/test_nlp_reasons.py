"""The reasons shown to a citizen carry the decision, not filler (issue 18)."""

from __future__ import annotations

from nlp import classify
from nlp.reasons import decision_words, is_filler


def test_filler_and_quantities_are_not_reasons() -> None:
    for word in ("三个", "事情", "怎么", "多少", "问题", "发生", "三十多", "两次", "几个"):
        assert is_filler(word), word
    for word in ("工资", "油烟", "噪音", "宅基地", "欠薪"):
        assert not is_filler(word), word


def test_repeats_are_shown_once_in_order() -> None:
    assert decision_words(["工资", "三个", "月工资", "老板", "工资"]) == ["工资", "老板"]
    assert decision_words(["油烟", "噪音", "楼下"], limit=2) == ["油烟", "噪音"]


def test_a_real_classification_keeps_its_deciding_word() -> None:
    words = decision_words(classify("公司拖欠我三个月工资不发，老板一直找借口").keywords)
    # 工资 is scored inside the segmentation's word 月工资, which is shown (stop 26 round 3)
    assert any("工资" in w for w in words) and "三个" not in words
