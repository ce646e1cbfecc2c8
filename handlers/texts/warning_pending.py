"""Texts of an unconfirmed warning proposal kept when the officer sends something new."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.texts.common import UI

#: Callback data of the question's buttons (an entry point of the warning conversation).
PENDING_FILE = f"{UI}wq:file"
PENDING_DROP = f"{UI}wq:drop"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def pending_question(old: str, new: str | None) -> str:
    """The earlier proposal is not filed yet: file it first, or drop it?"""
    then = f"再处理新的预警「{_short(new)}」" if new else "再填写新的预警"
    return (
        f"您刚才的预警「{_short(old)}」还没有报送。先报送刚才的预警吗？\n"
        f"点「报送」：先报送刚才的预警，{then}；\n"
        "点「放弃」：不报送刚才的预警，只处理新的内容。"
    )


def pending_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("报送", callback_data=PENDING_FILE),
                InlineKeyboardButton("放弃", callback_data=PENDING_DROP),
            ]
        ]
    )


def dropped(old: str) -> str:
    return f"已放弃刚才的预警「{_short(old)}」，没有报送。"


def kept_after_list(old: str, lowering: bool) -> str:
    """/mine answered while the proposal waits: it is kept, and what to do next."""
    then = (
        "请发送降低等级的理由，或点下方「保持」不降级。"
        if lowering
        else "请在下方预警研判上点「确认」报送，或点「取消」放弃。"
    )
    return f"您正在填写的预警「{_short(old)}」还没有报送，已为您保留：{then}"


NOTHING_PENDING = "这个问题已处理（刚才的预警已报送或已取消）。"

#: 不是这个部门 / 换一个 typed while a warning's proposal waits for 确认 (pf29).
WARN_OFFICE_CORRECTION = "好的，预警内容保持不变。请选择负责的部门（点「« 返回」回到原来的建议）："
