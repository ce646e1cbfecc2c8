"""A bystander's emergency and charcoal fumes met by accident: the line with what to do.

A bystander reporting someone else at risk (trial 28 P3) reads the line and what to do
until help comes; charcoal fumes met by accident (stop 35 D4) read the carbon-monoxide
advice, 120 first. Split out of :mod:`bot.services.triage`, which uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.at_risk import at_risk
from nlp.emergency import Emergency, emergency_line
from nlp.families import SELF_HARM
from nlp.normalize import danger_text

__all__ = [
    "BYSTANDER_ADVICE",
    "BYSTANDER_HURT_ADVICE",
    "BYSTANDER_OVERDOSE_ADVICE",
    "FUMES",
    "FUMES_ADVICE",
    "SELF_HARM_LABEL",
    "BystanderEmergency",
    "fumes_reading",
]


@dataclass(frozen=True, slots=True)
class BystanderEmergency(Emergency):
    """Someone else about to harm themselves, reported by a bystander (trial 28 P3).

    The line says what to do besides calling: stay, keep the person in sight, talk.
    """

    advice: str = ""

    @property
    def line(self) -> str:
        """The emergency line, then what the reporter can do until help comes."""
        return f"{emergency_line(self.services)}\n{self.advice}"


#: What a bystander can do for someone about to jump until the police come.
BYSTANDER_ADVICE = (
    "报警后请在确保自身安全的前提下留在现场，让对方一直在您的视线内，"
    "尽量平静地和对方说话、不要刺激对方，等待民警到场。"
)
#: For someone already hurt: stay with them until the ambulance and the police come.
BYSTANDER_HURT_ADVICE = (
    "打完电话请在确保自身安全的前提下陪在对方身边，不要让对方一个人待着，等待救护人员和民警到场。"
)
#: For someone who has swallowed medicine or a poison (a relative's overdose): a medical
#: emergency, 120 first; what first aid asks of a layman until the ambulance comes (pf31 #6).
BYSTANDER_OVERDOSE_ADVICE = (
    "这是急症，请先拨打120，按急救调度员的指导做。打完电话请陪在对方身边，不要让对方一个人待着；"
    "把药瓶、药盒或农药瓶留好交给急救人员；不要自行催吐或喂水；"
    "如果对方昏睡叫不醒但还有呼吸，让其侧躺，等待救护人员到场。"
)

#: Carbon monoxide from charcoal or a coal stove burnt indoors (我爸在家烧炭取暖，现在叫不醒了,
#: stop 35 D4): an accident, 120 first; the caller must not stay in the room with the fumes.
FUMES_ADVICE = (
    "这可能是一氧化碳中毒：请立即开窗通风，把人移到空气新鲜处，您自己也不要留在屋内；"
    "不要在屋内点火或开关电器。请拨打120，等待救护人员到场。"
)
#: The fumes family's kind (config/severity.toml ``families.fumes``, branch safety35).
FUMES = "fumes"
#: Charcoal or a coal stove burnt to keep warm or to cook: the fumes of an accident.
_HEATING_RE = re.compile(
    r"取暖|烤火|炭火|炭盆|火盆|煤炉|煤球炉|蜂窝煤|生炉子|烧煤|炉子|暖和|做饭|烧烤|火锅"
)
#: A wish to die told beside the charcoal: self-harm, whatever the charcoal was for.
_WISH_RE = re.compile(
    r"不想活|想死|去死|自杀|轻生|寻死|活不下去|活着没意思|一了百了|遗书|遗言|结束生命|了结"
    r"|活够|不活了|死了算了|解脱|永别|告别"
)
#: The room sealed, sleep that does not end, a car: charcoal burnt to die (review 35d F2).
_SEALED_RE = re.compile(
    r"门缝|窗缝|胶带|封[了住上好死]?门|封[了住上好死]?窗|门窗[都也]?(?:封|关好|关紧|关死)"
    r"|关[好紧死]了?门窗|堵[住上死了]|睡过去|不会醒|不想醒|醒不过来吧|永远睡|一睡不醒|长眠"
    r"|车里|车内|车上"
)
#: Someone overcome by the fumes (the fumes family's second words, config/severity.toml).
_OVERCOME_RE = re.compile(
    r"晕倒|晕过去|晕了|昏过去|昏迷|叫不醒|喊不醒|叫不应|喊不应|不省人事|人事不省|醒不过来"
    r"|没反应|口吐白沫|倒在地上|倒在床上|没呼吸|没气了"
)
#: The self-harm family's name (config/severity.toml ``families.self_harm``).
SELF_HARM_LABEL = "自伤自杀"


def _accident(text: str, found: Emergency) -> bool:
    """Whether ``found``'s charcoal fumes were met by accident (review 35d F2).

    Only someone else found overcome (我爸在家烧炭取暖，现在叫不醒了) with no wish to die,
    no sealed room, no sleep that does not end and no car told: charcoal burnt by the
    writer (我在家烧炭取暖，想就这样睡过去) stays self-harm. When in doubt, self-harm.
    """
    bare = danger_text(text)
    if _WISH_RE.search(bare) is not None or _SEALED_RE.search(bare) is not None:
        return False
    who = at_risk(text)
    if found.kind == FUMES:  # the family already names someone overcome by the fumes
        return who != "self"
    return (
        found.kind == SELF_HARM
        and who == "other"
        and "炭" in bare
        and _HEATING_RE.search(bare) is not None
        and _OVERCOME_RE.search(bare) is not None
    )


def fumes_reading(text: str, found: Emergency) -> Emergency | None:
    """``found`` as carbon-monoxide poisoning when the charcoal was an accident, or ``None``.

    The fumes family (kind :data:`FUMES`) is one, and so is a self-harm read of charcoal
    burnt to keep warm by someone else now overcome, only when :func:`_accident` says so.
    120 first, then 110.
    """
    if found.kind not in (FUMES, SELF_HARM) or not _accident(text, found):
        return None
    rest = tuple(n for n in found.services if n not in ("120", "110"))
    return BystanderEmergency(
        FUMES,
        "一氧化碳中毒",
        ("120", "110", *rest),
        found.words,
        found.level,
        found.sms,
        advice=FUMES_ADVICE,
    )
