"""A short letter to an office, told by its form (stop 34, issue 13 on real letters).

A letter to a city's board is recognised as a letter by its length
(:func:`nlp.background.is_letter`, more than ``[letters] min_chars``); a short one
(K6县到K7县路段公交车…出现拒载现象; 咨询如何申办个人口腔诊所) was read as a citizen's
message, and the learned danger model, which learnt from short messages, raised
its topic words (公交车, 医院, 电梯, 污水) to medium and some to critical: of the
438 short letters of the labelled samples R1–R10, 70 the rubric found nothing in
were raised by the model, 67 of them above the labeller's level (R10: 13 of 62
over-ratings, one a critical).

A letter shows its form where a message does not:

* a **headline repeated**: the board puts the title before the body and the body
  opens with the title's words again (C市二中存在强行补课现象C市二中存在…), so the
  text's first words come back a little further on;
* a **headline line**: a first line of a headline's length, with no sentence
  punctuation at its end, then the body on the next line (反映…违章加层问题⏎星沙…);
* a **salutation to an official** (尊敬的领导, 蒋厅长：您好, 李县长：你好, 环保局领导好).

:func:`office_letter` names the form found. The caller (:func:`nlp.severity._raised`)
treats such a text as it treats a request to an office (``request`` in
``config/severity.toml``): when the rubric finds no family in it and no strong now
word (``strong_now``: 正在, 马上, 快来 ...) is written, the learned model raises it to no
level. Review 34a F4: nor when the text tells of now, imminence, people at risk or
self-harm (:data:`DANGER_BESIDE`: 随时, 现在, 有人在, 没反应, 撑不下去 ...) or the model's
``danger`` head fires on it as for the emergency line: safety is asymmetric, the form never
lowers a danger (书记：您好，沼气池有人掉进去了 stays critical). The rubric's families still rate
it (a danger to life written as a letter is
still found by the rubric's words), and :func:`nlp.background.letter_now` reads a board
letter's headline that recounts a past harm as background (stop 34).
"""

from __future__ import annotations

import re

__all__ = ["DANGER_BESIDE", "office_letter", "tells_danger_now"]

_HEAD = 5
"""How many characters of the headline the body repeats."""

_HEAD_REACH = 80
"""How far after the headline's words their repetition must start."""

_TITLE_REACH = 24
"""How far into the text the repeated words may start (请关注A9市龙伏镇的…龙伏镇有…)."""

_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")

_TITLE_MIN, _TITLE_MAX = 8, 60
"""A headline line's length (characters)."""

_BODY_MIN = 20
"""The fewest characters of body after a headline line."""

_OFFICIALS = "书记|市长|县长|区长|镇长|乡长|局长|厅长|处长|科长|主任|主席|部长|省长|领导"
_SALUTATION = re.compile(
    rf"(?:尊敬的|敬爱的)[\u4e00-\u9fff]{{0,12}}(?:{_OFFICIALS}|同志|政府|部门)"
    rf"|(?:{_OFFICIALS})(?:们)?\s*[：:,，]?\s*(?:您好|你好|好[，,！!])"
    rf"|(?:{_OFFICIALS})\s*[：:]"
)
"""A salutation to an official: 尊敬的领导, 蒋厅长：您好, 环保局领导好, 秦局：您好 (by 您好)."""

_HARMED = ("诈骗", "骗光", "被骗", "骗走", "安全感")
"""Words of the writer wronged by a crime or living in fear (…诈骗我20多万，这是我全部积蓄呀;
让我们住在这里的居民很没有安全感): a letter's form does not make those a mere request."""

_END = "。…~～"

DANGER_BESIDE = (
    # now or imminence (墙已经歪了，随时会塌; 井下又冒烟了)
    "随时",
    "正在",
    "还在",
    "刚才",
    "刚刚",
    "刚有",
    "刚又",
    "现在",
    "此刻",
    "马上",
    "眼下",
    "又冒",
    "快要",
    "要塌",
    "会塌",
    "要倒",
    "烧起来",
    "冒火",
    "冒烟",
    # people at risk (还有人在下面, 下去救的人也倒了, 喊了半天没反应)
    "有人在",
    "有人被",
    "有人掉",
    "人倒了",
    "人也倒",
    "也倒了",
    "没反应",
    "叫不醒",
    "不动了",
    "动不了",
    "躺在地上",
    "压在",
    "困住",
    "被困",
    "掉进",
    "掉下去",
    "掉了下去",
    "抽搐",
    "口吐白沫",
    "出不来",
    "喘不上",
    "喘不过气",
    "昏迷",
    "不省人事",
    "起不来",
    "反锁",
    # self-harm or hopelessness (我实在撑不下去了，不想再拖累家人了)
    "撑不下去",
    "活不下去",
    "不想活",
    "不想再活",
    "拖累",
    "没有活路",
    "没活路",
    "活着没意思",
    "想死",
    "去死",
    "轻生",
    "自杀",
    "寻死",
    "遗书",
    "告别",
    "跳下去",
    "跳楼",
    "跳河",
    "安眠药",
    "农药",
    "割腕",
    "了结",
)
"""Words that tell a danger now beside a letter's form (review 34a F4): a short text in a
letter's form with one of them is still a citizen's message for the danger model."""


def office_letter(text: str) -> str | None:
    """The form that makes a (short) text a letter to an office, or ``None``.

    Args:
        text: Normalised text.

    Returns:
        ``"headline"`` (the title repeated, or a title line), ``"salutation"``, or ``None``.
    """
    s = text.strip()
    if any(w in s for w in _HARMED):
        return None
    for at in range(_TITLE_REACH - _HEAD + 1):
        head = s[at : at + _HEAD]
        if len(head) == _HEAD and _WORDS.fullmatch(head):
            again = s.find(head, at + _HEAD)
            if 0 < again <= at + _HEAD_REACH:
                return "headline"
    title, nl, body = s.partition("\n")
    if (
        nl
        and _TITLE_MIN <= len(title.strip()) <= _TITLE_MAX
        and title.strip()[-1] not in _END
        and len(body.strip()) >= _BODY_MIN
    ):
        return "headline"
    if _SALUTATION.search(s[:80]) or re.search(r"[：:]\s*(?:您好|你好)", s[:60]):
        return "salutation"
    return None


def tells_danger_now(text: str) -> bool:
    """True if a (short) text in a letter's form tells of now, imminence, people at risk or
    self-harm (:data:`DANGER_BESIDE`): its form then does not keep the danger model from it.

    Args:
        text: Normalised text.
    """
    return any(w in text for w in DANGER_BESIDE)
