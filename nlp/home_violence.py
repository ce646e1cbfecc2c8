"""Violence at home told as a habit (issue 13, stop 30: the lead's decision).

我老公天天喝酒打我…我不敢回家了, 他经常打我, 我老公隔三差五就动手: violence against the
writer or in the writer's home (a family of ``[modifiers] domestic_families`` whose
expression is against 我, or a text naming a partner or a relative, ``domestic``) told as
what keeps happening — a ``habit`` word (天天, 经常) or a ``home_habit`` one (一喝酒就, 回家就)
in its sentence — with no sign that it is happening now:

* is a **high** (重大) request, owned by the police (the family's ``bureau``): the learned
  model does not raise it to critical and no rule lowers it as a fight over
  (:mod:`nlp.severity`); it is no danger now, so no emergency line and no critical filing;
* gets, before the rest of the citizen's reply, a one-line safety hint: 110 while it is
  happening, 12110 by SMS (:func:`nlp.emergency.safety_hint`).

A habit does not end it: a word of lately or a recent past (``home_recent``: 昨天, 上周 —
老公经常打我，上周还把我打进了医院) does not either. A past of long ago (去年, 以前, 小时候:
去年老公打过我 现在离婚了) does: that is a story, as before.

**Told as happening now** (他正在打我, 拿刀, 我躲在厕所) it stays critical with the emergency
line: :func:`home_time` lets a later clause with a ``home_now`` word (躲在, 又在打, 在砸门 …)
bring the habit to now (老公经常打我，今天又打了，我现在躲在厕所), unless that clause places
the writer away and safe (``home_away``: 躲在朋友家, 住在娘家).

Pure functions over the rubric; :mod:`nlp.families` calls :func:`home_time`,
:mod:`nlp.severity`, :mod:`nlp.emergency` and :mod:`nlp.classify` call :func:`told_as_habit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from nlp.clause_time import past_at
from nlp.clauses import clause_around, sentence_of
from nlp.family_index import any_in
from nlp.rubric_model import Family, Rubric
from nlp.rubric_modifiers import modifier_lists

__all__ = ["HOME_HABIT", "home_time", "told_as_habit"]

_CLAUSE_ENDS = frozenset("，。；！？、,.;!? \n")

HOME_HABIT = "home_habit"
"""The name :mod:`nlp.severity` adds to a severity's families for violence at home told
as a habit (the rule that set the level, as ``model`` or ``claim``)."""


class _Found(Protocol):
    """What is read of a family matched (:class:`nlp.families.Match`, which calls this
    module)."""

    @property
    def family(self) -> Family: ...

    @property
    def start(self) -> int: ...

    @property
    def words(self) -> tuple[str, ...]: ...

    @property
    def now(self) -> bool: ...

    @property
    def future(self) -> bool: ...

    @property
    def past(self) -> bool: ...

    @property
    def hearsay(self) -> bool: ...


def _at_home(text: str, rub: Rubric, words: Sequence[str]) -> bool:
    """Violence against the writer (打我, 揍我) or in a text naming a partner or a relative."""
    return any("我" in w for w in words) or any_in(text, modifier_lists(rub).domestic)


def _long_ago(text: str, rub: Rubric, start: int) -> bool:
    """True if a past word other than a habit, a word of lately or a recent past
    (``home_recent``) puts the match at ``start`` in the past: 去年, 以前, 小时候."""
    lists = modifier_lists(rub)
    lo, hi = sentence_of(text, start, start + 1)
    ignore = frozenset((*rub.habit, *lists.lately, *lists.home_recent))
    return past_at(text, rub, lo, hi, start, ignore=ignore)


def _habit_told(text: str, rub: Rubric, start: int) -> bool:
    """A habit word (``habit`` or ``home_habit``) in the sentence of the match at ``start``."""
    lo, hi = sentence_of(text, start, start + 1)
    return any_in(text, (*rub.habit, *modifier_lists(rub).home_habit), lo, hi)


def told_as_habit(text: str, rub: Rubric, matches: Sequence[_Found]) -> _Found | None:
    """The match of violence at home told as a habit with no sign of now, or ``None``.

    Args:
        text: The normalised text.
        rub: The rubric.
        matches: The families found in ``text`` (:func:`nlp.families.match_families`).
    """
    families = modifier_lists(rub).domestic_families
    if not families:
        return None
    for m in matches:
        if m.family.name not in families or not m.past or m.now or m.future or m.hearsay:
            continue
        if not _at_home(text, rub, m.words) or not _habit_told(text, rub, m.start):
            continue
        if not _long_ago(text, rub, m.start):
            return m
    return None


def home_time(
    text: str,
    rub: Rubric,
    family: str,
    start: int,
    words: Sequence[str],
    now: bool,
    past: bool,
) -> tuple[bool, bool]:
    """``(now, past)`` of a match of violence at home (a ``domestic_families`` family at
    ``start``, its expressions ``words``) given its time read as any family's.

    * told with a ``home_habit`` word in its sentence and not now (老公一喝酒就打我): a habit,
      as 天天 makes one (past, no danger now); so is one told now only by a general ``now``
      word beside a habit (丈夫喝醉了就打我，已经好多次了);
    * a habit (not of long ago) brought to now by a later clause (:func:`_now_after`:
      老公经常打我，今天又打了，我现在躲在厕所): now.

    Any other match, and a rumour or a plan, keeps its time.
    """
    lists = modifier_lists(rub)
    if family not in lists.domestic_families or not _at_home(text, rub, words):
        return now, past
    lo, hi = sentence_of(text, start, start + 1)
    if not now and not past:
        return now, any_in(text, lists.home_habit, lo, hi)
    # 丈夫喝醉了就打我，已经好多次了: 已经 tells how often, not that it happens now; a habit
    # with no word of violence now (``home_now``), strong now word or present word is one.
    if (
        now
        and any_in(text, (*rub.habit, *lists.home_habit), lo, hi)
        and not any_in(text, (*lists.home_now, *rub.strong_now, *rub.present), lo, hi)
    ):
        return False, True
    if past and not _long_ago(text, rub, start) and _now_after(text, rub, start):
        return True, False
    return now, past


def _now_after(text: str, rub: Rubric, start: int) -> bool:
    """True if a clause after the match's at ``start`` holds a ``home_now`` word (躲在, 又在打,
    在砸门) and neither places the writer away (``home_away``: 朋友家, 娘家) nor dates it
    back (a ``past`` word)."""
    lists = modifier_lists(rub)
    after = next((i for i in range(start, len(text)) if text[i] in _CLAUSE_ENDS), len(text))
    for word in lists.home_now:
        p = text.find(word, after)
        while p >= 0:
            clause = clause_around(text, p)
            if not any(w in clause for w in (*lists.home_away, *rub.past)):
                return True
            p = text.find(word, p + 1)
    return False
