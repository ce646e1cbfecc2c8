"""Which past or habit words put a match in the past: clause by clause.

A sentence often tells a habit and an event at once: 电梯经常坏，现在我隔壁那个人
拿着菜刀在楼道里砍门. The habit word (经常) makes a habit of its own clause
only; a past word (去年, 昨天 ...) reaches the later clauses of its sentence
(去年，村里有人拿刀砍人) until a clause with a present word (现在, 至今, or a
``strong_now`` word such as 正在, 刚才) says the story has come to now; in the
match's own clause only a ``strong_now`` word after the past word brings it to
now (从昨天下午出门到现在都没回来), not a plain 现在 that may tell of something
else (去年孩子溺水的那个塘现在还没围起来).

Pure functions over a :class:`nlp.rubric.Rubric`; :mod:`nlp.families` calls
:func:`past_at` for every timed match.
"""

from __future__ import annotations

from nlp.rubric_model import Rubric

__all__ = ["past_at", "reopened_at", "shut_in_at"]

_CLAUSE_ENDS = frozenset("，。；！？、,.;!? \n")
_ALSO = "也就又曾"


def _clause_bounds(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The clauses of ``text[lo:hi]`` as ``(start, end)`` pairs."""
    bounds: list[tuple[int, int]] = []
    begin = lo
    for i in range(lo, hi):
        if text[i] in _CLAUSE_ENDS:
            bounds.append((begin, i))
            begin = i + 1
    bounds.append((begin, hi))
    return bounds


def _clause_of(bounds: list[tuple[int, int]], pos: int) -> int:
    for k, (_, end) in enumerate(bounds):
        if pos <= end:
            return k
    return len(bounds) - 1


def past_at(
    text: str,
    rubric: Rubric,
    lo: int,
    hi: int,
    start: int,
    *,
    habits: bool = True,
    own_habits: bool = True,
    ignore: frozenset[str] = frozenset(),
) -> bool:
    """True if a past or habit word of the sentence ``text[lo:hi]`` puts the
    match starting at ``start`` in the past (or makes it a habit).

    * a habit word (``habit``) counts in its own clause only;
    * a past word in the match's clause counts unless a ``strong_now`` word
      (到现在没回, 正在) follows it in that clause;
    * a past word in another clause counts unless a clause from just after
      it up to the match's clause (or the match's own clause, for a past word
      written after the match) holds a present word;
    * with ``habits=False`` (self-harm, trial 29 P1: 我想死，天天被人欺负) a habit word
      in another clause tells the reason, not the time, and counts not at all;
    * with ``own_habits=False`` (a state of mind told with a habit word, the family's
      ``state_words``: 我最近总想死, 老是想着死 — ideation told as a state is a danger now,
      pf31) a habit word counts not at all, in the match's clause either; a past word
      (去年想过自杀, 以前总想死) still does;
    * words in ``ignore`` count not at all (a wish to die told as someone's words, stop 29:
      他经常说想死, 昨晚又说他想死 — the habit and lately words, see
      :func:`nlp.background.said_wish`).
    """
    segment = text[lo:hi]
    habit = set(rubric.habit)
    skip = ignore if own_habits else ignore | habit
    words = [w for w in rubric.past if w in segment and w not in skip]
    if not words:
        return False
    present = (*rubric.present, *rubric.strong_now)
    bounds = _clause_bounds(text, lo, hi)
    here = _clause_of(bounds, start)

    def present_in(a: int, b: int) -> bool:
        chunk = text[a:b]
        return any(p in chunk for p in present)

    stories, real = _story_lists(rubric)
    for word in words:
        p = text.find(word, lo, hi)
        while p >= 0:
            clause = _clause_of(bounds, p)
            if word in stories:
                # 作文写完了，妈妈突然倒地不省人事: a story marker covers its own clause only, and
                # not one that tells the danger real or now (review 34b F3).
                if clause == here and not any(w in text[slice(*bounds[here])] for w in real):
                    return True
                # 课文里讲的那个人跳河了，不是，是跳江: the story corrected is still the story,
                # unless the correction tells it real, now or the writer's own (是我同学现在要跳河).
                if clause < here and _corrects_story(text, rubric, bounds, clause, here, real):
                    return True
            elif clause == here:
                # 去年孩子溺水的那个塘现在还没围起来: 现在 is the pond's, not the
                # drowning's; only a strong now word (到现在没回) brings it to now.
                rest = text[p + len(word) : bounds[here][1]]
                if word in habit or not any(w in rest for w in rubric.strong_now):
                    return True
            elif clause > here and any(
                c in _ALSO for c in text[p + len(word) : p + len(word) + 2] + text[p - 1 : p]
            ):
                # 楼下着火了，这楼去年也着过一次 / 这人去年就闹过事: a later clause
                # that tells an earlier event *also* or *already* (也, 就, 又, 曾)
                # sets it beside this one; it does not put this one in the past
                # (so does 也 before it: 仓库着火了，这里以前也发生过一次).
                pass
            elif word in habit and not habits:
                pass
            else:
                if clause < here:
                    reach = present_in(bounds[clause + 1][0], bounds[here][1])
                else:
                    reach = present_in(*bounds[here])
                if not reach:
                    return True
            p = text.find(word, p + 1, hi)
    return False


def _corrects_story(
    text: str,
    rubric: Rubric,
    bounds: list[tuple[int, int]],
    story: int,
    here: int,
    real: tuple[str, ...],
) -> bool:
    """True if the clauses after the story's up to the match's are a correction of the story
    (不是，是跳江) that tells nothing real, now or of the writer's own (我) (issue 13, safety35)."""
    from nlp.rubric_modifiers import modifier_lists

    begin = bounds[story + 1][0]
    told = text[begin : bounds[here][1]]
    return (
        any(
            text.startswith(w, begin) and begin + len(w) > bounds[here][0]
            for w in modifier_lists(rubric).corrections
        )
        and "我" not in told
        and not any(w in told for w in real)
    )


