"""Who is at risk in a self-harm message: the writer, or another person.

我不想活了 is the writer's own crisis: they need a human word and the crisis
line. 楼顶有人要跳楼，围了很多人 and 我看到一个小伙子站在桥栏杆外面，好像要跳河
are a bystander's report: the reporter must call 110 now and stay near the
person, and the person in danger is someone else (product trial 28 P3).

:func:`at_risk` reads the subject of the self-harm words: the nearest person
named before them in their sentence (or, when the sentence names nobody, in
the text before it). 我, 俺, 本人, 咱 are the writer; 有人, 他, 她, 一个小伙子,
邻居, 我儿子, 我老公 … are another person, and so is what the writer saw (我看到
…, 发现…). A self-harm message that names nobody (不想活了, 活着没意思) is the
writer's: when in doubt, the person is treated as the one at risk.

Pure functions: no I/O beyond the rubric already loaded.
"""

from __future__ import annotations

import re
from typing import Literal

from nlp.clauses import SENTENCE_ENDS
from nlp.families import SELF_HARM, match_families
from nlp.normalize import danger_text
from nlp.rubric import Rubric, default_rubric

__all__ = ["AtRisk", "at_risk", "at_risk_normalized"]

AtRisk = Literal["self", "other"]

#: Kin and people close to the writer: 我儿子, 我老公, 我的朋友 … (someone else).
_KIN = (
    "儿子|女儿|孩子|闺女|小孩|老公|老婆|丈夫|妻子|爱人|对象|男朋友|女朋友|爸爸|妈妈|爸|妈|父亲|母亲"
    "|爷爷|奶奶|外公|外婆|姥姥|姥爷|哥哥|姐姐|弟弟|妹妹|哥|姐|弟|妹|朋友|同学|同事|室友|舍友|邻居"
    "|家人|亲戚|侄子|侄女|外甥|孙子|孙女|公公|婆婆|岳父|岳母|舅舅|叔叔|阿姨|姑姑|学生|员工|工友|老乡"
)
#: Another person: a pronoun, someone seen, a person described, a relative.
_OTHER = re.compile(
    r"有人|有个人|有一个人|有个|有一|他们|她们|他|她|别人|对方|那人|这人|此人|那个人|这个人|某人"
    r"|一[个名位]|两[个名位]|几[个名位]|个人"
    r"|小伙子?|小伙|男子|女子|男的|女的|男人|女人|男孩|女孩|姑娘|老人|老太|老头|大爷|大妈|大叔|大姐"
    r"|青年|中年|少年|学生|工人|民工|路人|群众|租客|住户|业主|病人|患者"
    r"|看到|看见|发现|目睹|听到|听见|围观|围了|路过"
    rf"|我(?:的|们的|家)?(?:{_KIN})|(?:{_KIN})"
)
#: The writer: 我, 俺, 本人, 咱 (我们 too: 我们工人要跳楼 is the writers' own threat).
_SELF = re.compile(r"我个人|我们|我|俺|本人|咱们|咱|自个")
#: What the writer saw or heard: another person's act, never the writer's apposition.
_SEEING = frozenset({"看到", "看见", "发现", "目睹", "听到", "听见", "围观", "围了", "路过"})


def _positions(norm: str, words: tuple[str, ...]) -> list[int]:
    """Where the self-harm expressions start (a combo by its last part)."""
    found: list[int] = []
    for word in words:
        part = word.split("…")[-1]
        at = norm.find(part)
        if at >= 0:
            found.append(at)
    return found


def _nearest(prefix: str) -> AtRisk | None:
    """The person named last in ``prefix`` (the longer expression on a tie: 我儿子).

    A group right after the writer (我们工人, 咱们几个) is the writers themselves.
    """
    selves = [(m.start(), m.end()) for m in _SELF.finditer(prefix)]
    found = [(end, -start, "self") for start, end in selves]
    for m in _OTHER.finditer(prefix):
        apposed = m.group() not in _SEEING and any(end == m.start() for _, end in selves)
        found.append((m.end(), -m.start(), "self" if apposed else "other"))
    if not found:
        return None
    who = max(found)[2]
    return "self" if who == "self" else "other"


def at_risk_normalized(norm: str, rubric: Rubric | None = None) -> AtRisk | None:
    """:func:`at_risk` of an already normalised text (:func:`nlp.normalize.danger_text`)."""
    rub = rubric if rubric is not None else default_rubric()
    matches, _ = match_families(norm, rub)
    starts = [p for m in matches if m.family.name == SELF_HARM for p in _positions(norm, m.words)]
    if not starts:
        return None
    at = min(starts)
    lo = max(norm.rfind(c, 0, at) for c in SENTENCE_ENDS) + 1
    # The sentence of the words first (我不想活了。我儿子…: the writer), then the text before it.
    return _nearest(norm[lo:at]) or _nearest(norm[:lo]) or "self"


def at_risk(text: str, rubric: Rubric | None = None) -> AtRisk | None:
    """Who is at risk in a message that speaks of self-harm, or ``None`` when it does not.

    >>> at_risk("我不想活了")
    'self'
    >>> at_risk("楼顶有人要跳楼，围了很多人")
    'other'
    >>> at_risk("我看到一个小伙子站在桥栏杆外面，好像要跳河")
    'other'
    >>> at_risk("小区门口的下水道堵了") is None
    True
    """
    return at_risk_normalized(danger_text(text), rubric)
