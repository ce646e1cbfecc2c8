"""Words of a reporter being threatened or pressed into silence (trial 31 #3).

A withdrawal (撤回) whose reason says the reporter was threatened — 他威胁我说报警就杀了我,
物业的人说我再投诉就找人打断我的腿 — is no withdrawal: the case stays open and its
handlers learn of the threat (``bot.services.cases.CaseService.withdraw``).

Classes of wording, not sentences: a word for a threat or intimidation; "if you report
again, then …"; sending people to beat someone; a threat to the body or life; not daring
(or not being let) to report. A plain change of mind (问题已经解决了, 不想再投诉了 太麻烦,
不敢相信这么快就修好了) matches none of them. Pure language judgement (moved from
``bot/services/coercion.py``, stop 32); the withdrawal service calls it. A regular
expression rather than a model: the classes are few and must be read by a reviewer.
"""

from __future__ import annotations

import re

_REPORT = r"(?:投诉|报警|反映|举报|告状|上访|曝光|打电话)"

#: Each class of wording that tells of a threat against the reporter.
THREAT_PATTERNS: tuple[re.Pattern[str], ...] = (
    # A word for it: 威胁, 恐吓, 胁迫, 报复, 逼我撤.
    re.compile(r"威胁|恐吓|胁迫|要挟|报复|逼我|逼着我"),
    # "If you report again, then …": 再投诉就…, 敢报警就…, 要是反映…就.
    re.compile(rf"(?:再|敢|要是|如果|若)(?:去|来|给)?{_REPORT}.{{0,12}}(?:就|要|便)"),
    # Sending people: 找人打断我的腿, 叫人收拾我, 喊人来砍.
    re.compile(r"(?:找|叫|喊)(?:几个)?人(?:来)?(?:打|收拾|弄|砍|教训|修理|废)"),
    # The body or life: 打断腿, 弄死, 杀了我, 要我的命, 让我好看.
    re.compile(
        r"打断.{0,4}(?:腿|手)|弄死|杀了?我|杀你|要(?:我|你)(?:的)?命|(?:让|叫)(?:我|你)好看"
    ),
    # Not daring, not being let: 不敢再反映了, 不让我报警.
    re.compile(rf"不敢(?:再)?{_REPORT}|不敢(?:再)?说|不让我{_REPORT}"),
)


def tells_of_threat(text: str | None) -> bool:
    """Whether ``text`` tells of a threat against the reporter (:data:`THREAT_PATTERNS`).

    >>> tells_of_threat("物业的人说我再投诉就找人打断我的腿")
    True
    >>> tells_of_threat("问题已经解决了，谢谢")
    False
    """
    return bool(text) and any(p.search(text or "") for p in THREAT_PATTERNS)
