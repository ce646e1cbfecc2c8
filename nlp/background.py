"""Whether a family found is told as happening now, or is background (issue 13).

A danger told now is short and says so (隔壁着火了, 有人拿刀砍人). A long letter to an
office recounts an old accident, argues a hazard or tells a long-standing problem; a
safety question asks what to do *if* (如果家里着火了，第一步应该做什么？); a text that
says nothing has happened yet fears it (还没出过事，但是万一哪天塌了). :func:`background`
tells :mod:`nlp.families` which of these a match is (see :attr:`nlp.families.Match.background`).

Pure functions over a :class:`nlp.rubric.Rubric`; no dependency on the matching itself.
"""

from __future__ import annotations

import re

from nlp.clauses import clause_around, clause_before, sentence_of
from nlp.family_index import any_in
from nlp.named import named_spans
from nlp.office_letter import office_letter
from nlp.rubric_model import Family, Rubric
from nlp.rubric_modifiers import modifier_lists

__all__ = [
    "animal_subject",
    "asks_what_if",
    "background_of",
    "doubts_media",
    "ends_with",
    "fears_only",
    "is_letter",
    "letter_now",
    "named_spans",
    "names_a_category",
    "names_category",
    "nearly_at",
    "tells_near_miss",
    "told_at_end",
]


def is_letter(text: str, rubric: Rubric) -> bool:
    """True if a normalised text is a long letter (``[letters] min_chars``)."""
    return rubric.letter_chars < len(text)


_OPENING = 40
"""A danger within the first characters of a long text is read as in a short message."""

_LETTER_NOW_REACH = 12
"""How far before a letter's danger word its now word may stand (现在楼下有人拿刀砍人)."""

_DATE = re.compile(r"\d{1,4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号][上下]?午")


def letter_now(text: str, rubric: Rubric, start: int, wish: bool = False) -> bool:
    """True unless ``text`` is a long letter whose match at ``start`` is not told as now.

    现在楼下有人拿刀砍人: the now word leads into the danger, a few characters
    before it in its clause (not 抢救现在还成了特色文化, nor a clause's far end;
    not 正在开展作风学习…堵塞 for a letter's blocking, whose 正在 is the sentence's).
    """
    # 楼下着火了，浓烟很大… then a long text: a danger in the opening is read as in a
    # short message (a citizen's report pasted before other matter keeps its line), unless
    # it names a harm's claim or is a board letter's headline recounting a past harm.
    if not is_letter(text, rubric):
        return True
    if (
        start < _OPENING
        and not _opening_claim(text, rubric, start)
        and not _headline_past(text, start)
    ):
        return True
    if told_at_end(text, rubric, start, wish):
        return True
    if any(w in clause_before(text, start, _LETTER_NOW_REACH) for w in rubric.letter_now):
        return True
    # 今天上午九点多，三百多名业主把大道堵死了: a report of today dates its sentence
    # (an officer's report tells the background first, then today's event).
    # 今天上午，有邻居被困电梯长达半个小时: an event of today whose length is told is over
    # (``[letters] lasted``, stop 29).
    lo, hi = sentence_of(text, start, start + 1)
    if any(w in text[start:hi] for w in rubric.letter_lasted):
        return False
    if any(w in text[lo:start] for w in rubric.letter_today):
        return True
    return _told_now_mid(text, rubric, lo, hi, start)


