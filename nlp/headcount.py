"""Head counts written in a text: 三十多名, 叁拾余名, 四十来个, 上百号人, 两三百人.

The rubric's thresholds (``[headcount]`` of ``config/severity.toml``: 10, 30,
100 people) and the collective-visit size (5 people) read the largest number
of people a text mentions. People write numbers in many ways:

* Arabic or Chinese digits, with units: 30, 三十, 一百二十, 两千;
* formal (financial) numerals: 叁拾, 壹佰, 贰拾伍;
* approximations: 三十多, 百余, 四十来, 上百, 近百 (90), 数十 / 几十 (30),
  十几 (15), ranges 两三百 (300), 七八十 (80), 四五个 (5);
* units: 名, 位, 户 (a household counts as one), 人, 口人, 号人, 个 before a
  word for people (五个申请执行人), an approximate 个 at the end of a clause
  (估计四十来个，凑了三十来个 正往…) or right after a word for people
  (业主五十多个今天又到…), 号 before a word for people (两百来号民工),
  and a bare approximate number after 估计 / 大概 / 约 (估计四五十), and an approximate
  个 whose people close a clause of their own (八九个在…被多收了费的群众).

Pure functions; :mod:`nlp.severity` re-exports :func:`parse_head_count`.
"""

from __future__ import annotations

import itertools
import re

from nlp.textcache import TextCache

__all__ = ["chinese_number", "head_count", "head_counts", "parse_head_count"]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "貳": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_UNITS = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "万": 10000,
    "萬": 10000,
}
_NUM = "\\d+|[" + "".join(_DIGITS) + "".join(_UNITS) + "]+"

# Nouns for people that a count with 个 or 号 may stand before (五个申请执行人,
# 两百来号民工).
_PEOPLE = "|".join(
    (
        "人",
        "村民",
        "居民",
        "工人",
        "民工",
        "业主",
        "家长",
        "学生",
        "农民",
        "员工",
        "群众",
        "老人",
        "司机",
        "孩子",
        "小孩",
        "娃",
        "职工",
        "老兵",
        "家属",
        "亲属",
        "病人",
        "患者",
        "商户",
        "商家",
        "摊贩",
        "摊主",
        "农户",
        "客户",
        "乘客",
        "店主",
        "老师",
        "教师",
        "工友",
        "青年",
        "妇女",
        "游客",
        "租户",
        "租客",
        "住户",
        "拆迁户",
        "困难户",
        "养殖户",
        "户主",
        "骑手",
        "代表",
        "学员",
        "考生",
        "投资人",
        "债权人",
        "股民",
        "大妈",
        "大爷",
        "阿姨",
        "男的",
        "女的",
        "小伙",
        "汉子",
        "访民",
        "退休",
        "老师傅",
        "师傅",
        "环卫工",
        "保安",
        "护士",
        "医生",
        "战友",
        "退役军人",
        "残疾人",
        # recipients of assistance (十二个低保户一块儿来了; stop 30, set p)
        "低保户",
        "五保户",
        "贫困户",
        "特困户",
        # women and men workers (三十来个下岗女工; stop 32). 老乡 was tried and dropped: three
        # citizens' wage requests (我们二十多个老乡都没拿到) became high (a guarded floor).
        "女工",
        "男工",
        # couriers and stall holders (八九个快递员坐在网点门口, 六七个档主排着队; stop 34, tri34a)
        "快递员",
        "外卖员",
        "快递小哥",
        "外卖小哥",
        "档主",
        "经营户",
        # creditors (六个债主商量一起去法院; stop 35, dialect35)
        "债主",
    )
)
# 个 that counts something else (三个月, 五个小时).
_NOT_PEOPLE = "月|小时|星期|礼拜|工作日|多月|半月|钟头|问题|地方|部门"
_CLAUSE_END = r"(?=$|[\s，。！？；、,.!?;…~])"
_PEOPLE_RE = re.compile(_PEOPLE)

