"""Texts for citizens about cases filed: /status, /mine and the follow-up (回访)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.services import notifications as nt
from bot.services.cases import CaseView, TimelineEntry
from bot.services.cases.split_rules import body_and_marks
from bot.services.lifecycle import AT_DESK, public_status_label
from bot.services.triage import is_self_harm
from handlers.texts.common import MAX_MESSAGE, SKIP, _inline, snippet

__all__ = [
    "FOLLOW_UP_COMMENT",
    "FOLLOW_UP_COMMENT_UNSOLVED",
    "FOLLOW_UP_CONFIRM_LABELS",
    "FOLLOW_UP_NOTED",
    "FOLLOW_UP_REMINDER",
    "FOLLOW_UP_THANKS",
    "FOLLOW_UP_WHICH",
    "MINE_FOR_OFFICERS",
    "NO_CASES",
    "NO_WARNINGS",
    "PROGRESS_AND_PROPOSAL",
    "PROGRESS_NEW_PROBLEM",
    "case_summary",
    "follow_up_answered",
    "follow_up_comment",
    "follow_up_in_words",
    "follow_up_late",
    "follow_up_late_label",
    "follow_up_pending",
    "follow_up_unclear",
    "skip_markup",
    "status_list",
    "timeline_lines",
]


# --- /status, /mine ---------------------------------------------------------------------------


def _when(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return "—"
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def case_summary(view: CaseView, tz: ZoneInfo) -> list[str]:
    """A few lines about one case for lists."""
    care = view.kind == "request" and is_self_harm(view.text)
    # 已超期 to a reporter means the 办结时限 they read has passed: a missed 签收 alone is
    # the units' business, told by the 督办 line (trial 33 D10; the desk's cases: fix32c).
    if view.overdue and view.overdue_label != "办理超期" and view.status not in AT_DESK:
        view = replace(view, overdue=False)
    # A danger-now case its station returned waits on the desk, not on the reporter:
    # they read that it is being re-assigned, not 已退单 or 已超期 (pf30 #1).
    reassigning = view.status == "returned" and view.severity == "critical"
    # 重新分派中, not 已退单 (read as "your request was turned down"); the desk's missed
    # 派单时限 and its 督办 are the units' business while nobody handles it (trial 32 D26).
    at_desk = view.status in AT_DESK
    status = "正在紧急重新指派" if reassigning else public_status_label(view.status)
    head = f"【{view.kind_label}】{view.number} · {status}"
    if view.kind == "warning":
        head += f" · {view.severity_label}"
    # Never dispatched: the desk's missed 派单时限 is the desk's, not an overdue case to the
    # reporter, who reads 待分派 and the desk's own deadline (fix32c).
    if view.overdue and not care and not at_desk:
        head += "【已超期】"
    if reassigning:
        lines = [head, "承办：原承办单位已退回，正在紧急重新指派承办单位"]
    elif view.status in ("registered", "returned"):
        lines = [head, "承办：正在分派承办单位"]
    else:
        lines = [head, f"承办：{view.owning_unit_name}"]
    if view.escalated_to_unit_name and not care and not at_desk:
        lines.append(f"督办：已提请{view.escalated_to_unit_name}督办")
    # The marks of a split (「（另一件事已拆分为 MQ…）」) are shown whole after the citizen's
    # words, never cut: the citizen reads where the other matter went (stop 35 #2).
    body, marks = body_and_marks(view.text)
    lines.append(f"内容：{snippet(body, 40)}{marks}")
    if care:
        # No deadline, 超期 or 督办 talk (trial 26 T4); the station's note stays internal.
        return lines
    if view.status in ("resolved", "followed_up", "closed") and view.resolution_note:
        lines.append(f"办理结果：{snippet(view.resolution_note, 60)}")
    elif view.resolve_due_at is not None and view.status not in ("registered", "returned"):
        lines.append(f"办结时限：{nt.fmt_time(view.resolve_due_at, tz)}")
    elif view.status == "registered" and view.ack_due_at is not None:
        late = "（已督促尽快分派）" if view.overdue else ""
        lines.append(f"分派时限：{nt.fmt_time(view.ack_due_at, tz)}{late}")
    return lines


def _follow_up_answer(data: Mapping[str, object]) -> str:
    """The reporter's own 回访 answer: 未解决 / 已解决·满意 …"""
    if data.get("solved") is False:
        return "未解决"
    label = nt.SATISFACTION_LABELS.get(str(data.get("satisfaction")), "")
    return f"已解决·{label}" if label else ""


def timeline_lines(
    entries: Sequence[TimelineEntry], tz: ZoneInfo, *, words: bool = True
) -> list[str]:
    """A case's progress, one event a line.

    With ``words``, what was said at 办结 (the result), 回访 (the reporter's own answer
    and comment) and 重办 (the unit that handles it again) is on its line (trial 30 #17:
    the steps alone said nothing of what happened). Without (a self-harm request, whose
    station's note stays internal), the steps alone.
    """
    out = []
    for e in entries:
        line = f"  {_when(e.at, tz)} {e.label}"
        if e.type in ("dispatched", "acknowledged") and e.unit_name:
            line += f"（{e.unit_name}）"
        elif e.type == "severity_changed" and e.note:
            line += f"（理由：{e.note}）"
        elif words and e.type == "resolved" and e.note:
            line += f"：{snippet(e.note, 60)}"
        elif words and e.type == "followed_up":
            said = [_follow_up_answer(e.data)]
            if e.note:
                said.append(f"您的意见：{snippet(e.note, 60)}")
            if told := "；".join(x for x in said if x):
                line += f"：{told}"
        elif words and e.type == "reopened" and e.unit_name:
            line += f"（{e.unit_name}重新办理）"
        out.append(line)
    return out


