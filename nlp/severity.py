"""Severity of a warning or message by the district's written rubric.

The rubric (``config/severity.toml``, :mod:`nlp.rubric`, ``docs/severity.md``)
defines the levels, the families of expressions, the head-count thresholds
and the collective-visit size. The level is the highest of: the level of
every family found (its ``now_level`` when it happens now), the level reached
by the largest head count written in the text (三十多名, 百余户, 上百名),
and the collective level when 5 or more people act together. Urgency words
(明天, 正在, 现场 ...) raise a level of at least ``urgency_bump_from`` by one
step, never above ``urgency_bump_max``.

The assessment carries the words that set the level (:attr:`Severity.reasons`)
so an officer sees why: "定级依据：割腕、流血".

The rubric's own level is :func:`nlp.rubric_level.rubric_assessment` (re-exported
here); this module raises it by the learned model (:mod:`nlp.danger`), keeps the
last answers, and masks look-alikes for the model. It depends on the rubric's
modules and :mod:`nlp.danger`; :mod:`nlp.classify` calls it, never the reverse.
"""

from __future__ import annotations

import re

from nlp.background import (
    asks_what_if,
    doubts_media,
    fears_only,
    is_letter,
    named_spans,
    names_a_category,
    tells_near_miss,
)
from nlp.danger import DangerModel, Scored, default_model
from nlp.danger_owner import asked_after, claim_over, cry_exclaimed, only_imagined, retold
from nlp.families import animal_scene, match_families
from nlp.family_index import any_in, trie_pattern
from nlp.headcount import parse_head_count
from nlp.home_violence import HOME_HABIT, told_as_habit
from nlp.letter_model import raise_letter
from nlp.look_alikes import text_looks_alike
from nlp.model_evidence import model_may_rate_critical
from nlp.normalize import danger_text
from nlp.office_letter import office_letter, tells_danger_now
from nlp.reasons import whole_expressions
from nlp.retraction import said_back
from nlp.rubric import default_rubric
from nlp.rubric_level import HEARSAY_MAX, Severity, rubric_assessment
from nlp.rubric_model import LEVELS, Rubric
from nlp.rubric_modifiers import modifier_lists
from nlp.textcache import TextCache

__all__ = [
    "LEVELS",
    "Severity",
    "assess_normalized",
    "assess_severity",
    "danger_scores",
    "mask_look_alikes",
    "parse_head_count",
    "rubric_assessment",
]


def assess_normalized(
    text: str,
    rubric: Rubric | None = None,
    *,
    learned: bool = True,
    model: DangerModel | None = None,
) -> Severity:
    """Assess severity from an already normalised text.

    The level is the rubric's, raised (never lowered) to the highest level
    whose head of the learned model (:mod:`nlp.danger`) fires — ``high``
    only when the rubric already sees at least medium (:data:`RAISES_FROM`);
    the reasons are then the n-grams
    that pushed that head up, and ``families`` ends with ``"model"``.

    Args:
        text: Normalised text (see :func:`nlp.normalize.normalize`).
        rubric: The rubric; ``None`` for the packaged one.
        learned: Apply the learned model (``False``: the rubric alone).
        model: The model; ``None`` for the packaged ``config/danger_model.json``.

    Returns:
        The severity.
    """
    rub = rubric if rubric is not None else default_rubric()
    danger = (model or default_model()) if learned else None
    hit = _ASSESSED.get(text, rub, danger)
    if hit is not None:
        return hit
    assessed = _assess(text, rub, danger)
    _ASSESSED.put(text, rub, danger, value=assessed)
    return assessed


_ASSESSED: TextCache[Severity] = TextCache()
_SCORED: TextCache[Scored] = TextCache()


def danger_scores(text: str, rubric: Rubric, model: DangerModel) -> Scored:
    """The learned model's scores of a normalised text on every head (look-alikes masked).

    Kept for the last few texts: emergency detection scores a message on every
    head and the severity of the same message reads those scores again.
    """
    hit = _SCORED.get(text, rubric, model)
    if hit is None:
        hit = model.score(mask_look_alikes(text, rubric))
        _SCORED.put(text, rubric, model, value=hit)
    return hit


