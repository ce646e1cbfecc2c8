"""Which of the classifier's matched words to show a person as the reason for a decision.

The classifier scores every word it matched, filler included (三个, 事情, 怎么…); a
citizen reading "判断依据" should see only the words that carry the decision
(工资, 油烟). This filter is applied when the reasons are displayed, never in
the scoring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.clauses import clause_around
from nlp.segment import cut

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


#: What follows a place's own name (阳光小区, 和平新村, 幸福路): the name before it is
#: no reason for a decision, whatever the classifier learnt from it.
_PLACE_SUFFIX = (
    "小区",
    "花园",
    "家园",
    "新村",
    "公寓",
    "大厦",
    "社区",
    "苑",
    "村",
    "路",
    "街",
    "大街",
    "街道",
)


def place_name_parts(norm: str, words: Iterable[str]) -> frozenset[str]:
    """The words of ``words`` that are the name part of a place in ``norm`` (阳光 in
    阳光小区): every occurrence of the word is followed by a place suffix."""
    out: set[str] = set()
    for w in words:
        at = norm.find(w) if w else -1
        named = at >= 0
        while at >= 0 and named:
            named = norm.startswith(_PLACE_SUFFIX, at + len(w))
            at = norm.find(w, at + 1)
        if named:
            out.add(w)
    return frozenset(out)


def shown_keywords(norm: str, words: Iterable[str], whole: frozenset[str]) -> list[str]:
    """The classifier's ``words`` a person may be shown as its reasons (判断依据).

    Only whole words of the message's segmentation (``whole``): a sub-word
    jieba's search mode finds inside a longer word (作人 in 工作人员, 安分 in
    公安分局) is shown as the word it is part of (工作人员, 公安分局), and not
    a place's own name (阳光 in 阳光小区). Words with no Chinese character
    (sfz, 110) are the lexicon's Latin keywords and stay.
    The scores are not changed: this is what is displayed.

    The order is that of ``words`` (the classifier's, strongest first) and never
    depends on the hash seed: of the whole words that hold a sub-word, the shortest
    is shown, of equal length the first in the text (:func:`_holding_word`).
    """
    listed: list[str] = []
    for w in words:
        if w not in whole and _HAN.search(w):
            # 工资 scored inside 月工资: the word it was found in is shown.
            w = _holding_word(norm, w, whole)
        if w and w not in listed:
            listed.append(w)
    parts = place_name_parts(norm, listed)
    return [w for w in listed if w not in parts]


def _holding_word(norm: str, sub: str, whole: frozenset[str]) -> str:
    """The whole word of ``whole`` that ``sub`` was found in ("" for none): the shortest;
    of equal length the first in ``norm`` (运动 in 运动会 before 运动员 when the meeting
    is named first), then the first in code-point order. ``whole`` is a set, whose order
    changes with the hash seed, so the choice never rests on it."""
    held = [t for t in whole if sub in t]
    if not held:
        return ""
    end = len(norm)

    def rank(t: str) -> tuple[int, int, str]:
        at = norm.find(t)
        return len(t), at if at >= 0 else end, t

    return min(held, key=rank)


_HAN = re.compile("[\u3400-\u9fff]")


#: A clause longer than this is shown as the words around the expression.
_PHRASE_MAX = 20
_PHRASE_SIDE = 8


def whole_expressions(text: str, reasons: Iterable[str]) -> tuple[str, ...]:
    """The reasons of a level (定级依据) as whole expressions of ``text``.

    A rubric word of one character, or of two that is not a word of its
    clause's segmentation, is a fragment to a reader (聚在 in
    十几个人聚在镇政府门口, 堵 in 把路堵了): it is shown as the clause
    that holds it (at most ``_PHRASE_MAX`` characters, else the expression
    with ``_PHRASE_SIDE`` characters either side).
    Whole words (割腕, 流血), longer expressions and head counts (十几人) stay.
    """
    out: list[str] = []
    for word in reasons:
        at = text.find(word) if 0 < len(word) <= 2 else -1
        shown = word
        if at >= 0:
            clause = clause_around(text, at)
            if len(word) == 1 or word not in cut(clause):
                lo = text.rfind(clause, 0, at + 1)
                if len(clause) > _PHRASE_MAX:
                    start = max(lo, at - _PHRASE_SIDE)
                    clause = text[start : min(lo + len(clause), at + len(word) + _PHRASE_SIDE)]
                shown = clause.strip() or word
        if shown not in out:
            out.append(shown)
    return tuple(out)
