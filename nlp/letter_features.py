"""The features of a long letter that the letter model reads (stops 27–28).

Structural features only, each computed by the rubric's own lists and readers
(``[letters]`` of ``config/severity.toml``, :mod:`nlp.letters`,
:mod:`nlp.headcount`) and each with the words of the letter it stands for, so a
raised letter's reasons name them: a collective subject, an act, a plan, acting
together, a group of writers, the words of the families of a group's grievance,
head counts, households concerned, 我们, repetition and the letter's length;
since stop 28 also the word classes of a writer's grievance
(:mod:`nlp.letter_words`: anger, a threat to go higher, a danger to health argued,
many people concerned, talk online, a dispute; since stop 29 a group named as many, wages
withheld, a grievance left unanswered), read by the medium head only, and (stop 29) several
people going to an office together (``visit``: 我们多次去了县劳动局), read by both heads.
:mod:`nlp.letter_model` scores them; :mod:`nlp.letter_train` fits the weights.

jieba words were tried as features too and dropped: leave-one-set-out on R1–R3
they ranked letters worse (area under the curve for "at least high" 0.62 with
words alone, 0.92 with these features alone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nlp.family_index import _bigram_code, _text_bigrams, any_in
from nlp.headcount import head_counts
from nlp.letter_words import LETTER_CLASSES
from nlp.letters import acting_head, crowd_acting, group_letter, households_concerned
from nlp.retraction import said_back
from nlp.rubric_model import Rubric

__all__ = [
    "HEAD_NAMES",
    "LENGTH_STEPS",
    "READER_NAMES",
    "UNREAD_NO_CROWD",
    "head_features",
    "letter_features",
    "list_features",
    "may_read",
    "read_features",
    "told_over",
]

_HEAD_STEPS = (5, 30, 100)
"""Head-count features: the largest number of people written reaches 5, 30, 100."""

LENGTH_STEPS = (300, 600, 1000)
"""Length features: the letter is longer than 300, 600, 1000 characters."""


_REPEAT = ("多次", "反复", "屡次", "一再", "再三", "数次", "几次", "多年", "长期", "至今")
"""Words of a matter pursued again and again (业主多次集结越级反映, 多次上访无果)."""


_VISIT = re.compile(
    r"(?:我们|(?<![你您])[\u4e00-\u9fff]{1,3}们)(?:多次|几次|数次|屡次|一再|一起|一同|集体|共同|结伴|"
    r"曾经?|也|都|又|再次|还|已经?|分别|亲自|专门|只好|只能|就|便|先后|[0-9一二三四五六七八九十几]+次)*"
    r"(?:去|到|跑)了?"
    r"[^，。；！？\n,;!?]{0,10}?(?:政府|信访|局|委|办公室|指挥部|街道|镇里|县里|市里|省里|北京)"
)
"""Several people going to an office (我们多次去了县劳动局, 住户们多次到市拆迁指挥部办公室):
a visit made together, the written form of a collective petition (stop 29)."""


def _visit(text: str) -> str | None:
    """``_VISIT.search(text)``'s words, tried only at the places a match can start.

    A match starts one to three characters before a 们; the search itself tried the
    pattern at every character (about 50 µs for a 300-character letter, stop 34). The
    places are tried left to right, so the first match is the search's.
    """
    starts: set[int] = set()
    q = text.find("们")
    while q >= 0:
        starts.update(range(max(0, q - 3), q))
        q = text.find("们", q + 1)
    for start in sorted(starts):
        m = _VISIT.match(text, start)
        if m is not None:
            return m.group(0)
    return None


@dataclass(frozen=True, slots=True)
class _Lists:
    """The rubric's word lists read as features, and one scan that finds their words.

    Attributes:
        names: Each list's feature name, in order.
        member: Word → the indexes (in ``names``) of the lists that hold it.
        singles: The words of one character, in no order.
        codes: The codes of the first two characters of the longer words.
        by_bigram: Such a code → the words that start with it.
    """

    names: tuple[str, ...]
    member: dict[str, tuple[int, ...]]
    singles: tuple[str, ...]
    codes: frozenset[int]
    by_bigram: dict[int, tuple[str, ...]]


def _lists(rub: Rubric) -> _Lists:
    """The rubric's word lists read as structural features (built once per rubric).

    The ``[letters]`` lists, :data:`_REPEAT`, the word classes of :mod:`nlp.letter_words` and the
    words of every family of a group's grievance (no emergency number, medium or high:
    ``collective``, ``escalation``, ``gathering``, ``threat``, ``dispute``, ``online`` ...).
    """
    hit = _LISTS.get(id(rub))
    if hit is not None and hit[0] is rub:
        return hit[1]
    lists = [
        ("crowd", rub.crowd),
        ("crowd_act", rub.crowd_acts),
        ("action", rub.letter_action),
        ("plan", rub.crowd_plan),
        ("together", (*rub.crowd_together, *rub.collective_words)),
        ("group", rub.group),
        ("many_of_us", rub.letter_many_of_us),
        ("now", (*rub.letter_now, *rub.letter_today)),
        ("repeat", _REPEAT),
    ]
    lists.extend(LETTER_CLASSES)
    lists.extend(
        (f"fam_{fam.name}", fam.words)
        for fam in rub.families
        if not fam.services and fam.level in ("medium", "high") and fam.words
    )
    member: dict[str, list[int]] = {}
    for i, (_, words) in enumerate(lists):
        for w in words:
            if w and i not in member.setdefault(w, []):
                member[w].append(i)
    by_bigram: dict[int, list[str]] = {}
    for w in member:
        if len(w) > 1:
            by_bigram.setdefault(_bigram_code(w[:2]), []).append(w)
    out = _Lists(
        tuple(name for name, _ in lists),
        {w: tuple(ix) for w, ix in member.items()},
        tuple(w for w in member if len(w) == 1),
        frozenset(by_bigram),
        {code: tuple(ws) for code, ws in by_bigram.items()},
    )
    _LISTS.clear()
    _LISTS[id(rub)] = (rub, out)
    return out


_LISTS: dict[int, tuple[Rubric, _Lists]] = {}


def list_features(text: str, rub: Rubric, *, shown: bool = True) -> dict[str, str]:
    """The features a text's words of the rubric's lists give, its length and its 我们.

    ``<list>`` when a word of a list is in the text (shown as its longest such
    word, the first in the text among equals: 全体村民 rather than 村民) and
    ``<list>2`` when two distinct words are, neither inside the other (shown as
    the two longest, in text order). ``shown=False``: the same features, the
    words of the ``2`` features not worked out (what the score needs).
    """
    lists = _lists(rub)
    # The words of one character the text holds, then the words whose first two
    # characters are a bigram of the text (one set intersection, as the rubric's
    # own index finds its trigger words: nlp.family_index).
    at: dict[str, int] = {}
    for ch in lists.singles:
        p = text.find(ch)
        if p >= 0:
            at[ch] = p
    for code in lists.codes.intersection(_text_bigrams(text)):
        for w in lists.by_bigram[code]:
            p = text.find(w)
            if p >= 0:
                at[w] = p
    hits: dict[int, list[str]] = {}
    for w in at:
        for i in lists.member[w]:
            hits.setdefault(i, []).append(w)
    feats: dict[str, str] = {}
    for i, words in hits.items():
        name = lists.names[i]
        if len(words) == 1:
            feats[name] = words[0]
            continue
        if not shown:
            feats[name] = words[0]
            if sum(not any(w in h for h in words if h != w) for w in words) >= 2:
                feats[f"{name}2"] = ""
            continue
        words.sort(key=lambda w: (-len(w), at[w]))
        feats[name] = words[0]
        distinct = [w for w in words if not any(w in h for h in words if h != w)]
        if len(distinct) >= 2:
            feats[f"{name}2"] = "、".join(sorted(distinct[:2], key=at.__getitem__))
    if text.count("我们") >= 3:
        feats["we3"] = "我们"
    if "们" in text:
        visit = _visit(text)
        if visit is not None:
            feats["visit"] = visit
    for step in LENGTH_STEPS:
        if len(text) > step:
            feats[f"len{step}"] = ""
    return feats


def head_features(text: str) -> tuple[dict[str, str], list[tuple[int, int, int]]]:
    """The head-count features (the largest number written reaching 5, 30, 100) and the counts."""
    feats: dict[str, str] = {}
    counts = head_counts(text)
    if counts:
        value, start, end = max(counts)
        for step in _HEAD_STEPS:
            if value >= step:
                feats[f"heads{step}"] = text[start:end]
    return feats, counts


HEAD_NAMES = tuple(f"heads{step}" for step in _HEAD_STEPS)
READER_NAMES = ("acting_head", "crowd_acting", "group_letter", "households")
UNREAD_NO_CROWD = (*HEAD_NAMES, "acting_head", "group_letter", "households")
"""What the head counts and readers could add when no word of ``crowd_acts`` is in the text."""


def may_read(
    text: str, feats: Mapping[str, str], counts: list[tuple[int, int, int]], rub: Rubric
) -> tuple[str, ...]:
    """The features :func:`read_features` could add to ``feats`` (a superset).

    Each reader of :mod:`nlp.letters` needs what the cheap features already
    saw: a crowd acting a word of ``crowd_acts``; a group of writers a
    ``group_lead`` word or 我们 just before a count of ``collective_min``; households
    concerned a count of ``households_min`` with a ``households`` word at its
    end; a number of people acting a word of ``[letters] action`` and a count.
    """
    out = []
    if "crowd_act" in feats:
        out.append("crowd_acting")
    if any_in(text, rub.group_lead) or any(
        v >= rub.collective_min and "我们" in text[max(0, a - 3) : a] for v, a, _ in counts
    ):
        out.append("group_letter")
    if any(
        v >= rub.letter_households_min and any_in(text[a : b + 3], rub.letter_households)
        for v, a, b in counts
    ):
        out.append("households")
    if "action" in feats and counts:
        out.append("acting_head")
    return tuple(out)


def read_features(text: str, rub: Rubric, only: tuple[str, ...] | None = None) -> dict[str, str]:
    """The features of the readers of :mod:`nlp.letters` (``only`` those named, if given)."""
    feats: dict[str, str] = {}
    if only is None or "acting_head" in only:
        acting = acting_head(text, rub)
        if acting is not None and acting[0] >= rub.collective_min:
            feats["acting_head"] = f"{acting[0]}人"
    for name, reader in (
        ("crowd_acting", crowd_acting),
        ("group_letter", group_letter),
        ("households", households_concerned),
    ):
        if only is None or name in only:
            said = reader(text, rub)
            if said is not None:
                feats[name] = said
    return feats


def told_over(text: str, rub: Rubric) -> bool:
    """True if a text says the matter is over (调解好了, 发发牢骚): a low text so told is
    raised by no model (the test :func:`nlp.severity.assess_normalized` makes first)."""
    back = said_back(text, rub)
    return any_in(back, rub.settled) or any_in(back, rub.retracted) or any_in(text, rub.unserious)


def letter_features(text: str, rub: Rubric) -> dict[str, str]:
    """A normalised letter's structural features, each with the words it stands for.

    ``<list>`` when a word of a rubric list is in the letter and ``<list>2``
    when two distinct words are (shown as those words); the readers of
    :mod:`nlp.letters` (a crowd acting, a group of writers, households
    concerned, the largest number of people acting); the largest head count
    written reaching 5, 30, 100; 我们 three times; the letter's length (shown
    as nothing: no word sets it).

    Args:
        text: Normalised text of a letter.
        rub: The rubric whose lists and readers give the features.

    Returns:
        Feature name → the words shown for it.
    """
    return {**list_features(text, rub), **head_features(text)[0], **read_features(text, rub)}
