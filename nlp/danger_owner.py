"""Who owns a danger now: the rubric family's bureau, not the topic's words.

A fire next door is the fire brigade's and the police's matter whatever
words describe it (隔壁, 浓烟, 很大 are labour-bureau words for the keyword
model); a person on a roof is not the planning bureau's because the message
says 小区 and 楼顶. Each family of the rubric (``config/severity.toml``) may
name an owning ``bureau`` (``police`` for violence, self-harm, a missing
person, fire, water, being trapped; ``health`` for poisoning and disease
clusters, and since stop 30 for a self-harm told as a poison swallowed; a cry
for help or a collapse names none: see ``docs/severity.md``).
When a message is critical and
one of its families is a danger *now* (the same test as the emergency line,
:func:`danger_now`), :func:`owner` names that family and its bureau, and
:func:`nlp.classify.classify` routes to it with the family named first in
the explanation.

When several such families are found, one that calls the police (110 in its
``services``) owns the message: 我儿子被人打了，现在在医院抢救 is an assault
(the police's) with an injury (the hospital's), not a health-bureau matter.
Otherwise the most serious family, and among equals the first written.

Pure functions: no I/O beyond the rubric and lexicon already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.background import fun_or_fiction
from nlp.clause_time import past_told
from nlp.clauses import clause_around, sentence_of
from nlp.families import SELF_HARM, Match, match_families
from nlp.family_index import any_in, found_in
from nlp.home_violence import told_as_habit
from nlp.lexicon import BUREAUS
from nlp.retraction import said_back
from nlp.rubric import default_rubric
from nlp.rubric_model import LEVELS, Rubric
from nlp.rubric_modifiers import aftermath_text, modifier_lists
from nlp.rubric_modifiers import exclaimed as exclaimed_text

__all__ = [
    "DangerOwner",
    "asked_after",
    "claim_over",
    "cry_exclaimed",
    "danger_now",
    "home_owner",
    "lives_at_risk",
    "only_imagined",
    "owner",
]


@dataclass(frozen=True, slots=True)
class DangerOwner:
    """The family that owns a message's danger now, and its bureau.

    Attributes:
        family: The family id (``fire``, ``violence`` ...).
        label: Its Chinese name (火警, 暴力伤害 ...).
        room: The room of ``bureau``.
        bureau: The owning bureau id.
        words: The expressions of the danger-now families, owner's first.
    """

    family: str
    label: str
    room: str
    bureau: str
    words: tuple[str, ...]


def danger_now(norm: str, rub: Rubric, matches: list[Match] | None = None) -> list[Match]:
    """The families of a normalised text that are a danger now (emergency numbers).

    The test of the emergency line (:func:`nlp.emergency.detect`): a family
    with ``services``, not a rumour, not past or after the event unless a
    strong now word is in its clause (an aftermath word reaches
    no clause told in the present: ``present``); nothing when the writer takes it back
    (开玩笑的), laughs or tells a film (unless a strong now word), and no bare
    cry for help beside a form or the weather (救命啊这天也太热了吧).
    """
    if any(w in said_back(norm, rub) for w in rub.retracted):
        return []
    if fun_or_fiction(norm, rub):
        return []
    if matches is None:
        matches, _ = match_families(norm, rub)
    # 羊水破了 还没到预产期: a birth too early tells no aftermath (stop 28).
    after_norm = aftermath_text(norm, rub)
    aftermath = any(w in after_norm for w in rub.aftermath)
    # 摔下来受伤了，包工头一直不给钱 / 昏迷了，医院不承认是医疗事故: a harm told with
    # a claim or dispute about it (`claim` with `claim_since`) is an aftermath of
    # that harm (`claim_harm`: an injury), not of a fight or a fire told beside it.
    disputed = bool(_told(norm, rub.claim)) and bool(_told(norm, rub.claim_since))
    # 快来人啊！我家狗生了五只小狗😂: a laugh beside a bare cry makes it an exclamation too
    # (stop 31).
    exclaimed = exclaimed_text(norm, rub)

    def now(m: Match) -> bool:
        clause = _clauses_of(norm, m)
        return any(w in clause for w in rub.strong_now)

    def after_the_event(m: Match) -> bool:
        # 前夫一直不给抚养费。现在他拿着刀在砸门: an aftermath word in another sentence
        # does not reach a danger whose own clause is told in the present (现在, 目前)
        # in a sentence with no past word (老伴去年中风，现在半边身子不能动 is a
        # condition, not an event) and no aftermath word (现在还在申请赔偿).
        start = m.start
        clause = _clauses_of(norm, m)
        lo, hi = sentence_of(norm, start, start + 1)
        sentence = norm[lo:hi]
        return (
            not any(w in clause for w in rub.present)
            or any(w in after_norm[lo:hi] for w in rub.aftermath)
            or any(w in sentence for w in rub.past)
        )

    return [
        m
        for m in matches
        if m.family.services
        and not m.hearsay
        and not m.background
        and (
            not (
                m.past
                or (
                    (aftermath or (disputed and m.family.name in rub.claim_harm))
                    and after_the_event(m)
                )
            )
            or now(m)
        )
        and not (exclaimed and m.family.name == "distress")
    ]


def cry_exclaimed(norm: str, rub: Rubric, matches: list[Match] | None = None) -> bool:
    """True if a normalised text's only danger is a bare cry for help made an exclamation by a
    game, a form or a laugh beside it (王者荣耀输了，救命啊; 打王者又被虐了，快来人啊), and no word
    of now is written but the cry's own (救命 and 快来 are ``strong_now`` words too).

    Stop 32: the rubric rated such a text low with no line, the learned model raised it to
    critical (or gave the line) on the cry's n-grams; a dispatcher wants neither, so the model
    does not override it either (:func:`nlp.severity.assess_severity`,
    :func:`nlp.emergency.detect`).
    """
    if matches is None:
        matches, _ = match_families(norm, rub)
    if not any(m.family.name == "distress" for m in matches) or danger_now(norm, rub, matches):
        return False
    if not exclaimed_text(norm, rub):
        return False
    cries = [w for fam in rub.families if fam.name == "distress" for w in fam.words]
    bare = norm
    for word in sorted(cries, key=len, reverse=True):
        bare = bare.replace(word, "_")
    return not any_in(bare, rub.strong_now)


def _clauses_of(norm: str, m: Match) -> str:
    """The clauses a match spans: a combo may run from one clause into the next
    (张某拎了一桶汽油到前妻家楼下，正往一楼楼道里泼: the pouring, told in the present, is in
    the second), and the time of its last clause is the time of the act (stop 30)."""
    clause = clause_around(norm, m.start)
    end = m.start
    for part in m.word.split("…"):
        at = norm.find(part, end)
        if at < 0:
            break
        end = at + len(part)
    last = clause_around(norm, max(m.start, end - 1))
    return clause if last == clause else clause + "，" + last


def claim_over(norm: str, rub: Rubric) -> tuple[str, ...]:
    """The claim words of a normalised text that asks money for a harm that is over.

    去年在厂里出了工伤，手指断了两根，到现在赔偿还没给: a ``claim`` word (赔偿, 工伤,
    医药费), time gone by (a ``claim_since`` word such as 到现在, 至今, 迟迟, or a
    ``past`` word), no strong now word and no word of today (``[letters] today``),
    no self-harm, no danger now (:func:`danger_now`) and every danger family
    found in the past: a labour or traffic dispute, not a life at risk. Empty
    when the text is not such a claim.
    """
    claims = _told(norm, rub.claim)
    if not claims or any(w in norm for w in rub.strong_now):
        return ()
    if not _told(norm, (*rub.claim_since, *rub.past)):
        return ()
    # 今天下午…两名村民头部受伤流血…补偿款至今未到位: today's harm is no claim.
    if any(w in norm for w in rub.letter_today):
        return ()
    matches, _ = match_families(norm, rub)
    if any(m.family.name == SELF_HARM for m in matches) or danger_now(norm, rub, matches):
        return ()
    # Every danger the text tells is past (前年出了车祸), or a harm told done
    # (`claim_harm`: 工人从脚手架上摔下来受伤了，老板不给赔偿) with no danger now:
    # only then is it over. A fire, a fight or a person trapped told without a
    # past word is still a danger whatever money is asked.
    if any(
        m.family.services and not m.past and m.family.name not in rub.claim_harm for m in matches
    ):
        return ()
    return claims


def asked_after(norm: str, rub: Rubric) -> tuple[str, ...]:
    """The asking words of a normalised text that asks about a danger that is over.

    上个月家里着火烧光了，有没有什么救急的钱; 儿子前年车祸走了，失独家庭的扶助去哪申请: every
    danger family of the text (with emergency numbers, or critical) is told in the past, none
    is self-harm, no strong now word, no word of today, nothing begun lately or still going
    on (``lately``: 昨晚, 前天; ``ongoing``: 还没, 还在, 到现在), no danger now, and the writer asks
    (``[modifiers] asks``: 有没有, 怎么, 能不能, 请问 …, read by :mod:`nlp.rubric_modifiers`): a
    request about an event over, at most medium (stop 28, probes O and P). Empty otherwise.
    """
    lists = modifier_lists(rub)
    asking = found_in(norm, lists.asks)
    if not asking:
        return ()
    return tuple(asking) if _over(norm, rub) else ()


def retold(norm: str, rub: Rubric) -> tuple[str, ...]:
    """The past words of a normalised text that retells a danger over, asking nothing.

    那天晚上楼下着火了; 有一次小孩掉进河里了; 前几年有一回厂里着火了 (stop 29): every danger
    family is told in the past, as for :func:`asked_after` (none is self-harm, nothing begun
    lately or still going on, no strong now word, no word of today, no danger now), though the
    writer asks nothing: an event over is no life at risk now, at most medium. Empty otherwise.
    """
    # 有个故事讲一个人被困在井里，现在我邻居真的掉井里了: a story marker with the real told after
    # it retells nothing (review 34b F3).
    if not _over(norm, rub) or not past_told(norm, rub):
        return ()
    # The story is told back from its start: a past word before every danger in its sentence
    # (当年 after the danger — 他在街上拿着一把刀，说要找当年举报他的邻居 — dates another thing).
    matches, _ = match_families(norm, rub)
    for m in matches:
        if m.family.services or m.family.level == "critical":
            lo, _ = sentence_of(norm, m.start, m.start + 1)
            if not any_in(norm[lo : m.start], rub.past):
                return ()
    return tuple(w for w in rub.past if w in norm)


def _over(norm: str, rub: Rubric) -> bool:
    """True if every danger of ``norm`` is told over (see :func:`asked_after`), and there is one."""
    lists = modifier_lists(rub)
    if any_in(norm, rub.strong_now) or any_in(norm, rub.letter_today):
        return False
    # 昨晚孩子掉进河里了 到现在还没找到 怎么办; 前天吃了野蘑菇 一家人上吐下泻: a danger begun
    # lately or still going on is not over, whatever the past word.
    if any_in(norm, lists.lately) or any_in(norm, lists.ongoing):
        return False
    matches, _ = match_families(norm, rub)
    dangers = [m for m in matches if m.family.services or m.family.level == "critical"]
    if not dangers or any(m.family.name in rub.risk_spares for m in dangers):
        return False
    # 打架被打伤了，要做伤情鉴定: a harm told done (`claim_harm`) beside an aftermath word
    # is over as much as one told in the past.
    after = any_in(aftermath_text(norm, rub), rub.aftermath)
    # 老公出车祸住院欠了十几万…有没有临时救助: a harm whose victim is in hospital care
    # (`in_care`: 住院, 做了手术) beside an aftermath word is over too (stop 29, probe R), for
    # the families of `in_care_families` (an accident, an injury, an illness).
    cared = after and any_in(norm, lists.in_care)
    # A danger below critical not told now (打架 after the fight) makes nothing critical.
    if any(
        m.now
        or (
            m.family.level == "critical"
            and not m.past
            and not (after and m.family.name in rub.claim_harm)
            and not (cared and m.family.name in lists.in_care_families)
        )
        for m in dangers
    ):
        return False
    return not danger_now(norm, rub, matches)


def only_imagined(norm: str, rub: Rubric) -> bool:
    """True if every danger family of ``norm`` (with emergency numbers, or critical) is
    feared or imagined in its clause (a ``risk`` word: 隐患, 万一, and since stop 28 a dream:
    刚才梦见隔壁着火了), and there is one: the learned model's danger words are the same
    fear or dream, no event (it raises no higher than medium and gives no line)."""
    matches, _ = match_families(norm, rub)
    dangers = [m for m in matches if m.family.services or m.family.level == "critical"]
    return bool(dangers) and all(m.background == "risk" for m in dangers)


def _told(norm: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The ``words`` found in ``norm`` other than as a condition: 不给钱就往下蹦,
    不给钱他就睡在工地 threaten an act (就 right after), they claim nothing."""
    found = []
    for w in words:
        at = norm.find(w)
        while at >= 0 and "就" in norm[at + len(w) : at + len(w) + 3]:
            at = norm.find(w, at + 1)
        if at >= 0:
            found.append(w)
    return tuple(found)