def _assess(text: str, rub: Rubric, danger: DangerModel | None) -> Severity:
    """:func:`assess_normalized` of a text not assessed lately."""
    # 我老公天天喝酒打我…我不敢回家了: violence at home told as a habit is high (stop 30,
    # the lead's decision, nlp.home_violence): neither raised to critical by the model nor
    # lowered as a fight over; another danger (我不想活了) still sets its own level.
    home = not is_letter(text, rub) and told_as_habit(text, rub, match_families(text, rub)[0])
    found = _raised(text, rub, danger, home=bool(home))
    if home and found.level == "high":
        return found.set_to("high", found.reasons, HOME_HABIT)
    # 去年…出了工伤，手指断了两根，到现在赔偿还没给: money asked for a harm that is
    # over is a dispute (at most medium), whatever injury words the rubric or the
    # model read in it (nlp.danger_owner.claim_over).
    if found.level == "critical":
        # 上个月家里着火烧光了，有没有什么救急的钱: a question about a danger that is over
        # (nlp.danger_owner.asked_after, stop 28) is a request, at most medium, like a claim.
        # 那天晚上楼下着火了: a danger retold, asking nothing (stop 29); a letter's level is the
        # letter rules' and the letter model's (nlp.letters, nlp.letter_model), not this.
        letter = is_letter(text, rub)
        claims = (
            claim_over(text, rub) or asked_after(text, rub) or (() if letter else retold(text, rub))
        )
        if claims:
            # 几十个工人…受伤…不给赔偿: a group's claim is collective (high at most).
            group = any(f in ("collective", "headcount") for f in found.families)
            return found.set_to("high" if group else "medium", claims, "claim")
    # 他揍我儿子的事派出所已经处理了，想问问赔偿: a fight or a crime over, asked about (stop 29),
    # is a request as a critical danger over is; not beside a group acting (high by itself), nor
    # violence at home (老公喝完酒就打我…这不是第一次: it comes back, and worse).
    if (
        found.level == "high"
        and not is_letter(text, rub)
        and not any(f in _GROUP_FAMILIES for f in found.families)
        and not any_in(text, modifier_lists(rub).partners)
    ):
        claims = asked_after(text, rub) or retold(text, rub)
        if claims:
            return found.set_to("medium", claims, "claim")
    return found


_GROUP_FAMILIES = frozenset(
    {"collective", "headcount", "gathering", "blocking", "escalation", "online_call", "model"}
)


