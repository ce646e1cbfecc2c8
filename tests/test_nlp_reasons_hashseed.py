"""The reasons shown with a classification (判断依据) do not change with the hash seed.

A word the classifier scored inside a longer word (运动 in 运动会) is shown as the
whole word that holds it. When two whole words of the same length hold it (运动会,
运动员), the choice used to follow the iteration order of a set, which Python
randomises per process (``PYTHONHASHSEED``): the same message showed other reasons,
in another order, after a restart. The messages below each hold such a tie.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from nlp.reasons import shown_keywords

#: Messages whose reasons hold a sub-word that two whole words of one length contain.
TIED = (
    "学校运动会上有运动员受伤了，学校不管",
    "小区旁边要建变电站，输变电线路从楼顶过，辐射太大",
    "民办学校和公办学校收费不一样，办学不规范",
    "单位不给交养老保险和社会保险",
    "十字路口红绿灯坏了，交通事故多，交通运输局不管",
    "违章建筑和违法建筑没人管，建筑面积超了",
)


def _keywords_under(seed: str) -> list[list[str]]:
    """``minqing classify --jsonl`` over :data:`TIED` in a fresh process with ``seed``."""
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "try: main(['classify', '--jsonl'])\n"
        "except SystemExit: pass\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input="".join(text + "\n" for text in TIED),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    ).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(rows) == len(TIED), out
    return [list(row["keywords"]) for row in rows]


def test_the_reasons_shown_are_the_same_under_two_hash_seeds() -> None:
    first, second = _keywords_under("1"), _keywords_under("2")
    for text, a, b in zip(TIED, first, second, strict=True):
        assert a, text  # each message has reasons to compare
        assert a == b, text


def test_of_two_whole_words_that_hold_a_sub_word_the_first_in_the_text_is_shown() -> None:
    whole = frozenset({"运动会", "运动员", "受伤"})
    assert shown_keywords("运动员在运动会上受伤", ["运动", "受伤"], whole) == ["运动员", "受伤"]
    assert shown_keywords("运动会上运动员受伤", ["运动", "受伤"], whole) == ["运动会", "受伤"]
    # The shorter whole word still comes first, wherever it stands.
    whole = frozenset({"月工资", "拖欠工资单"})
    assert shown_keywords("拖欠工资单和月工资", ["工资"], whole) == ["月工资"]
