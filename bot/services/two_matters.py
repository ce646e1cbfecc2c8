"""Two matters in one message, seen before filing (trial D3, intake).

「楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账」 is two matters for two
bureaus; filed as one case, one of them is lost. Before the citizen submits, the bot
may offer 「您提到了两件事…分开登记更快，要分开吗？」. The default stays one case: the
offer is made only when the text falls into exactly two runs of sentences, each read
by the classifier (the service's ``preview``, i.e. nlp's public classify) with high
confidence and for different bureaus, and the second is opened by a word such as
另外 / 还有 — or the message is two short sentences (a letter drifts between topics
from sentence to sentence without being two matters). A sentence the classifier is
unsure of joins the matter before it (or the first). Nothing here files anything.

A split never delays a serious matter (review 1, R1): with ``level`` (the level a text
would be filed at, ``CaseService.request_severity``) no offer is made when the whole text
or either matter would be filed 重大 (high) or above, or tells of danger now — it is filed
as one case at that level — nor when the matters' levels are both below the whole's; of
two matters the more serious is put first, so it is filed first.

Measured on single-matter messages (false offers) and on pairs of them joined by
「，另外」 (offers found) — see docs/lifecycle.md, "拆分".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.services.cases.model import Preview
from bot.services.triage import emergency_of

#: The confidence each matter's sentences need (the classifier's 0..1).
CONFIDENT = 0.8
#: A sentence shorter than this (meaningful characters) is no matter by itself.
MIN_MATTER_CHARS = 6
#: Messages longer than this are letters (one petition, many sentences): no offer.
MAX_TEXT_CHARS = 300

#: Without a word that opens another matter, two sentences are two matters only in a
#: message this short (two one-sentence matters); a letter drifts between topics.
MAX_UNMARKED_CHARS = 80
#: The levels in order; from :data:`SERIOUS` up a message is never offered as two.
_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
SERIOUS = "high"

#: Words that open another matter (还有…, 另外…).
_OPENERS = ("另外", "还有", "此外", "对了", "再有", "再就是", "顺便", "还要反映", "另一件事")
#: Longer openings stripped whole from the second matter (还有一件事，… → …).
_MATTER_OPENERS = tuple(
    f"{w}{n}{t}"
    for w in ("还有", "另外", "另外还有", "再有")
    for n in ("一件", "一个", "个", "件")
    for t in ("事", "事情", "问题")
)
#: Where a message's sentences end, and where a comma opens another matter.
_SENTENCES = re.compile(r"(?<=[。！？!?；;\n])|[，,]\s*(?=" + "|".join(_OPENERS) + ")")


@dataclass(frozen=True)
class Matter:
    """One matter of a message: its words and the bureau the classifier reads."""

    text: str
    bureau: str
    bureau_name: str


@dataclass
class _Run:
    """Consecutive sentences read for one bureau (``read`` None: none sure yet)."""

    read: Preview | None
    parts: list[str]


@dataclass(frozen=True)
class TwoMatters:
    """The two matters a message holds, the more serious first (else in the order written)."""

    first: Matter
    second: Matter


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (and at 「，另外 / ，还有 …」), trimmed, none empty."""
    parts = (p.strip(" \t\n，,") for p in _SENTENCES.split(text))
    return [p for p in parts if p]


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def two_matters(
    text: str,
    preview: Callable[[str], Preview],
    confident: float = CONFIDENT,
    *,
    level: Callable[[str], str] | None = None,
) -> TwoMatters | None:
    """The two matters of ``text`` when it clearly holds two for different bureaus, else None.

    ``preview``: the classification of one sentence (``CaseService.preview``); ``level``:
    the level a text would be filed at (``CaseService.request_severity``).
    """
    if len(text) > MAX_TEXT_CHARS or emergency_of(text) is not None:
        return None
    parts = sentences(text)
    if len(parts) < 2:
        return None
    runs: list[_Run] = []
    for part in parts:
        read = preview(part) if _letters(part) >= MIN_MATTER_CHARS else None
        if read is not None and (read.unsure or read.confidence < confident):
            read = None
        if not runs:
            runs.append(_Run(read, [part]))
        elif read is None:
            runs[-1].parts.append(part)  # an unsure sentence goes with the matter before
        elif runs[-1].read is None:
            runs[-1].read = read  # an unsure opening goes with the first sure sentence
            runs[-1].parts.append(part)
        elif runs[-1].read.bureau == read.bureau:
            runs[-1].parts.append(part)
        else:
            runs.append(_Run(read, [part]))
    if len(runs) != 2:
        return None
    a, b = runs[0].read, runs[1].read
    if a is None or b is None:
        return None
    first, second = runs[0].parts, runs[1].parts
    marked = second[0].startswith(_OPENERS)
    if not marked and (len(text) > MAX_UNMARKED_CHARS or len(first) + len(second) > 2):
        return None
    found = TwoMatters(
        Matter(_join(first), a.bureau, a.bureau_name),
        Matter(_unopened(_join(second)), b.bureau, b.bureau_name),
    )
    return found if level is None else _by_level(text, found, level)


def _rank(level: str) -> int:
    return _RANK.get(level, _RANK["critical"])  # an unknown level is taken as the worst


def _by_level(text: str, found: TwoMatters, level: Callable[[str], str]) -> TwoMatters | None:
    """``found`` with the more serious matter first, or None when a split would delay or
    lower a serious matter (the whole or a part 重大 or above, or both parts below the whole)."""
    whole = _rank(level(text))
    first, second = _rank(level(found.first.text)), _rank(level(found.second.text))
    if max(whole, first, second) >= _RANK[SERIOUS] or max(first, second) < whole:
        return None
    return TwoMatters(found.second, found.first) if second > first else found


def _unopened(text: str) -> str:
    """The second matter without the word that opened it (另外我们小区… → 我们小区…)."""
    # The longest first: 还有一件事，… loses 还有一件事, not only 还有 (trial 33b E12).
    for opener in sorted((*_OPENERS, *_MATTER_OPENERS), key=len, reverse=True):
        if text.startswith(opener):
            rest = text[len(opener) :].lstrip("，,：: ")
            return rest if _letters(rest) >= MIN_MATTER_CHARS else text
    return text


def _join(parts: list[str]) -> str:
    """Sentences back into one text (a comma where none ends them)."""
    out = ""
    for part in parts:
        if out and out[-1] not in "。！？!?；;":
            out += "，"
        out += part
    return out
