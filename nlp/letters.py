"""Long letters to an office: who writes and whether a crowd acts (issue 13, i13r).

A letter (:func:`nlp.background.is_letter`, ``[letters]`` in ``config/severity.toml``)
is rated by the rubric alone; these helpers read two things in it for
:func:`nlp.severity.rubric_assessment`: a group of workers writing together
(我们是…公司的合同制工人: a dispute of many), and whether a number of people in it
acts (三百多名业主聚集在售楼部) or is only the size of those concerned (我代表1100户业主).

Pure functions over a :class:`nlp.rubric.Rubric`.
"""

from __future__ import annotations

from nlp.clauses import negated_at, sentence_of
from nlp.family_index import any_in
from nlp.headcount import head_counts
from nlp.rubric_model import Rubric

__all__ = [
    "acting_head",
    "acts_together",
    "crowd_acting",
    "group_letter",
    "lone_letter_word",
]


def households_concerned(text: str, rub: Rubric) -> str | None:
    """A number of households or residents a letter says are concerned, or ``None``.

    附近几百户人家千余居民怨声载道, 千户业主, 上百户居民: a dispute across several
    households (medium by the rubric), though no one acts: a head count of at
    least ``[letters] households_min`` whose span or the few characters after
    it name households or residents (``households``: 户, 居民, 村民, 业主 ...).
    """
    for value, start, end in head_counts(text):
        if value < rub.letter_households_min:
            continue
        near = text[start : end + 3]
        # 13组37号村民刘某: a house number, not 37 households (stop 34).
        if _address_number(text, start, end):
            continue
        # 我代表小区1100户业主反映: the writer's mandate, not a dispute told.
        if "代表" in text[max(0, start - 8) : start]:
            continue
        for word in rub.letter_households:
            if word in near:
                return text[start:end]
    return None


_LONE_FAMILIES = frozenset({"blocking"})
"""High families whose one bare word in a letter counts nothing (stop 34)."""


def lone_letter_word(family: str, words: tuple[str, ...] | list[str]) -> bool:
    """True if a high family's only expression in a long letter is one bare word that counts
    nothing there (stop 34).

    Real letters use the blocking family's words for traffic and things (交通堵塞, 堵住了下水道,
    市场冲击): 8 letters of R1–R10 the rubric rated medium by one such word alone were labelled
    low, none higher. A phrase the rubric joined (堵…大门) still counts as medium. The
    collective family's bare words (串联, 扣押, 围着, 报复) are mostly the same in letters (13
    more labelled low) but were left: lowering them moved the letter model's leave-one-set-out
    thresholds so that one more medium letter went unraised (docs/severity.md, "Stop 34").
    """
    if family not in _LONE_FAMILIES or len(words) != 1:
        return False
    return "…" not in words[0]


def _address_number(text: str, start: int, end: int) -> bool:
    """True if the head count ``text[start:end]`` is a number of an address (37号村民, 28号业主):
    digits then 号, not 号人 (两百多号人)."""
    span = text[start:end]
    return span.endswith("号") and span[:-1].isdigit() and not text.startswith("人", end)


def group_letter(text: str, rub: Rubric) -> str | None:
    """The words of a letter written by a group (我们是…工人, 我们共6人), or ``None``."""
    writers = _we_count(text, rub)
    if writers is not None:
        return f"我们{writers}人"
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
    # 全镇取消了十几户…。这些人约好了后天一块儿去县民政局: the next sentence opened by a word
    # for the same people (这些人, 他们) tells what they do (stop 32; short messages only).
    if not strict and hi < len(text) and text[hi + 1 : hi + 5].lstrip().startswith(_GROUP_REFS):
        hi = sentence_of(text, hi + 1, hi + 2)[1]
    return any(w in text[lo:hi] for w in words)


_GROUP_REFS = (
    "这些人",
    "这些户",
    "这几户",
    "这些家",
    "这帮人",
    "这伙人",
    "这批人",
    "他们",
    "她们",
    "大家",
    "这些",
)
"""Words opening a sentence that name the people counted in the one before (stop 32)."""


_ACTING_REACH = 20
"""How near a letter's head count its action word stands (三百多名业主聚集在售楼部)."""


