"""Texts of a draft kept while an emergency typed in its middle is handled at once."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.texts.steps import RESUME, RESUME_LABEL


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def request_draft_kept(text: str) -> str:
    """A citizen's unsubmitted problem, kept while the emergency is filed."""
    return (
        f"紧急情况已优先处理。您正在填写的问题「{_short(text)}」没有丢失，草稿已保留："
        "处理完紧急情况后，点「继续提交」接着填写。"
    )


def request_draft_markup(serial: object) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(RESUME_LABEL, callback_data=f"{RESUME}:{serial}")]]
    )


def warning_draft_kept(text: str | None, filed: bool) -> str:
    """An officer's warning in progress, kept while the emergency is filed as its own warning."""
    if filed:
        return (
            "紧急情况已作为一条新预警立即报送。您刚才正在补充的预警没有受影响，"
            "请按上一条提示继续补充，或发送 /cancel 结束补充。"
        )
    return (
        f"紧急情况已作为一条新预警立即报送。您正在填写的预警「{_short(text or '')}」"
        "仍保留、尚未报送：请在上方预警研判上点「确认」继续，或发送 /cancel 取消。"
    )