_ROOM_OF = {b: room for room, bureaus in BUREAUS.items() for b in bureaus}


def owner(norm: str, rubric: Rubric | None = None) -> DangerOwner | None:
    """The family and bureau that own a normalised text's danger now, or ``None``.

    Only families that name a known ``bureau`` count; the caller decides
    whether the message is critical enough (:func:`nlp.classify.classify`
    asks only for critical messages).
    """
    rub = rubric if rubric is not None else default_rubric()
    rank = {level: i for i, level in enumerate(LEVELS)}
    found = danger_now(norm, rub)
    owned = [m for m in found if m.family.bureau in _ROOM_OF]
    if not owned:
        return None

    def level(m: Match) -> int:
        return rank[m.family.now_level if m.now and m.family.now_level else m.family.level]

    owned.sort(key=lambda m: ("110" not in m.family.services, -level(m), m.start))
    first = owned[0]
    bureau = first.family.bureau or ""
    words = list(first.words)
    for m in found:
        words.extend(w for w in m.words if w not in words)
    fam = first.family
    if fam.name == SELF_HARM and _poisoning(first, found, rub):
        bureau = "health"
    return DangerOwner(fam.name, fam.label, _ROOM_OF[bureau], bureau, tuple(words))


def lives_at_risk(norm: str, rubric: Rubric | None = None) -> bool:
    """True if a normalised text that tells danger now puts a person's life at risk.

    A family of ``[modifiers] life_families`` is a danger now (an injury, an illness, a
    poisoning, a person in the water or caught: 几个工人晕倒了, 呛得人喘不过气), or a word
    of ``life_words`` tells a person caught or hit (违建倒塌有人被埋, 脚手架倒塌压住了两个工人,
    塔吊倒了砸到了下面的工人). A thing's danger with nobody named (围墙倒塌了, 煤气味, 水管爆了)
    is not. The caller asks only of a text that tells danger now (:func:`nlp.emergency.detect`):
    the words are read in the whole text, as the learned model may have found the danger.
    """
    rub = rubric if rubric is not None else default_rubric()
    lists = modifier_lists(rub)
    if any(m.family.name in lists.life_families for m in danger_now(norm, rub)):
        return True
    return any_in(norm, lists.life_words)


