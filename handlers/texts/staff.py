"""What chiefs and staff are told when they type words outside any step (trial 29 P5)."""

from __future__ import annotations


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


AS_CITIZEN_LABEL = "以群众身份反映此问题"
NOT_A_REPORT_LABEL = "不用了"


def note_kept(number: str) -> str:
    """A reply to a case's card, kept on the case as 办理记录."""
    return (
        f"已记入 {number} 的办理记录（仅工作人员可见，不发给群众），"
        "并已告知办理此件的其他单位。\n"
        "签收、办结、退单、上报等操作请点卡片上的按钮；发送 /pending 查看待办案件。"
    )


def question(text: str, office: str | None = None) -> str:
    """Free text from a handler that answers no card: what do they want? (``office``:
    the bureau that would handle it, for reference.)"""
    lines = [f"您发送的「{_short(text)}」没有关联到案件，未作为群众诉求登记。"]
    if office:
        lines.append(f"供参考：此类问题的办理部门是{office}。")
    lines += [
        "• 给案件写办理情况：请在该案件卡片上点「回复」后发送文字；",
        "• 办理案件：请点卡片上的按钮，或发送 /pending 查看待办；",
        "• 您本人要以群众身份反映问题：请点下方按钮。",
    ]
    return "\n".join(lines)


NOT_A_REPORT = "好的，未登记。发送 /pending 查看待办案件。"
GONE = "这条消息已过期，请重新发送要反映的问题。"


def case_not_yours(number: str) -> str:
    """A reply to a card of a case the handler may not write on."""
    return (
        f"您无权为 {number} 记录办理情况（您所在单位不承办该案件，也未收到其卡片）。"
        "如有情况需要补充，请联系承办单位，或发送 /pending 查看本单位的待办案件。"
    )


def which_case(numbers: list[str]) -> str:
    """A reply to a message naming several cases (a 【待办汇总】): which one (trial 29 V9)."""
    return f"您回复的消息列出了{len(numbers)}个案件，这条办理记录记入哪一个？"


NOTE_GONE = "这条办理记录已过期，请回复案件卡片重新发送。"
