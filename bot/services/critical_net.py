"""The net under the emergency line: a citizen's text the rubric rates 特别重大 now.

:func:`bot.services.triage.emergency_of` (``nlp.emergency.detect``) gives the emergency
line (110 / 119 / 120) to danger told now. Some texts the written rubric rates 特别重大
get no line: a crowd of a hundred blocking the district government's gate (no family
with an emergency number), or a danger worded in a way the line's patterns miss. Before
review 32 S8 such a text from Telegram waited behind 提交 and three optional steps as
a routine proposal, and the service filed it 重大 at most (trial 28 P5, pf29).

:func:`critical_unlined` is the one rule every channel uses (Telegram, the web form,
Open311 all file through :meth:`bot.services.cases.CaseService.file_request`): the
rubric alone (``config/severity.toml``, not the learned model, which alone rates one
ordinary complaint in eleven 特别重大) rates the text critical, it gets no line, and it is
not told as an aftermath (the rubric's ``aftermath`` words: 申请救助, 赔偿, 保险 … — a
fire that burnt the house down last week, asked about relief, stays a request of 重大,
as pf29 decided). Such a text is filed at once as 特别重大: critical deadlines, the
owning unit, the dispatcher desk, the warning centres and the leadership alerted.

No emergency number is invented for it (the line's number depends on a danger the line
did not find); the citizen is told plainly that it was registered as 特别重大 and who
was alerted, and the district's policy sentence (:data:`GENERAL_LINE`, docs/severity.md
"Stop 33") names 110 only for someone's safety at risk on the spot.
"""

from __future__ import annotations

from nlp.background import fun_or_fiction
from nlp.families import match_families
from nlp.normalize import danger_text
from nlp.rubric import default_rubric
from nlp.rubric_modifiers import aftermath_text
from nlp.severity import assess_severity

__all__ = ["GENERAL_LINE", "critical_notice", "critical_unlined"]

#: The one general sentence a citizen reads when the rubric rates the text critical
#: without an emergency line (docs/severity.md, "Stop 33"): 110 is the general line of
#: the police, who answer any threat to safety on the spot; no 119 / 120 is named,
#: since no fire or injury was found.
GENERAL_LINE = "如现场有人身安全危险，请立即拨打 110 报警。"


def critical_notice(number: str) -> str:
    """What the citizen reads first when such a text was filed (Telegram, Open311)."""
    return (
        f"您反映的情况按规则研判为特别重大，已立即登记（编号：{number}），"
        "并已同时推送承办单位、区群众服务中心（调度）和区群工办，工作人员会立即处置。"
        f"{GENERAL_LINE}"
    )


def critical_unlined(text: str) -> bool:
    """Whether ``text`` is rated 特别重大 by the rubric alone, gets no emergency line and
    is not told as an aftermath (the module's rule). Callers check the line first."""
    if not text.strip():
        return False
    rated = assess_severity(text, learned=False)
    if rated.level != "critical":
        return False
    # A head count alone (涉及3000000人次, 四百多户 in a letter) is no crowd acting: a
    # family of what the people do (collective, blocking, a gate …) must be found too.
    if not set(rated.families) - {"headcount", "model"}:
        return False
    rub = default_rubric()
    norm = danger_text(text)
    if fun_or_fiction(norm, rub):  # 电视剧里有人跳楼: a scene watched
        return False
    if any(w in norm for w in rub.past):  # 上周, 去年, 那次: told as over
        return False
    after = aftermath_text(norm, rub)
    if any(w in after for w in rub.aftermath):  # 申请救助, 赔偿: asked about after it
        return False
    matches, _ = match_families(norm, rub)
    # A danger with an emergency number (fire, self-harm, violence …) is the line's to
    # judge: its look-alike frames (a safety question, a joke, a scare explained) are
    # measured on the blind sets, and the bare rubric would overrule them.
    if any(m.family.services for m in matches):
        return False
    # Every family found is told as happening: none past, hearsay or a feared risk.
    if any(m.past or m.hearsay or m.background for m in matches):
        return False
    return _protest_act(norm)


#: Acts that are contentious whatever else the text says (围堵, 拉横幅, 讨说法 …).
_PROTEST_WORDS = (
    "围堵",
    "堵门",
    "堵政府",
    "围住政府",
    "冲击",
    "拉横幅",
    "打横幅",
    "举牌",
    "举着牌",
    "讨说法",
    "讨薪",
    "讨工资",
    "讨要",
    "静坐",
    "上访",
    "抗议",
    "请愿",
    "维权",
    "闹事",
    "推搡",
    "不让人进出",
    "不肯走",
    "坐着不走",
)
#: What a crowd does that is no protest (review 3 P6): a square dance, parents fetching
#: their children, cars (not people) blocking a gate.
_BENIGN_CROWD = ("广场舞", "跳舞", "接孩子", "送孩子", "接送孩子", "辆车", "车把")


def _protest_act(norm: str) -> bool:
    """Whether the crowd's act may be a protest or blocking act, not a head count beside a
    square dance, a school gate at home time or cars (review 3 P6): a contentious word
    always counts; a benign act without one does not."""
    if any(w in norm for w in _PROTEST_WORDS):
        return True
    return not any(w in norm for w in _BENIGN_CROWD)