def _story_lists(rubric: Rubric) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The story markers and the words that tell a danger real beside one (review 34b F3)."""
    from nlp.rubric_modifiers import modifier_lists

    lists = modifier_lists(rubric)
    return lists.stories, lists.story_real


def past_told(text: str, rubric: Rubric) -> bool:
    """True if a past word of ``rubric`` is in ``text``; a story marker (作文, 有个故事)
    counts only when no word of now, of the real or a vital sign follows it
    (有个故事讲一个人被困在井里，现在我邻居真的掉井里了 tells a danger now; review 34b F3)."""
    stories, real = _story_lists(rubric)
    for word in rubric.past:
        p = text.find(word)
        if p < 0:
            continue
        if word not in stories or not any(w in text[p + len(word) :] for w in real):
            return True
    return False


def reopened_at(text: str, rubric: Rubric, begin: int, end: int) -> int:
    """Where a clause of ``text[begin:end]`` after the one holding ``begin`` opens a new
    reading: a correction (``corrections``: 不是，是…) or a present or strong now word
    (现在, 今天又, 正在) starts or fills it; ``end`` if none does (issue 13, safety35).

    A family weighs a word's places one per sentence; a place after such a clause is read on
    its own too (课文里讲的那个人跳河了，不是，是我同学现在要跳河: the second 跳河 is now).

    >>> from nlp.rubric import default_rubric
    >>> text = "课文里讲的那个人跳河了，不是，是我同学现在要跳河"
    >>> reopened_at(text, default_rubric(), 10, len(text)) == text.index("不是")
    True
    """
    from nlp.rubric_modifiers import modifier_lists

    corrections = modifier_lists(rubric).corrections
    present = (*rubric.present, *rubric.strong_now)
    bounds = _clause_bounds(text, begin, end)
    for a, b in bounds[1:]:
        if any(text.startswith(w, a) for w in corrections) or any(p in text[a:b] for p in present):
            return a
    return end


#: How far after a shut-in word its not-answering word may be told (把自己锁在房间里，喊不应).
_SHUT_IN_REACH = 16


def shut_in_at(text: str, rubric: Rubric, after: int) -> tuple[int, str] | None:
    """The place and words of a person shut in and not answering told after ``after`` (把自己
    锁在房间里，喊不应), or ``None`` (issue 13, safety35): with a place of a ``shut_in_families``
    family before it (a wish to die), a place of that family of its own.

    >>> from nlp.rubric import default_rubric
    >>> shut_in_at("他说想死，今天把自己锁在房间里，喊不应", default_rubric(), 0)
    (7, '把自己锁在…喊不应')
    >>> shut_in_at("他把自己锁在房间里打游戏", default_rubric(), 0) is None
    True
    """
    from nlp.rubric_modifiers import modifier_lists

    lists = modifier_lists(rubric)
    best: tuple[int, str] | None = None
    for shut in lists.shut_in:
        p = text.find(shut, after)
        if p < 0 or (best is not None and p >= best[0]):
            continue
        tail = text[p + len(shut) : p + len(shut) + _SHUT_IN_REACH]
        quiet = [(tail.find(w), w) for w in lists.unanswered if w in tail]
        if quiet:
            best = (p, f"{shut}…{min(quiet)[1]}")
    return best
