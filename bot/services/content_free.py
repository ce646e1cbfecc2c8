"""Whether a warning says nothing but that something is urgent (trial 32 D30).

``/warn 紧急`` is filed at once (safety first), but four units then scramble on one word:
the officer must be asked at once what happened, where, and whether anyone is hurt.
"""

from __future__ import annotations

from nlp.normalize import strip_markup

#: Words that only say "urgent" (longest first, so 紧急情况 goes before 紧急).
URGENCY_WORDS = (
    "十万火急",
    "紧急情况",
    "出事了",
    "紧急",
    "特急",
    "救命",
    "求救",
    "求助",
    "快来",
    "速来",
    "马上",
    "立即",
    "立刻",
    "报警",
    "出事",
    "危险",
    "支援",
    "赶紧",
    "速报",
    "快",
    "急",
    "请",
    "sos",
    "help",
)


def content_free(text: str) -> bool:
    """Whether ``text`` (markup, punctuation and emoji aside) holds only urgency words.

    >>> content_free("<b>紧急！！</b>"), content_free("紧急：人民广场有人持刀")
    (True, False)
    """
    rest = strip_markup(text).lower()
    for word in URGENCY_WORDS:
        rest = rest.replace(word, "")
    return not any(c.isalnum() for c in rest)
