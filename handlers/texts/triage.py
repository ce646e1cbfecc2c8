"""Texts of triage: small talk, vague openings, and officers' level changes.

Small talk is answered with the greeting's menu (:func:`handlers.texts.common.welcome_markup`).

The emergency line itself (110 / 119 / 120, 12110 by SMS) has one source for
every channel: :attr:`nlp.emergency.Emergency.line`, reached through
:class:`bot.services.triage.Triage`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.services import notifications as nt
from bot.services.triage import REASON_HELP
from config.district import District
from handlers.texts.common import _inline

__all__ = [
    "EMPTY_REASON",
    "VAGUE_QUESTION",
    "WHICH_NEEDS_PROBLEM",
    "WHICH_PROMPT",
    "WHICH_USAGE",
    "W_KEEP",
    "danger_emoji_question",
    "keep_level_markup",
    "level_kept",
    "level_too_low",
    "lower_reason_prompt",
    "lowered_line",
    "officer_emergency_line",
    "service_help",
    "small_talk",
    "weak_reason",
    "why_line",
]


#: ``ui:w:keep`` keep the rubric's level instead of lowering it.
W_KEEP = "ui:w:keep"

# --- citizens -------------------------------------------------------------------------------

SMALL_TALK_ANSWERS = {
    "greeting": "您好！我是民情服务助手，请问有什么可以帮您？",
    "thanks": "不客气！如有其他问题，随时告诉我。",
    "noise": "您好！需要帮助的话，请用文字描述您遇到的问题，或点下方按钮。",
    "help": (
        "我是区民情服务助手：您用文字说明遇到的问题（什么事、在哪里），我会转给负责的部门办理，"
        "并告诉您办理进度。也可以点下方按钮：“反映问题”“咨询哪个部门”（只咨询不登记）、"
        "“查询进度”。遇到紧急危险请直接拨打110、119或120。"
    ),
}
VAGUE_QUESTION = "请具体说说遇到了什么问题：发生在哪里、什么事？"
WHICH_USAGE = "用法：/which 问题描述，例如：/which 单位拖欠工资怎么办"
#: /which without text, or the menu's 咨询哪个部门: the next message is the question.
WHICH_PROMPT = (
    "请用一两句话说说您遇到的问题（什么事、在哪里），我告诉您由哪个部门办理。这只是咨询，不会登记。"
)
#: ``/which`` followed by a greeting, thanks, noise or a vague opening: no office guessed.
WHICH_NEEDS_PROBLEM = (
    "请在 /which 后面写上具体遇到的问题，我才能告诉您由哪个部门办理，"
    "例如：/which 单位拖欠工资怎么办。"
)


_EMOJI_NUMBER_NAMES = {"110": "报警", "119": "火警", "120": "急救"}


def danger_emoji_question(services: tuple[str, ...]) -> str:
    """Emoji of a danger alone (🔥🔥🔥): asked back with the numbers (trial 34 #21)."""
    numbers = "、".join(f"{n}（{_EMOJI_NUMBER_NAMES.get(n, n)}）" for n in services)
    asked = "是着火了吗？" if services == ("119",) else "是遇到危险了吗？"
    return f"{asked}如有危险请立即拨打 {numbers}。\n安全的话，请用文字告诉我发生了什么、在哪里。"


def service_help(district: District) -> str:
    """The answer to a question about the service (stop 35 D14): what the bot does, the
    menu, and the service centre's address, hours and phone where the district has them."""
    desk = district.units.get(district.dispatcher)
    lines = [SMALL_TALK_ANSWERS["help"]]
    if desk is None or not (desk.address or desk.hours or desk.phone):
        return lines[0]
    lines.append(f"{desk.name}：")
    if desk.address:
        lines.append(f"地址：{desk.address}")
    if desk.hours:
        lines.append(f"办公时间：{desk.hours}")
    if desk.phone:
        lines.append(f"联系电话：{desk.phone}")
    return "\n".join(lines)


def small_talk(kind: str) -> str:
    """The short friendly answer to a greeting, thanks or noise."""
    return SMALL_TALK_ANSWERS.get(kind, SMALL_TALK_ANSWERS["noise"])


# --- officers -------------------------------------------------------------------------------


def why_line(why: str, *, rubric: str = "", chosen: str = "") -> str:
    """Why a warning has its level: the rubric's words, or the officer's own change.

    A level the officer raised or lowered is theirs, not the rubric's: the line
    says so, with what the rules had said (and their words) for comparison.
    """
    ranks = {s: i for i, s in enumerate(("low", "medium", "high", "critical"))}
    if rubric in ranks and chosen in ranks and rubric != chosen:
        ruled = f"规则研判为“{nt.SEVERITY_LABELS.get(rubric, rubric)}”" + (
            f"（{why}）" if why else ""
        )
        change = "上调" if ranks[chosen] > ranks[rubric] else "下调"
        return f"定级依据：您手动{change}为“{nt.SEVERITY_LABELS.get(chosen, chosen)}”；{ruled}"
    return f"定级依据：{why}" if why else ""


def officer_emergency_line(line: str) -> str:
    """Danger now in a warning: the number to call, before the warning's own steps."""
    return f"{line}\n预警报送不能代替报警。"


def lower_reason_prompt(rubric: str, chosen: str) -> str:
    """Asked when an officer lowers a critical level."""
    return (
        f"按定级规则此预警为“{nt.SEVERITY_LABELS.get(rubric, rubric)}”。"
        f"改为“{nt.SEVERITY_LABELS.get(chosen, chosen)}”须说明理由，请发送理由；"
        f"不降级请点「{keep_label(rubric)}」。"
    )


def keep_label(rubric: str) -> str:
    """The button that backs out of lowering a level."""
    return f"保持“{nt.SEVERITY_LABELS.get(rubric, rubric)}”"


def keep_level_markup(rubric: str) -> InlineKeyboardMarkup:
    """Under :func:`lower_reason_prompt`: back out of lowering."""
    return _inline([[(keep_label(rubric), W_KEEP)]])


def level_kept(rubric: str) -> str:
    """The officer backed out of lowering the level."""
    return f"未降级，等级仍为“{nt.SEVERITY_LABELS.get(rubric, rubric)}”。"


def lowered_line(reason: str) -> str:
    """The officer's reason for lowering, in the proposal."""
    return f"降级理由：{reason}"


EMPTY_REASON = "请用文字说明降级理由；不降级请点「保持」或发送 /cancel。"


def level_too_low(rubric: str) -> str:
    """A level below 较大 pressed on a 重大 / 特别重大 proposal (no longer offered)."""
    return f"按定级规则此预警为“{nt.SEVERITY_LABELS.get(rubric, rubric)}”，最多可下调至“较大”。"


def weak_reason() -> str:
    """The reason given for lowering a critical level says nothing."""
    return f"{REASON_HELP}不降级请点「保持」或发送 /cancel。"
