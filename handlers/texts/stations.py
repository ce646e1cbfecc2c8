"""Texts for station chiefs and staff: /pending, notes for 办结 / 退单 / 上报, the desk."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.services import notifications as nt
from bot.services.callbacks import CallbackCodec, CaseAction
from bot.services.cases import CaseView
from bot.services.cases.order import shown_deadline
from config.district import District
from handlers.texts.common import (
    MAX_MESSAGE,
    _inline,
    snippet,
)

__all__ = [
    "ACTION_DONE",
    "CHOOSE_BUREAU",
    "CLOSURE_BY_LABEL",
    "CLOSURE_PROMPT",
    "CLOSURE_PROMPT_NO_FOLLOW_UP",
    "FORGED_BUTTON",
    "NOTE_ACTION_NAMES",
    "NOTE_CANCELLED",
    "NOTE_EXPECTED",
    "NOT_HANDLER",
    "NO_PENDING",
    "PENDING_BUTTONS",
    "choose_dispatch_target",
    "closure_keyboard",
    "closure_prompt",
    "dispatch_step_left",
    "keep_reason_after",
    "note_abandoned",
    "note_done",
    "note_prompt",
    "outdated_notice",
    "pending_list",
    "pending_markup",
]


# --- station chiefs and staff -----------------------------------------------------------------

NOT_HANDLER = "只有已绑定单位的负责人（站长、主任）、工作人员可以查看待办案件。"
NO_PENDING = "本单位目前没有待办案件。"


def pending_list(unit_name: str, views: Sequence[CaseView], tz: ZoneInfo) -> str:
    """/pending: open cases in the service's order (critical first, then overdue first),
    each with the deadline its badge speaks of."""
    if not views:
        return NO_PENDING
    overdue = sum(1 for v in views if v.overdue)
    head = f"{unit_name}待办案件：共{len(views)}件" + (f"，其中超期{overdue}件" if overdue else "")
    parts = [head]
    used = len(head)
    shown = 0
    for i, view in enumerate(views, 1):
        # The deadline the badge speaks of: 办理超期 shows its 办结时限 (trial 32 D29).
        due = shown_deadline(view)
        # The card's own words: the desk's deadline is 派单时限, a unit's 签收时限; after
        # an escalation it is the new round's (督办…), still ahead (trial 29 #10).
        due_label = (
            "办结时限"
            if due is not view.ack_due_at
            else ("督办" if view.escalation_level else "")
            + ("派单时限" if view.status in ("registered", "returned") else "签收时限")
        )
        # What was missed, and when if the deadline shown is no longer it.
        flag = f"⚠️{view.overdue_label or '超期'}" if view.overdue else ""
        if flag and view.missed_ack_due_at is not None and view.overdue_label != "办理超期":
            flag += f"（原时限{nt.fmt_time(view.missed_ack_due_at, tz)}）"
        flag += " " if flag else ""
        kind = (
            f"{view.kind_label}·{view.severity_label}"
            if view.kind == "warning" or view.severity in ("high", "critical")
            else view.kind_label
        )
        block = (
            f"{i}. {flag}{view.number}（{kind}）{view.status_label}"
            f"{f'（第{view.reopen_count}次重办）' if view.reopen_count else ''}\n"
            f"   {due_label}：{nt.fmt_time(due, tz)}\n"
            f"   内容：{_gist(view)}"
        )
        if used + len(block) + 40 > MAX_MESSAGE:
            break
        parts.append(block)
        used += len(block) + 1
        shown += 1
    if shown < len(views):
        parts.append(f"……还有{len(views) - shown}件未显示。")
    buttons = min(len(views), PENDING_BUTTONS)
    parts.append(
        "点下方按钮查看案件卡片并办理。"
        if buttons >= len(views)
        else f"点下方按钮查看案件卡片并办理（按钮为前{buttons}件）。"
    )
    return "\n".join(parts)


def _gist(view: CaseView) -> str:
    """The list's excerpt: a critical case's danger sentence first when the text opens
    with another matter (trial 32 D16: the excerpt stopped at the parking fees)."""
    cue = nt.danger_cue(view)
    return f"【危险】{snippet(cue, 40)}" if cue is not None else snippet(view.text, 40)


#: Most 查看 buttons under /pending (a list this long fills a message anyway).
PENDING_BUTTONS = 30


def pending_markup(
    codec: CallbackCodec, views: Sequence[CaseView], limit: int = PENDING_BUTTONS
) -> InlineKeyboardMarkup | None:
    """One 查看 button per case, in the list's order (critical first, then overdue: the
    service's), so the first button is the first case listed (trial 32 D29)."""
    rows = [
        [(f"查看 {v.number}", codec.encode(CaseAction.REFRESH, v.id, v.version))]
        for v in views[:limit]
    ]
    return _inline(rows) if rows else None


