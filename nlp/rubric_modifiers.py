"""The rubric's modifier word lists that :class:`nlp.rubric.Rubric` does not hold, and the
checks that read them (issue 13; added at stop 28 for set m).

They are read from ``config/severity.toml``'s ``[modifiers]`` table (the rubric's parser,
:mod:`nlp.rubric_parse`, ignores keys it does not know), so a district extends them in the
same file as the rest of the rubric. Moving them into :class:`nlp.rubric_model.Rubric` as
ordinary fields is left to do (then a rubric built from a mapping would carry them too);
the checks below need not change.

* ``signed_up`` (报名, 接龙, 签名, 响应 …): a head count told as sign-ups (群里已有一百多人
  接龙报名, 响应的有上百人, 已有几百人签名) counts people who signed, not a crowd gathered:
  at most ``high`` when the text tells them going or gathering (a plan, a date, a
  collective act, or ``going_acts`` / ``going_places``: 到教育局门口集合), ``medium`` when it
  tells nothing but signing (an online petition), and a sign-up word is no collective act of
  its own (:func:`signed_up_count`, :func:`tells_going`).
* ``not_after`` (还没到预产期, 没到预产期 …): phrases that hold an aftermath word
  (``[modifiers] aftermath``: 预产期) and tell no aftermath — a birth coming too early is
  labour now (老婆羊水破了 还没到预产期 疼得厉害): blanked before aftermath words are read
  (:func:`aftermath_text`).
* ``persons`` and ``person_families``: a family of ``person_families`` (``missing``) counts
  only when a person (孩子, 老人, 他, 人到现在 …) is named within ``person_reach``
  characters before its expression (or in it): 材料交上去一个月了，到现在没消息 tells a case
  with no news, no one missing (:func:`names_person`).

* ``asks`` (有没有, 怎么, 能不能, 请问 …): the writer asks something; beside a danger told
  only in the past it is a request about an event over (:func:`nlp.danger_owner.asked_after`).

* ``no_conflict`` (暂未发生冲突, 没有过激行为): a gathering told calm after a critical event that
  is past (患者昨晚术后死亡…家属十几个人…拉了白布横幅，暂未发生冲突): the gathering sets the
  level, not the past event (:mod:`nlp.rubric_level`).

* ``domestic`` and ``domestic_families`` (stop 29): violence now (a family of
  ``domestic_families``: fight, violence) in a text naming a partner or a relative (老公, 丈夫,
  前夫, 家暴 …) is violence at home; its emergency line adds the women's rights hotline 12338
  after 110 (:func:`nlp.emergency.detect`). ``partners`` (老公, 前夫, 两口子, 家暴 …): violence
  between partners is never lowered as "over" (:mod:`nlp.severity`): it comes back.
* ``wish_said`` (说, 念叨, 嚷着 …; stop 29): a wish to die told as someone's words (他经常说想死,
  昨晚他又说他想死): the talk is the person's state now, so neither a habit word nor a word of
  lately (昨天, 这几天) puts it in the past (:mod:`nlp.clause_time`).

* ``in_care`` and ``in_care_families`` (stop 29): a harm of those families (车祸, 受伤) whose
  victim is in hospital care (住院, 做了手术) beside an aftermath word (救助, 赔偿) is over, as
  a harm told done is (:func:`nlp.danger_owner.asked_after`).

* ``renewed`` (又对骂, 又吵起来, 又动手 …; stop 30): a matter the text tells settled
  (``settled``: 已经调解) that flares up again after it is not settled
  (:func:`flared_again`).
* ``home_habit``, ``home_recent``, ``home_now`` and ``home_away`` (stop 30): violence at home
  told as a habit (我老公天天喝酒打我, 他一喝酒就打我) and how a later clause brings it to now
  (…我现在躲在厕所); see :mod:`nlp.home_violence`.
* ``needless`` (stop 30): families that name no need of their own (a bare cry for help,
  救命): among danger families of one level they come last, so the number of the need told
  beside them is first (救命 邻居家起火了 → 119 first; :func:`nlp.emergency.detect`).

* ``poison_words`` and ``swallow_words`` (stop 30): words of a poison or medicine (药, 敌敌畏
  …) and of swallowing (吃, 喝 …): a self-harm told only by a poison swallowed is a
  poisoning, the health bureau's (120) unless violence or a crime is told
  (:func:`nlp.danger_owner.owner`).

* ``stories`` and ``story_real`` (review 34b F3): a story, an essay or a legend marker (作文,
  故事里, 传说; also ``[modifiers] past`` words) puts in the past only a danger of its own
  clause, and not even that when the clause tells it real or now (``story_real``: 现在, 突然,
  真的, 不呼吸, 倒地): 作文写完了，妈妈突然倒地不省人事 is a danger now (:mod:`nlp.clause_time`).
* ``corrections`` (issue 13, safety35): a correction (不是，是…) opens a new clause read on
  its own, as a present word does (:func:`nlp.clause_time.reopened_at`).
* ``shut_in``, ``unanswered`` and ``shut_in_families`` (issue 13, safety35): a person shut in
  and not answering, told after a place of one of the families (a wish to die), is a place of
  that family of its own (:func:`nlp.clause_time.shut_in_at`).
* ``common_illness`` and ``illness_grave`` (issue 13, safety35): a common cold named (感冒)
  with no grave sign or hospital is no critical for the model alone
  (:func:`nlp.model_evidence.model_may_rate_critical`).
* ``exclaim_real`` (review 34b F3): a vital sign or a person in danger (不呼吸, 倒地, 有人跳)
  beside a cry for help keeps the cry real whatever exclamation word is written (哄睡, OMG):
  哄睡的时候发现宝宝不呼吸了 救命 (:func:`exclaimed`).
* ``life_families`` and ``life_words`` (own35, the lead's decision): a danger now whose family
  is a person's body (an injury, an illness, a poisoning, the water) or that names a person
  caught or hit (被埋, 压住, 砸到, 被困) puts a life at risk: the unit that can act on lives owns
  it, never the topic's regulatory bureau (:func:`nlp.danger_owner.lives_at_risk`).
* ``past_harms`` (stop 30): harms counted as already suffered by several people from a standing
  hazard (马路上有个大坑，已经摔倒好几个人了, 经常有人摔): a request to remove the hazard, no
  danger now; the learned model alone neither gives the emergency line nor raises it above
  medium (:func:`nlp.emergency.detect`, :func:`nlp.severity.assess_normalized`). A danger
  family told now beside it (头在流血) still is one.

A rubric that is not read from a file (``parse_rubric`` of a mapping) has none of these
lists: the checks then change nothing.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from nlp.clauses import negated_at
from nlp.family_index import any_in, found_in, trie_pattern
from nlp.headcount import head_counts
from nlp.rubric import LEVELS, Family, Rubric, RubricError
from nlp.rubric_parse import _words as _rubric_words


class Told(Protocol):
    """What these checks read of a family matched (:class:`nlp.families.Match`, which
    imports this module)."""

    @property
    def family(self) -> Family: ...

    @property
    def words(self) -> tuple[str, ...]: ...

    @property
    def past(self) -> bool: ...


__all__ = [
    "ModifierLists",
    "acted_on_denied",
    "aftermath_text",
    "calm_gathering",
    "calm_words",
    "flared_again",
    "gathered_now",
    "modifier_lists",
    "names_person",
    "signed_up_count",
    "tells_going",
]


@dataclass(frozen=True, slots=True)
class ModifierLists:
    """The stop-28 lists of a rubric (see the module docstring)."""

    signed_up: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    person_families: tuple[str, ...] = ()
    person_reach: int = 30
    going_acts: tuple[str, ...] = ()
    going_places: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    no_conflict: tuple[str, ...] = ()
    lately: tuple[str, ...] = ()
    ongoing: tuple[str, ...] = ()
    harm_words: tuple[str, ...] = ()
    domestic: tuple[str, ...] = ()
    domestic_families: tuple[str, ...] = ()
    wish_said: tuple[str, ...] = ()
    in_care: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    in_care_families: tuple[str, ...] = ()
    renewed: tuple[str, ...] = ()
    home_habit: tuple[str, ...] = ()
    home_recent: tuple[str, ...] = ()
    home_now: tuple[str, ...] = ()
    home_away: tuple[str, ...] = ()
    needless: tuple[str, ...] = ()
    poison_words: tuple[str, ...] = ()
    swallow_words: tuple[str, ...] = ()
    past_harms: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()
    story_real: tuple[str, ...] = ()
    exclaim_real: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    shut_in: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()
    shut_in_families: tuple[str, ...] = ()
    common_illness: tuple[str, ...] = ()
    illness_grave: tuple[str, ...] = ()
    life_families: tuple[str, ...] = ()
    life_words: tuple[str, ...] = ()


_NONE = ModifierLists()
_CACHE: dict[str, ModifierLists] = {}
_LOCK = threading.Lock()


def _words(value: Any, source: str, key: str) -> tuple[str, ...]:
    """A ``[modifiers]`` list, validated as :mod:`nlp.rubric_parse` validates every list."""
    return _rubric_words(value, source, f"modifiers.{key}")


def modifier_lists(rub: Rubric) -> ModifierLists:
    """The stop-28 lists of ``rub``, read once per rubric file.

    Raises:
        RubricError: If one of the lists is not a list of non-empty strings.
    """
    hit = _CACHE.get(rub.source)
    if hit is not None:
        return hit
    path = Path(rub.source)
    if not path.is_file():
        return _NONE
    with _LOCK:
        mods = tomllib.loads(path.read_text(encoding="utf-8")).get("modifiers", {})
        reach = mods.get("person_reach", 30)
        if isinstance(reach, bool) or not isinstance(reach, int) or reach < 1:
            raise RubricError(f"{rub.source}: [modifiers.person_reach] must be a positive integer")
        found = ModifierLists(
            signed_up=_words(mods.get("signed_up"), rub.source, "signed_up"),
            not_after=_words(mods.get("not_after"), rub.source, "not_after"),
            persons=_words(mods.get("persons"), rub.source, "persons"),
            person_families=_words(mods.get("person_families"), rub.source, "person_families"),
            person_reach=reach,
            going_acts=_words(mods.get("going_acts"), rub.source, "going_acts"),
            going_places=_words(mods.get("going_places"), rub.source, "going_places"),
            asks=_words(mods.get("asks"), rub.source, "asks"),
            no_conflict=_words(mods.get("no_conflict"), rub.source, "no_conflict"),
            lately=_words(mods.get("lately"), rub.source, "lately"),
            ongoing=_words(mods.get("ongoing"), rub.source, "ongoing"),
            harm_words=_words(mods.get("harm_words"), rub.source, "harm_words"),
            domestic=_words(mods.get("domestic"), rub.source, "domestic"),
            domestic_families=_words(
                mods.get("domestic_families"), rub.source, "domestic_families"
            ),
            wish_said=_words(mods.get("wish_said"), rub.source, "wish_said"),
            in_care=_words(mods.get("in_care"), rub.source, "in_care"),
            partners=_words(mods.get("partners"), rub.source, "partners"),
            in_care_families=_words(mods.get("in_care_families"), rub.source, "in_care_families"),
            renewed=_words(mods.get("renewed"), rub.source, "renewed"),
            home_habit=_words(mods.get("home_habit"), rub.source, "home_habit"),
            home_recent=_words(mods.get("home_recent"), rub.source, "home_recent"),
            home_now=_words(mods.get("home_now"), rub.source, "home_now"),
            home_away=_words(mods.get("home_away"), rub.source, "home_away"),
            needless=_words(mods.get("needless"), rub.source, "needless"),
            poison_words=_words(mods.get("poison_words"), rub.source, "poison_words"),
            swallow_words=_words(mods.get("swallow_words"), rub.source, "swallow_words"),
            past_harms=_words(mods.get("past_harms"), rub.source, "past_harms"),
            stories=_words(mods.get("stories"), rub.source, "stories"),
            story_real=_words(mods.get("story_real"), rub.source, "story_real"),
            exclaim_real=_words(mods.get("exclaim_real"), rub.source, "exclaim_real"),
            corrections=_words(mods.get("corrections"), rub.source, "corrections"),
            shut_in=_words(mods.get("shut_in"), rub.source, "shut_in"),
            unanswered=_words(mods.get("unanswered"), rub.source, "unanswered"),
            shut_in_families=_words(mods.get("shut_in_families"), rub.source, "shut_in_families"),
            common_illness=_words(mods.get("common_illness"), rub.source, "common_illness"),
            illness_grave=_words(mods.get("illness_grave"), rub.source, "illness_grave"),
            life_families=_words(mods.get("life_families"), rub.source, "life_families"),
            life_words=_words(mods.get("life_words"), rub.source, "life_words"),
        )
        _CACHE[rub.source] = found
    return found


_CLAUSE_SPLIT = re.compile(r"[，。；！？、,.;!?\s]")
_GOING = re.compile("[到去来找]|上访|走访")
_SIGN_BEFORE = 8
"""How far before a head count a sign-up word tells it (接龙的已经一百多了, 响应的有上百人)."""
_SIGN_AFTER = 6
"""How far after a head count a sign-up word tells it (一百多人接龙报名, 几百人签名)."""


def flared_again(text: str, settled: Sequence[str], rub: Rubric) -> bool:
    """True if a ``renewed`` word (又对骂, 又吵起来, 又动手) comes after the last of the
    ``settled`` words in ``text``: 派出所已经调解过…今天两家在楼道碰面又对骂起来 tells a
    dispute settled once and going on again, not one settled (stop 30)."""
    words = modifier_lists(rub).renewed
    if not words or not settled:
        return False
    last = max(text.rfind(w) for w in settled)
    return any(text.find(w, last) >= 0 for w in words)


def signed_up_count(text: str, end: int, rub: Rubric) -> bool:
    """True if the head count ending at ``end`` counts sign-ups: a ``signed_up`` word
    within a few characters after it (一百多人接龙报名) or before it (响应的有上百人),
    in its clause."""
    words = modifier_lists(rub).signed_up
    if not words:
        return False
    start = next((s for _, s, e in head_counts(text) if e == end), end)
    before = _CLAUSE_SPLIT.split(text[max(0, start - _SIGN_BEFORE) : start])[-1]
    after = _CLAUSE_SPLIT.split(text[end : end + _SIGN_AFTER], maxsplit=1)[0]
    # 7名低保户联名到民政局: signing together on the way to an office is a visit, not sign-ups.
    return any(w in after and not _GOING.match(after, after.find(w) + len(w)) for w in words) or (
        any_in(before, words)
    )


def tells_going(text: str, rub: Rubric) -> bool:
    """True if ``text`` tells people gathering (``going_acts``: 集合, 集会) or going to a
    place (去 or 到, then within 8 characters of the clause a ``going_places`` word: 到教育局
    门口集合, 去省电视台门口): sign-ups for an act, not an online petition."""
    lists = modifier_lists(rub)
    if any_in(text, lists.going_acts):
        return True
    for m in _TO.finditer(text):
        reach = _CLAUSE_SPLIT.split(text[m.end() : m.end() + 10], maxsplit=1)[0]
        if any_in(reach, lists.going_places):
            return True
    return False


_TO = re.compile("[去到]")


def gathered_now(text: str, rub: Rubric) -> bool:
    """True if a clause of ``text`` tells people acting now: a present or strong now word
    (现在, 正在, 此刻) followed in its clause by an act of a crowd (``[letters] action``: 聚集,
    堵, 静坐 …), not negated, in a clause with no plan or future word (现在约定明早…去门口 is a
    plan; 现在还没到 acts nothing). Sign-ups that have gathered (报名的一百多人现在正聚集在区政府
    门口) are a crowd now, whatever was counted."""
    nows = (*rub.present, *rub.strong_now)
    for m in _CLAUSE_ITER.finditer(text):
        clause, lo = m.group(0), m.start()
        at = min((p for w in nows if (p := clause.find(w)) >= 0), default=-1)
        if at < 0 or any_in(clause, rub.future) or any_in(clause, rub.planning):
            continue
        for w in rub.letter_action:
            p = clause.find(w, at)
            if p >= 0 and not negated_at(text, lo + p):
                return True
    return False


_CLAUSE_ITER = re.compile(r"[^，。；！？、,.;!?\s]+")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def aftermath_text(text: str, rub: Rubric) -> str:
    """``text`` with every ``not_after`` phrase blanked (还没到预产期: labour now), of the
    same length, so that places in it are places in ``text``."""
    words = modifier_lists(rub).not_after
    if not words:
        return text
    pattern = _PATTERNS.get(rub.source)
    if pattern is None:
        pattern = _PATTERNS[rub.source] = re.compile(trie_pattern(set(words)))
    return pattern.sub(lambda m: "，" * len(m.group(0)), text)


def names_person(text: str, rub: Rubric, fam_name: str, start: int, end: int) -> bool:
    """True unless ``fam_name`` needs a person (``person_families``) and none is named
    within ``person_reach`` characters before the expression at ``text[start:end]`` or
    in the expression itself."""
    lists = modifier_lists(rub)
    if fam_name not in lists.person_families:
        return True
    return any_in(text[max(0, start - lists.person_reach) : end], lists.persons)


def acted_on_denied(text: str, back: str, rub: Rubric) -> list[str]:
    """The `panic` words of a story denied that people act on (网上说养老金要停发…我说没这回事，
    他们还是不放心): a rumour causing panic, medium though no family tells its content (stop 34).
    ``back`` is the text with the phrases that take nothing back masked (nlp.retraction)."""
    return found_in(text, rub.panic) if found_in(back, rub.denied) else []


def calm_words(text: str, back: str, matches: Sequence[Told], rub: Rubric) -> list[str]:
    """The ``calmed`` words of ``back`` (the text with ``not_taken_back`` blanked) that tell
    a person calm or out of danger, unless a threat to one's own life (``risk_spares``) or a
    strong now word (刚才, 正在) is told after the first of them (上周说要跳河的大姐出院了，今天又说
    不想活了; 上周割腕的小伙子出院了，刚才又在宿舍割了一次)."""
    calm = found_in(back, rub.calmed)
    if not calm:
        return []
    first_calm = min(back.find(w) for w in calm)
    harm = [m for m in matches if m.family.name in rub.risk_spares]
    last_harm = max((text.rfind(w.split("…")[-1]) for m in harm for w in m.words), default=-1)
    # 上周割腕的小伙子出院了，刚才又在宿舍割了一次: something happening now is told after it.
    if last_harm > first_calm or any_in(text, rub.strong_now, first_calm):
        return []
    return calm


def calm_gathering(
    text: str, matches: Sequence[Told], found: list[tuple[int, str, str]], level: int, rub: Rubric
) -> int:
    """The level (an index of :data:`nlp.rubric.LEVELS`) of a text whose critical families
    are all past and which tells a gathering calm now (``no_conflict``: 暂未发生冲突): the
    level of what else it found, not the past event's (患者昨晚术后死亡…家属十几个人…拉了白布
    横幅，暂未发生冲突 is high). Never for self-harm; ``level`` unchanged otherwise.

    Args:
        found: ``(level index, word, family)`` of everything the rubric found.
    """
    critical = LEVELS.index("critical")
    if level != critical or not found_in(text, modifier_lists(rub).no_conflict):
        return level
    top = [m for m in matches if LEVELS.index(m.family.level) == level]
    past = {m.family.name for m in top if m.past}
    if not top or len(past) != len(top) or past & set(rub.risk_spares):
        return level
    return max((r for r, _, fam in found if fam not in past), default=0)


def exclaimed(text: str, rub: Rubric) -> bool:
    """True if a text holds an exclamation word (``exclaimed``: 哄睡, OMG; ``unserious``: 哈哈)
    and no word of ``exclaim_real`` (不呼吸, 倒地, 有人跳): 救命 is then an exclamation
    (review 34b F3)."""
    if not (any_in(text, rub.exclaimed) or any_in(text, rub.unserious)):
        return False
    return not any_in(text, modifier_lists(rub).exclaim_real)
