"""Text normalisation and masking of personal data.

``normalize`` prepares a citizen's message for segmentation: traditional to
simplified Chinese, full-width ASCII to half-width, no URLs, emoji or control
characters, and collapsed whitespace. ``mask_sensitive`` hides phone numbers
and resident identity numbers; the rest of the system reuses it for logs and
display, so it is a single compiled regular expression applied in one pass.
"""

from __future__ import annotations

import re
import threading
from typing import Any

__all__ = [
    "DANGER_HEAD",
    "DANGER_TAIL",
    "THING_EMOJI",
    "danger_text",
    "mask_sensitive",
    "normalize",
    "set_text_logging",
    "strip_markup",
    "text_for_log",
    "thing_words",
    "to_simplified",
]

_CONVERTER: Any = None
_CONVERTER_LOCK = threading.Lock()

# Full-width punctuation that is ordinary in Chinese text and therefore kept
# as it is: ，！？：；（）. Everything else in U+FF01..U+FF5E (digits, Latin
# letters, ＠＃％＋－＝ ...) becomes its ASCII counterpart, and the ideographic
# space U+3000 becomes a plain space.
_KEEP_FULLWIDTH = set("，！？：；（）")
_WIDTH_TABLE: dict[int, int | str | None] = {
    cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH
}
_WIDTH_TABLE[0x3000] = " "
# Whether a text has anything to translate: most messages have not, and a
# search is cheaper than a translation that changes nothing.
_WIDE_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH_TABLE)) + "]")

# URLs and emoji/pictographs become a space (they separate words); control
# and invisible format characters are dropped. Newlines and tabs are
# whitespace and are handled afterwards.
_PICTOGRAPHS = (
    r"\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF"
    r"\U0000FE00-\U0000FE0F\U000E0000-\U000E007F\u200d\u20e3"
)
_NOISE_RE = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|[" + _PICTOGRAPHS + "]+",
    re.IGNORECASE,
)
# Every character a match of _NOISE_RE can start with (no other character folds to
# h or w): most messages hold none, and this search in C is cheaper than the
# case-insensitive alternation tried at every place.
_NOISE_START_RE = re.compile("[hwHW" + _PICTOGRAPHS + "]")
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u2060\ufeff]"
)
_NEWLINE_RUN_RE = re.compile(r"\s*[\r\n\u2028\u2029]\s*")
_SPACE_RUN_RE = re.compile(r"[^\S\n]+")
# What each of the two needs to change anything (its \s* start is tried at every place).
_NEWLINE_RE = re.compile("[\r\n\u2028\u2029]")
_SPACE_RE = re.compile(r"\s")


