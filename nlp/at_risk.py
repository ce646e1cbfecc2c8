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
writer's: when in doubt, the person is treated as the one at risk — unless its clause
opens with a word of speech and names nobody before it (说不想活了要跳下去, 扬言要跳楼:
someone said it, trial 35 D8); 我说我不想活了 stays the writer's.

Pure functions: no I/O beyond the rubric already loaded.
"""

from __future__ import annotations

import re
from typing import Literal

from nlp.clauses import SENTENCE_ENDS, clause_around
from nlp.families import SELF_HARM, match_families
from nlp.normalize import danger_text
from nlp.rubric import default_rubric
from nlp.rubric_model import Rubric

__all__ = ["AtRisk", "at_risk", "at_risk_normalized"]

AtRisk = Literal["self", "other"]

#: Kin and people close to the writer: 我儿子, 我老公, 我的朋友 … (someone else).
_KIN = (
    "儿子|女儿|孩子|闺女|小孩|老公|老婆|丈夫|妻子|爱人|对象|男朋友|女朋友|爸爸|妈妈|爸|妈|父亲|母亲|娘|爹"
    "|爷爷|奶奶|外公|外婆|姥姥|姥爷|哥哥|姐姐|弟弟|妹妹|哥|姐|弟|妹|朋友|同学|同事|室友|舍友|邻居"
    "|家人|亲戚|侄子|侄女|外甥|孙子|孙女|公公|婆婆|岳父|岳母|舅舅|叔叔|阿姨|姑姑|学生|员工|工友|老乡"
    "|闺蜜|兄弟|姐妹|发小|哥们|老头子|老伴"
)
#: Common surnames: 老王, 小周, 王某, 王老四 name someone else.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
#: Another person: a pronoun, someone seen, a person described, a relative, a name.
_OTHER = re.compile(
    r"有人|有个人|有一个人|有个|有一|有户|他们|她们|他|她|别人|对方|那人|这人|此人|那个人|这个人|某人|某"
    r"|一[个名位户]|两[个名位户]|几[个名位]|个人|人家|一家三口|一家人|一屋子人|全家人|隔壁"
    r"|小伙子?|小伙|男子|女子|男的|女的|男人|女人|男孩|女孩|男生|女生|姑娘|妇女|婆娘|娃儿?"
    r"|老人|老太|老头|老汉|大爷|大妈|大叔|大姐|年轻人|上访人|上访户|信访人|当事人"
    r"|青年|中年|少年|学生|考生|家长|老师|工人|民工|路人|群众|村民|居民|户主|租客|住户|业主|病人|患者"
    r"|看到|看见|发现|目睹|听到|听见|围观|围了|路过"
    rf"|[老小][{_SURNAMES}]|[{_SURNAMES}](?:某|老[一二三四五六七八九十]|[德建国志明海]\w)"
    rf"|(?:我|俺)(?:的|们的|家)?(?:{_KIN})|(?:{_KIN})"
)
#: The writer: 我, 俺, 本人, 咱 (我们 too: 我们工人要跳楼 is the writers' own threat).
_SELF = re.compile(r"我个人|我们|我|俺们|俺|本人|咱们|咱|自个")
#: What the writer saw or heard: another person's act, never the writer's apposition.
_SEEING = frozenset({"看到", "看见", "发现", "目睹", "听到", "听见", "围观", "围了", "路过"})
#: The writer as an object (给我发消息说…, 打电话给我): not the one who acts.
_OBJECT_BEFORE = "给跟诉对和向叫让帮找"
#: The writer's place, not the writer (我家楼道里, 我们小区, 我们村).
_PLACE_AFTER = re.compile(r"们?(?:家|小区|楼|村|单位|公司|学校|宿舍|社区|这|那|隔壁|对面|门口)")
#: Words of speech: 老刘一直念叨我不想活了 quotes another person.
_SPEECH = re.compile(r"(?:说|喊|念叨|嚷嚷?|称|讲|叨叨)[:：，,]?$")
#: A clause that opens with what someone said (说不想活了, 扬言要跳楼, 嚷着要跳河): reported
#: speech of a person not named (trial 35 D8); 说实话 / 说白了 / 讲真 are the writer's asides.
_REPORTED = re.compile(
    r"^(?:又|还|一直|总|老是|整天)?(?:说|讲|扬言|嚷着|嚷嚷着|喊着|闹着)"
    r"(?![实真白句心老到起过了])"
)
#: What ends a clause before the self-harm words.
_CLAUSE_ENDS = "，,、：:" + SENTENCE_ENDS


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

    A group right after the writer (我们工人, 咱们几个) is the writers themselves; the
    writer as an object (给我发消息) or a place (我家楼道) is nobody, nor is a person
    handed something (交给闺女); 我 quoted after a word of speech of someone else
    (老刘念叨我不想活了) is that person.
    """
    others = list(_OTHER.finditer(prefix))
    selves: list[tuple[int, int]] = []
    for m in _SELF.finditer(prefix):
        start, end = m.start(), m.end()
        if start and prefix[start - 1] in _OBJECT_BEFORE:
            continue
        if _PLACE_AFTER.match(prefix, end):
            continue
        said = _SPEECH.search(prefix[:start])
        if said and _speaker(prefix, said.start(), others, selves) == "other":
            continue
        selves.append((start, end))
    found = [(end, -start, "self") for start, end in selves]
    for o in others:
        # 存折交给闺女了, 猫托付给邻居了: the one handed to is no one at risk (stop 31, i13nn)
        if _object(prefix, o.start()) and prefix[o.start() - 1] == "给":
            continue
        apposed = o.group() not in _SEEING and any(end == o.start() for _, end in selves)
        found.append((o.end(), -o.start(), "self" if apposed else "other"))
    if not found:
        return None
    who = max(found)[2]
    return "self" if who == "self" else "other"


