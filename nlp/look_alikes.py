"""Danger words used for something harmless (issue 13, stop 29).

A family's word may name no event at all:

* **a game or a film** (王者荣耀里那个会放火的英雄, 儿子玩吃鸡游戏 枪声开得巨大声,
  电影院里演的是爆炸片): a word of a scene games and films show (``screen_acts``: 放火,
  枪声, 爆炸) in a sentence that names a game or a film (``screen``), unless its clause
  places it in the world (``screen_real``: 楼下, 外面, 游戏厅) or says now (``strong_now``);
  named in an earlier clause, a sound of it (``screen_sounds``: 枪声) must open its clause, or
  the act be told as the work's content (``screen_refs``: 里面, 场面, 镜头);
* **a device's beep** (烟雾报警器没电了 一直滴滴响): a sound (``device_sounds``) in a
  sentence that names a device before it (``devices``: 报警器, 没电, 电动车);
* **a figure of speech** (房贷压得我喘不过气, 孩子玩手机中毒了): a word of harm
  (``figure_words``: 喘不过气, 中毒) a few characters after a cause that cannot do it
  (``figure_causes``: 房贷, 压力, 手机, 游戏) in its clause, with nothing swallowed or
  breathed in that clause (``ingested``: 吃了手机电池中毒 is a poisoning);
* **a question about first aid** (溺水急救到底是先控水还是先按压): the harm followed by a
  word of first aid as a subject (``first_aid``: 急救, 自救, 急救知识), not a service
  called (``first_aid_not``: 急救车, 急救中心), in a text that asks (``first_aid_asks``)
  and says nothing of now;
* **a word of harm as a degree** (emo到爆炸, 作业多得要爆炸; stop 32): a ``degree_words`` word
  after 到 / 得 (``degree_marks``) closing its clause, the mark after no perception or motion
  (``degree_not``: 听到爆炸声, 赶到爆炸现场 are events);
* **a figure of the body** (辣得我嘴巴着火了; stop 34): a ``body_harms`` word a few characters
  after a ``body_parts`` word (嘴巴, 嗓子, 心里) of its clause;
* **a thing named** (‘救命鱼汤’, 上吊的那种吊篮; stop 34): a ``named_things`` word (鱼汤, 吊篮)
  right after the family's word or after a ``named_links`` word (的那种, 式).

:func:`looks_alike` tells :mod:`nlp.families` that such an expression of a family with
emergency numbers does not count;
:func:`text_looks_alike` tells :mod:`nlp.emergency` that the learned model's n-grams in
such a text are no danger now either (the model reads 喘不过气, not 房贷). The words are
``[look_alikes]`` of ``config/severity.toml``. Pure functions.
"""

from __future__ import annotations

import re

from nlp.clauses import clause_around, clause_before, sentence_of
from nlp.family_index import any_in
from nlp.rubric_model import Rubric

__all__ = ["looks_alike", "text_looks_alike"]

_LESSON_LEADS = ("的", "后", "时")
"""One character that may stand between the harm and its first-aid word (溺水后急救)."""


def _on_screen(text: str, rub: Rubric, start: int, word: str) -> bool:
    la = rub.look_alikes
    if not any(a in word for a in la.screen_acts):
        return False
    clause = clause_around(text, start)
    # 被对面追着砍: the other team of a game (``screen_unreal``), no place in the world.
    real = clause
    for w in la.screen_unreal:
        real = real.replace(w, "")
    if any(w in real for w in la.screen_real):
        return False
    named = any(w in clause for w in la.screen)
    # 刚才那个电影爆炸场面好震撼: a work and its scene named in the clause; a word of now there
    # tells when it was watched (stop 34, tri34b).
    if any(w in clause for w in rub.strong_now) and not (
        named and any(w in clause for w in la.screen_refs)
    ):
        return False
    if named:
        return True
    # 儿子玩吃鸡游戏 枪声开得巨大声, 在玩蛋仔 里面一直有爆炸声, 看了个灾难片 整栋楼着火的场面:
    # the game or film named earlier in the sentence, and a sound of it (``screen_sounds``:
    # 枪声, 爆炸声) opening its own clause with nobody and nowhere before it, or the act told
    # as the work's content (``screen_refs``: 里面, 场面, 镜头); not 玩游戏时 家里着火了, nor
    # 在打游戏 着火了 (a fire is no sound of the game).
    lo, _ = sentence_of(text, start, start + 1)
    sound = any(w in word for w in la.screen_sounds) and not clause_before(text, start, 12)
    told_of = sound or any(w in clause for w in la.screen_refs)
    return told_of and any_in(text, la.screen, lo, start)