def _told_now_mid(text: str, rubric: Rubric, lo: int, hi: int, start: int) -> bool:
    """True if the letter's sentence ``text[lo:hi]`` around the match at ``start`` tells it as
    happening now, wherever the sentence stands (issue 13, i13mm).

    A citizen's long story with today's danger told in one sentence in its middle
    (…调解过两次也没有用。对了，他家厨房着火了，烟正从窗户往外冒。这种情况…): an ``[letters]
    end_scene`` word of a scene under way or of the time of writing in the sentence (着火了,
    倒在地上, 还没救上来, 写信的时候 — what :func:`ends_with` reads in a final sentence), or a
    ``[letters] now`` word anywhere in it but 现在 and 眼下, which also mean "these days"
    (我现在打零工…每个月吃药就要好几百); and no ``past``, ``habit``, lasting (至今, 一直) or date
    word in the sentence: 去年他家着火了, 那次孩子掉进池塘, 以前经常倒在地上 stay background.
    """
    sentence = text[lo:hi]
    if any_in(sentence, (*rubric.past, *rubric.habit, *_LASTING)) or _DATE.search(sentence):
        return False
    for look_alike in _NOT_SCENES:
        sentence = sentence.replace(look_alike, "")
    if any_in(sentence, rubric.end_scene):
        return True
    # 快来人管管吧: a cry at the match itself (the `distress` family's own word) is no news.
    return any(
        not start <= p < start + _OWN_CALL
        for w in rubric.letter_now
        if w not in _NOWADAYS
        for p in _positions(text, w, lo, hi)
    )


def _positions(text: str, word: str, lo: int, hi: int) -> list[int]:
    """Where ``word`` starts in ``text[lo:hi]``."""
    found: list[int] = []
    p = text.find(word, lo, hi)
    while p >= 0:
        found.append(p)
        p = text.find(word, p + 1, hi)
    return found


_NOT_SCENES = ("倾倒在地",)
"""Things, not people, told with a scene word (垃圾直接倾倒在地上: rubbish dumped)."""
_LASTING = ("至今", "到现在", "一直", "多年", "长期", "常年", "始终", "长达", "之久")
"""Words of a state lasting for long (…开始运行后至今，我村患癌症正在治疗和死亡总人数达50多人):
the sentence tells a long story, not an event now."""
_NOWADAYS = frozenset({"现在", "眼下"})
"""Now words that also mean "these days" in a letter (我现在打零工): they count only in the
match's clause just before it (:func:`letter_now`)."""


def _headline_past(text: str, start: int) -> bool:
    """True if a letter to an office (:func:`nlp.office_letter.office_letter`: a headline, a
    salutation) tells the danger of its opening as a past event (stop 34).

    F8市百姓因结扎手术内出血，计生办还未对事故进行处理; 本人98年因工受伤: the headline of a
    board letter names the harm the grievance is about, told with a date, a lasting word or
    as an accident to be dealt with (``_RECOUNTED``); the danger is then read as anywhere
    else in the letter (it needs a now word in its clause). A headline with no such word
    (…基坑出现坍塌) keeps the opening's reading as a short message.
    """
    if office_letter(text) is None:
        return False
    lo, hi = sentence_of(text, start, start + 1)
    sentence = text[lo:hi]
    return any_in(sentence, (*_LASTING, *_RECOUNTED)) or _DATE.search(sentence) is not None


_RECOUNTED = ("事故", "因工", "后遗症", "退休前")
"""Words of a headline that recounts a harm as the grievance's past (还未对事故进行处理)."""


def _opening_claim(text: str, rubric: Rubric, start: int) -> bool:
    """True if a letter's opening sentence around ``start`` tells a harm's claim or treatment.

    民工在工地受伤，工地方拒绝支付医疗费 / 特种作业受伤住院不付医疗费: a letter's title that
    names an injury with its medical bill or its compensation tells the
    grievance after the harm (``[letters] opening_claim``), not a danger now; the danger
    is then read as anywhere else in the letter (it needs a now word in its clause).
    """
    lo, hi = sentence_of(text, start, start + 1)
    return any(w in text[lo:hi] for w in rubric.letter_opening_claim)


_END_LEAD = 16
"""How far before a danger at a message's end its urgent word may stand (救命！楼下着火了！)."""
_OWN_CALL = 3
"""A call word starting this close after a match's start is the match's own (快来人)."""