NOTE_ACTION_NAMES: dict[CaseAction, str] = {
    CaseAction.RESOLVE: "办结",
    CaseAction.RETURN: "退单",
    CaseAction.ESCALATE: "上报",
    CaseAction.REJECT: "不予受理",
    CaseAction.EXTEND_NO: "不同意延期",
    CaseAction.DISPATCH: "维持派单",
}


def note_prompt(
    action: CaseAction, number: str, care: bool = False, *, warning: bool = False
) -> str:
    """办结 / 退单 / 上报 ask for a note in the next message.

    ``care``: 办结 of a self-harm request, whose reporter gets a human word and the
    crisis line, not the result text (trial 29 #13). ``warning``: 办结 of an officer's
    warning, told to the officer who sent it, with no 回访 (stop 35 #3).
    """
    if action == CaseAction.RESOLVE and warning:
        return (
            f"请发送 {number} 的办结说明（办理结果，将告知报送预警的信息员）。发送 /cancel 取消。"
        )
    if action == CaseAction.RESOLVE and care:
        return (
            f"请发送 {number} 的办结说明（办理情况，仅记入案件，不转告反映人；"
            "反映人将收到一条关心的消息和心理援助热线，此件不发起回访）。发送 /cancel 取消。"
        )
    if action == CaseAction.RESOLVE:
        return f"请发送 {number} 的办结说明（办理结果，将告知反映人）。发送 /cancel 取消。"
    if action == CaseAction.ESCALATE:
        return (
            f"请发送 {number} 的上报理由（将转告上级单位，例如需要协调的部门）；"
            "不需要说明请发送「跳过」。发送 /cancel 取消。"
        )
    if action == CaseAction.REJECT:
        return (
            f"请发送 {number} 不予受理的理由（将告知反映人，例如：内容与诉求无关、"
            "含辱骂内容、无法识别的信息）。发送 /cancel 取消。"
        )
    if action == CaseAction.EXTEND_NO:
        return (
            f"请发送不同意 {number} 延期的理由（将告知承办单位，例如：路灯维修无需5个工作日）。"
            "发送 /cancel 取消（延期申请仍待审批）。"
        )
    if action == CaseAction.DISPATCH:
        return (
            f"{number} 是由该单位退回的。请发送维持派单的理由（将随案件发给该单位，"
            "例如：经核实属于贵单位职责）。发送 /cancel 取消，案件仍在分派台。"
        )
    return f"请发送 {number} 的退单理由（案件将退回分派台重新派单）。发送 /cancel 取消。"


def keep_reason_after(number: str) -> str:
    """A danger-now case went back in one tap to the unit that returned it (b33 #4)."""
    return (
        f"{number} 已立即派回退单单位。请补充发送维持派单的理由（将发给该单位，"
        "例如：持刀伤人属公安处置）。发送 /cancel 不补充。"
    )


NOTE_EXPECTED = "请用文字发送说明，或发送 /cancel 取消。"
#: Why a note cannot be skipped (/skip at its step, trial 30 #14).
_NOTE_NEEDED = {
    CaseAction.RESOLVE: "反映人将看到办理结果",
    CaseAction.RETURN: "分派台据此重新派单",
    CaseAction.REJECT: "将告知反映人",
    CaseAction.EXTEND_NO: "将告知承办单位",
    CaseAction.DISPATCH: "退单单位将看到分派台的理由",
}


def note_not_skippable(action: CaseAction, number: str) -> str:
    """/skip where a note is required: the step still waits for it."""
    name = NOTE_ACTION_NAMES.get(action, "操作")
    what = "办结说明" if action == CaseAction.RESOLVE else f"{name}理由"
    why = _NOTE_NEEDED.get(action)
    because = f"（{why}）" if why else ""
    return (
        f"{number} 的{what}不能跳过{because}。请直接发送{what}；"
        f"放弃{name}请发送 /cancel，案件不会有任何变化。"
    )


