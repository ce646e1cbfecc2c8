"""The words of a digest: one message that lists the reminders of a scheduler pass.

A pass that fires many timers (a night of missed deadlines, a jump of the sandbox's
clock) would otherwise send each person one message per case and event (trial 28
P4: 74 messages to one station chief). :mod:`bot.services.cases.digest` folds
them into one message per person; this module words it (no I/O).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: A digest stays well inside Telegram's 4096 characters (UTF-16 units).
DIGEST_BUDGET = 3600
#: How much of a case's text a digest line shows.
SNIPPET_CHARS = 24

#: The head tag of a notice → what happened, in a digest line.
EVENT_WORDS = {
    "催签收": "超期未签收",
    "催派单": "超期未派单",
    "催办": "超过办结时限",
    "上报督办": "已上报督办",
    "督办催办": "督办单位催办",
    "重办": "重办",
}
#: A card sent as a new message (a unit newly made responsible by an escalation).
NEW_CARD = "新转来的案件"
#: A card the owning unit's person has not received yet (bound after the filing, say).
NEW_CASE = "新案件"
#: A case a digest lists again with nothing new but its card (told of before).
STILL_OPEN = "仍待处理"
#: How a digest line tells an escalation (已上报督办, or where to: 已上报群工办（第2级）).
ESCALATED_WORDS = "已上报"
#: Where an escalation notice says the case went: 已上报至{unit}（第{n}级）.
_ESCALATED_TO = re.compile(r"已上报至(.+?)（第(\d+)级）")

_TAG = re.compile(r"^【([^】]{1,12})】")


#: The reminders a later one of the same case repeats (第1次 → 第2次 提醒).
REPEATING_TAGS = frozenset({"催签收", "催派单", "催办", "督办催办"})


#: A reporter's escalation notice (:func:`~bot.services.notifications.reporter_escalated`):
#: where it went, or a citizen's danger nobody signed (then plain words and the line).
_REPORTER_ESCALATED = re.compile(r"^(您的[^（]{1,8}（[^）]+）)已提交(.+?)督办。$")
_REPORTER_UNSIGNED = re.compile(
    r"^(您反映的紧急情况（[^）]+）承办单位还未回应，)已报告上级催办(?:，本轮共上报\d+级)?；(.*)$",
    re.S,
)
#: The notice :func:`escalation_notice` makes of several levels.
_REPORTER_LEVELS = re.compile(r"^您的[^（]{1,8}（[^）]+）已逐级上报\d+级，先后提交.+督办。$")


def is_escalation_notice(text: str) -> bool:
    """Whether ``text`` is a reporter's escalation notice (one per level passed, or
    :func:`escalation_notice`'s of several)."""
    return any(p.match(text) for p in (_REPORTER_ESCALATED, _REPORTER_UNSIGNED, _REPORTER_LEVELS))


def escalation_notice(texts: Sequence[str]) -> str:
    """One reporter's notice for the escalations of one case in one pass, saying how
    far it went (trial 34 #14: a jump over two levels sent the same words twice)."""
    if len(texts) < 2:
        return texts[-1]
    named = [_REPORTER_ESCALATED.match(t) for t in texts]
    if all(named):
        units: list[str] = []
        for found in named:
            assert found is not None
            if found.group(2) not in units:
                units.append(found.group(2))
        head = named[-1].group(1) if named[-1] is not None else ""
        if len(units) < 2:
            return texts[-1]
        return f"{head}已逐级上报{len(units)}级，先后提交{'、'.join(units)}督办。"
    unsigned = [_REPORTER_UNSIGNED.match(t) for t in texts]
    last = unsigned[-1]
    if all(unsigned) and last is not None:
        # A citizen's danger: no office names (trial 30 #12), how many levels, the line.
        return f"{last.group(1)}已报告上级催办，本轮共上报{len(texts)}级；{last.group(2)}"
    return texts[-1]


def notice_tag(text: str) -> str | None:
    """The head tag of a repeating reminder (催签收, 催办 …), else None."""
    match = _TAG.match(text)
    return match.group(1) if match is not None and match.group(1) in REPEATING_TAGS else None


def event_words(text: str, is_card: bool, *, owner: bool = False) -> str:
    """What a held row tells, in a few words (its head tag, or a new card: for the
    owning unit's person a case not seen yet, for another unit one passed on to it)."""
    if is_card:
        return NEW_CASE if owner else NEW_CARD
    match = _TAG.match(text)
    if match is None:
        return "新通知"
    tag = match.group(1)
    if tag == "上报督办" and (to := _ESCALATED_TO.search(text)) is not None:
        # Where it went, and at which level (trial 32 D6: 已上报督办 alone read to a
        # supervisor as its own step still).
        return f"已上报{to.group(1)}（第{to.group(2)}级）"
    return EVENT_WORDS.get(tag, tag)


