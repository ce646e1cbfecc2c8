"""Matching a normalised text against the rubric's families of expressions.

One regex pass (a trie of the words that can start a match: family words and
the first group of each combo) finds where families may match; look-alikes,
later combo groups and time markers are looked up only around a candidate,
so most of the rubric costs nothing for a message that matches nothing.

A family word or combo counts unless it overlaps one of the family's
look-alikes (上吊顶 for 上吊) or follows a negation
(没有人受伤, 暂未发生肢体冲突 — but not a threat with a condition:
不给钱就堵路).
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.background import (
    animal_subject,
    background_of,
    is_letter,
    letter_now,
    named_spans,
    nearly_at,
    said_wish,
    said_wish_ignores,
    told_at_end,
)
from nlp.clause_time import past_at, reopened_at, shut_in_at
from nlp.clauses import clause_around, negated_at, sentence_of
from nlp.family_combos import Excluder, combo_match, span_match
from nlp.family_index import Occurrences, any_in, index_of, occurrences, trie_pattern
from nlp.frames import contrast_between
from nlp.home_violence import home_time
from nlp.look_alikes import looks_alike
from nlp.rubric_model import Family, Rubric
from nlp.rubric_modifiers import modifier_lists, names_person
from nlp.textcache import TextCache

__all__ = [
    "SELF_HARM",
    "Match",
    "Occurrences",
    "animal_scene",
    "match_families",
    "occurrences",
    "trie_pattern",
]

SELF_HARM = "self_harm"
"""The rubric family of self-harm (``config/severity.toml``); also an emergency's ``kind``
and a registered case event's ``emergency`` when someone writes of harming themselves."""


@dataclass(frozen=True, slots=True)
class Match:
    """One family matched in a text.

    Attributes:
        family: The family.
        word: The first expression found (a combo's words joined by ``…``).
        start: Where it starts in the text.
        words: Every expression of the family found, in text order.
        now: A ``now`` word is in its sentence and it is not a plan.
        future: A plan or future marker precedes it in its sentence.
        past: A past marker is in its sentence.
        hearsay: A rumour word (网传, 谣传, 群里传) comes before it in its
            sentence: a story going round, not an event seen (then neither
            now nor a danger now).
        background: ``"risk"`` when a risk word (隐患, 一旦, 万一, 容易) is in
            its clause: a hazard feared, not an event; ``"letter"`` when the
            text is a long letter and its clause holds no present word (现在,
            正在, 刚才): a story told or a problem argued, not a danger now;
            ``"told"`` for self-harm words in a letter's clause with no
            present word: the level stands, but no emergency line; ``""``
            otherwise. ``risk`` and ``letter`` are no danger now and cap the
            family's level (see :func:`nlp.severity.rubric_assessment`).
    """

    family: Family
    word: str
    start: int
    words: tuple[str, ...]
    now: bool
    future: bool
    past: bool
    hearsay: bool = False
    background: str = ""


def _any_in(text: str, words: tuple[str, ...], lo: int, hi: int) -> bool:
    return any_in(text, words, lo, hi)


_NOT_HEARSAY = ("不是谣言", "不是谣传", "不是传言", "并非谣言", "不是网传", "没有谣言")
"""A rumour word denied (不是谣言): the writer vouches for what follows (stop 31)."""

_TIMED_LEVELS = frozenset({"high", "critical"})


