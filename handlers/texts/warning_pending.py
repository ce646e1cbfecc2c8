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


def withdraw_question(old: str, rubric: str) -> str:
    """算了 / 不报了 typed at a proposal (trial 33b E3): withdraw it, or file it?"""
    head = f"要撤回预警「{_short(old)}」吗？它还没有报送。\n"
    if rubric in ("high", "critical"):
        head += (
            "这条预警研判为重大：撤回会留下记录；如果不回答，"
            "系统仍会按研判结果提醒您并在15分钟后自动报送。\n"
        )
    return head + "点「报送」：照常报送；点「放弃」：撤回，不报送。"


CRITICAL_NOT_WITHDRAWN = (
    "这条预警研判为特别重大，涉及人身安全，不能撤回：安全第一，已为您照常报送。"
    "情况如有出入，请在报送后点「补充说明」写明，承办单位会核实。"
)


def filed_before_answer(old: str, number: str | None) -> str:
    """放弃 / 报送 tapped after the unanswered proposal was filed by the service (review 4
    F3): nothing is dropped; the level or a withdrawal goes through the case itself."""
    return (
        f"预警「{_short(old)}」在15分钟内未确认，已由系统自动报送（编号：{number}），"
        "没有撤回，也不会重复报送。如需降低等级或撤回，请在 /mine 中打开该预警，"
        "点「更改等级」并写明理由。"
    )


def withdrawn(old: str, rubric: str) -> str:
    """The proposal withdrawn on the officer's word."""
    tail = "（重大预警的撤回已记录。）" if rubric in ("high", "critical") else ""
    return f"已撤回预警「{_short(old)}」，没有报送，也不会自动报送。{tail}"


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
