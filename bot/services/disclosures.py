"""Private disclosures and the gist of a self-harm danger (split out of
:mod:`bot.services.triage` at stop 30).

Whose words a card may carry: self-harm told as happening now, violence at home and sexual
assault are read only by the reporter, the owning unit and the dispatcher desk; everyone else
reads a summary that keeps the urgency and the kind (:func:`self_harm_gist`).
"""

from __future__ import annotations

import re

from bot.services.triage import TAKEN_RE, danger_words
from nlp.danger_owner import danger_now
from nlp.families import SELF_HARM, match_families
from nlp.normalize import danger_text
from nlp.rubric import default_rubric

__all__ = [
    "DOMESTIC",
    "GIST_ACCIDENT",
    "GIST_TAKEN",
    "GIST_THREAT",
    "SEXUAL",
    "disclosure_kind",
    "self_harm_gist",
]


#: Family members and partners whose blows make a domestic-violence disclosure.
_KIN = (
    r"(?:老公|丈夫|男人|前夫|男朋友|男友|对象|老婆|妻子|媳妇|前妻|女朋友|婆婆|公公|岳父|岳母"
    r"|继父|继母|后爸|后妈|我爸|我妈|爸爸|父亲|儿子|儿媳|女婿)"
)
#: Domestic violence (trial 29 V7): 家暴, 打老婆, or a family member who hits the writer.
_DOMESTIC_RE = re.compile(
    r"家暴|家庭暴力|虐童|打老婆|打媳妇|打妻子|打老公"
    rf"|{_KIN}[^，。！？,.!?\n]{{0,10}}(?:打我|打了我|揍我|踢我|掐我|打得我|把我打|对我动手|拿刀砍我)"
    rf"|被{_KIN}[^，。！？,.!?\n]{{0,4}}(?:打|揍|踢|掐|砍)"
)
#: Sexual assault and harassment (trial 29 V7).
_SEXUAL_RE = re.compile(r"强奸|强暴|性侵|猥亵|迷奸|轮奸|性骚扰|非礼")

#: Families of a crowd: self-harm threatened among them is a mass incident (verify 29 V7).
_CROWD_FAMILIES = frozenset({"collective", "gathering", "blocking"})

#: The kinds of disclosure whose words only those who handle the case read: the
#: self-harm family's name (:data:`nlp.families.SELF_HARM`), and these two.
DOMESTIC = "domestic"
SEXUAL = "sexual"


def disclosure_kind(text: str) -> str | None:
    """The kind of private disclosure ``text`` makes, whoever makes it (trial 29 V7).

    :data:`~nlp.families.SELF_HARM`: any self-harm the rubric reads as happening now — the writer's
    own, a parent's report of a child's threat, an officer's warning about a
    villager; :data:`DOMESTIC`: violence by a partner or a family member; ``sexual``:
    sexual assault or harassment. Only the reporter, the owning unit and the
    dispatcher desk read such words (:meth:`~bot.services.cases.permissions.
    CasePermissions.sees_disclosure`); every other holder of the card reads a summary.
    """
    norm = danger_words(text)
    rubric = default_rubric()
    if any(m.family.name == SELF_HARM for m in danger_now(norm, rubric)):
        # 三百多名工人围堵区政府大门，有人扬言要跳楼: a threat made in a crowd is a
        # public mass incident the leadership must read, not a private disclosure.
        crowd = match_families(norm, rubric)[0]
        if not any(m.family.name in _CROWD_FAMILIES for m in crowd):
            return SELF_HARM
    bare = danger_text(text)
    if _SEXUAL_RE.search(bare):
        return SEXUAL
    if _DOMESTIC_RE.search(bare):
        return DOMESTIC
    return None


#: A substance swallowed (an overdose, a poison) in a self-harm family's text.
_SUBSTANCE_RE = re.compile(r"药|毒|敌敌畏|百草枯|鼠药|安眠")
#: Taken by mistake: an accident, not self-harm (奶奶误吃了老鼠药: trial 30 #5).
_ACCIDENT_RE = re.compile(r"误(?:吃|服|食|喝|吞)|(?:吃|喝)错|不小心(?:吃|喝|吞)")

#: The gists of a self-harm family's danger that a summary reader is told (trial 30 #5).
GIST_ACCIDENT = "accident"
GIST_TAKEN = "taken"
GIST_THREAT = "threat"


def self_harm_gist(text: str) -> str:
    """What a self-harm family's danger in ``text`` is, for a summary that keeps its urgency.

    :data:`GIST_ACCIDENT`: a drug or poison swallowed by mistake (奶奶误吃了老鼠药), no
    self-harm; :data:`GIST_TAKEN`: one already swallowed (我妈吃了一整瓶安眠药，叫不醒了,
    我爸刚才喝了农药) — an overdose or a poisoning, whatever its intent;
    :data:`GIST_THREAT`: a life at risk by the person's own hand, not yet done or done
    otherwise (我不想活了，今晚就从楼上跳下去, 楼顶有个人坐在边上，好像要跳, 说要喝农药).
    """
    bare = danger_words(text)
    if _SUBSTANCE_RE.search(bare) is None:
        return GIST_THREAT
    if _ACCIDENT_RE.search(bare):
        return GIST_ACCIDENT
    return GIST_TAKEN if TAKEN_RE.search(bare) else GIST_THREAT
