"""A letter written jointly by many, or on behalf of a group acting together (stop 28, i13bb).

The rubric's high level holds a collective petition: five or more people
petitioning together (信访工作条例). Real letters say so in their signature or in
one phrase, calmly: 80户联名, 小区全体业主联名反映, 1084名职工推代表联名举报,
全体出租车司机集体请愿, 我们四十八名民工. Every labeller of the letter
samples R4–R5plus rated such a letter high; the letter model's high head, whose
threshold is priced by the lows of the random samples, mostly did not reach it.

:func:`joint_letter` reads one of these acts, each with a petition being made:

* 联名 (a joint signature) followed closely by a petition word (联名信, 联名反映,
  联名举报 ...) or preceded by a head count or group (80户联名, 全体村民联名); a
  number of people before it under :data:`JOINT_MIN` (我们3人联名) is no crowd;
* 集体 directly followed by a petition act (集体请愿, 集体上访, 集体维权, 集体讨薪,
  集体投诉 ...; not 村集体, 集体土地);
* 全体 + a group (村民, 业主, 职工 ...) or 全村人 that petitions: followed within a few
  characters by a petition word (全体业主强烈要求, 全体村民联名, 全村人一起打报告; after a
  second group joined by 和 a little further: 全体居民和师生们多次向有关部门反映) or standing
  as the letter's signature (its last characters, a date after it or not: 全体上城湾小区业主
  二〇一九年十一月十一日; stop 29); not 全体村民都知道, 全体村民的利益;
* 我们 + a number of people of at least :data:`JOINT_MIN` (我们四十八名民工), 联合上书,
  an organised visit (组织全体职工前往省里上访), or five signers or more (举报人：1084名职工,
  five names or five telephone numbers after 诉求人：, a note in brackets after each name
  or not: 报告人：黄伟（系…的父亲）田顺利（系…的母亲）…, stop 29).

Not read as joint: one writer's mandate (我代表小区1100户业主反映: the number concerned,
:func:`nlp.letters.households_concerned`, no crowd since stop 26), a plan to sign
(很多业主说要联名投诉: the rubric's ``crowd_plan``), fewer than five named.

A letter that says the matter is over (已经解决, 调解好了: the rubric's
``settled`` words) is not read as joint (:func:`nlp.letter_model.raise_letter`
checks it). The words live here, not in the district's TOML, for the reason
:mod:`nlp.letter_words` gives: they belong to the letter model's path.
"""

from __future__ import annotations

import re

from nlp.headcount import head_counts

__all__ = ["JOINT_MIN", "joint_letter"]

JOINT_MIN = 5
"""The fewest people petitioning together that make a collective petition."""

_PETITION = (
    "信",
    "上书",
    "反映",
    "举报",
    "投诉",
    "控告",
    "控诉",
    "请愿",
    "上访",
    "信访",
    "要求",
    "请求",
    "恳请",
    "呼吁",
    "申诉",
    "求助",
    "维权",
    "诉求",
    "签名",
    "签字",
    "盖章",
    "按手印",
    "报告",
    "告",
    "写",
    "致",
    "讨",
    "反对",
    "抗议",
)
"""Words of a petition being made."""

_COLLECTIVE_ACTS = (
    "请愿",
    "上访",
    "信访",
    "维权",
    "讨薪",
    "讨要",
    "讨工资",
    "追讨",
    "反映",
    "投诉",
    "举报",
    "申诉",
    "诉求",
    "上书",
    "签名",
    "控告",
    "抗议",
    "到",
    "去",
)
"""Acts that 集体 directly before makes a group's (集体请愿, 集体到区政府)."""

_GROUPS = (
    "村民",
    "业主",
    "居民",
    "住户",
    "职工",
    "员工",
    "工人",
    "农民工",
    "民工",
    "家长",
    "教师",
    "老师",
    "司机",
    "社员",
    "股民",
    "商户",
    "经营户",
    "租户",
    "学生",
    "考生",
    "退休",
    "下岗",
    "农机员",
    "医务人员",
    "驾驶员",
    "教职工",
    "民师",
    "代课教师",
    "人员",
    "群众",
    "会员",
    "家属",
    "施工",
    "拆迁户",
    "回迁户",
    "购房户",
)
"""Groups that 全体 names (全体村民, 全体出租车驾驶员)."""

_PLANS = ("要", "想", "准备", "打算", "商量", "考虑", "如果", "若")
"""Words just before 联名 that make it a plan or a condition, not a joint act."""

_GROUP_RE = "|".join(sorted(_GROUPS, key=len, reverse=True))
_ALL_GROUP = re.compile(
    rf"全体(?:[\u4e00-\u9fff]{{0,6}}?)(?:{_GROUP_RE})|全村(?:人|村民|群众|老少|百姓|父老)"
)
_DATE_TAIL = re.compile(
    r"^[0-9〇零一二三四五六七八九十○]{2,4}年[0-9〇零一二三四五六七八九十○]{1,2}月"
    r"(?:[0-9〇零一二三四五六七八九十○]{1,3}[日号])?"
)
"""A date after a signature (全体上城湾小区业主 二〇一九年十一月十一日)."""

_JOINED = ("和", "及", "与", "以及")
"""Words joining a second group to 全体's (全体居民和师生们多次向有关部门反映)."""
_SIGNATURE_TAIL = 40
"""How near the letter's end 全体 + a group stands to be its signature."""

_STOPS = "，。；！？\n,;!?"


def _counted_before(text: str, at: int) -> int | None:
    """The number of people or households written in the few characters before ``at``."""
    best = None
    for value, start, end in head_counts(text[max(0, at - 14) : at + 2]):
        del start, end
        best = value if best is None else max(best, value)
    return best


