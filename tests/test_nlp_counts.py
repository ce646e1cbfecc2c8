"""The head-count step and ``/warn TEXT`` read numbers of people with one parser."""

from __future__ import annotations

import pytest

from nlp.counts import head_count_answer
from nlp.severity import parse_head_count


@pytest.mark.parametrize(
    ("answer", "count"),
    [
        ("30", 30),
        ("约30人", 30),
        ("三十多名", 30),
        ("大概四五个人", 5),
        ("三十", 30),
        ("30多", 30),
        ("上百人", 100),
        ("２０人", 20),
        ("叁拾", 30),
        ("贰佰余", 200),
        ("上百", 100),
    ],
)
def test_answers_a_person_would_type(answer: str, count: int) -> None:
    assert head_count_answer(answer) == count


@pytest.mark.parametrize("answer", ["不知道", "很多人", "", "东门"])
def test_no_number_is_no_count(answer: str) -> None:
    assert head_count_answer(answer) is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [("三十多名工人围堵大门", "三十多名"), ("现场大概四五个人在吵架", "大概四五个人")],
)
def test_same_count_as_in_a_warning_text(text: str, answer: str) -> None:
    """What ``/warn TEXT`` reads from the text, the step reads from the same words."""
    assert parse_head_count(text) == head_count_answer(answer) is not None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("肆拾余名职工在厂门口", 40),
        ("壹佰多人", 100),
        ("业主们商量好了 估计五十来个", 50),
        ("村里老人凑了二十来个，正往镇上走", 20),
        ("上百号人围在门口", 100),
        ("两三百人聚在广场", 300),
        ("七八十个工人", 80),
        ("两百来号民工", 200),
        ("那批老人约好了 估计三四十", 40),
    ],
)
def test_written_and_approximate_head_counts(text: str, count: int) -> None:
    """Formal numerals, ranges and estimates with no unit are read as people."""
    assert parse_head_count(text) == count


@pytest.mark.parametrize(
    "text", ["买了三十多个。", "损失估计五十万，", "三十多个问题", "一共三个", "住了两三个月"]
)
def test_counts_of_things_are_not_people(text: str) -> None:
    assert parse_head_count(text) is None


def test_arabic_digits_before_a_unit() -> None:
    """3百人 is 300 people, 1万人 ten thousand (the digits and the unit are read together)."""
    assert parse_head_count("3百人") == 300
    assert parse_head_count("1万人") == 10000
