"""Triage: what a free text is before any room, and the rules for changing a level.

Every channel a citizen writes through (Telegram, the web form, Open311) asks
:func:`triage` first:

* ``emergency`` — the text describes danger now (``nlp.emergency.detect``): the
  citizen reads the emergency line (110 / 119 / 120, 12110 by SMS) before
  anything else, and the case is filed at once as critical
  (:meth:`bot.services.cases.CaseService.file_request` checks the same rule
  itself, so no channel can file an emergency below critical);
* ``greeting`` / ``thanks`` / ``noise`` — not a request: a short friendly answer
  with the menu, never a room or a 提交 button (binary data and control characters are
  noise too: :mod:`bot.services.readable`);
* ``vague`` — too vague to route (我有个问题): one question back;
* ``request`` — everything else: "which office?" as before.

Danger wins over small talk: 你好，隔壁着火了 is an emergency.

For officers' warnings the rubric's level is a floor that only a reason can
lower when it is critical (:func:`check_level`): raising is free, lowering
a critical level needs a real reason (:data:`MIN_REASON_CHARS` meaningful
characters), recorded in the case's events, and can go no lower than
:data:`CRITICAL_FLOOR` (较大); the district is told of every lowered critical
warning (see docs/severity.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from bot.services.bystander import (
    BYSTANDER_ADVICE,
    BYSTANDER_HURT_ADVICE,
    BYSTANDER_OVERDOSE_ADVICE,
    FUMES,
    FUMES_ADVICE,
    SELF_HARM_LABEL,
    BystanderEmergency,
    fumes_reading,
)
from bot.services.readable import unreadable
from bot.services.routing import police_lead
from bot.services.warning_levels import (
    CRITICAL_FLOOR,
    LEVEL_RANK,
    MIN_REASON_CHARS,
    REASON_HELP,
    check_level,
    levels_allowed,
    lowest_level,
    needs_reason,
    reason_ok,
)
from nlp.at_risk import at_risk
from nlp.danger_owner import danger_now, lives_at_risk, owner
from nlp.emergency import Emergency, detect
from nlp.emergency import safety_hint as hint_of
from nlp.english_danger import read as read_english
from nlp.families import SELF_HARM
from nlp.intent import classify_intent
from nlp.intent_match import gibberish
from nlp.normalize import danger_text
from nlp.rubric import default_rubric
from nlp.service_question import about_service

__all__ = [
    "CRITICAL_FLOOR",
    "LEVEL_RANK",
    "LIFE_UNITS",
    "MIN_REASON_CHARS",
    "OTHER_AT_RISK",
    "REASON_HELP",
    "SELF_HARM",
    "SMALL_TALK",
    "Triage",
    "TriageKind",
    "check_level",
    "danger_now_owner",
    "emergency_of",
    "levels_allowed",
    "life_at_risk",
    "lowest_level",
    "needs_reason",
    "reason_ok",
    "safety_hint",
    "triage",
]

TriageKind = Literal["emergency", "greeting", "thanks", "noise", "help", "vague", "request"]

#: Kinds answered with a friendly word and the menu; ``help``: a question about the
#: service itself (你们是干什么的, 群众服务中心在哪里: stop 35 D14), answered, never filed.
SMALL_TALK: frozenset[str] = frozenset({"greeting", "thanks", "noise", "help"})


@dataclass(frozen=True, slots=True)
class Triage:
    """What a free text is.

    Attributes:
        kind: ``emergency``, ``greeting``, ``thanks``, ``noise``, ``vague`` or ``request``.
        emergency: The danger found (numbers, words, the line to show) for ``emergency``.
    """

    kind: TriageKind
    emergency: Emergency | None = None

    @property
    def small_talk(self) -> bool:
        """Greetings, thanks and noise: not a request at all."""
        return self.kind in SMALL_TALK


#: The emergency kind of a bystander's report of someone else about to harm themselves
#: (trial 28 P3): not ``self_harm``, so the reporter gets no crisis care.
OTHER_AT_RISK = "other_at_risk"

#: Words of a self-harm act already done or an injury: the ambulance too, and first.
_HURT_RE = re.compile(
    r"流血|出血|血|受伤|伤了|昏迷|不省人事|没反应|没有反应|没呼吸|没气|叫不醒|摔|掉下|跳下去了|跳下来了"
    r"|跳了下去|喝了|吞了|吃了|服了|割了|割腕|割脉|上吊了|吊着|农药|安眠药|敌敌畏|百草枯|服毒"
)


#: A substance already taken (吃了, 喝下, 吞了), or its effect (叫不醒): not a threat to
#: take it (also :func:`bot.services.disclosures.self_harm_gist`).
TAKEN_RE = re.compile(
    r"(?:吃|喝|吞|服)(?:了|下|掉|完)|叫不醒|昏迷|不省人事|口吐白沫"
    r"|(?:吃|喝|吞|服)[^，。！？,.!?\n]{0,8}(?:药|毒|鼠药|安眠)[^，。！？,.!?\n]{0,3}了"
)


def emergency_of(text: str) -> Emergency | None:
    """The danger now that ``text`` describes, or ``None``.

    Self-harm that the text tells of another person (楼顶有人要跳楼, 我看到一个小伙子…
    好像要跳河: :func:`nlp.at_risk.at_risk`) is a bystander's report: kind
    :data:`OTHER_AT_RISK`, 110 first (120 first when someone is already hurt), and a
    line that tells the reporter to stay and keep the person talking. The person who
    writes of harming themselves keeps ``self_harm`` and its crisis care.

    Danger written in English (fire, drowning, knife, help …: :mod:`nlp.english_danger`,
    trial 27 N17) is the danger its Chinese gloss names to the rubric (its family and
    level), its guessed line first (fire 119; drowning, an injury 120; else 110) and its
    English words as the why: every channel then files it as it files a Chinese danger.
    """
    found = detect(text)
    if found is not None:
        return _bystander(text, found)
    english = read_english(text)
    if english is None:
        return None
    glossed = detect(english.gloss)
    if glossed is None:  # pragma: no cover - every gloss is a danger to the rubric
        return Emergency("danger", "危险情况", (english.service,), english.words, "critical")
    services = (english.service, *(n for n in glossed.services if n != english.service))
    return replace(glossed, services=services, words=english.words)


def safety_hint(text: str) -> str | None:
    """The one line a citizen reads before the rest of the reply to ``text``, or ``None``.

    Violence at home told as a habit with no sign of now (我老公天天喝酒打我…我不敢回家了,
    他经常打我: stop 30, the lead's decision) is a high request for the police, not an
    emergency; the citizen is told first what to do when it happens (110, 12110 by SMS:
    :func:`nlp.emergency.safety_hint`). Never beside an emergency line, which says more.
    """
    if emergency_of(text) is not None:
        return None
    return hint_of(text)


def danger_words(text: str) -> str:
    """``text`` as the rubric reads it; danger written in English, as its Chinese gloss."""
    english = read_english(text)  # a regex first: the rubric runs again only for English
    if english is not None and detect(text) is None:
        return danger_text(english.gloss)
    return danger_text(text)


def _bystander(text: str, found: Emergency) -> Emergency:
    """``found`` as a bystander's report when its self-harm is another person's; charcoal
    fumes met by accident as carbon-monoxide poisoning
    (:func:`bot.services.bystander.fumes_reading`)."""
    fumes = fumes_reading(text, found)
    if fumes is not None:
        return fumes
    if found.kind == FUMES:  # charcoal with a wish to die, a sealed room, the writer's own
        found = replace(found, kind=SELF_HARM, label=SELF_HARM_LABEL)
    if found.kind != SELF_HARM or at_risk(text) != "other":
        return found
    bare = danger_text(text)
    hurt = _HURT_RE.search(bare) is not None
    # Charcoal burnt to die (我妈在屋里烧炭，门窗都封上了): the room is full of fumes,
    # the ambulance first as for the accident (review 35d F4a).
    charcoal = "炭" in bare
    services = ("120", "110") if hurt or charcoal else ("110",)
    rest = tuple(n for n in found.services if n not in services and n != "120")
    # 我妈吃了一整瓶安眠药，叫不醒: an overdose or a poisoning taken (the health bureau's
    # by the rubric, nlp.danger_owner) is a medical emergency: no 民警 in the advice.
    own = owner(danger_words(text))
    taken = own is not None and own.bureau == "health" and TAKEN_RE.search(bare) is not None
    advice = (
        BYSTANDER_OVERDOSE_ADVICE if taken else BYSTANDER_HURT_ADVICE if hurt else BYSTANDER_ADVICE
    )
    if charcoal:  # charcoal burnt to die: the room is full of fumes all the same
        advice = FUMES_ADVICE
    return BystanderEmergency(
        OTHER_AT_RISK,
        "有人欲轻生",
        (*services, *rest),
        found.words,
        found.level,
        found.sms,
        advice=advice,
    )


#: The bureau that answers for an emergency line when no rubric family names an
#: owner (:func:`danger_now_owner`): the health bureau (the 120 centre's) when the
#: ambulance is the first need — a person collapsed, an injury, people fainting from
#: a poisoning or smoke; the police (the 110/119 lines' unit in the district, who bring
#: the rescue and the cordon) for anything else — people buried or trapped under a
#: collapse (119 first), a child down a manhole (孩子掉进窨井里了), a flash flood, an
#: old neighbour who does not answer the door, a bare cry for help. Danger now never
#: waits at the dispatcher desk (trial 29 #2); the desk keeps a copy and can
#: re-dispatch when the police return it. The first of the case's lines that is
#: listed decides (120 before 110 for 我想自杀: the lines are in the rubric's order).
LINE_OWNERS: dict[str, str] = {"120": "health", "110": "police", "119": "police"}

#: The bureaus that can act on lives (the units of the emergency lines): a danger now with
#: a life at risk that a topic already gives one of them stays there (路口发生车祸，有人倒在地上
#: read as the police's); any other topic's bureau is regulatory and is informed instead.
LIFE_UNITS: frozenset[str] = frozenset(LINE_OWNERS.values())


def danger_owner_bureau(text: str) -> str | None:
    """The bureau of the rubric family that owns ``text``'s danger now, whatever its topic.

    :func:`nlp.danger_owner.owner`: the police for a fire, a knife, a jumper,
    water; the health bureau for a poisoning — even when the words also give a
    confident topic of another bureau (和平小区5栋 is an address, not a planning
    matter: trial 26 T1). ``None`` when no family names one.
    """
    own = owner(danger_words(text))
    return own.bureau if own is not None else None


def line_owner_bureau(emergency: Emergency) -> str | None:
    """The bureau of ``emergency``'s line (:data:`LINE_OWNERS`), or ``None``.

    For a danger no family owns and no topic routes (an old man collapsed:
    trial 26 T15; a child down a manhole: trial 29 #2), so that it does not wait
    at the dispatcher desk.
    """
    return next((LINE_OWNERS[s] for s in emergency.services if s in LINE_OWNERS), None)


def life_at_risk(text: str) -> bool:
    """Whether ``text``'s danger now puts a person's life at risk: someone hurt, trapped,
    buried, unconscious, in the water or fainting (:func:`nlp.danger_owner.lives_at_risk`),
    not only a thing (a wall cracking with nobody hurt, a gas smell, a pipe burst).
    Asked only of a text that tells danger now (:func:`emergency_of`)."""
    return lives_at_risk(danger_words(text))


def danger_now_owner(text: str, emergency: Emergency, topic: str | None = None) -> str | None:
    """The bureau that owns ``text``'s danger now over ``topic`` (the bureau the route gives
    it, if any), or ``None`` (the topic's).

    One rule for a citizen's request (Telegram, the web form, Open311) and an officer's
    warning (:meth:`bot.services.cases.intake.CaseIntake._plan_request`,
    :meth:`bot.services.cases.warning_intake.CaseWarningIntake._danger_route`):

    1. the danger family's bureau (:func:`danger_owner_bureau`: the police for a fire,
       a knife, water; the health bureau for a poisoning);
    2. else the line's (:func:`line_owner_bureau`) when 110 is first (violence or a
       crime now: trial 33 D3, :func:`bot.services.routing.police_lead`) or a life is at
       risk (:func:`life_at_risk`; the 119 line's, the police, whenever 119 is called: a
       rescue and a cordon for people buried or trapped, even after an ambulance's 120).
       A topic that is itself a unit that can act on lives (:data:`LIFE_UNITS`: the
       police, the health bureau) keeps it. The lead's decision (own35): **a life at
       risk now beats a regulatory topic.**
       违建倒塌有人被埋 is not 规划分局's, 脚手架倒塌压住了两个工人 not 建设局's,
       工厂排放黄色浓烟，呛得人喘不过气 not 环保局's: none of them can rescue, cordon or
       treat. The police (119: rescue and a cordon) or the health bureau (120 alone:
       people fainting, hurt) own it; the topic's bureau is informed at once
       (:func:`bot.services.routing.route_danger`) and acts on the cause (seals the site,
       stops the discharge);
    3. else ``None``: a thing's danger with nobody hurt (a wall about to fall, a gas smell
       in a routed topic) keeps a confident topic's route, and one that would wait at the
       desk goes to the line's bureau (:func:`bot.services.routing.route_danger`).
    """
    family = danger_owner_bureau(text)
    if family is not None:
        return family
    if police_lead(emergency):
        return line_owner_bureau(emergency)
    if topic not in LIFE_UNITS and life_at_risk(text):
        # People buried or trapped call the fire and rescue brigade (119) whatever line is
        # first (有人受伤了，被埋在废墟里: 120, 119): the 119 line's unit owns the rescue.
        return LINE_OWNERS["119"] if "119" in emergency.services else line_owner_bureau(emergency)
    return None


#: What ends a sentence, for :func:`danger_sentence`.
_SENTENCE_ENDS = "。！？!?；;\n"
#: What ends a clause, where a sentence is too long to quote whole.
_CLAUSE_ENDS = "，,、：:"


def danger_sentence(text: str, limit: int = 300) -> str | None:
    """The sentence of ``text`` that holds its danger-now words (the rubric's cue), or
    ``None`` when the text tells of no danger now or the words are not found as written.

    A long message whose danger comes late (4,300 characters about a 物业, then
    刚才三楼的老人家里着火了…) shows it first on a card cut to Telegram's limit
    (trial 29 #6). At most ``limit`` characters.
    """
    found = emergency_of(text)
    if found is None:
        return None
    for word in found.words:
        for part in word.split("…"):
            at = text.find(part) if part else -1
            if at < 0:
                continue
            start = max(text.rfind(c, 0, at) for c in _SENTENCE_ENDS) + 1
            ends = [j for c in _SENTENCE_ENDS if (j := text.find(c, at)) >= 0]
            end = min(ends) + 1 if ends else len(text)
            if end - start > limit:
                # A "sentence" of commas only (我们小区的物业管理很差， × 400, then
                # 现在三楼着火了，有人被困在里面！): it starts at the clause the words are in,
                # not at the message's start (trial 30 #2).
                start = max(start, max(text.rfind(c, 0, at) for c in _CLAUSE_ENDS) + 1)
            return text[start:end].strip()[:limit] or None
    return None


def is_self_harm(text: str) -> bool:
    """Whether ``text`` tells of self-harm now (the rubric's ``self_harm`` family).

    For where only the text is at hand (/status): such a case shows its reporter
    neither a deadline nor the station's note. The service itself tells a self-harm
    case by its ``registered`` event (``emergency = self_harm``, ``CasePublish._self_harm``).
    """
    norm = danger_words(text)
    if not any(m.family.name == SELF_HARM for m in danger_now(norm, default_rubric())):
        return False
    # 楼顶有人要跳楼: someone else is at risk; the reporter is a bystander (trial 28 P3).
    return at_risk(text) != "other"


#: Letters and digits beyond which small talk is not looked for (nlp.intent): a long
#: text is junk only by :func:`long_junk`.
LONG_JUNK_FROM = 40


def long_junk(text: str) -> bool:
    """A long text that names nothing: one key held (``x`` × 5000, 啊 × 300), a few keys
    repeated, or a run along the keyboard (trial 28 P7). Short junk is the intent
    reader's (:func:`nlp.intent.classify_intent`)."""
    core = "".join(ch for ch in text if ch.isalnum()).lower()
    if len(core) <= LONG_JUNK_FROM:
        return False
    return len(set(core)) <= 3 or (core.isascii() and gibberish(core))


def triage(text: str) -> Triage:
    """Tell an emergency, small talk, a vague opening and a request apart."""
    emergency = emergency_of(text)
    if emergency is not None:
        return Triage("emergency", emergency)
    if unreadable(text) or long_junk(text):  # binary data, control characters (T22)
        return Triage("noise")
    if about_service(text):
        return Triage("help")
    return Triage(classify_intent(text))