_WHO = re.compile(
    r"(?:全体|[0-9一二三四五六七八九十百千两几数多余近]+(?:户|名|人|位)?)[\u4e00-\u9fff]{0,4}$"
)


def _shown(before: str) -> str:
    """The few words before 联名 that name who signed (80户, 全体村民), or nothing."""
    for c in _STOPS:
        before = before.rpartition(c)[2]
    m = _WHO.search(before)
    if m is not None and re.search(r"全体|户|名|人|位|[0-9]", m.group(0)):
        return m.group(0)
    return next((g for g in _GROUPS if before.endswith(g)), "")


def _clause_after(text: str, at: int, reach: int) -> str:
    near = text[at : at + reach]
    for c in _STOPS:
        near = near.partition(c)[0]
    return near


def joint_letter(text: str) -> str | None:
    """The words of a letter signed jointly by many or for a group petitioning, or ``None``.

    Args:
        text: Normalised text of a letter.

    Returns:
        The words that say so (80户联名, 全体业主, 集体请愿, 我们四十八名), or ``None``.
    """
    for m in re.finditer("联名", text):
        end = m.end()
        after = _clause_after(text, end, 10)
        before = text[max(0, m.start() - 12) : m.start()]
        # 很多业主在群里说要联名投诉: a plan, the rubric's to read (crowd_plan), not a joint act.
        if any(p in before[-4:] for p in _PLANS):
            continue
        counted = _counted_before(text, m.start())
        # 我们3人联名: fewer than five people is no collective petition; 户 counts households.
        if counted is not None and counted < JOINT_MIN and "户" not in before[-6:]:
            continue
        by_group = "全体" in before or any(g in before[-6:] for g in _GROUPS)
        said = next((w for w in _PETITION if after.startswith(w)), None)
        if counted is not None or by_group or said is not None:
            return _shown(before) + "联名" + (said or "")
    for m in re.finditer("集体", text):
        after = text[m.end() : m.end() + 4]
        for act in _COLLECTIVE_ACTS:
            # 集体到区政府 / 集体去: a place must follow (not 集体到期, 集体去世).
            if after.startswith(act):
                if act in ("到", "去") and not re.match(
                    r"(?:到|去)[\u4e00-\u9fff]{0,4}(?:政府|信访|镇|县|市|区|省|北京|局|委)",
                    text[m.end() : m.end() + 8],
                ):
                    continue
                return "集体" + act
    for m in _ALL_GROUP.finditer(text):
        # 全体居民和师生们多次向有关部门反映: a second group joined, the petition further on.
        joined = text.startswith(_JOINED, m.end())
        after = _clause_after(text, m.end(), 16 if joined else 8)
        if any(w in after for w in _PETITION if len(w) > 1) or after.startswith(
            ("联名", "一致", "一起", "共同", "强烈", "特此", "恳请", "向")
        ):
            return m.group(0)
        # The signature: the letter's last words (东湖村全体村民, 全体业主<因怕报复未留电话>),
        # a date after it or not (全体上城湾小区业主 二〇一九年十一月十一日).
        rest = after.strip(" 　:：")
        rest = _DATE_TAIL.sub("", rest).strip(" 　")
        worded = bool(rest) and "\u4e00" <= rest[0] <= "\u9fff"
        if len(text) - m.end() <= _SIGNATURE_TAIL and not worded:
            return m.group(0)
    return _writers(text)


_WE_COUNT = re.compile(r"我们(?:这)?([0-9一二三四五六七八九十百千两几数多余近]+)(?:位|名|个|人)")
_UNITED = re.compile(r"联合(?:上书|签名|署名|写信|反映|举报|投诉|请愿|上访)")
_ORGANISED = re.compile(
    r"组织(?:了)?[\u4e00-\u9fff]{0,8}?(?:上访|请愿|前往[\u4e00-\u9fff]{0,8}(?:政府|信访|上访)|"
    r"到[\u4e00-\u9fff]{0,6}(?:政府|信访))"
)
_SIGNERS = re.compile(r"(?:报告人|举报人|投诉人|诉求人|信访人|反映人|联名人|代表人|署名|签名)[：:]")
_NOTE = re.compile(r"[（(][^（()）]{0,20}[）)]")
"""A note in brackets after a signer's name (系黄航安的父亲)."""
_PHONE = re.compile(r"(?:1[0-9*]{10}|[0-9*]{3,4}-[0-9*]{7,8})")


def _writers(text: str) -> str | None:
    """我们四十八名民工, 联合上书, 组织全体职工前往省里上访, or five signers with their phones."""
    for m in _WE_COUNT.finditer(text):
        counted = _counted_before(text, m.end())
        if counted is not None and counted >= JOINT_MIN:
            return m.group(0)
    for pattern in (_UNITED, _ORGANISED):
        act = pattern.search(text)
        if act is not None:
            return act.group(0)
    for m in _SIGNERS.finditer(text):
        tail = text[m.end() : m.end() + 400]
        counted = max((v for v, _, _ in head_counts(tail[:30])), default=None)
        if counted is not None and counted >= JOINT_MIN:
            return m.group(0).rstrip("：:") + f"{counted}人"
        # 黄伟（系黄航安的父亲）田顺利（系黄航安的母亲）…: a note after each name parts them.
        listed = _NOTE.sub("、", tail[:240])[:80]
        names = [x for x in re.split(r"[、，,\s]+", listed) if 2 <= len(x) <= 4]
        phones = len(_PHONE.findall(tail))
        if phones >= JOINT_MIN or len(names) >= JOINT_MIN:
            return m.group(0).rstrip("：:") + f"{max(len(names), phones)}人"
    return None