def told_at_end(text: str, rubric: Rubric, start: int, wish: bool = False) -> bool:
    """True if the match at ``start`` is the news a message ends with (trial 29 P2).

    A message that tells its background first and the danger last (…他把自己锁在房间里，
    说要从窗户跳下去，我们家住十二楼，窗户已经打开了，怎么办啊快帮帮我！; 物业费年年涨…有人拿刀
    砍人了！快来人啊！): the match starts within ``[letters] end_reach`` characters of the
    end, and from a few characters before it to the end there is an ``end_now`` word (an
    urgent call, a scene under way) and no ``past`` word (去年有人拿刀砍人，快来人管管 stays
    a retelling). Such a match is now, whatever past or habit words the background holds.
    So is a match in the message's final sentence that states a scene in progress or, for
    ``wish`` (a ``risk_spares`` family), a first-person wish to die (:func:`ends_with`).
    """
    if len(text) - start > rubric.end_reach:
        return False
    if ends_with(text, rubric, start, wish):
        return True
    if not rubric.end_now:
        return False
    lead = max(0, start - _END_LEAD)
    # A cry at the match itself (快来人管管吧, the `distress` family's own word) is no
    # news of a danger: the call must stand apart from it.
    calls = [
        p
        for w in rubric.end_now
        if (p := text.find(w, lead)) >= 0 and not start <= p < start + _OWN_CALL
    ]
    if not calls:
        return False
    # The past is looked for from a few characters before the match (within its sentence:
    # 去年，楼下有人拿刀砍人) or from the urgent word, if earlier, to the end; not in the
    # background's earlier sentences (电梯经常坏。有人拿刀砍人了！快来人啊！).
    lo, _ = sentence_of(text, start, start + 1)
    return not any_in(text[min(min(calls), max(lo, lead)) :], rubric.past)


_WISH_REACH = 12
"""How far before a wish to die its 我 may stand (最后说一句，我真的想死)."""
_TRAILING = re.compile(r"[\s。！!？?…~～.，,、]*")


def ends_with(text: str, rubric: Rubric, start: int, wish: bool = False) -> bool:
    """True if the match at ``start`` is in the message's final sentence and that sentence
    states it as now (verify29 V2): an ``end_scene`` word in it (…楼下有人拿刀砍人，现在还在砍;
    …我老婆突然倒在地上叫不醒了), or for ``wish`` a 我 a few characters before the match
    (…我真的想死); no ``past`` word in the sentence (去年，楼下有个小孩掉进河里了)."""
    lo, hi = sentence_of(text, start, start + 1)
    if not _TRAILING.fullmatch(text, hi):
        return False
    # …我们都很担心他，昨天晚上又说他想死: someone's words, told last (stop 29); only a past
    # word of long ago in its own clause (去年他说过想死) dates them.
    if wish and said_wish(text, rubric, start) and not any_in(text, rubric.calmed):
        ignore = said_wish_ignores(rubric)
        return not any(w in clause_around(text, start) for w in rubric.past if w not in ignore)
    final = text[lo:]
    if any_in(final, rubric.past):
        return False
    if wish and "我" in clause_before(text, start, _WISH_REACH):
        return True
    return any_in(final, rubric.end_scene)


_SAID_REACH = 6
"""How far before a wish to die its speech word may stand (他经常说想死, 又说他不想活了)."""


def said_wish(text: str, rubric: Rubric, start: int) -> bool:
    """True if the expression at ``start`` is told as someone's words: a ``[modifiers]
    wish_said`` word (说, 念叨, 嚷着) a few characters before it in its clause (他经常说想死,
    昨天晚上又说他想死, 她老念叨活着没意思). Read only for ``risk_spares`` families."""
    words = modifier_lists(rubric).wish_said
    return bool(words) and any_in(clause_before(text, start, _SAID_REACH), words)


def said_wish_ignores(rubric: Rubric) -> frozenset[str]:
    """The past words that do not date a wish told as someone's words: habits (经常, 总是)
    and words of lately (昨天, 这几天): the talk is the person's state now (stop 29)."""
    return frozenset((*rubric.habit, *modifier_lists(rubric).lately))


