"""Danger now: which emergency number a message needs before anything else.

A citizen who writes 隔壁着火了 or 有人落水了，快来人 must first read the
emergency number, in one short line, before any room, bureau or office
hours. :func:`detect` finds such messages with the rubric's families that
name ``services`` (``config/severity.toml``): self-harm, violence, injuries,
fights, fire, water, collapse, poisoning and cries for help. A family found
only in a past sentence (去年, 上个月 ...) is no danger now; look-alikes
(火锅店, 跳槽, 打架子鼓, 上吊顶, 落水管, 着火点) are excluded by the families.

Pure functions: no I/O beyond loading the rubric once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.background import (
    asks_what_if,
    doubts_media,
    fears_only,
    fun_or_fiction,
    is_letter,
    names_a_category,
)
from nlp.clause_time import past_told
from nlp.clauses import SENTENCE_ENDS
from nlp.danger import DangerModel, Scored, default_model
from nlp.danger_owner import cry_exclaimed, danger_now, only_imagined
from nlp.families import Match, animal_scene, match_families
from nlp.family_index import any_in
from nlp.frame_scope import frame_tells_none
from nlp.home_violence import told_as_habit
from nlp.look_alikes import text_looks_alike
from nlp.model_evidence import cold_only
from nlp.normalize import THING_EMOJI, danger_text
from nlp.retraction import said_back
from nlp.rubric import default_rubric
from nlp.rubric_model import LEVELS, SERVICES, Rubric
from nlp.rubric_modifiers import modifier_lists
from nlp.severity import assess_normalized, danger_scores

__all__ = [
    "DV_HOTLINE",
    "SAFETY_HINT",
    "SMS_NUMBER",
    "Emergency",
    "detect",
    "emergency_line",
    "emoji_services",
    "safety_hint",
]

SMS_NUMBER = "12110"
"""The national SMS alarm number (for those who cannot speak on the phone)."""

DV_HOTLINE = "12338"
"""The All-China Women's Federation rights hotline (妇女维权公益服务热线), for violence at home.

It is no emergency number (office hours vary by province): the line names it *after* 110, as
the place for help beyond the police's visit (a protection order, shelter, legal aid)."""


SAFETY_HINT = f"⚠️ 如正在遭受暴力，请立即拨打 110；不便通话可发短信至 {SMS_NUMBER}。"
"""The one-line safety hint shown before the rest of the reply to violence at home told as a
habit (stop 30, :func:`safety_hint`): not the emergency line — nothing says it is happening now —
but what to do when it does."""


def safety_hint(text: str, rubric: Rubric | None = None) -> str | None:
    """:data:`SAFETY_HINT` for a message that tells violence at home as a habit with no sign
    of now (我老公天天喝酒打我…我不敢回家了, 他经常打我: :func:`nlp.home_violence.told_as_habit`),
    else ``None``; never beside an emergency line (:func:`detect`), which says more.

    >>> safety_hint("他经常打我") == SAFETY_HINT
    True
    >>> safety_hint("他正在打我") is None
    True
    """
    rub = rubric if rubric is not None else default_rubric()
    norm = danger_text(text)
    if not norm or detect(text, rub) is not None:
        return None
    matches, _ = match_families(norm, rub)
    return SAFETY_HINT if told_as_habit(norm, rub, matches) is not None else None


def emergency_line(services: tuple[str, ...], hotline: str = "") -> str:
    """The one short line shown first, in Simplified Chinese.

    >>> emergency_line(("119",))
    '⚠️ 情况紧急，请立即拨打 119（火警）；不便通话可发短信至 12110。'
    >>> emergency_line(("110",), DV_HOTLINE)[-24:]
    '遭受家庭暴力也可拨打妇女维权热线 12338。'
    """
    numbers = "、".join(f"{n}（{SERVICES[n]}）" for n in services)
    line = f"⚠️ 情况紧急，请立即拨打 {numbers}；不便通话可发短信至 {SMS_NUMBER}。"
    if hotline == DV_HOTLINE:
        line += f"遭受家庭暴力也可拨打妇女维权热线 {DV_HOTLINE}。"
    return line


