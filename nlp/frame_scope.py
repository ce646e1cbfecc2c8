"""Whether a frame of :mod:`nlp.frames` takes a message's dangers out of now (stops 31, 32).

:func:`nlp.frames.frames_in` finds the frames (a lesson, a what-if, a scare explained, a scene
acted, a question about a media item, a scene cleared …); :func:`frame_tells_none` decides, for
the dangers the families found, whether one of them holds those dangers: each frame reaches only
its own sentence, no danger told after a turn, and each kind yields to what tells a danger now
(a strong now word, self-harm, a person named, a harm suffered). Used by
:func:`nlp.emergency.detect` for the emergency line only; the severity is not touched.

Pure functions.
"""

from __future__ import annotations

import re

from nlp.clauses import sentence_of
from nlp.families import Match
from nlp.family_index import any_in
from nlp.frames import frame_holds, frames_in, own_encounter, prevention_at
from nlp.rubric_model import Rubric
from nlp.rubric_modifiers import modifier_lists

__all__ = ["frame_tells_none"]


def frame_tells_none(norm: str, rub: Rubric, dangers: list[Match]) -> bool:
    """True if a frame of :func:`nlp.frames.frames_in` takes the danger words of ``norm`` out of
    now (stop 31): a scare explained or a rumour named as one, always; a question about an
    unnamed someone or a scene acted, unless a strong now word is written; a lesson or a threat
    at play, unless a strong now word is written or self-harm is among the dangers (a warning
    sign whatever frames it). Stop 32 (i13oo): every frame of the message is tried, not only the
    first; a generic when-question (``when``) holds only the harm of its own clause and yields
    to self-harm, a present word and a person named; an item of the media asked about
    (``media``) holds any danger but self-harm told before it; a scene cleared (``over``) holds
    only fire, smoke, gas or water told before it; a scene acted holds no harm suffered
    (:data:`_SUFFERED`) unless it is the scene to be shot."""
    starts = _danger_starts(norm, dangers)
    names = {m.family.name for m in dangers}
    spared = any(name in rub.risk_spares for name in names)
    strong = any_in(norm, rub.strong_now)
    for frame, start, end in frames_in(norm):
        # A frame holds only the dangers of its own sentence, and none told after a turn (可我家
        # 楼下真的着火了, 突然倒地不起了): those are events (stop 31, the lead's final read).
        if not frame_holds(norm, start, end, starts):
            continue
        if frame in ("explained", "rumour"):
            return True
        # Review 32 S1 (s1fix): how to prevent a harm told before the question (有人拿刀砍我 怎么防,
        # 着火了 怎么防止火势蔓延) is asked from inside it; an encounter told as the writer's own
        # or as now (我现在遇到有人持刀抢劫) is no hypothesis.
        told_before = any(at < start for at in starts)
        if frame == "lesson" and told_before and prevention_at(norm, start, end):
            continue
        if frame == "what_if" and own_encounter(norm, start):
            continue
        # 急救培训的时候一个学员晕倒了: a harm told after the lesson's or the scene's time (…的时候,
        # 期间, 中途) is an event during it, not its example (stop 32, i13oo).
        if frame in ("lesson", "acted") and _during(norm, end, starts):
            continue
        if frame == "over":
            if (
                names <= _CLEARED
                and all(at < start for at in starts)
                and not strong
                and _STILL_IN.search(norm) is None
            ):
                return True
            continue
        if frame == "media":
            # the item's content is told before the question (那首救命啊是啥歌)
            # …in its own clause: a cry in a clause of its own (救命 这是什么梗) is a cry (S1)
            # or quoted (主播喊“家人们着火了着火了 库存要爆了”是什么梗)
            if not spared and all(_in_item(norm, at, start) for at in starts):
                return True
            continue
        if strong:
            continue
        if frame == "acted":
            if _someone_did(norm, end, starts):
                continue
            if all(m.family.name not in _SUFFERED or _staged(norm, m) for m in dangers):
                return True
            continue
        if frame == "when":
            present = any_in(norm, rub.present)
            own = all(at < start and not _CLAUSE_BREAK.search(norm, at, start) for at in starts)
            if own and not spared and not present and not _someone_named(norm, rub, start):
                return True
            continue
        if frame == "what_if" or not spared:
            return True
    return False


