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
    你好 您好 不好 这样 那样 这么 那么 不敢 天天 每天晚上 晚上 白天 半夜 回家 居民 谢谢
    老是 一直都 好几 好久 另外 还有
"""
#: (trial 29 P12: 判断依据 showed 你好, 不好, 这样, 不敢, 天天, 回家, 居民, 每天晚上.)
FILLER_WORDS = frozenset(_FILLER_TEXT.split())

_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千万几多半"
_CLASSIFIER = "个次名位人天年月日号周回件户家栋层辆条只台岁元块毛遍趟"
_QUANTITY = re.compile(rf"^[{_NUMERAL}]+[{_CLASSIFIER}]?[{_NUMERAL}]*$")


def is_filler(word: str) -> bool:
    """Whether ``word`` carries no decision: a filler word, a number or quantity, one character."""
    w = word.strip()
    return len(w) < 2 or w in FILLER_WORDS or bool(_QUANTITY.match(w))


#: Words that say where or when, or hedge, and never which office or what level: shown as
#: a classification's reasons (分类依据 / 判断依据) they read as noise (trial 32 D25: an
#: officer's proposal listed 可能, 社区, 街道, 门口 and 东方花园 as why). Only the reasons
#: shown (:func:`decision_words`); the 定级依据 of a level keeps its rubric words.
_NOT_REASONS_TEXT = """
    可能 可能会 听说 到底 下来 出来 根本 不让 有点 准备 直接 个人 一起 好几个 不管 不了
    收了 是不是 这种 人家 问问 啥时候 一股 每个 哪些 还要 原来 不会 结果 我家 网上 怎么弄
    今年 去年 明年 明天 刚才 以后 上个月 这个月 下个月 小时 周末 好几年 夜里
    门口 家门口 楼下 楼上 旁边 隔壁 对面 里面 外面 底下 边上 后面 前面 这边 那边 一带
    周边 路边 地上 屋里 家里 院里 村里 镇上 镇里 乡里 区里 市里 县里 省里 城里 手里
    心里 嘴里 一楼 二楼 三楼 四楼 五楼 六楼 顶楼 单元 小区 社区 街道 辖区 片区 区政府
    市政府 县政府 镇政府 乡政府 政府 人民政府
"""
NOT_REASONS = frozenset(_NOT_REASONS_TEXT.split())

#: A word ending so, after a name of two characters or more, names a place (建设路,
#: 东方花园, 河西村, 石桥镇, 人民广场): no reason for a decision (trial 32 D25).
_PLACE_NAME_SUFFIX = (
    "小区",
    "花园",
    "家园",
    "新村",
    "公寓",
    "大厦",
    "社区",
    "广场",
    "大街",
    "街道",
    "苑",
    "村",
    "路",
    "街",
    "镇",
    "庄",
    "湾",
)
#: Words so built that are no place's name but a kind of place or a deed (过马路).
_NOT_PLACE_NAMES_TEXT = """
    过马路 横穿马路 水泥路 高速公路 断头路 走投无路 好几路 步行街 商业街 小吃街 一条街
    城中村 度假村 老旧小区 私家花园 商业广场 漫进村 城乡结合部
"""
_NOT_PLACE_NAMES = frozenset(_NOT_PLACE_NAMES_TEXT.split())


def is_place_name(word: str) -> bool:
    """Whether ``word`` is a place's own name (建设路, 东方花园, 河西村), not a kind of place."""
    w = word.strip()
    if w in _NOT_PLACE_NAMES:
        return False
    return any(w.endswith(s) and len(w) - len(s) >= 2 for s in _PLACE_NAME_SUFFIX)


def decision_words(words: Iterable[str], limit: int | None = None) -> list[str]:
    """``words`` without filler, places, times and repeats, in order (at most ``limit``).

    A word that contains a word already kept, or is contained in one, repeats it
    (工资 and 月工资): only the first is shown. What is left out is only not shown: the
    classification that scored it is not changed.
    """
    out: list[str] = []
    for word in words:
        w = word.strip()
        if (
            w
            and not is_filler(w)
            and w not in NOT_REASONS
            and not is_place_name(w)
            and not any(w in k or k in w for k in out)
        ):
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


#: A clause longer than this is shown as the words around the expression: a reason of a
#: whole sentence (另外东城幼儿园门口有流动摊贩卖三无辣条) reads as no reason (trial 29 P12).
_PHRASE_MAX = 12
_PHRASE_SIDE = 5


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
                lo = max(text.find(clause, max(0, at - len(clause) + 1)), 0)
                if len(clause) > _PHRASE_MAX:
                    clause = _words_around(clause, at - lo, len(word))
                shown = clause.strip() or word
        if shown not in out and shown not in FILLER_WORDS:
            out.append(shown)
    return _without_repeats(out)


def _words_around(clause: str, at: int, size: int) -> str:
    """The whole words of ``clause`` within ``_PHRASE_SIDE`` characters of the expression
    at ``at`` (流动摊贩卖三无辣条 for 三无), never a word cut in two."""
    lo, hi = at - _PHRASE_SIDE, at + size + _PHRASE_SIDE
    pos, kept = 0, []
    for token in cut(clause):
        start, pos = pos, pos + len(token)
        if (start >= lo and pos <= hi) or (start < at + size and pos > at):
            kept.append(token)
    return "".join(kept)


def _without_repeats(reasons: list[str]) -> tuple[str, ...]:
    """``reasons`` without one that another holds (不想活、喝…农药、喝农药 → 不想活、喝…农药)."""
    bare = [r.replace("…", "") for r in reasons]
    out = []
    for i, reason in enumerate(reasons):
        held = any(
            j != i
            and (bare[i] in bare[j] or bare[i] in reasons[j])
            and (len(bare[j]), j) > (len(bare[i]), i)
            for j in range(len(reasons))
        )
        if not held:
            out.append(reason)
    return tuple(out)
