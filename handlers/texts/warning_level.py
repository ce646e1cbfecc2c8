"""Texts of 更改等级 on a filed warning (the receipt, /mine)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services import notifications as nt
from bot.services import warning_receipt as receipt_buttons
from bot.services.cases import CaseView, LevelChoice
from bot.services.triage import MIN_REASON_CHARS
from handlers.texts.common import UI

#: Callback prefixes (unsigned ``ui:`` buttons: the service checks who presses).
LEVEL = receipt_buttons.LEVEL
LEVEL_SET = f"{UI}lvs"
#: The button's label.
LEVEL_LABEL = receipt_buttons.LEVEL_LABEL


def level_button(view: CaseView, tail: str = "") -> InlineKeyboardButton:
    """更改等级 under a warning's receipt or in /mine."""
    label = f"{LEVEL_LABEL} {tail}".strip()
    return InlineKeyboardButton(label, callback_data=f"{LEVEL}:{view.id}")


def picker(choice: LevelChoice) -> str:
    """The question: the level now, and what lowering a critical one needs."""
    now = nt.SEVERITY_LABELS.get(choice.severity, choice.severity)
    lines = [f"{choice.number} 当前等级：{now}。请选择新的等级："]
    if any(choice.needs_reason(lvl) for lvl in choice.levels):
        # The district office is the district: its own change is recorded and every unit
        # holding the warning reads it, nobody "reports it to the district" (stop 35 D3).
        told = (
            "理由记入案件记录，承办单位和已收到预警的单位会看到"
            if choice.by_office
            else "并同时报区群工办核实"
        )
        lines.append(f"上调无需理由；下调须写明理由（“特别重大”预警最多下调至“较大”，{told}）。")
    return "\n".join(lines)


def picker_markup(choice: LevelChoice) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                nt.SEVERITY_LABELS[lvl],
                callback_data=f"{LEVEL_SET}:{choice.case_id}:{choice.version}:{lvl}",
            )
        ]
        for lvl in choice.levels
    ]
    return InlineKeyboardMarkup(rows)


#: Sent with the removal of a warning step's reply keyboard while the reason is awaited.
REASON_TYPED = "（请直接输入理由；补充步骤的按钮已收起。）"


def reason_prompt(number: str, level: str) -> str:
    label = nt.SEVERITY_LABELS.get(level, level)
    return (
        f"请发送将 {number} 下调为“{label}”的理由（至少{MIN_REASON_CHARS}个字，说明核实了什么，"
        "例如“已电话核实，老人与家人在一起，情绪稳定”）。理由会记入案件记录。"
        "发送 /cancel 不下调。"
    )


def changed(view: CaseView, was: str, reason: str | None) -> str:
    """Done: the new level, and who was told."""
    before = nt.SEVERITY_LABELS.get(was, was)
    lines = [f"已将 {view.number} 的等级由“{before}”更改为“{view.severity_label}”。"]
    if reason:
        lines.append(f"理由：{reason}")
    if view.overdue or view.escalation_level > 0:
        # A missed deadline and an escalation stay (trial 27 N9).
        lines.append(
            "该预警已超期或已上报督办：原办理时限和督办状态保持不变，不因更改等级而重新计时。"
        )
    else:
        lines.append("办理时限已按新等级自现在起重新计算。")
    lines.append("承办单位和已收到预警的单位均已看到新等级。")
    return "\n".join(lines)


LEVEL_CANCELLED = "已取消，等级未更改。"
LEVEL_LEFT = "等级未更改（您已转到其他操作）；如需更改，请在 /mine 中重新点「更改等级」。"
LEVEL_CHANGED_MEANWHILE = "该预警刚刚有了变化，请重新点「更改等级」。"