_DURING = re.compile(r"[^，。！？,.!?\s]{0,4}?(?:的时候|时候|期间|中途|过程中|的时|时)")


def _in_item(norm: str, at: int, start: int) -> bool:
    """True if the danger at ``at`` is told before a media question at ``start`` in its clause or
    in quotes closed before it (那首救命啊是啥歌, 主播喊“…着火了…”是什么梗; not 救命 这是什么梗)."""
    if at >= start:
        return False
    if _CLAUSE_BREAK.search(norm, at, start) is None:
        return True
    return _QUOTE_END.search(norm, at, start) is not None


_SOMEONE_DID = re.compile(r"有人[^，。！？,.!?\s]*了(?:[，。！？,.!?\s]|$)")


def _someone_did(norm: str, end: int, starts: list[int]) -> bool:
    """True if a later clause than a scene acted tells that someone did a harm (剧组在拍戏 有人拿刀
    砍人了): an event on the set, not the scene (review 32 S1)."""
    for m in _SOMEONE_DID.finditer(norm, end):
        if _CLAUSE_BREAK.search(norm, end, m.start()) and any(
            m.start() <= at < m.end() for at in starts
        ):
            return True
    return False


def _during(norm: str, end: int, starts: list[int]) -> bool:
    """True if the frame ending at ``end`` is followed by a time of its own (培训的时候, 拍戏期间)
    and a danger is told after that time."""
    m = _DURING.match(norm, end)
    return m is not None and any(at >= m.end() for at in starts)


def _someone_named(norm: str, rub: Rubric, start: int) -> bool:
    """True if the sentence before ``start`` names the writer or a person (我, 孩子, 老人 …):
    孩子抽搐的时候该怎么办 may be told in the middle of it."""
    lo, _ = sentence_of(norm, start, start + 1)
    before = norm[lo:start]
    return "我" in before or any_in(before, modifier_lists(rub).persons)


def _staged(norm: str, m: Match) -> bool:
    """True if the harm of ``m`` is named as the scene to be shot (拍一场落水的戏)."""
    last = m.word.split("…")[-1]
    at = norm.find(last, m.start)
    return at >= 0 and _STAGED.match(norm, at + len(last)) is not None


_CLAUSE_BREAK = re.compile(r"[，,；;、\s]")
"""A when-question holds only the harm of its own clause (楼下着火了 着火的话先做什么: the fire
before the space is told, not asked about)."""
_QUOTE_END = re.compile(r"[”\"」』’']")
"""A quote closed between a danger and the media question: the danger is the item's words."""
_STILL_IN = re.compile(
    r"还有人|有人没|没出来|没救出|没逃出|出不来|跑不出|被困|困在|困住|昏迷|不省人事|没醒|失踪|找不到人"
)
"""People still in danger: a scene told cleared with one of them (大火已经扑灭了，里面还有人没出来)
is not over (review 32 S1)."""
_STAGED = re.compile(r"[^，。！？,.!?\s]{0,2}(?:戏|镜头|场景|桥段|场面)")
"""A harm named as the scene to be shot (落水的戏, 着火的镜头)."""
_CLEARED = frozenset({"fire", "fire_emoji", "fire_over", "water", "gas_leak", "toxic_leak"})
"""Families whose scene can be told cleared (烟散了, 火灭了, 水退了: the ``over`` frame)."""
_SUFFERED = frozenset(
    {
        "injury",
        "fire",
        "fire_emoji",
        "collapse",
        "water",
        "water_person",
        "traffic",
        "health",
        "medical",
        "trapped",
        "falling_over_people",
        "gas_leak",
        "toxic_leak",
        "missing",
        "lost_outdoors",
    }
)
"""Harms suffered, not staged: one told on a film set (拍戏的时候有人从台上摔下来) is real."""


def _danger_starts(norm: str, dangers: list[Match]) -> list[int]:
    """Where every expression of the dangers occurs in ``norm`` (a family's match keeps only its
    first place; 要是有人落水了怎么办？我儿子刚掉河里了 holds the water family twice)."""
    starts = {m.start for m in dangers}
    for m in dangers:
        for word in m.words:
            for part in word.split("…"):
                if part:
                    at = norm.find(part)
                    while at >= 0:
                        starts.add(at)
                        at = norm.find(part, at + 1)
    return sorted(starts)
