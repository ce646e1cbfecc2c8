"""Which of the classifier's matched words to show a person as the reason for a decision.

The classifier scores every word it matched, filler included (三个, 事情, 怎么…); a
citizen reading "判断依据" should see only the words that carry the decision
(工资, 油烟). This filter is applied when the reasons are displayed, never in
the scoring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words that never explain a decision: function words, question words, generic nouns
#: and verbs, time and quantity words.
_FILLER_TEXT = """
    事情 事 问题 情况 东西 地方 时候 现在 今天 昨天 最近 一直 已经 还是 就是 但是 因为 所以
    怎么 怎么办 怎样 如何 为什么 什么 哪里 哪个 哪儿 多少 几个 是否 能否 可以 能不能 有没有
    发生 出现 存在 进行 处理 解决 反映 反应 希望 要求 请问 麻烦 帮忙 帮助 一下 一些 这个 那个
    这些 那些 这里 那里 我们 你们 他们 自己 大家 别人 有人 没有 不是 不能 不要 需要 应该 觉得
    知道 感觉 特别 非常 真的 很多 好多 多次 每天 经常 总是 一个 一次 几次 时间 附近 周围
"""
FILLER_WORDS = frozenset(_FILLER_TEXT.split())

_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千万几多半"
_CLASSIFIER = "个次名位人天年月日号周回件户家栋层辆条只台岁元块毛遍趟"
_QUANTITY = re.compile(rf"^[{_NUMERAL}]+[{_CLASSIFIER}]?[{_NUMERAL}]*$")


def is_filler(word: str) -> bool:
    """Whether ``word`` carries no decision: a filler word, a number or quantity, one character."""
    w = word.strip()
    return len(w) < 2 or w in FILLER_WORDS or bool(_QUANTITY.match(w))


def decision_words(words: Iterable[str], limit: int | None = None) -> list[str]:
    """``words`` without filler and repeats, in order (at most ``limit``).

    A word that contains a word already kept, or is contained in one, repeats it
    (工资 and 月工资): only the first is shown.
    """
    out: list[str] = []
    for word in words:
        w = word.strip()
        if w and not is_filler(w) and not any(w in k or k in w for k in out):
            out.append(w)
            if limit is not None and len(out) >= limit:
                break
    return out
