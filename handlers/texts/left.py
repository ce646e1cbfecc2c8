"""What a user is told when a command takes them out of a step that was waiting for them.

A command in the middle of a step (``/start`` while a warning waits for 确认, ``/status``
while a 退单 waits for its reason, ``/help`` while a follow-up waits for a comment) ends
that step and is then answered (:func:`handlers.flow.leave_and_redo`). What the step held
was not saved; these texts say so and how to do it again, so nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.services.callbacks import CaseAction
from bot.services.notification_labels import FOLLOW_UP_ANSWERS
from handlers.texts.stations import NOTE_ACTION_NAMES, dispatch_step_left

__all__ = ["STALE_WARNING_BUTTON", "left_behind"]

#: Longest part of a warning's text quoted back.
QUOTE = 60

#: A button of a warning proposal whose draft is gone (left, expired or already handled).
#: (A proposal the service filed or holds for the officer is answered by
#: :mod:`handlers.warning_left` instead, trial 33 D5.)
STALE_WARNING_BUTTON = (
    "这个按钮已失效，该预警没有报送。请发送 /warn 重新报送，或发送 /mine 查看已报送的预警。"
)


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE else text[:QUOTE] + "……"


def _warning(item: Mapping[str, object]) -> str | None:
    number = item.get("number")
    if isinstance(number, str) and number and item.get("auto"):
        # Filed by the service while the officer had not confirmed (trial 33 D5).
        return (
            f"预警 {number} 已由系统按研判结果自动报送（您没有点「确认」），无需重新报送。"
            "发送 /mine 可查看办理情况。"
        )
    if isinstance(number, str) and number:
        return f"预警 {number} 已报送；补充信息（地点、人数、照片）的步骤已结束。"
    text = item.get("text")
    if isinstance(text, str) and text and item.get("held"):
        return (
            "⚠️ 您的预警还没有点「确认」：\n"
            f"{_quote(text)}\n"
            "这是重大预警，不会被遗漏：系统会按研判结果自动报送并告诉您编号，请勿重复报送。"
        )
    if isinstance(text, str) and text:
        return (
            "⚠️ 您的预警还没有报送（没有点「确认」）：\n"
            f"{_quote(text)}\n"
            "如需报送，请发送「/warn 预警内容」一步报送，或发送 /warn 重新填写。"
        )
    return "已退出预警报送（尚未填写内容，没有报送）。"


def _note(item: Mapping[str, object]) -> str | None:
    try:
        action = CaseAction(str(item.get("action")))
    except ValueError:
        return None
    name = NOTE_ACTION_NAMES.get(action)
    if name is None:
        return None
    number = str(item.get("number") or "该案件")
    if action == CaseAction.DISPATCH:
        return dispatch_step_left(number, str(item.get("unit") or ""), bool(item.get("after")))
    what = "办结说明" if action == CaseAction.RESOLVE else f"{name}理由"
    if action == CaseAction.RESOLVE and "text" in item:
        what = "办结类型"
    return (
        f"{number} 的{name}没有完成（未填写{what}），案件没有任何变化。"
        f"如需{name}，请在案件卡片上重新点「{name}」。"
    )


def _follow_up(item: Mapping[str, object]) -> str | None:
    answer = FOLLOW_UP_ANSWERS.get(str(item.get("answer")))
    label = answer[0] if answer else "回访答复"
    return (
        f"您的回访答复（{label}）还没有保存。请在回访消息上重新点选，然后发送您的意见或点「跳过」。"
    )


def left_behind(key: str, item: object) -> str | None:
    """What to tell the user whose pending ``item`` under ``user_data[key]`` was dropped.

    Args:
        key: ``"warn"``, ``"note"`` or ``"fu"`` (see :data:`handlers.flow.PENDING_KEYS`).
        item: What the step held.

    Returns:
        The notice, or ``None`` when there is nothing to say.
    """
    if not isinstance(item, Mapping):
        return None
    if key == "warn":
        return _warning(item)
    if key == "note":
        return _note(item)
    if key == "fu":
        return _follow_up(item)
    return None
