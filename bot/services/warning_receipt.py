"""An officer's warning receipt and the buttons under it, in one place.

The guided and one-shot ``/warn`` answer with it (:mod:`handlers.officer_filing`), and
so does a 重大 proposal the service files for an officer who never confirmed it
(:mod:`bot.services.cases.warning_unconfirmed`, trial 34 #13: that receipt was the
citizens' one, with no 补充说明 / 撤回 / 更改等级 and /status for /mine). The buttons are
unsigned ``ui:`` buttons: the service checks that the presser is the case's reporter.
Nothing here does I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView

#: Callback prefix of the conversation buttons (unsigned).
UI = "ui:"
#: 补充说明, 撤回, 更改等级 and 补充地点/人数/照片 under a warning's receipt.
NOTE = f"{UI}cnote"
WITHDRAW = f"{UI}wd"
LEVEL = f"{UI}lvl"
WARN_ADD = f"{UI}wadd"
#: The labels of those buttons.
NOTE_LABEL = "补充说明"
WITHDRAW_LABEL = "撤回"
LEVEL_LABEL = "更改等级"
WARN_ADD_LABEL = "补充地点/人数/照片"


def warning_receipt(view: CaseView, rubric: str | None = None) -> str:
    """Right after a warning was filed (``rubric``: the rules' level, when known).

    A critical rating the officer lowered still reaches those a critical alert
    reaches, with the reason: the receipt says so.
    """
    lines = [
        f"预警已报送！编号：{view.number}",
        f"等级：{view.severity_label}",
        f"已推送：{view.owning_unit_name}",
    ]
    if rubric == "critical" and view.severity != "critical":
        lines.append("按定级规则此预警为“特别重大”，下调等级及理由已同时报区里核实。")
    if view.informed_unit_names:
        # Every unit the warning reached (the police's copy of a danger to life too).
        lines.append("同时报送：" + "、".join(view.informed_unit_names))
    lines.append("办理进展会通知您，发送 /mine 查看。")
    return "\n".join(lines)


def warning_receipt_markup(case_id: int) -> dict[str, Any]:
    """The receipt's buttons as a Telegram ``InlineKeyboardMarkup`` dict (for the outbox)."""
    return {
        "inline_keyboard": [
            [{"text": WARN_ADD_LABEL, "callback_data": f"{WARN_ADD}:{case_id}"}],
            [
                {"text": NOTE_LABEL, "callback_data": f"{NOTE}:{case_id}"},
                {"text": WITHDRAW_LABEL, "callback_data": f"{WITHDRAW}:{case_id}"},
            ],
            [{"text": LEVEL_LABEL, "callback_data": f"{LEVEL}:{case_id}"}],
        ]
    }
