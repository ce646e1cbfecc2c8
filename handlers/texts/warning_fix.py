"""Texts of a correction typed during a warning's optional steps (stop 35 #4)."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.services.warning_step_fix import FIELDS

__all__ = [
    "KEEP_LABEL",
    "NOT_A_FIELD",
    "corrected",
    "value_keyboard",
    "value_prompt",
    "which_field",
    "which_keyboard",
]

#: Nothing to change after all: back to the step.
KEEP_LABEL = "不用改了"
NOT_A_FIELD = "请点下方按钮选择要更正的一项，或点「不用改了」继续。"


def which_field(value: str | None) -> str:
    """A correction that does not say which answer it corrects."""
    said = f"（“{value}”）" if value else ""
    return f"收到更正{said}。请问要更正哪一项？"


def which_keyboard() -> ReplyKeyboardMarkup:
    """The fields a correction may change, and 不用改了."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label) for label in FIELDS.values()], [KeyboardButton(KEEP_LABEL)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def value_prompt(field: str) -> str:
    """The right value of ``field`` is asked for."""
    example = {
        "place": "例如 和平路3号门口",
        "head_count": "例如 30、五十多人",
        "text": "将作为更正说明补充到预警中",
    }[field]
    return f"请发送正确的{FIELDS[field]}（{example}）；不需要更正请点「{KEEP_LABEL}」。"


def value_keyboard() -> ReplyKeyboardMarkup:
    """A single 不用改了 button."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(KEEP_LABEL)]], resize_keyboard=True, one_time_keyboard=True
    )


def corrected(number: str, field: str, value: str) -> str:
    """A correction was applied to the filed warning."""
    if field == "text":
        return f"已将更正作为补充说明加入预警 {number}，并已告知承办单位：{value}"
    return f"已更正预警 {number} 的{FIELDS[field]}：{value}。"