_NEARLY_REACH = 6
"""How far before a harm its near-miss word may stand (差点就被车撞了)."""


def nearly_at(text: str, rubric: Rubric, fam: Family, start: int) -> bool:
    """True if the harm at ``start`` was only nearly suffered (trial 29 P4).

    小孩玩的时候差点受伤, 刚才差点被车撞: a ``near_miss`` word (差点, 险些) a few characters
    before it in its clause, for a family of ``near_miss_families`` (injury, collapse,
    water, fire). Self-harm and violence are never softened so.
    """
    if fam.name not in rubric.near_miss_families:
        return False
    before = clause_before(text, start, _NEARLY_REACH)
    return any(w in before for w in rubric.near_miss)


def tells_near_miss(text: str, rubric: Rubric) -> bool:
    """True if the text tells a harm nearly suffered (a ``near_miss`` word: 差点, 险些).

    The learned model reads 着火, 掉进河里 in 电线短路差点着火了 as it does in a fire or
    a drowning; in such a text the rubric found nothing it raises nothing above medium
    (:mod:`nlp.severity`).
    """
    return any_in(text, rubric.near_miss)


def animal_subject(text: str, rubric: Rubric, start: int) -> bool:
    """True if an animal (``animals``: 猫, 狗) is the subject just before ``start`` in
    its clause: 我家猫从二楼阳台跳下去了 is no person harming themselves."""
    return any(w in clause_before(text, start, 10) for w in rubric.animals)


def doubts_media(text: str, rubric: Rubric) -> bool:
    """True if the text asks whether something seen in the media or heard is real (a
    ``doubted`` word and a ``media`` word: 抖音上那个说要跳楼的视频是真的吗): the writer
    did not see the danger."""
    return any_in(text, rubric.doubted) and any_in(text, rubric.media)


def asks_what_if(text: str, rubric: Rubric) -> bool:
    """True if the text asks what to do if something happened (a ``hypothesis`` word and
    an ``asked`` word: 假如电梯突然坠落，里面的人该怎么自救): a safety question."""
    return any_in(text, rubric.hypothesis) and any_in(text, rubric.asked)


def _feared(text: str, rubric: Rubric, start: int) -> bool:
    """True if the text fears or asks about a danger rather than tells one.

    * a hypothesis (``hypothesis``: 如果, 假如, 要是) before it in its clause, in a
      text that asks what to do (``asked``: 应该做什么, 怎么办, 如何自救):
      如果家里着火了，第一步应该做什么？;
    * a text that says nothing has happened (``no_incident``: 还没出过事) and fears
      it (a ``risk`` word: 万一, 后果不堪设想): 屋顶也塌了一半…还没出过事，但是万一哪天塌了.
    """
    before = clause_before(text, start, 12)
    if any(w in before for w in rubric.hypothesis) and any_in(text, rubric.asked):
        return True
    return fears_only(text, rubric)


def fears_only(text: str, rubric: Rubric) -> bool:
    """True if the text says nothing has happened (``no_incident``: 还没出过事) and
    fears it (a ``risk`` word: 就怕, 万一): a hazard, whatever danger words it holds."""
    return any_in(text, rubric.no_incident) and any_in(text, rubric.risk)


_CATEGORY_REACH = 12
"""How far after a ``category_of`` word its ``category_kind`` word may stand."""


def names_category(text: str, rubric: Rubric, start: int) -> bool:
    """True if the sentence around ``start`` names a kind of case or its office
    (持刀伤人属治安刑事案件，应由公安分局处置): a ``category_of`` word followed, within
    a few characters of the sentence, by a ``category_kind`` word. It tells no event."""
    lo, hi = sentence_of(text, start, start + 1)
    return names_a_category(text[lo:hi], rubric)


