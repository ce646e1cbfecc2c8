"""A message's words and their weights (normalised text → jieba words, title ×2)."""

from __future__ import annotations

from itertools import chain

from nlp.normalize import normalize
from nlp.segment import cut, search_grams

__all__ = ["message_features", "prepare_text"]

_TITLE_MAX = 60


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


def _is_word(token: str) -> bool:
    return not token.isascii() and "\u3400" <= token[0] <= "\u9fff"


def _words(text: str) -> dict[str, None]:
    """Distinct jieba search-mode words of a text (words plus their known 2/3-grams).

    Same tokens as ``Tokenizer.cut_for_search(text, HMM=False)``, without its
    generator overhead; each word's known 2/3-grams are looked up once per
    dictionary (:func:`nlp.segment.search_grams`).
    """
    words = dict.fromkeys(cut(text))
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
        Word → weight, Chinese words only.
    """
    title = ""
    body = norm_text
    head, sep, rest = norm_text.partition("\n")
    if sep and rest and len(head) <= _TITLE_MAX:
        title, body = head, rest
    elif lead_chars > 0 and len(norm_text) > 2 * lead_chars:
        title, body = norm_text[:lead_chars], norm_text[lead_chars:]
    # A word whose first character is in U+3400..U+9FFF: the whole word sorts
    # between "\u3400" and "\ua000" (one comparison, no indexing).
    feats: dict[str, float] = {t: 1.0 for t in _words(body) if "\u3400" <= t < "\ua000"}
    if title:
        for t in _words(title):
            if "\u3400" <= t < "\ua000":
                feats[t] = title_weight
    return feats