# The pattern starts with one character class (the regex engine then skips in C
# to the numerals); the approximating prefix (上百, 近百, 数十, 几十, 好几十, 成百)
# is read before the match by :func:`_prefix`.
_HEAD_RE = re.compile(
    r"(?P<num>[0-9" + "".join(_DIGITS) + "".join(_UNITS) + r"]+)"
    r"(?P<mod>多|余|来|几)?"
    r"(?:名|位|户|人|个人|多人|家|号人|口人"
    r"|个(?!" + _NOT_PEOPLE + r")(?=[^，。！？；,.!?;\d]{0,5}?(?:" + _PEOPLE + r"))"
    r"|(?P<approx>个|号)" + _CLAUSE_END + r"|号(?=[^，。！？；,.!?;\d]{0,3}?(?:" + _PEOPLE + r"))"
    r"|辆(?=[^，。！？；,.!?;\d]{0,4}?(?:车|的士))"
    r"|(?P<rel>个)(?!" + _NOT_PEOPLE + r")(?=[^，。！？；,.!?;\d]{0,30}?的(?:" + _PEOPLE + r"))"
    r"|(?P<loose>个|号)(?!" + _NOT_PEOPLE + r"))"
)
# A bare number after an estimate (估计四五十, 大概三十来个): the question was
# "how many people", the writer answered it without a unit.
_ESTIMATE_RE = re.compile(
    r"(?:估计|大概|大约|约莫|约|差不多|得有|少说|起码|至少)(?:也)?(?:有)?"
    r"(?P<num>" + _NUM + r")(?P<mod>多|余|来|几)?(?:个|号)?"
    # ... or with the word for the people right after it and no unit (起码两百多业主; stop 34)
    r"(?:" + _CLAUSE_END + r"|(?P<who>(?=" + _PEOPLE + r")))"
)


def chinese_number(text: str) -> int:
    """Parse 三十, 二十五, 一百二十, 百, 两千, 叁拾, 两三百 (the larger: 300) into an int."""
    if text.isdigit():
        return int(text)
    total = 0
    section = 0
    digit = 0
    arabic = ""
    for ch in text:
        if ch.isdigit():  # 3万, 1千: Arabic digits before a unit
            arabic += ch
            digit = int(arabic)
            continue
        arabic = ""
        if ch in _DIGITS:
            # A range (两三百, 七八十): the later, larger digit wins.
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section = 0
            else:
                section += (digit or 1) * unit
            digit = 0
    return total + section + digit


_HUNDREDS_BEFORE = re.compile(r"(?:\d+|[" + "".join(_DIGITS) + r"]+)[百千佰仟]$")


def _is_range(num: str) -> bool:
    """两三, 四五, 七八: two digits written side by side."""
    return any(a in _DIGITS and b in _DIGITS for a, b in itertools.pairwise(num))


def _prefix(text: str, start: int) -> str:
    """The approximating word just before a numeral: 好几, 上, 近 (not 附近), 数, 几, 成."""
    if text[max(0, start - 2) : start] == "好几":
        return "好几"
    before = text[start - 1 : start]
    if before in ("上", "数", "几", "成"):
        return before
    if before == "近" and text[start - 2 : start - 1] not in tuple("附最接将靠"):
        return "近"
    return ""


def _approximate(m: re.Match[str], pre: str) -> bool:
    return bool(pre or m.group("mod") or _is_range(m.group("num")))


def _value(m: re.Match[str], pre: str = "") -> int:
    value = chinese_number(m.group("num"))
    if pre in ("数", "几", "好几") and value in (10, 100, 1000, 10000):
        value *= 3
    elif pre == "近":
        value = value * 9 // 10
    if m.group("mod") == "几" and value in (10, 100, 1000):
        value += value // 2
    return value


def _people_before(text: str, start: int, width: int = 30) -> bool:
    """A word for people within ``width`` characters before ``start`` (the count's subject)."""
    return _PEOPLE_RE.search(text, max(0, start - width), start) is not None


# A number that is part of an address or a date (3号楼, 2单元, 502室, 幸福路88号,
# 3月5号, 第3个) counts no people: what follows or precedes it says so.
_ADDRESS_AFTER = re.compile(
    r"号?(?:楼|院|门|房|栋|幢|座|单元|室|层|组|排|路|街|巷|弄|线|床|窗|铺|车厢|地块|厂房|宿舍|车间)"
)
_ADDRESS_BEFORE = frozenset("路街巷弄道月第栋幢座")


