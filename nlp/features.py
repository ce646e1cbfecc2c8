"""A message's words and their weights (normalised text → jieba words, title ×2)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from itertools import chain

from nlp.normalize import normalize
from nlp.segment import cut, search_grams

__all__ = ["add_latin_words", "latin_words", "message_features", "prepare_text", "whole_words"]

_TITLE_MAX = 60

# Keywords that do not start with a Chinese character (sfz, 110, 12123, 4S店,
# PM2.5 …): jieba's tokens are filtered to Chinese words (the mined terms are
# all Chinese), so these are found by one pattern over the text instead. The
# lexicon registers its own when it is compiled (nlp.scoring), as it puts its
# phrases into the segmenter. Matching ignores case; the feature is the
# keyword as the lexicon spells it.
_LATIN_LOCK = threading.Lock()
_latin: dict[str, str] = {}
_latin_re: re.Pattern[str] | None = None
# The places where a registered keyword may start (its first character; no lookbehind,
# which would make the search try every character), with _latin_re: set together.
_latin_scan: tuple[re.Pattern[str], re.Pattern[str]] | None = None
# A number keyword is not part of a longer number, a house number, an amount
# or a date (中山路110号, 120元, 12345678); a Latin one is not part of a longer
# Latin word (sfzz).
_ALNUM = re.compile("[A-Za-z0-9]")
_UNITS = "号栋幢室楼层米元块万亿平年月日天期届次个人位名户辆吨斤克度分秒岁"


def _is_cjk(word: str) -> bool:
    return "\u3400" <= word < "\ua000"


def add_latin_words(words: Iterable[str]) -> None:
    """Make keywords that do not start with a Chinese character count as words.

    Args:
        words: Keywords of a lexicon; those starting with a Chinese character
            are ignored (jieba finds them).
    """
    global _latin_re, _latin_scan
    new = {w.casefold(): w for w in words if w and not _is_cjk(w) and w.strip() == w}
    with _LATIN_LOCK:
        if all(_latin.get(k) == v for k, v in new.items()):
            return
        _latin.update(new)
        alts = "|".join(re.escape(k) for k in sorted(_latin, key=len, reverse=True))
        _latin_re = re.compile(
            rf"(?<![A-Za-z0-9.])(?:{alts})(?![A-Za-z0-9]|\.[0-9]|[{_UNITS}])", re.IGNORECASE
        )
        firsts = "".join(sorted({re.escape(k[0]) for k in _latin}))
        _latin_scan = (re.compile(f"[{firsts}]", re.IGNORECASE), _latin_re)


def latin_words(text: str) -> list[str]:
    """Return the registered non-Chinese keywords found in a normalised text.

    Args:
        text: Normalised text.

    Returns:
        The keywords as the lexicon spells them, in order of occurrence.
    """
    scan = _latin_scan
    # Cheap pre-check: most messages have no ASCII letter or digit at all.
    if scan is None or _ALNUM.search(text) is None:
        return []
    # The keywords' pattern is tried only where one may start, as finditer would meet
    # them left to right: its own search tries every character behind its lookbehind,
    # about 0.4 µs each (stop 34: about 125 → 2 µs for a 300-character message).
    starts, pattern = scan
    found: list[str] = []
    end = 0
    for start in starts.finditer(text):
        if start.start() < end:
            continue
        m = pattern.match(text, start.start())
        if m is not None:
            found.append(_latin[m.group().casefold()])
            end = m.end()
    return found


def prepare_text(text: str, max_chars: int) -> tuple[str, bool]:
    """Normalise and truncate a message.

    Args:
        text: The raw message.
        max_chars: Maximum length kept after normalisation.

    Returns:
        The normalised text and whether it was truncated.
    """
    truncated = False
    # Bound the work of normalisation first: noise removal can only shrink
    # the text, so a generous raw cut never changes the kept prefix much.
    raw_cap = max_chars * 4
    if len(text) > raw_cap:
        text = text[:raw_cap]
        truncated = True
    norm = normalize(text)
    if len(norm) > max_chars:
        norm = norm[:max_chars]
        truncated = True
    return norm, truncated


def _title_and_body(norm_text: str, lead_chars: int) -> tuple[str, str]:
    """A message's title line (or lead) and the rest, as :func:`message_features` weighs them."""
    head, sep, rest = norm_text.partition("\n")
    if sep and rest and len(head) <= _TITLE_MAX:
        return head, rest
    if lead_chars > 0 and len(norm_text) > 2 * lead_chars:
        return norm_text[:lead_chars], norm_text[lead_chars:]
    return "", norm_text