def _raised(text: str, rub: Rubric, danger: DangerModel | None, *, home: bool = False) -> Severity:
    """The rubric's level of a text, raised by the learned model where it may; ``home``:
    violence at home told as a habit, which the model does not raise to critical unless a
    strong now word is written (stop 30)."""
    found = rubric_assessment(text, rub)
    # A long letter (nlp.background.is_letter) is not raised by the danger model: the
    # model learnt from messages of at most about 100 characters, and over a
    # 400-character complaint its n-grams add up to any level by their number
    # (医院, 马路, 液化气, 维权 ...): 1,067 of 2,389 real letters rated low by the
    # rubric were raised to medium, 141 to high and 6 to critical. (Asked first:
    # none of the checks below matters to a letter.) Stop 27: a letter's own learnt
    # model (nlp.letter_model, trained on real letters) may raise it to high, naming
    # the words that did; the rubric alone (learned=False) is no learnt model at all.
    if is_letter(text, rub):
        return found if danger is None else raise_letter(text, rub, found)
    # 上周割腕那个小伙子已经出院，情绪基本稳定: past self-harm told calm again is a person to
    # visit (medium, nlp.rubric_level); the model reads the old act's words (割腕), not that
    # it is over (stop 28).
    if "calmed" in found.families:
        return found
    # 王者荣耀输了，救命啊: a bare cry made an exclamation by a game beside it is low with no
    # line; the model's n-grams of the cry (救命) raise it no more than the rubric (stop 32).
    if "distress" in found.families and cry_exclaimed(text, rub):
        return found
    # A text the rubric finds settled (调解好了, 处理完了, 发发牢骚) is not raised:
    # the writer says the matter is over.
    if danger is None or (
        found.level == "low"
        and (
            any_in(said_back(text, rub), rub.settled)
            or any_in(said_back(text, rub), rub.retracted)
            or any_in(text, rub.unserious)
        )
    ):
        return found
    rank = {level: i for i, level in enumerate(LEVELS)}
    # Only the heads that could raise this level are scored: none above critical.
    now = rank[found.level]
    # 网传…要爆炸: the model reads the event's words, not that it is a story going
    # round; after a rumour word it raises no higher than a rumour's level.
    heads = tuple(h for h in _SEVERITY_HEADS if rank[h] > now >= rank[RAISES_FROM[h]])
    # 二十多人参加包饺子活动: the rubric read the head count as people at a pastime; the
    # model's head-count n-grams (二十, 多人) are no evidence either, only a danger to life.
    # 已有几百人签名 (an online petition, stop 28): the people counted signed, nobody goes;
    # likewise only a danger to life raises it.
    if "pastime" in found.families or "petition" in found.families:
        heads = tuple(h for h in heads if h == "critical")
    if (
        heads
        and rank[heads[0]] > rank[HEARSAY_MAX]
        and (any_in(text, rub.hearsay) or doubts_media(text, rub))
    ):
        heads = tuple(h for h in heads if rank[h] <= rank[HEARSAY_MAX])
    # A nuisance or an ordinary complaint (太吵, 挡住阳光, 施工许可): its topic words
    # (塔吊, 河边) are no life at risk now (product trial D9), as for the emergency line.
    if (
        heads
        and heads[0] == "critical"
        and any_in(text, rub.nuisance)
        and not any_in(text, rub.strong_now)
    ):
        heads = heads[1:]
    # 房东把我的东西扔出去了: a civil dispute the rubric finds nothing in is raised
    # to medium at most (a dispute), never to an alert.
    # 孩子把玩具车推进车库了: play (玩具, 积木) is the same: the model's topic
    # words (车库) are no danger; the rubric's families still are (吞了玩具上的磁铁).
    # 我家猫从二楼阳台跳下去了: an animal's jump (nlp.families.animal_scene) likewise.
    # 假如电梯突然坠落，该怎么自救: a safety question (nlp.families.asks_what_if) too,
    # and a hazard feared (还没出过事，就怕哪天塌了: nlp.families.fears_only).
    if (
        found.level == "low"
        and (
            any_in(text, rub.civil)
            or any_in(text, rub.play)
            or any_in(text, rub.idle)
            or animal_scene(text, rub)
            or asks_what_if(text, rub)
            # 电线短路差点着火了: a harm nearly suffered (trial 29 P4).
            or tells_near_miss(text, rub)
        )
    ) or (
        rank[found.level] <= rank["medium"]
        and (
            fears_only(text, rub)
            or only_imagined(text, rub)
            # 马路上有个大坑，已经摔倒好几个人了: past harms from a hazard (trial 30 #7).
            or (any_in(text, modifier_lists(rub).past_harms) and not any_in(text, rub.strong_now))
        )
    ):
        heads = tuple(h for h in heads if h == "medium")
    # 持刀伤人属治安刑事案件，应由公安分局处置: a text naming a kind of case tells no
    # event; the model's n-grams of it (持刀, 伤人) raise nothing.
    if names_a_category(text, rub):
        return found
    # 房贷压得我喘不过气, 烫伤后急救到底要不要涂牙膏: a figure, a game or a first-aid question
    # (nlp.look_alikes, stop 29); the model's n-grams are the look-alike's words.
    if text_looks_alike(text, rub) and not any_in(text, rub.strong_now):
        return found
    # 电镀厂的水排到河里 下游河水都发绿了: with no rubric family, the model alone rates
    # critical only a text naming a person, now or a harm (nlp.model_evidence, stop 28).
    if heads and heads[0] == "critical" and not model_may_rate_critical(text, rub, found.families):
        heads = heads[1:]
    if heads and heads[0] == "critical" and home and not any_in(text, rub.strong_now):
        heads = heads[1:]
    if not heads:
        return found
    # 楼顶装了个信号塔: the critical head learnt critical against the lower warnings,
    # so the topic words of dangers set on roofs, rivers and walls (楼顶, 河里, 外墙)
    # were evidence to it; it raises only a text its ``unlike_request`` head (critical
    # warnings against ordinary requests, stop 27) takes for no ordinary request.
    vetoes = "critical" in heads and VETO_HEAD in danger.names
    scoring = (*heads, VETO_HEAD) if vetoes else heads
    # Scores on every head, when emergency detection has read this text, give the
    # same scores and reasons on these heads as scoring these heads alone.
    scored = _SCORED.get(text, rub, danger)
    if scored is not None:
        fired = scored.fired.intersection(scoring)
    else:
        scored = danger.score(mask_look_alikes(text, rub), scoring)
        fired = scored.fired
    # The head's score below its threshold vetoes; the sum of its n-grams need not be
    # positive (a head *fires* on positive evidence only: here evidence is needed to veto).
    if vetoes and scored.scores[VETO_HEAD] < danger.head(VETO_HEAD).threshold:
        fired = fired - {"critical"}
    # 请问何时开通天然气, 出租车过年乱收费, 请问灵活就业人员能否续缴社保: a request
    # or complaint to an office the rubric finds nothing in; the heads read its
    # topics (天然气, 车, 社保), so the model raises it to no level. A short letter to an
    # office told by its form (a headline, a salutation: nlp.office_letter, stop 34) likewise,
    # unless a strong now word tells of now or hurry (尊敬的领导：…煤气管道破了，现在正在
    # 往外冒气，请马上派人来).
    if not found.families and any_in(text, rub.request):
        return found
    # Review 34a F4: safety is asymmetric, so the form never blocks a text that tells of now,
    # imminence, people at risk or self-harm (书记：您好，沼气池有人掉进去了，下去救的人也倒了;
    # 尊敬的领导：我实在撑不下去了), nor one whose ``danger`` head fires as for emergency
    # detection (nlp.emergency: 喊了半天没反应，门从里面反锁了).
    if (
        not found.families
        and not any_in(text, rub.strong_now)
        and office_letter(text) is not None
        and not tells_danger_now(text)
        and "danger" not in danger_scores(text, rub, danger).fired
    ):
        return found
    for level in ("critical", "high", "medium"):
        if level in fired:
            if rank[found.level] < rank[RAISES_FROM[level]]:
                continue
            if rank[level] > rank[found.level]:
                # The n-grams that pushed the head (车过, 过不) shown as the clauses that
                # hold them (现在车过不去), as the rubric's words are (nlp.reasons).
                reasons = whole_expressions(text, scored.reasons(level)) or found.reasons
                return found.set_to(level, reasons, "model")
            break
    return found