def _device_beep(text: str, rub: Rubric, start: int, word: str) -> bool:
    la = rub.look_alikes
    if not any(s in word for s in la.device_sounds):
        return False
    lo, _ = sentence_of(text, start, start + 1)
    return any_in(text, la.devices, lo, start)


def _figure(text: str, rub: Rubric, start: int, word: str) -> bool:
    la = rub.look_alikes
    if not any(f in word for f in la.figure_words):
        return False
    longest = max((len(c) for c in la.figure_causes), default=0)
    before = clause_before(text, start, la.figure_reach + longest)
    if any(w in clause_around(text, start) for w in la.ingested):
        return False
    for cause in la.figure_causes:
        p = before.rfind(cause)
        if p >= 0 and len(before) - (p + len(cause)) <= la.figure_reach:
            return True
    return False


_TOPIC_CHARS = 4
"""A first-aid word after at most this many characters opening its clause has them as its
topic (中暑急救是先…, 烫伤后急救要不要…)."""


def _harm_before(text: str, rub: Rubric, start: int) -> bool:
    """True if the first-aid word at ``start`` has a harm as its topic: a short topic opening
    its clause (中暑急救), or a danger family's word just before it (孩子溺水急救), with one
    的, 后 or 时 between."""
    before = clause_before(text, start, 12)
    if before[-1:] in _LESSON_LEADS:
        before = before[:-1]
    if not before:
        return False
    return len(before) <= _TOPIC_CHARS or any(
        before.endswith(w) for fam in rub.families if fam.services for w in fam.words
    )


def _first_aid(text: str, rub: Rubric, start: int, word: str) -> bool:
    la = rub.look_alikes
    last = word.split("…")[-1]
    at = text.find(last, start)
    if at < 0 or not la.first_aid:
        return False
    if word.startswith(la.first_aid):
        # 溺水急救到底…: the first-aid word is the family's own (急救); the harm before it
        # is its subject.
        after = text[start:]
        lesson = _harm_before(text, rub, start)
    else:
        after = text[at + len(last) : at + len(last) + 12]
        if after[:1] in _LESSON_LEADS:
            after = after[1:]
        lesson = True
    return (
        lesson
        and after.startswith(la.first_aid)
        and not after.startswith(la.first_aid_not)
        and any_in(text, la.first_aid_asks)
        and not any_in(text, rub.strong_now)
    )


_DEGREE_FILLERS = ("快要", "要", "快")
"""What may stand between a degree mark and its word (累得快要爆炸)."""
_CLAUSE_MARK = re.compile(r"[，。！？；,.!?;\s]")
_CLAUSE_TAIL = re.compile(r"[了啦啊呀吧的哈呢～~]*(?:[，。！？；,.!?;\s…]|$)")


def _degree(text: str, rub: Rubric, start: int, word: str) -> bool:
    """True if a ``degree_words`` word in ``word`` (at ``start``) is a degree: after a
    ``degree_marks`` word (到, 得; 要 / 快 between allowed) that follows no ``degree_not`` word,
    and closing its clause (emo到爆炸 只想躺平; not 听到爆炸声, 跑到爆炸现场)."""
    la = rub.look_alikes
    # 锅炉压力大到爆炸了: a combo ties the word to a thing that can burst; no degree then.
    if "…" in word:
        return False
    for dw in la.degree_words:
        if dw not in word:
            continue
        p = text.find(dw, start)
        if p < 0 or not _CLAUSE_TAIL.match(text, p + len(dw)):
            continue
        # 楼下的变压器烧得要爆炸了: a thing that can burst in the clause is no degree (review 32 S1)
        begin = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, p)), default=0)
        if any_in(text[begin:p], la.degree_hazards):
            continue
        lead = text[max(0, p - 4) : p]
        for filler in ("", *_DEGREE_FILLERS):
            if not lead.endswith(filler):
                continue
            head = lead[: len(lead) - len(filler)]
            mark = next((m for m in la.degree_marks if head.endswith(m)), None)
            if mark is None:
                continue
            verb = head[: len(head) - len(mark)][-1:]
            if verb and verb not in la.degree_not:
                return True
    return False