#: 办结 kind labels → the service's closure kinds (实际解决 / 解释说明 / 不属实).
CLOSURE_BY_LABEL = {"实际解决": "solved", "解释说明": "explained", "不属实": "unfounded"}
CLOSURE_PROMPT = (
    "请选择办结类型：问题已实际解决，还是作了解释说明，或经核实反映不属实？"
    "（群众回访时的答复将与此一并记录，群众表示未解决的按未解决计。）"
)
#: The same for a case without a 回访 (a self-harm request: trial 34 #18; an officer's
#: warning: stop 35 #3).
CLOSURE_PROMPT_NO_FOLLOW_UP = (
    "请选择办结类型：问题已实际解决，还是作了解释说明，或经核实反映不属实？"
)


def closure_prompt(care: bool = False) -> str:
    """The 办结 type question; ``care`` (a self-harm request or a warning, closed with no
    回访) does not speak of a 回访 answer it will never have."""
    return CLOSURE_PROMPT_NO_FOLLOW_UP if care else CLOSURE_PROMPT


def closure_keyboard() -> ReplyKeyboardMarkup:
    """实际解决 / 解释说明 / 不属实 as one row of reply buttons."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label) for label in CLOSURE_BY_LABEL]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


NOTE_CANCELLED = "已取消，案件未作改动。"


def note_done(action: CaseAction, view: CaseView) -> str:
    """After 办结 / 退单 / 上报."""
    if action == CaseAction.RESOLVE:
        if view.reporter_blocked and view.kind == "warning":
            # Trial 28 P2: never 「已通知」 when nothing could be sent.
            return (
                f"已办结：{view.number}。报送人已屏蔽本机器人，办结通知暂时无法送达，"
                "请电话告知办理结果。"
            )
        if view.reporter_blocked:
            return (
                f"已办结：{view.number}。反映人已屏蔽本机器人，办结通知和回访暂时无法送达"
                "（对方恢复使用后可在 /status 中评价），请电话告知办理结果。"
            )
        if view.kind == "warning":
            return f"已办结：{view.number}。已通知报送人。"
        if view.status == "closed":
            # A self-harm report closes at once, with no follow-up (trial 29 P12).
            return f"已办结：{view.number}。已告知反映人，此件不发起回访。"
        return f"已办结：{view.number}。已通知反映人并发起回访。"
    if action == CaseAction.ESCALATE:
        return f"已上报：{view.number}，已提交{view.escalated_to_unit_name}督办。"
    if action == CaseAction.REJECT:
        return f"已不予受理：{view.number}，已结案并将理由告知反映人。"
    if action == CaseAction.EXTEND_NO:
        return f"已不同意延期：{view.number}，已将理由告知{view.owning_unit_name}。"
    if action == CaseAction.DISPATCH:
        return f"已维持派单：{view.number}，已派至{view.owning_unit_name}，理由已一并告知。"
    return f"已退单：{view.number}，已退回{view.owning_unit_name}重新派单。"


ACTION_DONE: dict[CaseAction, str] = {
    CaseAction.ACKNOWLEDGE: "已签收",
    CaseAction.START: "已标记为处理中",
    CaseAction.ESCALATE: "已上报",
    CaseAction.DISPATCH: "已派单",
    CaseAction.EXTEND_OK: "已同意延期",
    CaseAction.EXTEND_NO: "已不同意延期",
    CaseAction.URGE: "已催办承办单位",
}
FORGED_BUTTON = "无效的按钮，操作未执行。"


#: The statuses in which an action has been done (by someone): pressing it again is a repeat.
DONE_IN: dict[CaseAction, frozenset[str]] = {
    CaseAction.ACKNOWLEDGE: frozenset(
        {"acknowledged", "in_progress", "resolved", "followed_up", "closed"}
    ),
    CaseAction.START: frozenset({"in_progress", "resolved", "followed_up", "closed"}),
    CaseAction.RESOLVE: frozenset({"resolved", "followed_up", "closed"}),
    CaseAction.RETURN: frozenset({"returned"}),
    CaseAction.REJECT: frozenset({"rejected"}),
}


def outdated_notice(
    view: CaseView, action: CaseAction, done_by: str | None = None, by_me: bool = False
) -> str:
    """A button whose case has moved on: says whether the action was done already
    (by the presser or by ``done_by``) or only the message is old."""
    if action in (CaseAction.EXTEND_OK, CaseAction.EXTEND_NO):
        return f"该延期申请已处理，无需重复操作（{view.number}，当前状态：{view.status_label}）"
    if action in (CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM) and view.status not in (
        "registered",
        "returned",
    ):
        who = "您已" if by_me else (f"已由{done_by}" if done_by else "已")
        return (
            f"{view.number} {who}派至{view.owning_unit_name}，无需重复派单"
            f"（当前状态：{view.status_label}）。"
        )
    verb = ACTION_NAMES.get(action, "")
    if verb and view.status in DONE_IN.get(action, frozenset()):
        who = "您已" if by_me else (f"已由{done_by}" if done_by else "已")
        return f"{view.number} {who}{verb}，无需重复操作（当前状态：{view.status_label}）。"
    return (
        f"此消息已过时：{view.number} 当前状态为“{view.status_label}”，"
        "请在最新的案件卡片上操作（发送 /pending 可查看）。"
    )


#: A case action's name in a sentence.
ACTION_NAMES: dict[CaseAction, str] = {
    CaseAction.ACKNOWLEDGE: "签收",
    CaseAction.START: "标记处理中",
    CaseAction.RESOLVE: "办结",
    CaseAction.RETURN: "退单",
    CaseAction.ESCALATE: "上报",
    CaseAction.REJECT: "作不予受理处理",
    CaseAction.DISPATCH: "派单",
    CaseAction.EXTEND_NO: "不同意延期",
}


def dispatch_step_left(number: str, unit: str, after: bool) -> str:
    """The desk left the 维持派单 reason step (another button, a command, /cancel or
    the step expired). ``after`` a one-tap 派单 of danger now the case WAS dispatched
    (review 2 Q2); otherwise nothing changed and the real button is named."""
    unit = unit or "原承办单位"
    if after:
        return (
            f"{number} 已派至{unit}，案件已派出，无需重新派单；"
            f"维持派单理由尚未补充，仍需说明：请尽快直接告知{unit}。"
        )
    return (
        f"{number} 未派出（未填写维持派单理由），案件没有变化。"
        f"如仍需派回，请在案件卡片上重新点「派至{unit}」并发送理由。"
    )


def note_abandoned(action: CaseAction, number: str) -> str:
    """A pending 办结 / 退单 / 上报 / 不予受理 note dropped because another button was pressed."""
    name = ACTION_NAMES.get(action, "操作")
    return f"（{number} 的{name}未完成，已取消，案件未作改动；如仍需{name}，请在卡片上重新点击。）"


CHOOSE_BUREAU = "请选择承办部门："
CHOOSE_STATION = "请选择承办的工作站："


def choose_dispatch_target(number: str, district: District, room_id: str) -> str:
    """Above the desk's 派单 buttons of one room, or of the street/park stations."""
    if room_id == nt.STATIONS_CHOICE:
        return f"{number} 派至{nt.STATIONS_LABEL}：{CHOOSE_STATION}"
    return f"{number} 派至{district.rooms[room_id].name}：{CHOOSE_BUREAU}"


# --- text after a refused note button (trial 26 T13) ---------------------------------------

AS_NEW_YES = "是，作为新情况反映"
AS_NEW_NO = "不是（不登记）"
AS_NEW_DROPPED = (
    "好的，没有登记。案件卡片已更新，请在最新的卡片上操作：发送 /pending，点「查看」该案件，"
    "再点按钮并发送理由。"
)
AS_NEW_GONE = "这段文字已处理过或已过期。如需反映新情况，请直接发送文字描述。"


def as_new_question(number: str, action: str, text: str) -> str:
    """Text right after a refused note button: a new situation, or meant as the note?"""
    short = text if len(text) <= 40 else text[:40] + "…"
    return (
        f"您刚才在 {number} 的旧卡片上点的「{action}」没有执行，所以「{short}」"
        f"没有作为{action}理由记录，也还没有登记。\n"
        f"这是要反映的新情况吗？如果是{action}理由，请在最新的案件卡片上重新点「{action}」"
        "（发送 /pending 可找到该案件）。"
    )