#: The number the word of a thing emoji points to (:data:`nlp.normalize.THING_EMOJI`).
_EMOJI_NEEDS = {"火": "119", "血": "120", "药": "120", "刀": "110", "枪": "110", "炸弹": "110"}


def emoji_services(text: str) -> tuple[str, ...]:
    """The emergency numbers the thing emoji of ``text`` point to, in the order written.

    For a text too bare to read (an officer's ``/warn 🔥🔥🔥``, trial 30 #20): the answer
    that asks for words can still name the number to call.

    >>> emoji_services("\U0001f525\U0001f525\U0001f525")
    ('119',)
    >>> emoji_services("\U0001fa78\U0001f52a \U0001f525")
    ('120', '110', '119')
    >>> emoji_services("你好")
    ()
    """
    found: list[str] = []
    for char in text:
        word = THING_EMOJI.get(char)
        number = _EMOJI_NEEDS.get(word or "")
        if number is not None and number not in found:
            found.append(number)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Emergency:
    """A message that describes danger now.

    Attributes:
        kind: The rubric family that matched first (``fire``, ``self_harm`` ...).
        label: Its Chinese name (火警, 自伤自杀 ...).
        services: Numbers to call, the most relevant first (110 / 119 / 120).
        words: The expressions that showed the danger.
        level: The message's severity level by the rubric; at least ``high``.
        sms: The SMS alarm number.
        hotline: :data:`DV_HOTLINE` for violence at home (named after the
            emergency numbers), else empty.
    """

    kind: str
    label: str
    services: tuple[str, ...]
    words: tuple[str, ...]
    level: str
    sms: str = SMS_NUMBER
    hotline: str = ""

    @property
    def line(self) -> str:
        """The emergency line to show before anything else."""
        return emergency_line(self.services, self.hotline)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "label": self.label,
            "services": list(self.services),
            "sms": self.sms,
            "hotline": self.hotline,
            "words": list(self.words),
            "level": self.level,
            "line": self.line,
        }


#: The numbers a learned service head names, in the order preferred on a tie.
_SERVICE_HEADS = (("s110", "110"), ("s120", "120"), ("s119", "119"))


def _learned_services(scored: Scored) -> list[str]:
    """The numbers whose service head fires; the best-scoring one if none does."""
    fired = [n for head, n in _SERVICE_HEADS if head in scored.fired]
    if fired:
        return fired
    best = max(_SERVICE_HEADS, key=lambda hn: scored.scores.get(hn[0], float("-inf")))
    return [best[1]]