# The words of the last texts cut by :func:`_words` (a message's title and
# body): :func:`whole_words` reads them again for display without a second cut.
# Emptied by :func:`message_features` before it cuts a message, never between
# its two parts, so the last message's title and body are both still there.
_LAST_CUTS: dict[str, tuple[str, ...]] = {}
_LAST_CUTS_MAX = 8


def whole_words(norm_text: str, lead_chars: int = 0) -> frozenset[str]:
    """The words of a message's segmentation, not the sub-words of search mode.

    :func:`message_features` also scores the 2/3-grams jieba's search mode finds
    inside a longer word (作人 in 工作人员, 委会 in 居委会); a person shown the
    reasons of a decision should see only whole words.
    """
    out: set[str] = set()
    for part in _title_and_body(norm_text, lead_chars):
        if part:
            words = _LAST_CUTS.get(part)
            out.update(words if words is not None else cut(part))
    return frozenset(out)


def _words(text: str) -> dict[str, None]:
    """Distinct jieba search-mode words of a text (words plus their known 2/3-grams).

    Same tokens as ``Tokenizer.cut_for_search(text, HMM=False)``, without its
    generator overhead; each word's known 2/3-grams are looked up once per
    dictionary (:func:`nlp.segment.search_grams`).
    """
    tokens = tuple(cut(text))
    _LAST_CUTS[text] = tokens
    words = dict.fromkeys(tokens)
    extra = list(chain.from_iterable(map(search_grams().__getitem__, words)))
    if extra:
        words.update(dict.fromkeys(extra))
    return words


def message_features(norm_text: str, title_weight: float, lead_chars: int = 0) -> dict[str, float]:
    """Turn normalised text into distinct words with their weights.

    A first line of at most 60 characters followed by more text is a title:
    its words weigh ``title_weight``; every other word weighs 1. Without
    such a title line, the words of the first ``lead_chars`` characters (the
    lead, which usually names the matter) weigh ``title_weight``.

    Args:
        norm_text: Normalised text (see :func:`prepare_text`).
        title_weight: Weight of title words.
        lead_chars: Length of the lead used when there is no title line.

    Returns:
        Word → weight: Chinese words, and the lexicon's Latin and number
        keywords (sfz, 110, PM2.5) when the message has a Chinese word.
    """
    title, body = _title_and_body(norm_text, lead_chars)
    if len(_LAST_CUTS) >= _LAST_CUTS_MAX:
        _LAST_CUTS.clear()
    # A word whose first character is in U+3400..U+9FFF: the whole word sorts
    # between "\u3400" and "\ua000" (one comparison, no indexing).
    feats: dict[str, float] = {t: 1.0 for t in _words(body) if "\u3400" <= t < "\ua000"}
    if title:
        for t in _words(title):
            if "\u3400" <= t < "\ua000":
                feats[t] = title_weight
    # Latin and number keywords count beside Chinese words only: a message
    # with no Chinese word at all (110 120 12345, English) stays unknown.
    if feats and _latin_re is not None:
        for t in latin_words(body):
            feats.setdefault(t, 1.0)
        for t in latin_words(title):
            feats[t] = title_weight
    return feats
