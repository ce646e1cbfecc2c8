"""Long letters to an office: who writes and whether a crowd acts (issue 13, i13r).

A letter (:func:`nlp.families.is_letter`, ``[letters]`` in ``config/severity.toml``)
is rated by the rubric alone; these helpers read two things in it for
:func:`nlp.severity.rubric_assessment`: a group of workers writing together
(我们是…公司的合同制工人: a dispute of many), and whether a number of people in it
acts (三百多名业主聚集在售楼部) or is only the size of those concerned (我代表1100户业主).

Pure functions over a :class:`nlp.rubric.Rubric`.
"""

from __future__ import annotations

from nlp.families import sentence_of
from nlp.rubric import Rubric

__all__ = ["acts_together", "group_letter"]


def group_letter(text: str, rub: Rubric) -> str | None:
    """The words of a letter written by a group of workers (我们是…工人), or ``None``."""
    for lead in rub.group_lead:
        p = text.find(lead)
        while p >= 0:
            end = p + len(lead)
            near = text[end : end + rub.group_window]
            for c in "，。；！？\n":
                near = near.partition(c)[0]
            for g in rub.group:
                if g in near:
                    return f"{lead}…{g}"
            p = text.find(lead, end)
    return None


def acts_together(text: str, end: int, rub: Rubric, *, strict: bool) -> bool:
    """True if the sentence of the head count ending at ``end`` tells people
    acting together: ``[letters] action`` (聚集, 上访, 堵 ...) in a letter
    (``strict``), those or a collective word (一起, 约, 反映 ...) in a short
    request (二十来户老人约着下个月一起来反映)."""
    lo, hi = sentence_of(text, max(0, end - 1), end)
    if strict:
        # A letter's sentence runs long (…800多人，每人收费400元…孩子坐在教室): the
        # action is near the number.
        lo, hi = max(lo, end - _ACTING_REACH), min(hi, end + _ACTING_REACH)
    words = rub.letter_action if strict else (*rub.letter_action, *rub.collective_words, "约")
    return any(w in text[lo:hi] for w in words)


_ACTING_REACH = 20
"""How near a letter's head count its action word stands (三百多名业主聚集在售楼部)."""
