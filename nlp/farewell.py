"""Words of leaving and last words, and the polite goodbye that is none (pure).

Read by :mod:`bot.services.cases.aftercare` (a farewell in aftercare or on an open
self-harm case is a danger sign) and by the notices that must not quote such words
to a summary reader.
"""

from __future__ import annotations

import re

from nlp.intent_polite import FAREWELLS

__all__ = ["FAREWELL_RE", "farewell_words", "polite_goodbye"]

#: Words of leaving or of last words (besides the chat's farewells, nlp.intent_polite):
#: in aftercare each is a danger sign.
_LAST_WORDS = (
    "要走了",
    "再见",
    "永别",
    "告别",
    "别了",
    "最后一次",
    "不会再麻烦",
    "不再麻烦",
    "不会再打扰",
    "下辈子",
    "来世",
    "来生",
    "解脱",
    "以后就拜托",
    "保重",
    "离开这个世界",
    # Review 2 Q6: phrasings the list missed (不想再麻烦你们了, 我要去另一个世界了).
    "不想再麻烦",
    "不想麻烦你们",
    "不用再麻烦",
    "另一个世界",
    "那个世界",
    "不用再联系我",
    "别再联系我",
    "这辈子就这样",
    "最后一条消息",
    # Trial 33b E2: 以后不用联系我了 (without 再) was missed.
    "不用联系我",
    "不要联系我",
    "别联系我",
    "不要再联系",
    # Review left34 #1: 以后不麻烦了 (no 再) and its kin were missed.
    "以后不麻烦",
    "以后就不麻烦",
    "再也不麻烦",
    "不麻烦你们了",
    "不麻烦大家了",
    "不给你们添麻烦",
    "不给大家添麻烦",
    "不再给你们添",
)
FAREWELL_RE = re.compile("|".join(map(re.escape, sorted({*FAREWELLS, *_LAST_WORDS}, key=len))))
#: A polite goodbye and nothing else: acknowledgement, thanks and a bare 再见 / 拜拜
#: (嗯，谢谢，再见; 好的 谢谢您 再见). Trial 33b E2: after closure it raised
#: 【紧急·关怀期告别】. 再见了 (with 了), 永别, 不用联系我 … are not in it.
_POLITE_GOODBYE = re.compile(
    r"(?:[嗯噢哦哈好行的啊呀吧]|谢谢(?:你们|你|您|大家)?|多谢|感谢(?:你们|您)?|辛苦(?:了|你们了|您了)"
    r"|麻烦(?:你们|您)?了|再见|拜拜|[\s，,。.!！~～、])+"
)


def polite_goodbye(text: str) -> bool:
    """Whether ``text`` is only a polite goodbye with thanks (嗯，谢谢，再见): not a sign."""
    return _POLITE_GOODBYE.fullmatch(text.strip()) is not None


def farewell_words(text: str) -> bool:
    """Whether ``text`` uses words of leaving or last words (the list above), a polite
    goodbye with thanks alone excepted."""
    return not polite_goodbye(text) and FAREWELL_RE.search(text) is not None
