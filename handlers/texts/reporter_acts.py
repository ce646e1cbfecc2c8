"""Texts of a reporter's acts on a filed case: 补充说明 and 撤回 (citizens and officers)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.cases import CaseView
from handlers.texts.common import UI

#: Callback prefixes (unsigned ``ui:`` buttons: the service checks that the presser
#: is the case's reporter, and 撤回's confirmation carries the version it was drawn at).
NOTE = f"{UI}cnote"
WITHDRAW = f"{UI}wd"
WITHDRAW_YES = f"{UI}wdy"
WITHDRAW_NO = f"{UI}wdn"
#: The one-shot ``/warn TEXT`` receipt's 补充地点/人数/照片 (the guided flow's steps).
WARN_ADD = f"{UI}wadd"

#: Statuses in which 撤回 is offered (open: before 办结).
WITHDRAWABLE = frozenset(
    {"registered", "dispatched", "acknowledged", "in_progress", "returned", "reopened"}
)
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
        ]
    )


def note_prompt(number: str) -> str:
    return f"请直接发送要补充到 {number} 的内容（文字），承办单位会收到通知。发送 /cancel 取消。"


NOTE_CANCELLED = "已取消，未补充任何内容。"
NOTE_LEFT = "补充说明未发送（您已转到其他操作）；如需补充，请在 /status 中重新点「补充说明」。"


def withdraw_confirm(view: CaseView, verified: bool) -> str:
    """The confirmation asked before 撤回 (``verified``: the station must verify it)."""
    if verified:
        return (
            f"{view.number} 涉及人身安全，不能直接撤回：确认后，您的撤回申请会转告承办单位，"
            "由他们联系核实、确认安全后办结。确定申请撤回吗？"
        )
    return (
        f"确定撤回 {view.number} 吗？撤回后承办单位将停止办理（记录会保留在 /status 中），"
        "此操作不能恢复；如有新情况可重新反映。"
    )


def withdraw_markup(view: CaseView, verified: bool) -> InlineKeyboardMarkup:
    yes = "确认申请撤回" if verified else "确认撤回"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{WITHDRAW_YES}:{view.id}:{view.version}"),
                InlineKeyboardButton("不撤回", callback_data=f"{WITHDRAW_NO}:{view.id}"),
            ]
        ]
    )


def withdraw_done(view: CaseView) -> str:
    if view.status == "withdrawn":
        return f"已撤回 {view.number}。"
    return f"{view.number} 的撤回申请已转告承办单位核实。"


WITHDRAW_KEPT = "好的，未撤回，问题继续办理。"
NOT_WITHDRAWABLE = "该问题已办结或已结束，不能撤回。"