def _address_number(text: str, m: re.Match[str]) -> bool:
    """True if the numeral of ``m`` is a house, unit or room number or a date."""
    before = text[m.start() - 1 : m.start()]
    return before in _ADDRESS_BEFORE or _ADDRESS_AFTER.match(text, m.end("num")) is not None


def head_count(text: str) -> tuple[int, int] | None:
    """The largest head count in ``text`` and where it ends."""
    best: tuple[int, int] | None = None
    for value, _, end in _counts(text):
        if best is None or value > best[0]:
            best = (value, end)
    return best


def head_counts(text: str) -> list[tuple[int, int, int]]:
    """Every head count in ``text`` as ``(value, start, end)``, in text order.

    A long letter names several numbers of people (现有住户522户 … 我们几百户居民将
    组织上访): which of them acts is for the caller (:mod:`nlp.letters`).
    """
    return sorted(_counts(text), key=lambda t: t[1])


_COUNTED: TextCache[tuple[tuple[int, int, int], ...]] = TextCache()


def _counts(text: str) -> tuple[tuple[int, int, int], ...]:
    """:func:`head_counts` in the order found (numbers with a unit first).

    A letter's rules read the head counts of one text up to four times (its
    writers, households concerned, a crowd, the count that acts): the last few
    texts' counts are kept (:class:`nlp.textcache.TextCache`).
    """
    hit = _COUNTED.get(text)
    if hit is None:
        hit = tuple(_find_counts(text))
        _COUNTED.put(text, value=hit)
    return hit


def _find_counts(text: str) -> list[tuple[int, int, int]]:
    """:func:`_counts` of a text not read lately."""
    found: list[tuple[int, int, int]] = []
    for m in _HEAD_RE.finditer(text):
        if _address_number(text, m):
            continue
        pre = _prefix(text, m.start())
        start = m.start() - len(pre)
        # 个 / 号 with no word for people after it counts people only when the
        # number is an estimate (估计四十来个), not an exact one (买了三个).
        if m.group("approx") and not (_approximate(m, pre) and _people_before(text, start)):
            continue
        # 八九个在同一家公证处…被多收了费的群众: an estimate whose people close a clause of
        # their own (…的群众) within the sentence's clause (stop 30); not an exact 三个.
        if m.group("rel") and not _approximate(m, pre):
            continue
        # 业主五十多个今天又到…: an estimate right after the word for the people.
        if m.group("loose") and not (_approximate(m, pre) and _people_before(text, start, 3)):
            continue
        value = _value(m, pre)
        # 一百好几十号人, 两百几十人: hundreds, then tens told as an estimate (stop 34).
        if pre in ("好几", "几"):
            lead = _HUNDREDS_BEFORE.search(text, max(0, start - 6), start)
            if lead is not None:
                value += chinese_number(lead.group())
                start = lead.start()
        if value > 0:
            found.append((value, start, m.end()))
    for m in _ESTIMATE_RE.finditer(text):
        value = _value(m)
        # 约2400人: the number already read with its unit is not read again.
        if any(start <= m.start("num") < end for _, start, end in found):
            continue
        if "万" in m.group("num") or not (
            m.group("who") is not None or _people_before(text, m.start())
        ):
            continue
        if value >= 5:
            found.append((value, m.start("num"), m.end()))
    return found


def parse_head_count(text: str) -> int | None:
    """Return the largest number of people mentioned in a text.

    ``三十多名`` → 30, ``百余户`` → 100, ``上百名`` → 100, ``50多人`` → 50,
    ``数十人`` → 30, ``十几个人`` → 15, ``近百人`` → 90, ``叁拾余名`` → 30,
    ``估计四十来个`` → 40, ``两三百人`` → 300. Households count as one person each.

    Args:
        text: Normalised text.

    Returns:
        The largest count, or ``None`` when no head count is written.
    """
    found = head_count(text)
    return found[0] if found is not None else None
