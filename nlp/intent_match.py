"""Matching helpers of :mod:`nlp.intent`: phrase lists as tries, and keyboard noise.

Split off :mod:`nlp.intent` to keep each module short; no state, no I/O.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HAN", "alternation", "alternation_good", "gibberish"]

# Keyboard rows: a run along one of them (asdfghjkl, qwerty) is a cat on the keys.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Chinese characters (the basic block and extension A): a message without any,
# and not plain Latin text, is symbols or a kaomoji (ヾ(≧▽≦*)o, (｀・ω・´)).
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def gibberish(core: str) -> bool:
    """True if what is left names nothing: symbols and letters of a kaomoji, a
    run along the keyboard (asdfghjkl, sdfsdfsdf), one key held (jjjjjjj,
    aaaaaaa), or one Chinese character repeated (嗷嗷嗷, 呜呜呜)."""
    if not core.isascii():
        if HAN.search(core) is None:
            return True
        return len(core) >= 2 and len(set(core)) == 1
    if not core.isalpha():
        return False
    vowels = set("aeiouy")
    return (
        len(set(core)) <= 3
        or not vowels & set(core)
        or any(set(core) <= set(row) for row in _KEY_ROWS)
    )


def _trie(phrases: tuple[str, ...], tail: dict[str, str]) -> re.Pattern[str]:
    """One pattern for a phrase list that prefers the longest phrase at every place.

    The phrases are merged into a trie (多谢 and 多谢啦 share 多谢), each node
    trying its longer branches before ending, so 多谢啦 matches whole (then
    啦 is not left behind as a filler) and a long list costs little to scan.
    ``tail`` maps a phrase to a lookaround it must also satisfy.
    """
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = tail.get(phrase, "")

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if "" in node:
            branches.append(node[""])
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return re.compile(build(root))


# One-character acknowledgements that start ordinary words: 行 (行政复议, 行人,
# 行为) is an answer only alone, before a particle or repeated (行吧, 行行行).
_WORD_START = {"行": "(?:(?![\u4e00-\u9fff])|(?=[吧啊呀了的嘞吗呢哈行那我就谢好也]))"}


def alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a phrase list, longest phrase first at every place.

    Matched left to right, so 多谢啦 loses 多谢 (then 啦 is a filler), never
    谢啦 leaving 多 behind as a phrase-by-phrase replacement could.
    """
    return _trie(phrases, _WORD_START)


def alternation_good(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Like :func:`alternation`, but a phrase ending in 好 is no greeting when 好
    starts a word (书记好几天没来, 你好多天没回): 好几, 好多, 好久, 好像 ..."""
    not_a_word = "(?![几多久大像些少长点看听用难])"
    return _trie(phrases, {p: not_a_word for p in phrases if p.endswith("好")})