def _body_figure(text: str, rub: Rubric, start: int, word: str) -> bool:
    """True if a ``body_harms`` word in ``word`` comes at most ``figure_reach`` characters after
    a ``body_parts`` word of its clause (辣得我嘴巴着火了, 嗓子都快冒烟了; stop 34)."""
    la = rub.look_alikes
    # 手机在我嘴边爆炸了，脸上全是血: an object that explodes, or a word of injury, is an event
    # (review 34b F2).
    if any_in(text, la.body_objects) or any_in(text, la.body_vetoes):
        return False
    longest = max((len(b) for b in la.body_parts), default=0)
    for harm in la.body_harms:
        if harm not in word:
            continue
        p = text.find(harm, start)
        if p < 0:
            continue
        before = clause_before(text, p, la.figure_reach + longest)
        for part in la.body_parts:
            q = before.rfind(part)
            if q >= 0 and len(before) - (q + len(part)) <= la.figure_reach:
                # 辣得我嘴巴着火了: the figure needs its cause before the part (review 34b F2).
                at = text.find(part, p - len(before))
                head = re.split(r"[。！？!?]", text[max(0, at - 12) : at])[-1]
                if any(c in head for c in la.body_causes):
                    return True
    return False


def _names_thing(text: str, end: int, rub: Rubric) -> bool:
    """True if a ``named_things`` word follows ``end`` directly or after a ``named_links``
    word (救命鱼汤, 上吊的那种吊篮; stop 34)."""
    la = rub.look_alikes
    # 着火的那个饭店里还有人没出来: people or harm told now name no thing (review 34b F1).
    if any_in(text, la.named_vetoes):
        return False
    after = text[end : end + 8]
    for link in ("", *la.named_links):
        if not after.startswith(link):
            continue
        rest = after[len(link) :]
        for thing in la.named_things:
            # a whole word, never the first characters of a place (饭店, 鱼塘, 菜市场, 茶叶店)
            if rest.startswith(thing) and not any(
                w in rest[len(thing) : len(thing) + 3] for w in la.named_places
            ):
                return True
    return False


def _named(text: str, rub: Rubric, start: int, word: str) -> bool:
    """True if the family's expression ``word`` at ``start`` names a dish, a thing or a tool
    (‘救命鱼汤’, 上吊的那种吊篮): the name of a thing, no event (stop 34)."""
    if not rub.look_alikes.named_things:
        return False
    last = word.split("…")[-1]
    at = text.find(last, start)
    return at >= 0 and _names_thing(text, at + len(last), rub)


def looks_alike(text: str, rub: Rubric, start: int, word: str) -> bool:
    """True if the family expression ``word`` at ``start`` of a normalised text names a
    game's or a film's scene, a device's beep, a figure of speech or a first-aid topic
    (see the module docstring): it does not count."""
    return (
        _on_screen(text, rub, start, word)
        or _device_beep(text, rub, start, word)
        or _figure(text, rub, start, word)
        or _first_aid(text, rub, start, word)
        or _degree(text, rub, start, word)
        or _body_figure(text, rub, start, word)
        or _named(text, rub, start, word)
    )


def text_looks_alike(text: str, rub: Rubric) -> bool:
    """True if some word of ``[look_alikes]`` in a normalised text is used as a look-alike
    (a scene, a sound, a figure or a first-aid word, each at every place it occurs)."""
    la = rub.look_alikes
    # A first-aid word counts here only as a danger family's own word (急救 of 溺水急救…),
    # not as a word of a lesson at large (集体培训).
    danger_words = {w for fam in rub.families if fam.services for w in fam.words}
    own = tuple(w for w in la.first_aid if w in danger_words)
    for word in (
        *la.screen_acts,
        *la.device_sounds,
        *la.figure_words,
        *own,
        *la.degree_words,
        *la.body_harms,
    ):
        p = text.find(word)
        while p >= 0:
            if looks_alike(text, rub, p, word):
                return True
            p = text.find(word, p + 1)
    # 救命鱼汤: a thing named by a danger family's word (stop 34).
    if not la.named_things or not any_in(text, la.named_things):
        return False
    return any(
        _names_thing(text, p + len(w), rub)
        for w in danger_words
        if w in text
        for p in _places(text, w)
    )


def _places(text: str, word: str) -> list[int]:
    """Every place ``word`` occurs in ``text``."""
    found: list[int] = []
    p = text.find(word)
    while p >= 0:
        found.append(p)
        p = text.find(word, p + 1)
    return found