def _context(
    text: str,
    rubric: Rubric,
    start: int,
    end: int,
    present: bool = False,
    spared: bool = False,
    state_words: tuple[str, ...] = (),
) -> tuple[bool, bool, bool, bool]:
    """``(now, future, past, hearsay)`` of a match at ``text[start:end]``; ``spared`` for a
    family of ``risk_spares``, whose time no habit word of another clause sets;
    ``state_words`` the family's words of a state of mind (``state_words``: 想, 念头): with
    one in the match's clause a habit word tells how long the state has lasted, not an
    event over (我最近总想死, 老是想着死: ideation now, pf31)."""
    state = any(w in clause_around(text, start) for w in state_words)
    lo, hi = sentence_of(text, start, end)
    future = _any_in(text, rubric.future, lo, start) or _any_in(text, rubric.planning, lo, start)
    # 电梯经常坏，现在…拿着菜刀: a habit or past word reaches only so far (nlp.clause_time).
    # 他经常说想死, 昨晚又说他想死: a wish to die in someone's words is their state now (stop 29).
    # Not when the text tells the person calm again (昨天说要跳楼的工人…人没事; 前天说要喝药的大姐…
    # 情绪比前两天平稳): then the talk was yesterday's (nlp.rubric_level, `calmed`).
    calm = _any_in(text, rubric.calmed, 0, len(text))
    said = spared and not calm and said_wish(text, rubric, start)
    ignore = said_wish_ignores(rubric) if said else frozenset()
    past = past_at(
        text, rubric, lo, hi, start, habits=not spared, own_habits=not state, ignore=ignore
    )
    # …天天玩手机…说要从窗户跳下去…怎么办啊快帮帮我！: the news a message ends with (trial 29 P2).
    at_end = told_at_end(text, rubric, start, spared)
    past = past and not at_end
    # 有人说信访局门口有人要自焚，我去核实了，没这回事: a story heard, then denied, is over
    # (stop 27, set l); a denial told first (说没这回事，转身就拿刀砍人了) or by the doer
    # (拿刀砍人了，还说没这回事) leaves the event now.
    if not past and rubric.denied and _any_in(text, rubric.denied, end, hi):
        past = _any_in(text, rubric.media, lo, start)
    hearsay = _any_in(text, rubric.hearsay, lo, start)
    # 网上有人说是谣言，可我家楼下真的着火了: a turn after the story tells the real thing (stop 32).
    if hearsay:
        told = max(text.rfind(w, lo, start) for w in rubric.hearsay)
        hearsay = not contrast_between(text, told, start)
    # 不是谣言，对面仓库真着火了: a rumour word denied is the writer vouching for it (stop 31).
    hearsay = hearsay and not _any_in(text, _NOT_HEARSAY, lo, start)
    # 昨天两家推搡了几下 ... 已经吵了三次: a past marker in the sentence wins over 已经.
    now = (present or at_end or _any_in(text, rubric.now, lo, hi)) and not (
        future or past or hearsay
    )
    return now, future, past or hearsay, hearsay


_REAL = ("真的", "突然", "忽然", "竟然", "居然")
"""Words that tell a later sentence as a real event, not an example (stop 32)."""

_PLACES = 4
"""The most places of one word a family weighs (one per sentence)."""


def _event_later(
    text: str,
    rubric: Rubric,
    fam: Family,
    hits: list[tuple[int, str]],
    start: int,
    word: str,
    words: list[str],
    spared: bool,
    state: tuple[str, ...],
) -> tuple[int, str, tuple[bool, bool, bool, bool], str] | None:
    """The first place of ``hits`` in a sentence after the one of ``text[start:]`` that its own
    context tells as an event (no plan, past, rumour, risk or letter background), with that
    context and background; ``None`` if there is none (stop 32)."""
    after = sentence_of(text, start, start + len(word))[1]
    for p, w in hits:
        if p < after:
            continue
        ctx = _context(text, rubric, p, p + len(w), fam.present, spared, state)
        if ctx[1] or ctx[2] or ctx[3]:
            continue
        # 万一着火了怎么办？着火了要打119吗: the later sentence must tell the event as now.
        lo, hi = sentence_of(text, p, p + len(w))
        if not any(
            _any_in(text, told, lo, hi) for told in (rubric.present, rubric.strong_now, _REAL)
        ):
            continue
        background = background_of(text, rubric, fam, p, words)
        if background in ("", "told"):
            return p, w, ctx, background
    return None


_MATCHED: TextCache[tuple[tuple[Match, ...], Occurrences]] = TextCache()


def animal_scene(text: str, rubric: Rubric) -> bool:
    """True if a word of an ``animal_families`` family has an animal as its subject
    (我家猫从二楼阳台跳下去了): the learned model's danger words are no person's either."""
    if not rubric.animals or not any_in(text, rubric.animals):
        return False
    _, occ = match_families(text, rubric)
    words = {w for fam in rubric.families if fam.name in rubric.animal_families for w in fam.words}
    return any(
        animal_subject(text, rubric, p) for w, places in occ.items() if w in words for p in places
    )