@dataclass
class DigestItem:
    """One case of a digest.

    Attributes:
        number: the case number.
        severity: ``low`` … ``high`` (a critical case is never folded).
        severity_label: its level in words.
        kind_label: 群众诉求 or 预警信息.
        snippet_of: the case's text as the recipient may read it.
        events: what happened, in words, in order (no repeats).
        action: the one thing the recipient should do (None for a reporter).
        reporter_lines: for the case's reporter, the first line of each notice.
        new_card: the recipient has not got the case's card yet (it comes with 查看).
        photos: the case's photos not sent to the recipient yet (they follow the card).
    """

    number: str
    severity: str
    severity_label: str
    kind_label: str
    snippet_of: str
    action: str | None
    events: list[str] = field(default_factory=list)
    reporter_lines: list[str] = field(default_factory=list)
    new_card: bool = False
    photos: int = 0
    #: ``request`` or ``warning``: where its reporter follows it (/status or /mine).
    kind: str = "request"


_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _short(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def reporter_block(item: DigestItem) -> str:
    """A reporter's news of one case in one sentence (trial 29 P10).

    The notices each start 「您的预警（MQ…）」; a digest names the case once and joins
    what happened: 「您的预警（MQ…）已提交督查督办中心督办；已提交群工办督办。」, never
    「…督办。；您的预警（MQ…）…」.
    """
    prefix = re.compile(rf"^您的[^（]{{1,8}}（{re.escape(item.number)}）")
    head = ""
    parts: list[str] = []
    for line in item.reporter_lines:
        found = prefix.match(line)
        if found is not None:
            head = head or found.group(0)
            line = line[found.end() :]
        part = line.strip().rstrip("。；;")
        if part and part not in parts:
            parts.append(part)
    return head + "；".join(parts) + "。"


def digest_text(items: Sequence[DigestItem], *, handler: bool) -> str:
    """The digest for one person: staff get each case's event and the action it needs;
    a reporter gets the news of each of their cases. More urgent cases first (a case
    new to the recipient first within its level); what does not fit is counted, with
    the way to see it (/pending, /status). A case whose card or photos the recipient has
    not got says so: they come with 查看."""
    # More urgent first; within a level, a case the recipient has not seen yet first.
    ordered = sorted(items, key=lambda i: (-_RANK.get(i.severity, 0), not i.new_card))
    if handler:
        urgent = sum(1 for i in ordered if i.severity == "high")
        head = f"【待办汇总】本轮到期提醒共{len(ordered)}件" + (
            f"（其中重大{urgent}件，已排在最前）" if urgent else ""
        )
        head += "，请逐件处理："
        tail = "发送 /pending 查看全部待办；点下方「查看」打开案件卡片办理。"
        if any(i.new_card or i.photos for i in ordered):
            tail = (
                "新案件的卡片和照片在点「查看」后发送。"
                "发送 /pending 查看全部待办；点下方「查看」打开案件卡片办理。"
            )
        more = "……另有{n}件未列出，请发送 /pending 查看。"
    else:
        head = f"【进展汇总】您报送的{len(ordered)}件事项有新进展："
        # An officer follows warnings with /mine, a citizen requests with /status
        # (trial 29 P10: officers were pointed to /status).
        kinds = {i.kind for i in ordered}
        command = (
            "/mine"
            if kinds == {"warning"}
            else "/status 或 /mine"
            if "warning" in kinds
            else "/status"
        )
        tail = f"发送 {command} 查看详情。"
        more = "……另有{n}件未列出，请发送 " + command + " 查看。"
    lines = [head]
    used = _units(head) + _units(tail) + 40
    shown = 0
    for n, item in enumerate(ordered, 1):
        if handler and item.events:
            level = f"（{item.severity_label}）" if item.severity == "high" else ""
            photos = f"（附照片{item.photos}张）" if item.photos else ""
            block = (
                f"{n}. {item.number}{level} {'、'.join(item.events)}{photos}"
                + (f" → {item.action}" if item.action else "")
                + f"\n   {_short(item.snippet_of)}"
            )
        else:
            block = f"{n}. " + reporter_block(item)
        if used + _units(block) + 1 > DIGEST_BUDGET:
            break
        lines.append(block)
        used += _units(block) + 1
        shown += 1
    if shown < len(ordered):
        lines.append(more.format(n=len(ordered) - shown))
    lines.append(tail)
    return "\n".join(lines)