_SEVERITY_HEADS = ("critical", "high", "medium")
VETO_HEAD = "unlike_request"
"""The head without which the ``critical`` head raises nothing (:mod:`nlp.danger`)."""
RAISES_FROM = {"critical": "low", "high": "medium", "medium": "low"}
"""The lowest rubric level each head may raise from.

The ``high`` head learns topics as much as collective action (拖欠工资 is in
most collective wage warnings), so from nothing it would rate
公司拖欠工资三个月了 high and put a routine complaint in the alert queue; it
raises only what the rubric already sees as medium. ``critical`` (life at
risk) and ``medium`` raise from any level. (Stop 23 tried ``high`` from any
level with the larger training data: leave-one-set-out it under-rated 6 rather
than 14 of train13b's 320 warnings, but 公司拖欠工资三个月了 and
老板拖欠我两个月工资 came out high, so it stays.)
"""


def mask_look_alikes(text: str, rubric: Rubric | None = None) -> str:
    """The text the learned model reads: every family's look-alike blanked out.

    上吊顶, 落水管, 跳楼价, 打架子鼓 (the families' ``exclude``) become a
    separator, so the model cannot take 上吊 or 落水 from them either: a
    district that adds a look-alike in TOML fixes the model too.
    """
    rub = rubric if rubric is not None else default_rubric()
    # 那家“刀客”火锅店, 《烈火英雄》: a name or a title is no evidence either (stop 27).
    # Names given with 叫 (stop 32) are read by the families only: the model keeps the masks it
    # was trained with (its n-grams of 爆炸鸡排 say no danger on their own).
    for start, end in reversed(named_spans(text, rub, unquoted=False)):
        text = text[:start] + "，" + text[end:]
    pattern = _look_alikes(rub)
    return pattern.sub("，", text) if pattern is not None else text


_LOOK_ALIKES: list[tuple[Rubric, re.Pattern[str] | None]] = []


def _look_alikes(rub: Rubric) -> re.Pattern[str] | None:
    """One pattern for every family's look-alikes, longest first (cached for the last rubric)."""
    if _LOOK_ALIKES and _LOOK_ALIKES[0][0] is rub:
        return _LOOK_ALIKES[0][1]
    # A trie of the words finds, at each place, the longest look-alike there, as
    # an alternation of them longest first does, without trying each in turn.
    words = {w for fam in rub.families for w in fam.exclude if w}
    pattern = re.compile(trie_pattern(words)) if words else None
    _LOOK_ALIKES[:] = [(rub, pattern)]
    return pattern


def assess_severity(
    text: str,
    rubric: Rubric | None = None,
    *,
    learned: bool = True,
    model: DangerModel | None = None,
) -> Severity:
    """Assess the severity of a warning or message.

    Args:
        text: Raw text (simplified or traditional).
        rubric: The rubric; ``None`` for the packaged ``config/severity.toml``.
        learned: Raise the rubric's level by the learned model (``False``: the rubric alone).
        model: The model; ``None`` for the packaged ``config/danger_model.json``.

    Returns:
        The severity (``low`` for an empty text).
    """
    # The classifier's bound (3000 characters after normalisation) and a long message's end.
    return assess_normalized(danger_text(text), rubric, learned=learned, model=model)