def _speaker(
    prefix: str, verb: int, others: list[re.Match[str]], selves: list[tuple[int, int]]
) -> AtRisk | None:
    """Who speaks before ``verb``: the last person named there who is no object
    (我跟他说: 我, not 他)."""
    named: list[tuple[int, AtRisk]] = [
        (o.end(), "other") for o in others if o.end() <= verb and not _object(prefix, o.start())
    ]
    named += [(end, "self") for _, end in selves if end <= verb]
    return max(named)[1] if named else None


def _object(prefix: str, start: int) -> bool:
    """Whether the person named at ``start`` is an object (给他, 跟他)."""
    return start > 0 and prefix[start - 1] in _OBJECT_BEFORE


def at_risk_normalized(norm: str, rubric: Rubric | None = None) -> AtRisk | None:
    """:func:`at_risk` of an already normalised text (:func:`nlp.normalize.danger_text`)."""
    rub = rubric if rubric is not None else default_rubric()
    matches, _ = match_families(norm, rub)
    starts = [p for m in matches if m.family.name == SELF_HARM for p in _positions(norm, m.words)]
    if not starts:
        return None
    at = min(starts)
    lo = max(norm.rfind(c, 0, at) for c in SENTENCE_ENDS) + 1
    # The sentence before the words first (我不想活了。我儿子…: the writer), then their
    # clause (楼顶上站着个女的: the person after 站着), then the text before the sentence;
    # nobody named: the writer (活着没意思，老婆跟人跑了).
    named = _nearest(norm[lo:at]) or _nearest(clause_around(norm, at)) or _nearest(norm[:lo])
    if named is not None:
        return named
    # Nobody named: the writer, unless their clause tells what someone said (trial 35 D8).
    opened = max(norm.rfind(c, 0, at) for c in _CLAUSE_ENDS) + 1
    return "other" if _REPORTED.match(norm, opened) else "self"


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
