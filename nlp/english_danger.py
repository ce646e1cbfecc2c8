"""Danger now written in English (trial 27 N17): which danger, and which line to call.

Foreign residents' apps post to Open311 and the web form in English; the Chinese
rubric does not read it. :func:`read` finds the danger words (fire, drowning, knife,
help …), guesses the emergency service (fire → 119; drowning, an injury, someone
unconscious → 120; anything else → 110) and gives a short Chinese gloss of the same
danger, which the rubric reads as it reads a Chinese report (its family, its owner).
Pure: no I/O. A false alarm costs a call-back; a missed danger may cost a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EnglishDanger", "read"]


@dataclass(frozen=True)
class EnglishDanger:
    """Danger now in an English text.

    Attributes:
        service: The emergency number guessed first (119, 120 or 110).
        gloss: The same danger in Chinese words the rubric reads (着火了, 有人落水了 …).
        words: The English words that showed it, as written.
    """

    service: str
    gloss: str
    words: tuple[str, ...]


#: The dangers, the most specific first: (words, the service guessed, the gloss).
_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b", re.IGNORECASE), service, gloss)
    for words, service, gloss in (
        (r"on fire|fire|burning|smoke|gas leak|explo\w*", "119", "着火了"),
        (r"drown\w*", "120", "有人落水了"),
        (r"suicid\w*|jump\w* off|kill (?:my|him|her)sel(?:f|ves)", "110", "有人要跳楼自杀"),
        (r"knife|knives|stab\w*|gun\w*|shoot\w*|shot", "110", "有人持刀伤人"),
        (
            r"unconscious|bleed\w*|injur\w*|collaps\w*|not breathing|heart attack",
            "120",
            "有人昏迷不醒",
        ),
        (r"attack\w*|assault\w*|kill\w*|trapped|sos|emergency", "110", "救命啊"),
    )
)
#: "help" alone: a cry for help (short, or with "!"), not "could you help me find…".
_HELP = re.compile(r"\bhelp\b", re.IGNORECASE)
_CRY = re.compile(r"\bhelp\s*!|\bhelp\s+(?:us|me)?\s*(?:now|quick\w*|please)\b", re.IGNORECASE)
#: Most words a message may have for a bare "help" in it to be a cry for help.
SHORT_CRY_WORDS = 8


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def read(text: str) -> EnglishDanger | None:
    """The danger now ``text`` describes in English, or ``None``.

    Only a text written mostly in English (more Latin letters than Chinese characters):
    a Chinese message with an English word in it (请问help中心在哪) is the rubric's to read.
    """
    if len(_CJK.findall(text)) >= len(_LATIN.findall(text)):
        return None
    for pattern, service, gloss in _RULES:
        found = pattern.findall(text)
        if found:
            return EnglishDanger(service, gloss, tuple(dict.fromkeys(found)))
    if _HELP.search(text) and (
        len(re.findall(r"[A-Za-z]+", text)) <= SHORT_CRY_WORDS or _CRY.search(text)
    ):
        return EnglishDanger("110", "救命啊", ("help",))
    return None
