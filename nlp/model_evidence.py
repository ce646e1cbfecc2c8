"""Evidence the learned model needs before it alone rates a message critical (issue 13, stop 28).

The danger model's ``critical`` head reads n-grams; on ordinary requests with no rubric
family it rated critical on topic words alone (醫院開的藥比外面藥房貴一倍 on 外面, 医院;
小区地下车库一下雨就积水 on 积水; 电镀厂的水排到河里 on 河里, 下游). A danger to life now
names someone at risk or says it is happening: so when the rubric found no family at all,
the model may raise to critical only a text that names a person (人 outside words such as
人行道, 人社, 申请人; ``[modifiers] persons``: 孩子, 工人, 她 …), says now or urgency
(``now``, ``present``, ``strong_now``, ``urgency``) or tells a harm to people or names one
(``[modifiers] harm_words``: 熏倒, 昏迷, 住院, 我被, 女生, 住户 …); and a habit (天天, 经常:
``[modifiers] habit``) with no now word and no harm is no danger now, whoever it names, nor is
a common cold named (``[modifiers] common_illness``: 感冒) with no grave sign or hospital
(``illness_grave``: 高烧, 抽搐, 住院; issue 13, safety35). Otherwise
the next head down may still raise it (medium).

Not tried as a whole rule at stop 27 (``docs/severity.md``: a rubric family, a now word or
the ``danger`` head cost criticals such as 女生坐到五楼护栏上 and 孩子掉化粪池里了, which
name a person); the person list is what keeps them.
"""

from __future__ import annotations

import re

from nlp.clause_time import past_told
from nlp.family_index import any_in
from nlp.rubric import Rubric
from nlp.rubric_modifiers import modifier_lists

__all__ = ["cold_only", "model_may_rate_critical"]

_NOT_PEOPLE = re.compile(
    "人行|人民|人社|人力|人工|人大|人口|人事|人才|人情|人均|人次|人防|人证|人脸|人身|人像|人气|人流量|"
    "法人|私人|个人信息|个人账户|个人所得|个人社保|本人|他人|出租人|承租人|申请人|联系人|代理人|责任人|负责人|人家|"
    # the writer's whereabouts (驾驶证丢了 人在外地能补吗; stop 29, probe R)
    "人在外地|人在外省|人在国外|人不在本地"
)
"""Words with 人 that name no one at risk (人行道, 人社局, 法人, 申请人)."""


_OWN_HOME = re.compile("自己家|自己的家|自家")


def _PAST_FIRST(text: str, rub: Rubric) -> bool:
    """True if the text opens with a past word (上礼拜孩子发烧去儿科等了四个钟头; stop 29): a
    story told back from its first words."""
    return any_in(text[:4], rub.past) and past_told(text, rub)


def _names_people(text: str) -> bool:
    """True if 人 is written outside the words that name no one at risk (有人, 一个人,
    人躺地上, 户人家)."""
    return "人" in _NOT_PEOPLE.sub("", text)


def model_may_rate_critical(text: str, rub: Rubric, families: tuple[str, ...]) -> bool:
    """True if the learned model may raise ``text`` to critical: the rubric found a family
    in it, or it names a person, a now or urgency word, or a harm to people.

    A rubric without the stop-28 lists (not read from a file) changes nothing.
    """
    lists = modifier_lists(rub)
    if families or not lists.persons:
        return True
    # 在自己家屋顶上再加一层: one's own home names no one harmed (自己 is a harm word for 伤害自己).
    text = _OWN_HOME.sub("", text)
    now = (
        any_in(text, lists.harm_words)
        or any_in(text, rub.now)
        or any_in(text, rub.present)
        or any_in(text, rub.strong_now)
        or any_in(text, rub.urgency)
    )
    # 厂里有十六岁的娃在流水线上干活 天天十二个钟头: a habit (天天, 经常) with no harm and no
    # now word is a complaint about how things are, whoever is named.
    if not now and (any_in(text, rub.habit) or _PAST_FIRST(text, rub)):
        return False
    # 班里好几个孩子感冒发烧: a common cold (issue 13, safety35).
    if cold_only(text, rub):
        return False
    return now or _names_people(text) or any_in(text, lists.persons)


def cold_only(text: str, rub: Rubric) -> bool:
    """True if ``text`` names a common cold (``[modifiers] common_illness``: 感冒) with no grave
    sign, hospital (``illness_grave``: 高烧, 抽搐, 住院) or now word: no life at risk, however
    many have it (班里好几个孩子感冒发烧, 一家三口都感冒了; issue 13, safety35). The learned
    model's n-grams of it (几个, 孩子, 发烧, 一家三口) are those of the disease clusters and
    poisonings it learnt; the rubric's families still read the text.

    >>> from nlp.rubric import default_rubric
    >>> cold_only("班里好几个孩子感冒发烧", default_rubric())
    True
    >>> cold_only("孩子感冒了，现在高烧抽搐", default_rubric())
    False
    """
    lists = modifier_lists(rub)
    return (
        any_in(text, lists.common_illness)
        and not any_in(text, lists.illness_grave)
        and not any_in(text, rub.now)
        and not any_in(text, rub.present)
        and not any_in(text, rub.strong_now)
        and not any_in(text, rub.urgency)
    )
