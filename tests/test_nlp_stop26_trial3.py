"""Stop 26, round 3: defects of a verification trial (past harm, reasons shown).

Each rule is shown with the trial's sentence, with wordings written for this
test, and with the look-alikes that must keep their level.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.features import whole_words
from nlp.reasons import shown_keywords, whole_expressions
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@pytest.mark.parametrize(
    "text",
    [
        # the trial's sentences (T29): the complaint is the money or the liability
        "工厂里有工人从脚手架上摔下来受伤了，老板不给赔偿",
        "上个月我爸在医院做手术时大出血去世了，医院不承认是医疗事故",
        # wordings of our own
        "我老公在工地上干活摔下来受伤了，包工头一直不给钱",
        "我妈住院输液以后昏迷了，医院到现在不承认是医疗事故",
        "我在车间被机器压伤了手，厂里迟迟不给做工伤认定",
    ],
)
def test_a_harm_told_with_its_claim_is_a_dispute(text: str) -> None:
    sev = assess_severity(text)
    assert sev.level == "medium", (text, sev)
    assert "claim" in sev.families
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # a now word beside the claim: the harm is still under way
        "工地上有工人从楼上摔下来了，现在还在流血，老板不给赔偿",
        "工人刚刚从脚手架上摔下来，老板说不给赔偿",
        # a word of today
        "今天上午工人从脚手架上摔下来受伤流血，老板不给赔偿",
        # not a harm told done: a fire or a fight without a past word
        "工地着火了，老板不给赔偿",
        "老板不给钱，工人们拿着棍子在工地打起来了，有人头破血流",
        # a refusal as a condition is a threat (不给钱就…), not a claim
        "工地讨薪的民工爬到塔吊顶上去了，二十来米高，下面围一圈人，说不给钱就往下蹦",
        "那个讨薪的大哥爬到塔吊顶上了，四十多米高，说不给钱就不下来",
        # self-harm over a claim
        "工伤赔偿一直不给，我不想活了",
    ],
)
def test_a_harm_now_beside_a_claim_stays_critical(text: str) -> None:
    assert assess_severity(text).level == "critical", text


def test_no_claim_without_time_gone_by_or_a_refusal() -> None:
    # 老板想用赔偿私了: no word of time gone by, no refusal; the injury stands.
    assert assess_severity("工地塌方埋了两个人，老板想用赔偿私了").level == "critical"


def test_the_level_reasons_are_whole_expressions() -> None:
    # the trial's warning (T23): 聚在 alone is a fragment to a reader
    sev = assess_severity("镇里十几个人聚在镇政府门口要说法")
    assert RANK[sev.level] >= RANK["high"]
    assert "聚在" not in sev.reasons
    assert any("聚在镇政府门口" in r for r in sev.reasons), sev.reasons


@pytest.mark.parametrize(
    ("text", "word", "shown"),
    [
        # a clause past 12 characters: the whole words around the expression (trial 29 P12)
        ("镇里十几个人聚在镇政府门口要说法", "聚在", "十几个人聚在镇政府门口"),
        ("一群人把路堵了，车都过不去", "堵", "一群人把路堵了"),
        # a whole word stays a word
        ("他在家里割腕了", "割腕", "割腕"),
        ("他在家里割腕了", "割腕了", "割腕了"),
    ],
)
def test_whole_expressions(text: str, word: str, shown: str) -> None:
    assert whole_expressions(text, (word,)) == (shown,)


def test_a_long_clause_is_cut_around_the_expression() -> None:
    text = "昨天下午两点多钟在我们小区北门外面马路边上有二十多个人聚在那里不走"
    (shown,) = whole_expressions(text, ("聚在",))
    assert "二十多个人聚在那里" in shown
    assert len(shown) <= 2 + 2 * 8


def test_a_head_count_reason_is_kept() -> None:
    assert whole_expressions("三十多人聚集在门口", ("30人",)) == ("30人",)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        # the trial's fragments (T27)
        ("阳光小区楼下的垃圾好几天没人清理，居委会工作人员也不管", ("作人", "委会", "阳光")),
        ("和平小区门口有人打架，公安分局的人来了又走了", ("安分", "和平", "分局")),
        ("老城区的路灯坏了好几天没人修", ("城区",)),
    ],
)
def test_shown_keywords_are_whole_words(text: str, fragments: tuple[str, ...]) -> None:
    c = classify(text)
    assert c.keywords, text
    for f in fragments:
        assert f not in c.keywords, (f, c.keywords)


def test_keywords_filter_changes_no_score() -> None:
    text = "阳光小区楼下的垃圾好几天没人清理，居委会工作人员也不管"
    c = classify(text)
    # the sub-words still score (the room is the sanitation one), only not shown
    assert c.room == "urban"
    assert "垃圾" in c.keywords
    assert all(k in whole_words(text) for k in c.keywords)


def test_a_whole_word_that_is_no_place_name_stays() -> None:
    norm = "城区的路灯坏了好几天"
    assert shown_keywords(norm, ["路灯", "城区"], whole_words(norm)) == ["路灯", "城区"]
    # 阳光 said of the sun is no place name
    norm = "楼挡住了阳光，家里白天也要开灯"
    assert shown_keywords(norm, ["阳光", "挡住"], frozenset({"阳光", "挡住"})) == ["阳光", "挡住"]
    # Latin keywords stay
    assert shown_keywords("sfz丢了", ["sfz"], frozenset()) == ["sfz"]


def test_a_collective_claim_is_capped_at_high() -> None:
    sev = assess_severity("十几个工人受伤了，老板不给赔偿，工人们聚在工地门口")
    assert sev.level == "high", sev
    assert "claim" in sev.families