def names_a_category(sentence: str, rubric: Rubric) -> bool:
    """True if ``sentence`` (or a whole text) names a kind of case or its office
    (see :func:`names_category`)."""
    for word in rubric.category_of:
        p = sentence.find(word)
        while p >= 0:
            reach = sentence[p + len(word) : p + len(word) + _CATEGORY_REACH]
            if any(k in reach for k in rubric.category_kind):
                return True
            p = sentence.find(word, p + 1)
    return False


_PREVENTS = re.compile(r"防|避免")
# A rubric's ``risk`` words split once: those of prevention (read before the danger) and
# the others (read in its clause), keyed by the tuple's identity.
_RISK_SPLIT: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _risk_split(risk: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``risk``'s words of prevention and its other words (each in ``risk``'s order)."""
    hit = _RISK_SPLIT.get(id(risk))
    if hit is None or hit[0] is not risk:
        prevents = tuple(w for w in risk if _PREVENTS.search(w))
        others = tuple(w for w in risk if not _PREVENTS.search(w))
        if len(_RISK_SPLIT) > 8:
            _RISK_SPLIT.clear()
        hit = _RISK_SPLIT[id(risk)] = (risk, prevents, others)
    return hit[1], hit[2]


def background_of(text: str, rubric: Rubric, fam: Family, start: int, words: list[str]) -> str:
    """``"risk"``, ``"letter"``, ``"told"`` or ``""``: see :attr:`Match.background`.

    A danger told now is short and says so (隔壁着火了, 有人拿刀砍人); a long
    letter to an office recounts an old accident, argues that a hazard must be
    removed or tells a long-standing problem, and one danger word in it is no
    danger now unless its own clause says it is happening (``[letters] now``:
    现在, 正在, 刚才). This holds for the families of danger to life (those with
    emergency numbers or critical) and the letter families of ``[letters]
    families`` (安全隐患); collective action (上访, 拉横幅, 越级) keeps its level
    in a letter, as a group's grievance is what such a letter tells.
    Self-harm words (``risk_spares``) keep their level in a letter (a threat to
    oneself in any wording stays a warning sign) unless the sentence dates them
    (2018年4月24日晚…轻生), but give no line there (``"told"``); a self-harm
    combo spread over a letter's clause (坐在 … 阳台上观景) is read like any
    other family.
    """
    clause = clause_around(text, start)
    spared = fam.name in rubric.risk_spares
    # 持刀伤人属治安刑事案件: a danger family named as a kind of case (a letter's
    # collective words keep their level: 此事属于…职责，我们将集体上访).
    danger = bool(fam.services) or fam.level == "critical"
    if danger and not spared and names_category(text, rubric, start):
        return "risk"
    # A word of prevention (防止, 防范, 避免) counts only before the danger it names (要防止着火):
    # 着火了怎么防止火势蔓延 asks from inside a danger told before it (review 32 S1).
    before = clause_before(text, start, 60)
    prevents, others = _risk_split(rubric.risk)
    risky = any_in(before, prevents) or any_in(clause, others)
    if not spared and (risky or _feared(text, rubric, start)):
        return "risk"
    # 抖音上那个说要跳楼的视频是真的吗: a story seen or heard, asked about; self-harm
    # keeps its level but gets no line.
    if (danger or fam.now_level) and doubts_media(text, rubric):
        return "told" if spared else "risk"
    if letter_now(text, rubric, start, spared):
        return ""
    if not (fam.services or fam.level == "critical" or fam.name in rubric.letter_families):
        return ""
    if spared and any("…" not in w for w in words):
        lo, hi = sentence_of(text, start, start + 1)
        return "letter" if _DATE.search(text, lo, hi) else "told"
    return "letter"


def fun_or_fiction(text: str, rub: Rubric) -> bool:
    """Whether ``text`` is fun or fiction (笑死, 那部电影最后…, 电视剧) with no word of now.

    A strong now word (正在, 快来) or a present word (现在, 此刻) says a danger in it is
    happening all the same: 我在家看电视剧，对面楼现在着火了.
    """
    return any_in(text, rub.unserious) and not any_in(text, (*rub.strong_now, *rub.present))
