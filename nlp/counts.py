"""The answer to "how many people?": the same parser as a warning's text, plus bare numbers.

``/warn TEXT`` reads the head count out of the text with
:func:`nlp.severity.parse_head_count` (三十多名 → 30); the head-count step of the
warning conversation uses that same parser on the answer, and, since the
question already says "people", also takes a bare number (30, 三十, 叁拾, 四五, 30多, 上百).
"""

from __future__ import annotations

import re

from nlp.normalize import normalize
from nlp.severity import parse_head_count

_BARE = re.compile(
    r"^(?:大概|大约|约|估计|差不多)?"
    r"(?P<num>\d{1,6}|[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]{1,6})"
    r"(?P<more>多|余|来|几)?(?:个)?$"
)

_HUNDREDS = frozenset({"上百", "上百个", "上百人", "成百", "几百", "几百个", "几百人"})


def head_count_answer(text: str) -> int | None:
    """The number of people in an answer such as 30, 三十多名, 大概四五个人; None if none."""
    clean = normalize(text).strip().rstrip("。.！!")
    found = parse_head_count(clean)
    if found is not None:
        return found
    compact = clean.replace(" ", "")
    if compact in _HUNDREDS:
        return 100
    bare = _BARE.match(compact)
    if bare is None:
        return None
    # 十几个 is read as the text's 十几人 (15), not as 十 (trial 29 P12: 约10人).
    more = bare.group("more") or ""
    return parse_head_count(bare.group("num") + more + "人") or parse_head_count(
        bare.group("num") + "人"
    )