def detect(
    text: str,
    rubric: Rubric | None = None,
    *,
    learned: bool = True,
    model: DangerModel | None = None,
) -> Emergency | None:
    """Return the emergency a message describes, or ``None``.

    The rubric's families decide first; when none of them finds danger now,
    the learned model's ``danger`` head may (kind ``danger``, label
    危险情况, the numbers of its service heads, the n-grams behind it as
    words). When both find it, the numbers the model adds follow the
    rubric's.

    Args:
        text: The raw message (simplified or traditional).
        rubric: The rubric; ``None`` for the packaged one.
        learned: Apply the learned model (``False``: the rubric alone).
        model: The model; ``None`` for the packaged ``config/danger_model.json``.

    Returns:
        The emergency (kind, numbers, words, level), or ``None`` when the
        message describes no danger now.
    """
    rub = rubric if rubric is not None else default_rubric()
    norm = danger_text(text)
    if not norm:
        return None
    # 开玩笑的, 没事了, 虚惊一场: the writer takes the danger back, whatever
    # else the message says (救命啊这个月工资又扣了 开玩笑的).
    if any_in(said_back(norm, rub), rub.retracted):
        return None
    # 笑死 我家猫卡进纸箱里出不来了, 那部电影最后主角掉河里了: fun or fiction.
    if fun_or_fiction(norm, rub):
        return None
    matches, _ = match_families(norm, rub)
    rank = {level: i for i, level in enumerate(LEVELS)}
    aftermath = any_in(norm, rub.aftermath)

    # A family with numbers, not a rumour, not over; 救命啊 这个表格怎么填 is an
    # exclamation (the same test gives a danger its owner: nlp.danger_owner).
    dangers = danger_now(norm, rub, matches)
    # 想提前学一下, 要是有人…该怎么劝, 一问才知道是工地放炮: a frame that tells no danger now
    # (stop 31, nlp.frames).
    if frame_tells_none(norm, rub, dangers):
        return None
    # 快来人啊！我家狗生了五只小狗😂: a bare cry for help with a laugh (read on the raw text:
    # the normalised one has no emoji) is an exclamation (stop 31).
    cries = all(m.family.name == "distress" for m in dangers)
    if dangers and cries and any_in(text, rub.unserious):
        return None
    danger_model = (model or default_model()) if learned else None
    scored = danger_scores(norm, rub, danger_model) if danger_model else None
    # The model reads words, not time: a message about the past or an
    # aftermath (去年, 工伤, 救助) is no danger now for it unless a strong
    # now word (正在, 快来, 救命) is written too.
    then = aftermath or past_told(norm, rub)
    # 网传化工园区要爆炸 让赶紧撤: a rumour, whatever words of haste it repeats.
    rumour = any_in(norm, rub.hearsay)
    # 有人在河滩上烧废轮胎 黑烟呛得人直咳嗽: a complaint about a nuisance.
    # 房东把我的东西扔出去了，还换了锁: a civil dispute, for mediation.
    then = then or any_in(norm, rub.nuisance) or any_in(norm, rub.civil) or any_in(norm, rub.play)
    then = then or any_in(norm, rub.idle)
    # 房贷压得我喘不过气, 儿子玩吃鸡游戏 枪声很大: a figure, a game (stop 29, nlp.look_alikes).
    then = then or text_looks_alike(norm, rub)
    # A long letter tells its story: the model's n-grams of danger in it are
    # background too (nlp.families), unless a strong now word is written.
    then = then or is_letter(norm, rub)
    # 我家猫从二楼阳台跳下去了: an animal's jump is no person's danger; 假如着火了该怎么
    # 逃生: a safety question (nlp.families).
    then = then or animal_scene(norm, rub) or asks_what_if(norm, rub) or fears_only(norm, rub)
    # 持刀伤人属治安刑事案件，应由公安分局处置: a kind of case named, no event told.
    then = then or names_a_category(norm, rub)
    # 电动车在楼道里充电迟早会着火, 就怕哪天出事: a harm feared or foretold (a `risk` word),
    # not told; the families read it clause by clause, the model has no clauses (stop 29).
    then = then or any_in(norm, rub.risk)
    # 马路上有个大坑，已经摔倒好几个人了: harms counted as suffered from a standing hazard, a
    # request to remove it (trial 30 #7); the model's words of harm are those past falls.
    then = then or any_in(norm, modifier_lists(rub).past_harms)
    # 班里好几个孩子感冒发烧, 一家三口都感冒了: a common cold with no grave sign (issue 13,
    # safety35); the model's words are those of the disease clusters it learnt.
    then = then or cold_only(norm, rub)
    # 抖音上那个说要跳楼的视频是真的吗: a story seen or heard, asked about.
    then = then or doubts_media(norm, rub)
    # 老公一喝酒就打我: violence at home told as a habit (stop 30, nlp.home_violence).
    then = then or told_as_habit(norm, rub, matches) is not None
    # 王者荣耀输了，快来人啊: a bare cry made an exclamation by a game; its own words (快来, 救命)
    # are no strong now word for the model (stop 32, as the severity: nlp.danger_owner).
    exclaimed_cry = cry_exclaimed(norm, rub, matches)
    model_says = (
        scored is not None
        and "danger" in scored.fired
        and (not then or any_in(norm, rub.strong_now))
        and not exclaimed_cry
        and not rumour
        # 刚才梦见隔壁着火了: a dream or a fear, whatever word of now tells it (stop 28).
        and not only_imagined(norm, rub)
    )
    if not dangers:
        if scored is None or not model_says:
            # 我要反映一下道路问题，路面坑坑洼洼很多年了。今天早上一个骑电动车的摔进坑里，
            # 腿断了，人还躺在那里: the request's words drown the model's reading of the
            # sentence that tells danger now. Nothing in the message makes it past or
            # unreal, so each sentence is read on its own: the danger wins wherever it is
            # (review left34 #4).
            if scored is None or then or rumour or exclaimed_cry or only_imagined(norm, rub):
                return None
            return _danger_in_a_sentence(text, rub, model)
        # 鬼屋里突然冲出来个人 救命哈哈哈: a laugh beside a bare cry makes the cry an exclamation
        # for the model too, whose only word of now it was (stop 32, i13oo).
        if any_in(text, rub.unserious) and not _now_beyond_cries(norm, rub):
            return None
        level = assess_normalized(norm, rub, learned=learned, model=model).level
        if rank[level] < rank["high"]:
            level = "high"
        return Emergency(
            "danger",
            "危险情况",
            tuple(_learned_services(scored)),
            scored.reasons("danger"),
            level,
        )
    # The most serious family first; among equals one that names a need before a bare cry
    # for help (救命 邻居家起火了: the fire's 119 first, trial 30 #9), then the one written first.
    needless = modifier_lists(rub).needless
    dangers.sort(
        key=lambda m: (
            -rank[m.family.now_level or m.family.level],
            m.family.name in needless,
            m.start,
        )
    )
    first = dangers[0]
    services: list[str] = []
    words: list[str] = []
    for m in dangers:
        services.extend(n for n in m.family.services if n not in services)
        words.extend(w for w in m.words if w not in words)
    if scored is not None and model_says:
        services.extend(n for n in _learned_services(scored) if n not in services)
    level = assess_normalized(norm, rub, learned=learned, model=model).level
    if rank[level] < rank["high"]:
        level = "high"
    return Emergency(
        first.family.name,
        first.family.label,
        tuple(services),
        tuple(words),
        level,
        hotline=DV_HOTLINE if _at_home(norm, rub, dangers) else "",
    )