def home_owner(norm: str, rubric: Rubric | None = None) -> DangerOwner | None:
    """The family and bureau of violence at home told as a habit (stop 30:
    :func:`nlp.home_violence.told_as_habit`; 我老公天天喝酒打我 is the police's), or ``None``."""
    rub = rubric if rubric is not None else default_rubric()
    matches, _ = match_families(norm, rub)
    found = told_as_habit(norm, rub, matches)
    if found is None or found.family.bureau not in _ROOM_OF:
        return None
    fam = found.family
    bureau = fam.bureau or ""
    return DangerOwner(fam.name, fam.label, _ROOM_OF[bureau], bureau, found.words)


def _poisoning(harm: Match, found: list[Match], rub: Rubric) -> bool:
    """True if a self-harm is a poison or medicine swallowed (我把一瓶药都吃了, 我妈喝了农药):
    each of its expressions names a poison (``[modifiers] poison_words``), one names
    swallowing (``swallow_words``), and no other family that calls the police is told
    (violence, a crime; a bare cry for help, ``needless``, is none). A poisoning or an
    overdose is the health bureau's, with 120 first, whoever tells it (trial 30 #18)."""
    lists = modifier_lists(rub)
    if not lists.poison_words or not harm.words:
        return False
    if not all(any_in(w, lists.poison_words) for w in harm.words):
        return False
    if not any(any_in(w, lists.swallow_words) for w in harm.words):
        return False
    return not any(
        m.family.name != SELF_HARM
        and m.family.name not in lists.needless
        and "110" in m.family.services
        for m in found
    )