def _converter() -> Any:
    """Return the process-wide OpenCC traditional-to-simplified converter."""
    global _CONVERTER
    if _CONVERTER is None:
        with _CONVERTER_LOCK:
            if _CONVERTER is None:
                import opencc

                _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones.

    Args:
        text: Any text; simplified characters and non-Chinese text pass
            through unchanged.

    Returns:
        The text in simplified characters.
    """
    result: str = _converter().convert(text)
    return result


def normalize(text: str) -> str:
    """Normalise a message before segmentation.

    Steps, in order: remove URLs, emoji and control/invisible characters;
    full-width ASCII to half-width (keeping the Chinese punctuation
    ，！？：；（）); traditional to simplified; collapse every run of
    whitespace that contains a line break into one ``"\\n"`` and every other
    run into one space; strip both ends.

    Args:
        text: The raw message.

    Returns:
        The normalised message (possibly empty).
    """
    text = _CONTROL_RE.sub("", text)
    if _NOISE_START_RE.search(text) is not None:
        text = _NOISE_RE.sub(" ", text)
    if _WIDE_RE.search(text) is not None:
        text = text.translate(_WIDTH_TABLE)
    if not text.isascii():
        text = to_simplified(text)
    if _NEWLINE_RE.search(text) is not None:
        text = _NEWLINE_RUN_RE.sub("\n", text)
    if _SPACE_RE.search(text) is not None:
        text = _SPACE_RUN_RE.sub(" ", text)
    return text.strip()


# Masking. The text is first read through a "digit view": full-width digits, Ｘ and
# separators (．－ and the ideographic space) map one to one onto ASCII, so that
# positions in the view are positions in the text and the mask is written into the
# original characters. One alternation, tried left to right at each position:
#  - an 18-digit resident identity number (last character may be X), or a
#    15-digit old-style one, optionally grouped 6-8-4 by spaces or hyphens: keep
#    the first 3 and last 2 characters, so that the province stays visible for a
#    dispatcher but neither the county, the birth date nor the sequence number
#    can be read;
#  - a mainland mobile number (1[3-9]x, optional +86/86 prefix, groups 3-4-4
#    optionally separated by a space, hyphen or dot): keep the first 3 and last
#    4 digits;
#  - a landline with an area code (0xx or 0xxx, optional separator, 7-8
#    digits): keep the area code and the last 4 digits.
# Digit look-arounds make sure that we never mask part of a longer number.
_VIEW_TABLE: dict[int, int] = {0xFF10 + d: ord("0") + d for d in range(10)}
_VIEW_TABLE.update(
    {
        0xFF38: ord("X"),  # Ｘ
        0xFF58: ord("x"),  # ｘ
        0xFF0B: ord("+"),  # ＋
        0xFF0D: ord("-"),  # －
        0x2010: ord("-"),  # hyphen
        0x2011: ord("-"),  # non-breaking hyphen
        0x2013: ord("-"),  # en dash
        0x2014: ord("-"),  # em dash
        0xFF0E: ord("."),  # ．
        0x00B7: ord("."),  # middle dot
        0x3000: ord(" "),  # ideographic space
        0x00A0: ord(" "),  # no-break space
    }
)
#: The view without Chinese numerals: a number written in digits next to words that
#: are numerals (电话13812345678一直不接: 一 made it 12 digits, shown in full, pf30).
_ARABIC_VIEW_TABLE = dict(_VIEW_TABLE)
#: Chinese numerals as digits, one character for one digit, so that a phone number
#: written 一三九一二三四五六七八 (or 幺三九…, 〇五七一…) is masked like 13912345678
#: (trial 29 P6). 十/百 are not digits of a number read out digit by digit.
_CHINESE_DIGITS = "零一二三四五六七八九"
_VIEW_TABLE.update({ord(c): ord("0") + d for d, c in enumerate(_CHINESE_DIGITS)})
_VIEW_TABLE.update({ord("〇"): ord("0"), ord("幺"): ord("1")})
_SEP = r"[-. ]"
#: What follows a number that counts or measures something, not a phone: 2500000元, 3000000人.
_UNITS = (
    "元|块|万|千|百|亿|角|分|年|月|日|号|点|时|秒|米|平|方|次|人|户|个|斤|克|吨|公里|里|楼|层|室"
    "|栋|幢|单元|届|期|%|％|岁|天|小时|份|件|张|辆|台|条|股|度|毫|升|cm|mm|km|kg|m"
)
#: Words before a number that say it is a phone (a 7-digit local number needs one).
_PHONE_CUE = re.compile(r"电话|座机|固话|手机|号码|联系|致电|打|拨|tel|phone|call", re.IGNORECASE)
#: An 8-digit date (20261207, 19900101): not a phone.
_DATE8 = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_SENSITIVE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?P<id>[0-9]{6}[- ]?[0-9]{8}[- ]?[0-9]{3}[0-9Xx]"
    r"|[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])"
    rf"|(?<![0-9])(?P<cc>(?:\+|00)?86{_SEP}?)?(?P<mobile>1[3-9][0-9]{_SEP}?[0-9]{{4}}"
    rf"{_SEP}?[0-9]{{4}})(?![0-9])"
    rf"|(?<![0-9])(?P<area>0[0-9]{{2,3}}){_SEP}?(?P<local>[0-9]{{3,4}}{_SEP}?[0-9]{{4}})(?![0-9])"
    # A local number without its area code (87654321, 8765 4321): see _is_phone (trial 31 #12).
    rf"|(?<![0-9A-Za-z.:/\-])(?P<bare>[2-9][0-9]{{2,3}}{_SEP}?[0-9]{{4}})"
    rf"(?![0-9A-Za-z]|{_SEP}?[0-9]|\s*(?:{_UNITS}))"
)
#: Cheap pre-check: no run of three digits, nothing to mask.
_MAYBE_SENSITIVE_RE = re.compile(r"[0-9\uff10-\uff19零〇幺一二三四五六七八九]{3}")


#: Normalised characters of a message's head that danger is read from (the classifier's bound).
DANGER_HEAD = 3000
#: A markup tag (<img src=x onerror=…>, </script>, <br/>): no words a person says about
#: danger; the learned model read its Latin letters as critical (trial 28 P5).
_MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,300})?/?\s*>")
#: Normalised characters of a long message's end that danger is read from as well.
DANGER_TAIL = 1000
#: Emoji that stand for a thing, read as its word where danger is read (trial 30 #4:
#: 💊💊💊 我吃了好多，好困 is an overdose told without the word 药; 救命 邻居家🔥了 a fire).
#: Only things a danger is told with; faces and gestures (😭, 🙏) say no thing. A 🔥 beside
#: a word is read as 火 there (火锅🔥 → 火锅火: the families' look-alikes still hold).
THING_EMOJI: dict[str, str] = {
    "\U0001f48a": "药",  # pill
    "\U0001f525": "火",  # fire
    "\U0001f52a": "刀",  # kitchen knife
    "\U0001f5e1": "刀",  # dagger
    "\U0001fa78": "血",  # drop of blood
    "\U0001f52b": "枪",  # pistol
    "\U0001f4a3": "炸弹",  # bomb
}
_THING_EMOJI_RE = re.compile("|".join(THING_EMOJI))


def strip_markup(text: str) -> str:
    """``text`` without markup tags, for a card a person reads (trial 32 D30: a card read
    「内容：<b>紧急</b>」).

    >>> strip_markup("<b>紧急</b>")
    '紧急'
    """
    return _MARKUP_RE.sub("", text) if "<" in text else text


def thing_words(text: str) -> str:
    """``text`` with each emoji of :data:`THING_EMOJI` written as its word.

    >>> thing_words("\U0001f48a\U0001f48a 我吃了好多")
    '药药 我吃了好多'
    """
    if not any(emoji in text for emoji in THING_EMOJI):  # 7 tests in C; the pattern: ~11 µs
        return text
    return _THING_EMOJI_RE.sub(lambda m: THING_EMOJI[m[0]], text)


def danger_text(text: str, normalized: str | None = None) -> str:
    """The normalised text that danger is read from: the head, and the end of a long message.

    A long report with the news in its last line (a pasted WeChat thread ending
    现在楼下有人拿刀砍人; a visit report ending 扬言要跳楼) must still get the
    emergency line and the critical level, so beyond the first ``DANGER_HEAD``
    characters the last ``DANGER_TAIL`` are read too, after a full stop.

    >>> danger_text("你好") == "你好"
    True
    >>> danger_text("物业不管" * 1000 + "现在有人拿刀砍人").endswith("现在有人拿刀砍人")
    True

    An emoji that stands for a thing is read as its word (:data:`THING_EMOJI`):

    >>> danger_text("\U0001f48a\U0001f48a\U0001f48a 我吃了好多，好困")
    '药药药 我吃了好多，好困'

    Markup tags are left out (``下水道堵了<img src=x>`` is read as 下水道堵了):
    what a web form or an API caller pasted around the words is not the words.

    >>> danger_text("下水道堵了<img src=x onerror=alert(1)>")
    '下水道堵了'

    ``normalized`` is ``normalize(text)`` when the caller has it already (the
    classifier reads its words from it): the text is not normalised again.

    >>> danger_text("我家煤氣泄漏了", normalized=normalize("我家煤氣泄漏了"))
    '我家煤气泄漏了'
    """
    if "<" in text:
        text = _MARKUP_RE.sub("", text)
        normalized = None
    if any(emoji in text for emoji in THING_EMOJI):
        text = thing_words(text)
        normalized = None
    short = len(text) <= DANGER_HEAD * 4
    head = normalized if short and normalized is not None else normalize(text[: DANGER_HEAD * 4])
    if short and len(head) <= DANGER_HEAD:
        return head
    tail = normalize(text[-DANGER_TAIL * 4 :])[-DANGER_TAIL:]
    return f"{head[:DANGER_HEAD]}。{tail}" if tail else head[:DANGER_HEAD]


def _star(chars: list[str], view: str, start: int, end: int, head: int, tail: int) -> None:
    """Star the digits of ``view[start:end]`` except the first ``head`` and last ``tail``."""
    positions = [i for i in range(start, end) if view[i].isalnum()]
    for i in positions[head : len(positions) - tail]:
        chars[i] = "*"


def _is_phone(match: re.Match[str], view: str) -> bool:
    """Whether a match of :data:`_SENSITIVE_RE` is a number to hide.

    Identity, mobile and landline numbers with their area code always are. A local
    number without its area code (87654321) looks like many other numbers, so it is
    hidden only when it cannot be a date (20261207) and, with 7 digits, only after a
    word that says it is a phone (电话, 座机, 打 …); a number followed by a unit
    (元, 人, 号 …) never matches (trial 31 #12).
    """
    if match.group("bare") is None:
        return True
    digits = "".join(ch for ch in match.group("bare") if ch.isdigit())
    if len(digits) == 8:
        return _DATE8.fullmatch(digits) is None
    return _PHONE_CUE.search(view[max(0, match.start() - 8) : match.start()]) is not None


def _phone_matches(text: str) -> list[tuple[str, re.Match[str]]]:
    """Every number to hide in ``text``, with the view it was read in."""
    found: list[tuple[str, re.Match[str]]] = []
    # Read once with Chinese numerals as digits (一三九…), once without them (a number
    # in digits followed by 一直 / 三天: its digits alone are the number).
    for view in (text.translate(_VIEW_TABLE), text.translate(_ARABIC_VIEW_TABLE)):
        found += [(view, m) for m in _SENSITIVE_RE.finditer(view) if _is_phone(m, view)]
    return found


def mask_sensitive(text: str) -> str:
    """Mask phone numbers and resident identity numbers in a text.

    The service's one masking function: logs, cards shown to a role that may not
    see the number, the citizen's status page and Open311 all use it.

    * Mobile ``13812345678`` → ``138****5678``; separators (space, hyphen, dot)
      and a ``+86`` prefix are kept: ``+86 138-1234-5678`` → ``+86 138-****-5678``,
      ``138.1234.5678`` → ``138.****.5678``.
    * Landline ``0731-84512345`` → ``0731-****2345``, also grouped ``0571 8765 4321``
      → ``0571 **** 4321``; without its area code ``87654321`` → ``****4321`` (not a
      date such as 20261207, a count such as 3000000人, or 7 digits with no 电话/打 … before).
    * Identity number ``110105199001011234`` → ``110*************34`` (first
      3 and last 2 characters kept; same for 15-digit old numbers and for
      numbers grouped ``110105 19900101 1234``).
    * Full-width digits are digits: ``１３８１２３４５６７８`` → ``１３８****５６７８``.
    * So are Chinese numerals read digit by digit (零〇幺一…九):
      ``一三九一二三四五六七八`` → ``一三九****五六七八``.

    Args:
        text: Any text.

    Returns:
        The text with every match masked and everything else unchanged (the
        same length as ``text``).
    """
    if _MAYBE_SENSITIVE_RE.search(text) is None:
        return text
    chars = list(text)
    for view, match in _phone_matches(text):
        if match.group("id") is not None:
            _star(chars, view, match.start("id"), match.end("id"), 3, 2)
        elif match.group("mobile") is not None:
            _star(chars, view, match.start("mobile"), match.end("mobile"), 3, 4)
        elif match.group("local") is not None:
            _star(chars, view, match.start("local"), match.end("local"), 0, 4)
        else:
            _star(chars, view, match.start("bare"), match.end("bare"), 0, 4)
    return "".join(chars)


def remove_sensitive(text: str, mark: str = "[已隐去]") -> str:
    """Replace every phone and resident identity number in a text by ``mark``.

    What a public text shows (Open311's descriptions, trial 30 #10): not even the
    digits :func:`mask_sensitive` keeps (``138****2222`` still tells a neighbour
    whose phone it is). The number goes whole, with its ``+86`` or area code and its
    separators; the same numbers are found as by :func:`mask_sensitive` (full-width
    digits, Chinese numerals read digit by digit).

    >>> remove_sensitive("老板电话13811112222，身份证110105199001011234")
    '老板电话[已隐去]，身份证[已隐去]'
    >>> remove_sensitive("打 +86 138-1111-2222 或 0731-84512345")
    '打 [已隐去] 或 [已隐去]'
    """
    if _MAYBE_SENSITIVE_RE.search(text) is None:
        return text
    spans = [(m.start(), m.end()) for _, m in _phone_matches(text)]
    if not spans:
        return text
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], mark]
        at = end
    out.append(text[at:])
    return "".join(out)


#: Whether logs may carry (masked) user texts: off unless ``MINQING_LOG_TEXTS=1``.
_LOG_TEXTS = False


def set_text_logging(enabled: bool) -> None:
    """Let :func:`text_for_log` show masked texts (the ``MINQING_LOG_TEXTS`` debug flag)."""
    global _LOG_TEXTS
    _LOG_TEXTS = enabled


def text_for_log(text: str | None, limit: int = 80) -> str:
    """A user's text as a log line may show it.

    Logs carry case numbers and classifications, not what people wrote: by default
    only the length (``<23 chars>``). With the debug flag on, the first ``limit``
    characters, masked by :func:`mask_sensitive`, on one line.
    """
    if not text:
        return ""
    if not _LOG_TEXTS:
        return f"<{len(text)} chars>"
    short = text if len(text) <= limit else text[:limit] + "…"
    return mask_sensitive(short).replace("\n", " ").replace("\r", " ")
