"""Messages caused by a reporter's own acts on a filed case (补充说明, 撤回), and by a
handler's 办理记录 for the case's other holders.

The station's handlers get these as pings (with their card buttons); the
reporter's receipts are in the handlers' texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.services.triage import emergency_of
from nlp.farewell import farewell_words
from nlp.rubric_model import SERVICES

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView


#: What a summary reader of a private disclosure reads instead of the words.
_PRIVATE = "（涉及当事人隐私，全文仅承办单位和派单台可见）"


def _private(view: CaseView, text: str) -> str:
    """``text`` as ``view``'s reader may read it: the disclosure's placeholder for a
    summary reader, else masked as the card is (:meth:`CaseView.shown`, trial 33 D9)."""
    return _PRIVATE if view.summary_only else view.shown(text)


def _who(view: CaseView) -> str:
    return "报送人" if view.kind == "warning" else "群众"


def staff_note_added(view: CaseView, text: str) -> str:
    """The ping when the reporter adds information (补充说明) to a filed case.

    A self-harm disclosure's summary reader learns that something was added, not
    what (trial 29 P14)."""
    text = _private(view, text)
    return f"【{_who(view)}补充说明】{view.number}（{view.status_label}）\n补充内容：{text}"


def staff_split_denied(view: CaseView, text: str) -> str:
    """The ping when the reporter says a case split off in the staff's words is not what
    they reported (trial 34 #2): the case is withdrawn on their word (stop 35 #1); a
    unit that knows the matter from another source files it anew."""
    text = _private(view, text)
    return (
        f"【反映人否认·已撤回】{view.number}（{view.status_label}）\n"
        "此件由工作人员拆分登记（文字为工作人员的概括，不是反映人原话），"
        "反映人表示这件事不是其反映的，此件已按其说明撤回，无需继续办理，不再计时、上报。"
        "如另有来源证实确有此事，请按预警或报警流程另行登记处置。\n"
        f"反映人说明：{text}"
    )


def reporter_split_withdrawn(view: CaseView) -> str:
    """The reporter's receipt of a denial of a split-off case: it is withdrawn (stop 35
    #1). No emergency line: the citizen said the matter is not theirs."""
    return (
        f"收到。您表示 {view.number} 这件事不是您反映的，该件已撤回，不再办理，"
        "也不会再就这件事联系您；承办单位已收到您的说明。"
        "您反映的其他问题照常办理，可随时发送 /status 查询。"
    )


def staff_split_denied_verify(view: CaseView, text: str) -> str:
    """The ping when the reporter denies a split-off case that may be a danger (critical,
    or its text a danger now): it stays open to be verified, never dropped on a word that
    may come from a coerced phone or a mistaken reader (split 35)."""
    text = _private(view, text)
    return (
        f"【反映人否认·请核实】{view.number}（{view.status_label}）\n"
        "此件由工作人员拆分登记（文字为工作人员的概括，不是反映人原话），"
        "反映人表示这件事不是其反映的。此件可能涉及人身安全，不因否认撤回，"
        "仍按时限办理、上报：请先向现场或其他来源核实；"
        "核实确无此事的，可按不属实办结。\n"
        f"反映人说明：{text}"
    )


def reporter_split_denied_kept(view: CaseView) -> str:
    """The reporter's receipt of a denial of a split-off case that stays open to be
    verified (split 35). No emergency line: the citizen said the matter is not theirs."""
    return (
        f"收到。您表示 {view.number} 这件事不是您反映的，您的说明已转给承办单位，"
        "由其核实处理，不会再就这件事提醒您。"
        "您反映的其他问题照常办理，可随时发送 /status 查询。"
    )


def staff_note_danger_elsewhere(view: CaseView, text: str, number: str, joined: bool) -> str:
    """The ping when what the reporter adds to a routine case tells of danger now: it is
    filed as an emergency of its own (the emergency line, a critical case to the unit
    that can act), and this unit reads it for information, so that nobody takes the
    knife threat for a routine 补充 on the barking dog (trial 32 D21)."""
    text = _private(view, text)
    return (
        f"【{_who(view)}补充说明·已另行紧急处置】{view.number}（{view.status_label}）\n"
        + (
            f"反映人补充的内容涉及正在发生的危险，已补充至其正在处置的紧急案件{number}"
            "（特别重大），由该案承办单位处置"
            if joined
            else f"反映人补充的内容涉及正在发生的危险，已另行登记为紧急案件{number}"
            "（特别重大）并推送能处置的单位"
        )
        + f"，此处仅供知悉，与本案一并关注。\n补充内容：{text}"
    )


def staff_danger_note(view: CaseView, text: str, sentence: str, services: Sequence[str]) -> str:
    """The notice when what the reporter adds tells of danger now (trial 29 re-test N1:
    我刚吃了一整瓶药 on a self-harm case): marked 紧急, the danger sentence first and
    the lines the reporter was told to call. A summary reader of a private disclosure
    still reads the danger sentence (it is what must be acted on), not the rest."""
    lines = "、".join(f"{n}（{SERVICES.get(n, n)}）" for n in services)
    rest = view.shown(text)
    said = view.shown(sentence)
    if view.summary_only:
        rest = "（涉及当事人隐私，全文仅承办单位和派单台可见）"
        if farewell_words(sentence):
            # Words of leaving are not what a copy acts on: not quoted (trial 33b E17).
            said = "反映人发来告别的危险信号"
        else:
            rest = "（除上述危险情况外，涉及当事人隐私，全文仅承办单位和派单台可见）"
    return (
        f"【紧急补充】{view.number}（{view.status_label}）\n"
        f"⚠️ 危险正在发生：{said}\n"
        f"反映人在补充说明中描述了正在发生的危险，已提示其立即拨打 {lines}。"
        "请立即联系反映人并协同处置。\n"
        f"补充内容：{rest}"
    )


def staff_farewell_note(view: CaseView, text: str) -> str:
    """The alert when someone who wrote of harming themselves says goodbye on their open
    case (谢谢你们，再见了，以后不用联系我了; trial 33b E2): marked 紧急, as the aftercare
    farewell is, never a routine 补充. A summary reader of the disclosure learns that a
    farewell came, not the words (trial 33b E17)."""
    return (
        f"【紧急·告别信号】{view.number}（{view.status_label}）\n"
        "⚠️ 自伤风险求助人发来告别的话，这可能是告别的危险信号。"
        "请立即联系本人确认安全；必要时报警（110）或呼叫急救（120）。\n"
        f"补充内容：{_private(view, text)}"
    )


def staff_unsigned_crisis_note(view: CaseView, text: str, waited: str) -> str:
    """The alert when someone who wrote of harming themselves writes again and nobody
    has signed their case (trial 30 #6): a fresh critical alert, not a routine
    【群众补充说明】 — marked urgent and overdue, with the place when known. A summary
    reader of the disclosure learns that the person wrote again, not what."""
    late = f"【{view.overdue_label or '已超期'}】" if view.overdue else ""
    lines = [
        f"【紧急·无人签收】{view.number}（{view.severity_label}）{late}",
        f"⚠️ 自伤风险求助人再次发来消息，仍在表达痛苦；登记已{waited}，至今无人签收。"
        f"请{view.owning_unit_name}立即签收并联系本人。",
    ]
    if view.address:
        lines.append(f"地点：{view.address}")
    if view.contact_phone:
        lines.append(f"联系电话：{view.contact_phone}")
    shown = _private(view, text)
    lines.append(f"补充内容：{shown}")
    return "\n".join(lines)


def staff_note_shared(view: CaseView, writer: str, text: str) -> str:
    """The notice to the case's other holders when a handler writes a 办理记录 (pf29).

    ``writer``: the unit and name of the handler. A summary reader of a private
    disclosure learns that a note was written, not what (trial 29 V7); a reader outside
    the owning unit and the desk reads its phone numbers masked, as on the card (trial 33 D9)."""
    text = _private(view, text)
    return (
        f"【办理记录】{view.number}（{view.status_label}）\n{writer}：{text}\n"
        "（仅工作人员可见；回复本消息可补充办理记录）"
    )


def staff_withdrawn(view: CaseView, reason: str | None) -> str:
    """The ping when the reporter withdraws (撤回) an open case."""
    lines = [
        f"【{_who(view)}撤回】{view.number}",
        f"{_who(view)}已撤回此件，无需继续办理；案件记录保留，可在历史中查阅。",
    ]
    if reason:
        lines.append(f"撤回原因：{view.shown(reason)}")
    return "\n".join(lines)


def verified_why(view: CaseView) -> str:
    """Why a withdrawal is only a request: danger to safety, or a 重大 warning (trial 31 #16)."""
    if view.kind == "warning" and view.severity != "critical" and emergency_of(view.text) is None:
        return "是按规则研判为重大及以上的预警"
    return "涉及人身安全"


def staff_withdraw_requested(view: CaseView, reason: str | None) -> str:
    """The ping when the reporter asks to withdraw a critical case: it stays open."""
    lines = [
        f"【申请撤回·请核实】{view.number}（{view.severity_label}）",
        f"{_who(view)}申请撤回此件。此件{verified_why(view)}，系统不直接撤回，仍由本单位办理："
        "请尽快联系核实现场情况，确认安全后办结（可选“解释说明”）。",
    ]
    if reason:
        lines.append(f"撤回原因：{view.shown(reason)}")
    return "\n".join(lines)


def staff_withdraw_threat(view: CaseView, reason: str) -> str:
    """The alert when the reporter's reason to withdraw tells of a threat against them
    (trial 31 #3): the case is not withdrawn; the reporter may be under pressure."""
    shown = _private(view, reason)
    return (
        f"【受威胁撤回·紧急】{view.number}（{view.severity_label}）\n"
        f"⚠️ {_who(view)}申请撤回，但撤回原因称其受到威胁，可能是被迫撤回。"
        "系统未撤回此件，仍由承办单位办理：请立即联系反映人核实其人身安全，"
        "涉及暴力威胁的请公安分局依法处置。\n"
        f"撤回原因：{shown}"
    )


def reporter_withdraw_threat(view: CaseView) -> str:
    """The reporter's receipt when the reason to withdraw tells of a threat (trial 31 #3)."""
    return (
        f"{view.number} 没有撤回，问题继续办理。您说受到了威胁，这很重要：我们已把您说的情况"
        "紧急转告承办单位、公安部门和区群工办，他们会核实并保护您的安全。"
        "如果现在有危险，请立即拨打110。"
    )


def reporter_withdrawn(view: CaseView) -> str:
    """The reporter's receipt of a withdrawal."""
    kept = (
        "该预警仍保留在“我报送的预警”（/mine）中。如有新情况，可随时重新报送。"
        if view.kind == "warning"
        else "该记录仍可发送 /status 查看。如有新情况，可随时重新反映。"
    )
    return f"您已撤回 {view.number}，承办单位已收到通知，将不再办理。{kept}"


def reporter_withdraw_requested(view: CaseView) -> str:
    """The reporter's receipt when a critical case cannot simply be withdrawn."""
    return (
        f"{view.number} {verified_why(view)}，不能直接撤回。您的撤回申请已转告承办单位，"
        "他们会联系核实，确认安全后办结。如仍有危险，请立即拨打110。"
    )


def reporter_note_care(view: CaseView, hotline: str) -> str:
    """What someone who wrote of harming themselves wrote next reached the people who
    handle their case (trial 26 T2): a human answer, no procedure."""
    return (
        f"谢谢您愿意告诉我们，您说的话已经转给正在帮助您的{view.owning_unit_name}工作人员，"
        "他们会尽快联系您。您不是一个人，想说什么随时发消息给我们。\n"
        f"心理援助热线{hotline}全天都可以拨打；如果现在有危险，请立即拨打110或120。"
    )


def reporter_note_care_unsigned(view: CaseView, hotline: str) -> str:
    """The answer when nobody has signed their case yet (trial 30 #6): the crisis line
    first, and no promise of a call that has not come."""
    return (
        f"请现在就拨打心理援助热线{hotline}，全天都有人接听；如果现在有危险，请立即拨打110或120。\n"
        f"您说的话已经再次转给{view.owning_unit_name}，并已提醒他们立即处理。"
        "您不是一个人，想说什么随时发消息给我们。"
    )


def reporter_correction_added(view: CaseView, informed: list[str]) -> str:
    """The officer's one receipt of a correction of his warning just filed (stop 35 D17):
    added as 补充说明, who was told, a street it names now told too."""
    lines = [
        f"已将这条更正作为补充说明加到预警 {view.number}，"
        f"并已通知承办单位（{view.owning_unit_name}）。"
    ]
    if informed:
        lines.append(f"更正中的属地已改为{informed[0]}，已同时通知：{'、'.join(informed)}。")
    lines.append("如果这是另一件事，请用 /warn 单独报送。")
    return "\n".join(lines)


def reporter_note_added(view: CaseView) -> str:
    """The reporter's receipt of a 补充说明."""
    return f"补充说明已加入 {view.number}，并已通知承办单位（{view.owning_unit_name}）。"
