"""An officer correcting an earlier answer during a warning's optional steps (stop 35 #4).

After 确认 the guided /warn asks the place, the head count and photos. 「不对，是五十多人」
typed at the place step was stored as the place; 「改一下地点」 at the head count was a bad
head count; 「刚才说错了」 became the place. A message is read here as a correction when it
says so — it opens with a correcting word (不对，是…, 说错了，…, 更正：…, 应该是…: the rule of
:func:`nlp.fact_correction.fact_correction`), or names a field to change (改一下地点, 人数改成
五十, 地点写错了), or is only 刚才说错了 — and :func:`step_correction` tells which field it
corrects (the place, the head count, the warning's text; None: not said) and the right value
when it gives one. A plain answer (和平路3号, 五十多人, 大概30人) is no correction: the step
takes it. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.counts import head_count_answer
from nlp.fact_correction import fact_correction
from nlp.normalize import to_simplified

__all__ = [
    "COUNT",
    "FIELDS",
    "PLACE",
    "TEXT",
    "StepCorrection",
    "draft_amendment",
    "step_correction",
]

#: The fields a correction may change.
PLACE = "place"
COUNT = "head_count"
TEXT = "text"
#: Their names, as the officer reads them (the buttons of "which one?").
FIELDS = {PLACE: "发生地点", COUNT: "涉及人数", TEXT: "预警内容"}

#: Words naming a field.
_FIELD_WORDS = (
    (PLACE, r"地点|地址|位置|地方|场所"),
    (COUNT, r"人数|户数|多少人|几个人"),
    (TEXT, r"内容|预警内容|情况|事由|文字|描述|时间"),
)
_FIELD = "|".join(w for _, w in _FIELD_WORDS)
#: 改一下地点 / 修改人数 / 更正一下内容 / 重新填地点.
_CHANGE_FIELD = re.compile(
    rf"^(?:我)?(?:想|要|需要)?(?:改|修改|更改|更正|纠正|重填|重新填|重新写|换)(?:一下|下)?"
    rf"(?:刚才的|前面的|上面的)?(?:{_FIELD})"
)
#: 地点改成和平路 / 人数应该是五十 / 地点写错了.
_FIELD_THEN = re.compile(
    rf"^(?:刚才的|前面的|上面的)?(?P<field>{_FIELD})"
    r"(?:要)?(?:改成|改为|改一下|改|更正为|更正|应为|应该是|应当是|是|写错了|说错了|填错了|错了|不对)"
)
#: 刚才说错了 / 前面写错了 / 我说错了 (alone or before the right words).
_SLIP = re.compile(r"^(?:我)?(?:刚才|前面|上面|之前)?(?:我)?(?:说|写|填|打)错了")
#: A head count's unit after a number: 五十多人, 二十几户, 30名.
_COUNT_UNIT = re.compile(
    r"[\d零〇一二两三四五六七八九十百千万]+(?:多|余|几|来)?(?:个)?(?:人|户|名)"
)
#: A place's ending: 和平路5号, 阳光社区, 站点门口.
_PLACE_END = re.compile(
    r"(?:路|街|巷|道|号|村|组|社区|小区|广场|大厦|楼|栋|单元|镇|乡|门口|附近|公园|市场|站|学校|医院)"
)
_PUNCT = " ，,。.！!：:；;、"


@dataclass(frozen=True)
class StepCorrection:
    """What a correction changes: ``field`` (:data:`PLACE`, :data:`COUNT`, :data:`TEXT`;
    None when it does not say) and ``value`` (the right words; None when not given yet)."""

    field: str | None
    value: str | None

    @property
    def count(self) -> int | None:
        """The head count of ``value`` (None if it has none)."""
        return head_count_answer(self.value) if self.value else None


def _field_named(text: str) -> str | None:
    for field, words in _FIELD_WORDS:
        if re.search(words, text):
            return field
    return None


def _value(rest: str) -> str | None:
    rest = rest.strip(_PUNCT)
    rest = re.sub(rf"^(?:{_FIELD})(?:改成|改为|应为|应该是|应当是|是)?", "", rest)
    rest = re.sub(r"^(?:改成|改为|应为|应该是|应当是|是)", "", rest).strip(_PUNCT)
    return rest if re.search(r"\d|[\u4e00-\u9fff]{2,}", rest) else None


def _field_of_value(value: str) -> str | None:
    """The field a bare value belongs to: a head count (五十多人) or a place (和平路5号)."""
    if _COUNT_UNIT.search(value) and head_count_answer(value) is not None:
        return COUNT
    if _PLACE_END.search(value) and len(value) <= 40:
        return PLACE
    return None


def step_correction(text: str) -> StepCorrection | None:
    """What ``text``, typed at a warning's optional step, corrects; None when it is no
    correction (a plain answer, 跳过, 完成 …: the step takes it)."""
    plain = to_simplified(text).strip().strip(_PUNCT)
    if not plain:
        return None
    if (m := _CHANGE_FIELD.match(plain)) is not None:
        field = _field_named(m.group(0))
        return StepCorrection(field, _value(plain[m.end() :]))
    if (m := _FIELD_THEN.match(plain)) is not None:
        return StepCorrection(_field_named(m.group("field")), _value(plain[m.end() :]))
    if (m := _SLIP.match(plain)) is not None:
        value = _value(plain[m.end() :])
        named = _field_named(plain[m.end() :]) if value else None
        return StepCorrection(named or (_field_of_value(value) if value else None), value)
    fact = fact_correction(plain)
    if fact is None:
        return None
    value = _value(fact)
    if value is None:
        return StepCorrection(None, None)
    return StepCorrection(_field_named(fact[:6]) or _field_of_value(value), value)


#: The correcting words that open a correction (说错了，… / 不对，… / 更正：…), dropped
#: when the correction is written into the draft it corrects.
_OPENING_WORDS = re.compile(
    r"^(?:我)?(?:刚才|前面|之前)?(?:我)?"
    r"(?:说错了|写错了|打错了|搞错了|弄错了|不对|错了|更正一下|更正|纠正一下|纠正|订正)"
    rf"[{_PUNCT}]*"
)


def draft_amendment(draft: str, text: str) -> str | None:
    """The text of the warning proposal ``draft`` amended by ``text`` when ``text``
    corrects it (stop 35 D1): 「<draft>；更正：<correction>」, the correcting word dropped
    (说错了，是打起来了 → 更正：是打起来了). None when ``text`` is no correction
    (:func:`step_correction`, the one recogniser) or says nothing to write yet
    (a bare 刚才说错了)."""
    fix = step_correction(text)
    if fix is None or fix.value is None:
        return None
    plain = to_simplified(text).strip().strip(_PUNCT)
    body = _OPENING_WORDS.sub("", plain, count=1).strip(_PUNCT) or fix.value
    return f"{draft.rstrip(_PUNCT + '。')}；更正：{body}"