def match_families(text: str, rubric: Rubric) -> tuple[list[Match], Occurrences]:
    """Every family found in ``text`` (normalised), with the occurrences index.

    The last few texts' answers are kept (:class:`nlp.textcache.TextCache`):
    severity and emergency detection read the same message's families once.

    Returns:
        One :class:`Match` per family found (its first counting expression),
        and the occurrences of all rubric words for further checks.
    """
    hit = _MATCHED.get(text, rubric)
    if hit is not None:
        return list(hit[0]), hit[1]
    matches, occ = _match_families(text, rubric)
    _MATCHED.put(text, rubric, value=(tuple(matches), occ))
    return matches, occ


def _match_families(text: str, rubric: Rubric) -> tuple[list[Match], Occurrences]:
    occ = occurrences(text, rubric)
    index = index_of(rubric)
    # Only the families, words and combos whose trigger words are in the text.
    word_hits: dict[int, list[str]] = {}
    # family -> combo -> the words of its first group in the text
    combo_hits: dict[int, dict[int, list[str]]] = {}
    for w in list(occ):
        for i in index.words_of.get(w, ()):
            word_hits.setdefault(i, []).append(w)
        for i, k in index.combos_of.get(w, ()):
            combo_hits.setdefault(i, {}).setdefault(k, []).append(w)
    matches: list[Match] = []
    # 那家“一把刀”刀削面馆, 《烈火英雄》: a name or a title is no event (nlp.background).
    names = named_spans(text, rubric) if word_hits or combo_hits else []
    # A long letter is read by its own rules (nlp.background): a word's first place only, as
    # before stop 32 (later places in a letter's present clauses gave two real letters a line).
    places = 1 if (word_hits and is_letter(text, rubric)) else _PLACES
    families = rubric.families
    shut_in_families = modifier_lists(rubric).shut_in_families
    spans = {
        i
        for i in index.span_families
        if any(any_in(text, combo[0]) for combo in families[i].span_combos)
    }
    for i in sorted(word_hits.keys() | combo_hits.keys() | spans):
        fam = rubric.families[i]
        excluded = Excluder(occ, fam.exclude, names)
        hits: list[tuple[int, str]] = []
        animal = fam.name in rubric.animal_families
        for word in word_hits.get(i, ()):
            # 如果有人晕倒应该怎么做。我爸现在就晕倒在客厅了: the first counting place of a word
            # in each sentence (up to _PLACES), each judged in its own context below (stop 32).
            sentence_end = -1
            kept = 0
            for p in occ.get(word, ()):
                if p < sentence_end:
                    continue
                if (
                    not excluded(p, p + len(word))
                    and not negated_at(text, p)
                    and not (animal and animal_subject(text, rubric, p))
                    # 材料交上去一个月了，到现在没消息: no one missing (stop 28).
                    and names_person(text, rubric, fam.name, p, p + len(word))
                    and not nearly_at(text, rubric, fam, p)
                    # 王者荣耀里会放火的英雄, 房贷压得我喘不过气 (stop 29, nlp.look_alikes).
                    and not (fam.services and looks_alike(text, rubric, p, word))
                ):
                    hits.append((p, word))
                    kept += 1
                    if kept >= places:
                        break
                    # 课文里讲的那个人跳河了，不是，是我同学现在要跳河: a correction or a present
                    # word opens a clause read on its own (issue 13, safety35).
                    sentence_end = reopened_at(
                        text, rubric, p + len(word), sentence_of(text, p, p + len(word))[1]
                    )
        for k, present in sorted(combo_hits.get(i, {}).items()):
            combo_hit = combo_match(text, occ, fam.combos[k], fam.window, excluded, present)
            if combo_hit is None:
                continue
            if (
                not (animal and animal_subject(text, rubric, combo_hit[1]))
                and names_person(
                    text, rubric, fam.name, combo_hit[1], combo_hit[1] + len(combo_hit[0])
                )
                and not nearly_at(text, rubric, fam, combo_hit[1])
                and not (fam.services and looks_alike(text, rubric, combo_hit[1], combo_hit[0]))
            ):
                hits.append((combo_hit[1], combo_hit[0]))
        if not hits and i in spans:
            # 他把存折交给了邻居。晚上人就不见了。: signs told in separate sentences (stop 32).
            span_hit = span_match(text, fam, excluded)
            if span_hit is not None and names_person(
                text, rubric, fam.name, span_hit[1], span_hit[1] + len(span_hit[0])
            ):
                hits.append((span_hit[1], span_hit[0]))
        if hits and fam.name in shut_in_families:
            # 日记里写过他想死，今天他把自己锁在房间里，喊不应: shut in and not answering after
            # a wish to die is a place of its own (issue 13, safety35).
            shut = shut_in_at(text, rubric, min(p for p, _ in hits))
            if shut is not None and not excluded(shut[0], shut[0] + 1):
                hits.append(shut)
        if hits:
            hits.sort()
            # Drop an expression inside a longer one found (喝农药 in 喝了农药).
            words = [w for _, w in hits if not any(w != o and w in o for _, o in hits)]
            start, word = hits[0]
            # The time of a match: now (a family's `now_level`, a danger now), a
            # plan, the past (an event over: see nlp.severity), a rumour. It only
            # matters to a family with a `now_level`, emergency numbers or a level
            # above a rumour's (medium).
            background = ""
            if fam.now_level or fam.services or fam.level in _TIMED_LEVELS:
                spared = fam.name in rubric.risk_spares
                state = fam.state_words
                now, future, past, hearsay = _context(
                    text, rubric, start, start + len(word), fam.present, spared, state
                )
                # 这里老有人打架，现在又打起来了: a habit or a past told first, then the
                # event now: a later expression not in the past times the match (stop 27).
                if past and not hearsay:
                    for p, w in hits[1:]:
                        later = _context(text, rubric, p, p + len(w), fam.present, spared, state)
                        if not later[2]:
                            start, word = p, w
                            now, future, past, hearsay = later
                            break
                # 老公一喝酒就打我 (a habit), 老公经常打我…我现在躲在厕所 (a habit, then now):
                # violence at home (stop 30, nlp.home_violence).
                if not (hearsay or future):
                    now, past = home_time(text, rubric, fam.name, start, words, now, past)
                background = background_of(text, rubric, fam, start, words)
                # …前几天他说活着没意思，昨天晚上又说他想死: a wish told in a letter's
                # background, then last as the news (stop 29): the later expression times it.
                if background == "told" and not past:
                    for p, w in hits[1:]:
                        later = _context(text, rubric, p, p + len(w), fam.present, spared, state)
                        if not later[2] and told_at_end(text, rubric, p, spared):
                            start, word = p, w
                            now, future, past, hearsay = later
                            background = background_of(text, rubric, fam, start, words)
                            break
                # 要是有人被困在电梯里该怎么办？我妈现在就被困在电梯里了: a place in a later
                # sentence told as an event now wins over a question, a plan or a rumour told
                # first (stop 32): every place of a family is judged in its own context.
                if future or past or hearsay or background not in ("", "told"):
                    later_place = _event_later(
                        text, rubric, fam, hits, start, word, words, spared, state
                    )
                    if later_place is not None:
                        start, word, (now, future, past, hearsay), background = later_place
                        now, past = home_time(text, rubric, fam.name, start, words, now, past)
                now = (
                    now
                    and background in ("", "told")
                    and letter_now(text, rubric, start, fam.name in rubric.risk_spares)
                )
            else:
                now = future = past = hearsay = False
                if fam.name in rubric.letter_families and is_letter(text, rubric):
                    background = background_of(text, rubric, fam, start, words)
            matches.append(
                Match(
                    fam,
                    word,
                    start,
                    tuple(dict.fromkeys(words)),
                    now,
                    future,
                    past,
                    hearsay,
                    background,
                )
            )
    return matches, occ