def status_list(
    views: Sequence[CaseView],
    timelines: Mapping[int, Sequence[TimelineEntry]],
    tz: ZoneInfo,
    *,
    title: str = "您反映的问题",
) -> str:
    """/status: the newest cases with their progress, as much as fits one message."""
    if not views:
        return NO_CASES
    parts = [f"{title}（最近{len(views)}件）："]
    used = len(parts[0])
    shown = 0
    for view in views:
        care = view.kind == "request" and is_self_harm(view.text)
        steps = timeline_lines(timelines.get(view.id, ()), tz, words=not care)
        block = "\n".join([*case_summary(view, tz), "进展：", *steps])
        if used + len(block) + 60 > MAX_MESSAGE:
            break
        parts.append(block)
        used += len(block) + 2
        shown += 1
    if shown < len(views):
        parts.append(f"……还有{len(views) - shown}件未显示。")
    return "\n\n".join(parts)


#: After the status of open cases shown for a question about progress (trial 27 N4).
#: With the status, when the question also tells a problem (review 3 P3).
PROGRESS_AND_PROPOSAL = (
    "以上是您正在办理中的问题的最新进展。您这次说的如果是一个新问题，请看下面的办理建议。"
)
PROGRESS_NEW_PROBLEM = (
    "以上是您正在办理中的问题的最新进展。如果您要反映的是一个新问题，"
    "请直接发送问题描述（发生了什么、在哪里），我会为您推荐办理部门。"
)
NO_CASES = "您还没有反映过问题。直接发送问题描述即可开始。"
NO_WARNINGS = "您还没有报送过预警。发送 /warn 报送预警。"
MINE_FOR_OFFICERS = (
    "/mine 用于信息员查看报送的预警。您反映的问题请发送 /status 查看办理情况；"
    "有新问题请直接发送文字描述。"
)


# --- follow-up --------------------------------------------------------------------------------

FOLLOW_UP_THANKS = "感谢您的评价！"
FOLLOW_UP_NOTED = "已记录，我们会重新办理。"
#: Above the waiting 回访 question(s), shown again after 嗯 / 好的 (trial 33 D7).
FOLLOW_UP_REMINDER = "您反映的问题已办结，正在等待回访答复：请点下方按钮告诉我们问题是否已经解决。"
#: A 回访 answered in words while several cases wait for one (trial 31 #13).
FOLLOW_UP_WHICH = "您有几件已办结的问题在等您回访，请在下面对应的问题下点按钮回复："


def follow_up_in_words(number: str, label: str, closed: bool) -> str:
    """A 回访 answered in words: what was recorded (trial 31 #13)."""
    if closed:
        return f"已把您的回复记为 {number} 的回访：{label}。感谢您的评价！"
    return (
        f"已把您的回复记为 {number} 的回访：{label}，您的话已转给承办单位，问题重新办理。"
        "如果您说的是另一个新问题，请再发一次并说明。"
    )


FOLLOW_UP_COMMENT = (
    "很抱歉办理结果没有让您满意。请简要说明原因或您的意见（直接发送文字），"
    "工作人员会重新办理；也可以点「跳过」。"
)
#: After 未解决: the problem is not solved, which is not the same as not liking the result
#: (trial 29 P12).
FOLLOW_UP_COMMENT_UNSOLVED = (
    "很抱歉问题还没有解决。请简要说明还有什么没有解决（直接发送文字），"
    "工作人员会重新办理；也可以点「跳过」。"
)


def follow_up_late(number: str) -> str:
    """A comment typed after the 未解决 / 不满意 prompt expired (trial 29 V10)."""
    return (
        f"您对 {number} 的回访答复已超时，这条消息还没有记入。"
        "如果这是该问题还没解决的情况，请点下面的按钮补充到该案件并重新办理；"
        "如果是新的问题，请重新发送。"
    )


def follow_up_late_label(number: str) -> str:
    """The button that adds the late comment to its case."""
    return f"补充到 {number} 并重新办理"


def follow_up_comment(answer: str | None) -> str:
    """What is asked after 未解决 (``unsolved``) or 不满意."""
    return FOLLOW_UP_COMMENT_UNSOLVED if answer == "unsolved" else FOLLOW_UP_COMMENT


def follow_up_pending(first_label: str, same_case: bool) -> str:
    """A follow-up button tapped while the comment on an earlier answer is awaited."""
    if same_case:
        return (
            f"您已选择“{first_label}”，此回答不能更改。请直接发送文字说明原因，"
            "或点「跳过」；工作人员会重新办理。"
        )
    return f"请先发送对上一件诉求的意见（您选择了“{first_label}”），或点「跳过」，再回答这一件。"


def follow_up_answered(question: str, answer_label: str) -> str:
    """The follow-up question, edited to show the answer (buttons removed)."""
    return f"{question}\n\n您的回复：{answer_label}"


def skip_markup() -> InlineKeyboardMarkup:
    """A single inline 跳过."""
    return _inline([[("跳过", SKIP)]])


def follow_up_unclear(number: str, words: str) -> str:
    """A partial or unsure typed 回访 answer, echoed with the question to confirm (trial 33 D7)."""
    return (
        f"关于 {number}，您回复：“{words}”。\n"
        "我不能确定问题是否已经解决，还没有记录您的回访。请确认："
    )


#: Labels of the confirmation after an unclear typed 回访 answer.
FOLLOW_UP_CONFIRM_LABELS = {"c_solved": "已解决", "c_partly": "部分解决", "c_unsolved": "未解决"}