def acting_head(text: str, rub: Rubric) -> tuple[int, int] | None:
    """The largest number of people in a letter that acts together, and where it ends.

    A letter names the size of an estate before its crowd (现有住户522户，人口约2400人
    … 我们几百户居民将依法组织到政府进行上访): each number is read in its own place,
    not only the largest.
    """
    best: tuple[int, int] | None = None
    for value, _, end in head_counts(text):
        if (best is None or value > best[0]) and acts_together(text, end, rub, strict=True):
            best = (value, end)
    return best


_ONE = ("一名", "一位", "一个", "某", "个别")
"""Counters before a collective word that make it one person (一名村民)."""


def crowd_acting(text: str, rub: Rubric) -> str | None:
    """The words of collective action a text tells planned or under way, or ``None``.

    Written for letters, whose calm wording tells a collective visit without the
    short message's words (集体上访, 拉横幅); a short message is read the same way
    (周边四个村准备联合起来到区里反对).

    Two shapes, each within one clause (``[letters] crowd_window`` characters):

    * a **collective subject** then an act (``crowd_acts``): a word for many people
      (``crowd``: 全体村民, 老百姓, 村民们 ...), or 我们 naming a group of at least
      ``[collective] min_people`` (我们91位医护人员 … 我们将一级一级上访), then 上访,
      守在, 阻止, 聚集 ... (老百姓每天守在村委会; 我们全体村民坚决制止…开山采矿);
    * a **plan** (``crowd_plan``: 拟, 准备, 打算, 扬言, 将) then a word of acting
      together (``crowd_together``: 集体, 联名, 组织) then an act (拟组织集体上访,
      准备联名到市里). A negated act (不会去上访) does not count.
    """
    # Most texts hold no act at all: one compiled search says so.
    if not rub.crowd_acts or not any_in(text, rub.crowd_acts):
        return None
    # 一名村民计划…上访: a subject counted as one person is no crowd.
    subjects = [
        (p, w)
        for w in rub.crowd
        for p in _all(text, w)
        if not any(text[max(0, p - len(c)) : p] == c for c in _ONE)
    ]
    subjects.extend(_we_group(text, rub))
    for p, w in sorted(subjects):
        hit = _act_after(text, p + len(w), rub)
        if hit is not None:
            return f"{w}…{hit}"
    for w in rub.crowd_plan:
        for p in _all(text, w):
            end = p + len(w)
            clause = _clause_rest(text, end, rub.crowd_window)
            together = [t for t in rub.crowd_together if t in clause]
            if not together:
                continue
            t = min(together, key=clause.find)
            hit = _act_after(text, end + clause.find(t) + len(t), rub)
            if hit is not None:
                return f"{w}…{t}…{hit}"
    return None


def _all(text: str, word: str) -> list[int]:
    found = []
    p = text.find(word)
    while p >= 0:
        found.append(p)
        p = text.find(word, p + 1)
    return found


def _clause_rest(text: str, end: int, width: int) -> str:
    """Up to ``width`` characters after ``end``, within its clause."""
    rest = text[end : end + width]
    for c in "，。；！？,.;!?\n":
        rest = rest.partition(c)[0]
    return rest


def _act_after(text: str, end: int, rub: Rubric) -> str | None:
    """The first act of ``crowd_acts`` in the clause after ``end``, not negated."""
    rest = _clause_rest(text, end, rub.crowd_window)
    best: tuple[int, str] | None = None
    for a in rub.crowd_acts:
        q = rest.find(a)
        if q >= 0 and not negated_at(text, end + q) and (best is None or q < best[0]):
            best = (q, a)
    return best[1] if best is not None else None


def _we_count(text: str, rub: Rubric) -> int | None:
    """How many people 我们 is, when a letter names its writers as a group of at least
    ``[collective] min_people`` (我们91位, 我们共6人, 我们几百户居民); else ``None``."""
    for value, start, _ in head_counts(text):
        if value >= rub.collective_min and "我们" in text[max(0, start - 3) : start]:
            return value
    return None


def _we_group(text: str, rub: Rubric) -> list[tuple[int, str]]:
    """Every 我们 of a letter whose writers are a group (:func:`_we_count`)."""
    if _we_count(text, rub) is None:
        return []
    return [(p, "我们") for p in _all(text, "我们")]
