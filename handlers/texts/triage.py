"""Texts of triage: small talk, vague openings, and officers' level changes.

Small talk is answered with the greeting's menu (:func:`handlers.texts.common.welcome_markup`).

The emergency line itself (110 / 119 / 120, 12110 by SMS) has one source for
every channel: :attr:`nlp.emergency.Emergency.line`, reached through
:class:`bot.services.triage.Triage`.
"""

from __future__ import annotations

from bot.services import notifications as nt

# --- citizens -------------------------------------------------------------------------------

SMALL_TALK_ANSWERS = {
    "greeting": "您好！我是民情服务助手，请问有什么可以帮您？",
    "thanks": "不客气！如有其他问题，随时告诉我。",
    "noise": "您好！需要帮助的话，请用文字描述您遇到的问题，或点下方按钮。",
}
VAGUE_QUESTION = "请具体说说遇到了什么问题：发生在哪里、什么事？"


def small_talk(kind: str) -> str:
    """The short friendly answer to a greeting, thanks or noise."""
    return SMALL_TALK_ANSWERS.get(kind, SMALL_TALK_ANSWERS["noise"])


# --- officers -------------------------------------------------------------------------------


def why_line(why: str) -> str:
    """The words that set a warning's level, or nothing."""
    return f"定级依据：{why}" if why else ""


def lower_reason_prompt(rubric: str, chosen: str) -> str:
    """Asked when an officer lowers a critical level."""
    return (
        f"按定级规则此预警为“{nt.SEVERITY_LABELS.get(rubric, rubric)}”。"
        f"改为“{nt.SEVERITY_LABELS.get(chosen, chosen)}”须说明理由，请发送理由；"
        "发送 /cancel 取消报送。"
    )


def lowered_line(reason: str) -> str:
    """The officer's reason for lowering, in the proposal."""
    return f"降级理由：{reason}"


EMPTY_REASON = "请用文字说明降级理由，或发送 /cancel 取消报送。"
