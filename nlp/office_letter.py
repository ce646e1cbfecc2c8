"""A short letter to an office, told by its form (stop 34, issue 13 on real letters).

A letter to a city's board is recognised as a letter by its length
(:func:`nlp.background.is_letter`, more than ``[letters] min_chars``); a short one
(K6县到K7县路段公交车…出现拒载现象; 咨询如何申办个人口腔诊所) was read as a citizen's
message, and the learned danger model, which learnt from short messages, raised
its topic words (公交车, 医院, 电梯, 污水) to medium and some to critical: of the
438 short letters of the labelled samples R1–R10, 70 the rubric found nothing in
were raised by the model, 67 of them above the labeller's level (R10: 13 of 62
over-ratings, one a critical).

A letter shows its form where a message does not:

* a **headline repeated**: the board puts the title before the body and the body
  opens with the title's words again (C市二中存在强行补课现象C市二中存在…), so the
  text's first words come back a little further on;
* a **headline line**: a first line of a headline's length, with no sentence
  punctuation at its end, then the body on the next line (反映…违章加层问题⏎星沙…);
* a **salutation to an official** (尊敬的领导, 蒋厅长：您好, 李县长：你好, 环保局领导好).

:func:`office_letter` names the form found. The caller (:func:`nlp.severity._raised`)
treats such a text as it treats a request to an office (``request`` in
``config/severity.toml``): when the rubric finds no family in it and no strong now
word (``strong_now``: 正在, 马上, 快来 ...) is written, the learned model raises it to no
level. The rubric's families still rate it (a danger to life written as a letter is
still found by the rubric's words), and :func:`nlp.background.letter_now` reads a board
letter's headline that recounts a past harm as background (stop 34).
"""

from __future__ import annotations

import re

__all__ = ["office_letter"]

_HEAD = 5
"""How many characters of the headline the body repeats."""

_HEAD_REACH = 80
"""How far after the headline's words their repetition must start."""

_TITLE_REACH = 24
"""How far into the text the repeated words may start (请关注A9市龙伏镇的…龙伏镇有…)."""

_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")

_TITLE_MIN, _TITLE_MAX = 8, 60
"""A headline line's length (characters)."""

_BODY_MIN = 20
"""The fewest characters of body after a headline line."""

_OFFICIALS = "书记|市长|县长|区长|镇长|乡长|局长|厅长|处长|科长|主任|主席|部长|省长|领导"
_SALUTATION = re.compile(
    rf"(?:尊敬的|敬爱的)[\u4e00-\u9fff]{{0,12}}(?:{_OFFICIALS}|同志|政府|部门)"
    rf"|(?:{_OFFICIALS})(?:们)?\s*[：:,，]?\s*(?:您好|你好|好[，,！!])"
    rf"|(?:{_OFFICIALS})\s*[：:]"
)
"""A salutation to an official: 尊敬的领导, 蒋厅长：您好, 环保局领导好, 秦局：您好 (by 您好)."""

_HARMED = ("诈骗", "骗光", "被骗", "骗走", "安全感")
"""Words of the writer wronged by a crime or living in fear (…诈骗我20多万，这是我全部积蓄呀;
让我们住在这里的居民很没有安全感): a letter's form does not make those a mere request."""

_END = "。…~～"


def office_letter(text: str) -> str | None:
    """The form that makes a (short) text a letter to an office, or ``None``.

    Args:
        text: Normalised text.

    Returns:
        ``"headline"`` (the title repeated, or a title line), ``"salutation"``, or ``None``.
    """
    s = text.strip()
    if any(w in s for w in _HARMED):
        return None
    for at in range(_TITLE_REACH - _HEAD + 1):
        head = s[at : at + _HEAD]
        if len(head) == _HEAD and _WORDS.fullmatch(head):
            again = s.find(head, at + _HEAD)
            if 0 < again <= at + _HEAD_REACH:
                return "headline"
    title, nl, body = s.partition("\n")
    if (
        nl
        and _TITLE_MIN <= len(title.strip()) <= _TITLE_MAX
        and title.strip()[-1] not in _END
        and len(body.strip()) >= _BODY_MIN
    ):
        return "headline"
    if _SALUTATION.search(s[:80]) or re.search(r"[：:]\s*(?:您好|你好)", s[:60]):
        return "salutation"
    return None
