"""The words of 拆分 (splitting a case holding two matters) in the bot."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.cases import SplitResult
from bot.services.cases.split_rules import DANGER_UNKNOWN
from bot.services.notification_labels import SEVERITY_LABELS
from handlers.texts.common import UI

#: The buttons of a split to confirm: ``ui:splitok:N`` / ``ui:splitno:N``.
CONFIRM = UI + "splitok"
CANCEL = UI + "splitno"
CONFIRM_LABEL = "确认拆分"
CANCEL_LABEL = "取消"
CANCELLED = "已取消，没有拆分。"
GONE = "这个确认已失效（已处理或已过期），没有拆分。如需拆分，请重新发送 /split。"

USAGE = (
    "拆分案件：一条诉求里有两件不相关的事时，把其中另一件事单独登记为新案件。\n"
    "用法：/split 案件编号 另一件事的文字\n"
    "例如：/split MQ20261207-0007 我爸的养老金这个月没到账\n"
    "也可以回复案件卡片，发送：/split 另一件事的文字\n"
    "（分派台和承办该案件的单位可以拆分；新案件按自己的内容分类、分派，并告知群众两个编号。）"
)
NO_TEXT = "请在案件编号后写上要拆分出的另一件事的文字。\n\n" + USAGE
NOT_HANDLER = "只有分派台和承办单位的负责人、工作人员可以拆分案件。"


def not_found(number: str) -> str:
    """A number that names no case the splitter may see: one answer whether no case has
    it or another unit's case has it (review 1, R6)."""
    return f"没有找到您可以拆分的案件 {number}：该编号不存在，或不由您所在单位承办。请核对编号。"


def done(result: SplitResult) -> str:
    """The splitter's answer: both numbers, where the new one went, its level."""
    part = result.part
    where = (
        f"待{part.owning_unit_name}分派"
        if part.status in ("registered", "returned")
        else f"已派至{part.owning_unit_name}"
    )
    level = SEVERITY_LABELS.get(part.severity, part.severity)
    lines = [
        f"已拆分：{result.original.number} 中的另一件事已登记为新案件 {part.number}。",
        f"新案件：{part.text}",
        f"分类：{part.bureau_name or '待定'}；{where}；等级：{level}。",
    ]
    if result.own_level is not None:
        own = SEVERITY_LABELS.get(result.own_level, result.own_level)
        was = SEVERITY_LABELS.get(part.severity, "")
        if result.why == DANGER_UNKNOWN:
            # Said truthfully: where the danger is could not be told (trial 34 #3).
            lines.append(
                f"原案件为{was}，无法判断危险情形在哪一部分（拆出的文字不是群众原话，"
                f"原诉求的文字也不足以定为{was}），新案件暂按原等级办理（按其文字为{own}）。"
            )
        else:
            lines.append(
                f"原案件为{was}，危险情形在拆出的部分，新案件不低于原等级（按其文字为{own}）。"
            )
    told = (
        "群众已收到两个编号的通知。"
        if result.original.channel not in ("web", "open311")
        else "群众通过网页或Open311反映，无法推送通知：新编号和查询码显示在原编号的查询页上。"
    )
    lines.append(f"{result.original.number} 继续办理原诉求；{told}")
    return "\n".join(lines)


def confirm_question(reason: str) -> str:
    """A split whose danger is only in the splitter's words: asked first (trial 34 #2)."""
    return f"⚠️ 请确认后再拆分：{reason}"


def confirm_markup(serial: int) -> InlineKeyboardMarkup:
    """确认拆分 / 取消 for the pending split ``serial``."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(CONFIRM_LABEL, callback_data=f"{CONFIRM}:{serial}"),
                InlineKeyboardButton(CANCEL_LABEL, callback_data=f"{CANCEL}:{serial}"),
            ]
        ]
    )