#: Where a message's sentences end (nlp.clauses.SENTENCE_ENDS).
_SENTENCES = re.compile("[" + re.escape(SENTENCE_ENDS) + "]+")


#: The shortest sentence read on its own: the learned model reads whole messages, and a
#: fragment of a few words (手机突然响了一下) is no story it can tell danger in.
_MIN_SENTENCE = 12


def _danger_in_a_sentence(text: str, rub: Rubric, model: DangerModel | None) -> Emergency | None:
    """The danger now one sentence of a message of several tells, read on its own
    (:func:`detect`, the model included), the first found; ``None`` for one sentence.
    Only a message of two sentences or more of :data:`_MIN_SENTENCE` letters is read so,
    and only those sentences: a message that tells two things (a request, then danger
    now), not one told after a greeting (在吗？…)."""
    sentences = [
        s for s in _SENTENCES.split(text) if sum(ch.isalnum() for ch in s) >= _MIN_SENTENCE
    ]
    if len(sentences) < 2:
        return None
    for sentence in sentences:
        found = detect(sentence, rub, model=model)
        if found is not None:
            return found
    return None


def _now_beyond_cries(norm: str, rub: Rubric) -> bool:
    """True if ``norm`` holds a strong now word that is no cry for help of the ``distress``
    family (救命, 快来人 are cries; 正在, 刚才 are not)."""
    cries = tuple(w for fam in rub.families if fam.name == "distress" for w in fam.words)
    return any(w in norm and not any(w in cry for cry in cries) for w in rub.strong_now)


def _at_home(norm: str, rub: Rubric, dangers: list[Match]) -> bool:
    """True if violence now is told of a partner or a relative (老公拿皮带抽我, 我被家暴了):
    a family of ``[modifiers] domestic_families`` among the dangers and a ``domestic`` word."""
    lists = modifier_lists(rub)
    return any(m.family.name in lists.domestic_families for m in dangers) and any_in(
        norm, lists.domestic
    )
