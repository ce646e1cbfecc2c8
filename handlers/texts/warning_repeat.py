"""Texts of the question asked when an officer's new warning repeats an open one."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.cases import CaseView
from handlers.texts.common import UI

#: Callback data of the question's buttons.
REPEAT_ADD = f"{UI}wr:add"
REPEAT_NEW = f"{UI}wr:new"
ADD_LABEL = "补充到原预警"
NEW_LABEL = "作为新预警提交"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:40] + "…"


def repeat_question(earlier: CaseView, new_text: str) -> str:
    """The new warning reads like an open one: the same matter, or a new one?"""
    return (
        f"您刚报送的「{_short(new_text)}」与您此前报送、正在办理的预警 {earlier.number}"
        f"「{_short(earlier.text)}」内容相同或相近，还没有另行报送。\n"
        f"点「{ADD_LABEL}」：作为 {earlier.number} 的补充说明，转告承办单位；\n"
        f"点「{NEW_LABEL}」：这是另一件事，另行登记报送。"
    )


def repeat_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(ADD_LABEL, callback_data=REPEAT_ADD),
                InlineKeyboardButton(NEW_LABEL, callback_data=REPEAT_NEW),
            ]
        ]
    )


def added(number: str) -> str:
    return f"已补充到原预警 {number}，承办单位会收到这条补充说明；没有另行报送。"


FILED_AS_NEW = "已作为新预警另行报送，编号见下条消息。"
NOTHING_ASKED = "这个问题已处理（相近的预警已补充或已报送）。"


def critical_linked(earlier_number: str, number: str) -> str:
    """A critical warning that repeats an open one: filed at once, and linked."""
    return (
        f"此预警与您此前报送的 {earlier_number} 内容相近。因等级为特别重大，已立即单独报送"
        f"（{number}），并已在 {earlier_number} 中补充说明两件的关联。"
    )


def link_note(number: str, level: str) -> str:
    """The note added to the earlier warning when a critical one repeats it."""
    return f"报送人另报内容相近的{level}预警 {number}，已单独报送办理，请一并关注。"
