"""Texts of a reporter's acts on a filed case: 补充说明 and 撤回 (citizens and officers)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services import warning_receipt as receipt_buttons
from bot.services.cases import CaseView
from bot.services.notification_reporter import verified_why
from handlers.texts.common import UI
from handlers.texts.warning_level import level_button

#: Callback prefixes (unsigned ``ui:`` buttons: the service checks that the presser
#: is the case's reporter, and 撤回's confirmation carries the version it was drawn at).
NOTE = receipt_buttons.NOTE
WITHDRAW = receipt_buttons.WITHDRAW
WITHDRAW_YES = f"{UI}wdy"
WITHDRAW_NO = f"{UI}wdn"
#: 跳过 under the optional reason asked after 确认撤回.
WITHDRAW_SKIP = f"{UI}wds"
#: Longest reason for a withdrawal (a short sentence; the station reads it on its ping).
MAX_WITHDRAW_REASON = 200
#: The one-shot ``/warn TEXT`` receipt's 补充地点/人数/照片 (the guided flow's steps).
WARN_ADD = receipt_buttons.WARN_ADD

#: Statuses in which 撤回 is offered (open: before 办结).
WITHDRAWABLE = frozenset(
    {"registered", "dispatched", "acknowledged", "in_progress", "returned", "reopened"}
)
#: Statuses in which a warning's level may still change (更改等级): before 办结.
LEVEL_CHANGEABLE = WITHDRAWABLE
#: Statuses in which nothing can be added.
FINAL = frozenset({"closed", "rejected", "withdrawn"})
#: How many cases of a list get buttons (the newest).
MAX_WITH_BUTTONS = 5


def short(number: str) -> str:
    """The tail of a case number for a button label (MQ20261127-0007 → 0007)."""
    return number.rsplit("-", 1)[-1]


def case_buttons(view: CaseView) -> list[InlineKeyboardButton]:
    """补充说明 / 撤回 for one of the reporter's own cases (none when final)."""
    buttons: list[InlineKeyboardButton] = []
    if view.status in FINAL:
        return buttons
    tail = short(view.number)
    buttons.append(InlineKeyboardButton(f"补充说明 {tail}", callback_data=f"{NOTE}:{view.id}"))
    if view.status in WITHDRAWABLE:
        buttons.append(InlineKeyboardButton(f"撤回 {tail}", callback_data=f"{WITHDRAW}:{view.id}"))
    if view.kind == "warning" and view.status in LEVEL_CHANGEABLE:
        buttons.append(level_button(view, tail))
    return buttons


def list_markup(views: Sequence[CaseView]) -> InlineKeyboardMarkup | None:
    """Buttons under /status (or /mine): 补充说明 / 撤回 for the newest open cases."""
    rows = [b for b in (case_buttons(v) for v in views[:MAX_WITH_BUTTONS]) if b]
    return InlineKeyboardMarkup(rows) if rows else None


def warning_filed_markup(view: CaseView) -> InlineKeyboardMarkup:
    """Under a one-shot ``/warn TEXT`` receipt: the guided flow's after-filing actions."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("补充地点/人数/照片", callback_data=f"{WARN_ADD}:{view.id}")],
            [
                InlineKeyboardButton("补充说明", callback_data=f"{NOTE}:{view.id}"),
                InlineKeyboardButton("撤回", callback_data=f"{WITHDRAW}:{view.id}"),
            ],
            [level_button(view)],
        ]
    )


def note_prompt(number: str) -> str:
    return f"请直接发送要补充到 {number} 的内容（文字），承办单位会收到通知。发送 /cancel 取消。"


NOTE_CANCELLED = "已取消，未补充任何内容。"
NOTE_LEFT = "补充说明未发送（您已转到其他操作）；如需补充，请在 /status 中重新点「补充说明」。"


def withdraw_confirm(view: CaseView, verify: bool) -> str:
    """The confirmation asked before 撤回 (``verify``: only a request the units verify)."""
    if verify:
        return (
            f"{view.number} {verified_why(view)}，不能直接撤回："
            "确认后，您的撤回申请会转告承办单位，由他们联系核实、确认安全后办结。确定申请撤回吗？"
        )
    return (
        f"确定撤回 {view.number} 吗？撤回后承办单位将停止办理（记录会保留在 /status 中），"
        "此操作不能恢复；如有新情况可重新反映。"
    )


def withdraw_markup(view: CaseView, verify: bool) -> InlineKeyboardMarkup:
    yes = "确认申请撤回" if verify else "确认撤回"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{WITHDRAW_YES}:{view.id}:{view.version}"),
                InlineKeyboardButton("不撤回", callback_data=f"{WITHDRAW_NO}:{view.id}"),
            ]
        ]
    )


def withdraw_reason_prompt(view: CaseView, verify: bool) -> str:
    """Asked after 确认撤回: an optional short reason, passed on to the station."""
    what = "申请撤回" if verify else "撤回"
    return (
        f"请简要说明{what} {view.number} 的原因（选填，{MAX_WITHDRAW_REASON}字以内，"
        "例如“问题已自行解决”），直接发送文字即可，原因会转告承办单位；"
        "不想说明请点「跳过」。"
    )


def withdraw_reason_markup(view: CaseView) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "跳过", callback_data=f"{WITHDRAW_SKIP}:{view.id}:{view.version}"
                ),
                InlineKeyboardButton("不撤回", callback_data=f"{WITHDRAW_NO}:{view.id}"),
            ]
        ]
    )


def withdraw_reason_too_long(length: int) -> str:
    return (
        f"撤回原因请简短说明（{MAX_WITHDRAW_REASON}字以内，您发送了{length}字），请重新发送；"
        "不想说明请点「跳过」。如有新问题要反映，请在撤回后直接发送。"
    )


def withdraw_done(view: CaseView, reason: str | None = None) -> str:
    done = (
        f"已撤回 {view.number}。"
        if view.status == "withdrawn"
        else f"{view.number} 的撤回申请已转告承办单位核实。"
    )
    return done + (f"\n撤回原因：{reason}" if reason else "")


def withdraw_left(number: str) -> str:
    """A command, a menu button or danger now while the reason was asked: not withdrawn."""
    return f"{number} 没有撤回（撤回原因还没有填写），问题继续办理。如需撤回，请重新点「撤回」。"


WITHDRAW_CANCELLED = "已取消撤回，问题继续办理。"
WITHDRAW_STALE = "这个撤回问题已处理或已过期，没有撤回。如需撤回，请重新点「撤回」。"
WITHDRAW_CHANGED = "该问题的办理情况刚刚有了变化，请看更新后的提示再确认。"


WITHDRAW_KEPT = "好的，未撤回，问题继续办理。"
NOT_WITHDRAWABLE = "该问题已办结或已结束，不能撤回。"
NOT_SUPPLEMENTABLE = "该问题已办结或已结束，不能再补充说明；如有新情况，请直接发送给我们。"

#: A progress question from a citizen whose cases are all closed (trial 28 P6).
NO_OPEN_CASES = (
    "您目前没有正在办理中的问题，已办结的问题可发送 /status 查看。"
    "如有新的问题，直接发送问题描述即可。"
)
