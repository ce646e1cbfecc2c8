"""The messages a case change sends: to the reporter, and pings to the people who
handle it (no I/O; each takes a :class:`~bot.services.cases.model.CaseView` already
masked as the recipient may see it). :mod:`bot.services.notifications` re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.services.notification_labels import (
    DISTRICT_TZ,
    ESCALATION_REASONS,
    SATISFACTION_LABELS,
    SEVERITY_LABELS,
    fmt_duration,
    fmt_time,
    map_link,
    subject,
)

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView
    from config.district import District


def details_added(view: CaseView, added: Mapping[str, Any]) -> str:
    """The ping when the reporting officer adds details to a filed warning."""
    lines = [f"【预警补充】{view.number}（{view.severity_label}）"]
    if "place" in added:
        was = (
            f"（更正，原为：{view.shown(str(added['was_place']))}）" if "was_place" in added else ""
        )
        lines.append(f"地点：{view.shown(str(added['place']))}{was}")
    if "location" in added:
        latitude, longitude = added["location"]
        lines.append(f"位置：{map_link(latitude, longitude)}")
    if "head_count" in added:
        was = f"（更正，原为约{added['was_head_count']}人）" if "was_head_count" in added else ""
        lines.append(f"涉及人数：约{added['head_count']}人{was}")
    if "photos" in added:
        lines.append(f"新增照片：{added['photos']}张（共{view.photo_count}张）")
    return "\n".join(lines)


def emergency_details_added(view: CaseView, added: Mapping[str, Any]) -> str:
    """The ping when a citizen who reported danger now gives where and a number to call.

    It carries the report itself, so that whoever reads it (the owner, or a copy
    of the alert) knows at once which emergency the details belong to. The
    viewer's own masking applies: the phone (and the map point) in full only for
    those who see the reporter's contact (:meth:`CaseService.sees_contact`).
    """
    lines = [f"【紧急诉求补充】{view.number}（{view.severity_label}）"]
    if "place" in added:
        lines.append(f"地点：{view.shown(str(added['place']))}")
    if "location" in added and view.latitude is not None and view.longitude is not None:
        lines.append(f"位置：{map_link(view.latitude, view.longitude)}")
    if "phone" in added and view.contact_phone:
        lines.append(f"联系电话：{view.contact_phone}")
    # The report last: a long one is cut at Telegram's limit, never the details.
    lines.append(f"内容：{view.text}")
    return "\n".join(lines)


#: Heads of notices that only inform (trial 27 N2): sent without case buttons, which
#: would go stale once the card moves on — the card itself carries the live ones.
#: 【维持派单】 and 【改派】 (trial 32 D2, D14) come with the card, which has the live buttons.
INFORMATION_HEADS = ("【定级说明】", "【等级调整】", "【维持派单】", "【维持派单理由】", "【改派】")


def is_information(text: str) -> bool:
    """Whether ``text`` is an information notice (:data:`INFORMATION_HEADS`)."""
    return text.startswith(INFORMATION_HEADS)


def warning_lowered(
    view: CaseView,
    rubric: str,
    why: str,
    reason: str | None,
    who: str = "报送人",
    *,
    was: str | None = None,
    raised_by: str = "报送人",
) -> str:
    """The ping after the card when the officer filed a warning below the rubric's level.

    Whoever handles it must know that the rules rated it higher, on which words,
    and why the officer lowered it: the card alone shows only the level filed.
    ``was``: the level lowered from when it is above the rubric's (``raised_by``
    raised it first): 由“特别重大”（报送人上调，规则研判为“重大”）下调为“较大”, never
    the raise named as the rules' level (trial 30 #11).
    """
    ruled = SEVERITY_LABELS.get(rubric, rubric)
    if was is not None:
        before = f"由“{SEVERITY_LABELS.get(was, was)}”（{raised_by}上调，规则研判为“{ruled}”）"
    else:
        before = f"由规则研判的“{ruled}”"
    lines = [
        f"【定级说明】{view.number}（{view.severity_label}）",
        f"{who}将等级{before}下调为“{view.severity_label}”，请核实。",
    ]
    if reason:
        lines.append(f"下调理由：{view.shown(reason)}")
    if why:
        lines.append(f"规则依据：{why}")
    return "\n".join(lines)


def warning_level_changed(
    view: CaseView, was: str, reason: str | None, *, kept: bool = False
) -> str:
    """The ping after the card when a filed warning's level changed (raised, or a
    non-critical one lowered): the new level's deadlines run from now — or, ``kept``,
    a warning already overdue or escalated keeps its deadlines and 督办 (trial 27 N9),
    as the officer is told (trial 29 #8)."""
    before = SEVERITY_LABELS.get(was, was)
    order = list(SEVERITY_LABELS)  # lowest first
    raised = (
        was in order and view.severity in order and order.index(view.severity) > order.index(was)
    )
    way = "上调" if raised else "下调"
    lines = [
        f"【等级调整】{view.number}（{view.severity_label}）",
        f"预警等级由“{before}”{way}为“{view.severity_label}”，"
        + (
            "该预警已超期或已上报督办，原办理时限和督办状态保持不变，不因更改等级而重新计时。"
            if kept
            else "办理时限按新等级自现在起计算。"
        ),
    ]
    if reason:
        lines.append(f"理由：{view.shown(reason)}")
    return "\n".join(lines)


# --- messages to the reporter ---------------------------------------------------


def reporter_registered(view: CaseView, district: District, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The confirmation a reporter gets when the case is filed."""
    what = subject(view)
    lines = [f"您的{what}已登记。", f"编号：{view.number}"]
    if view.status in ("registered", "returned"):
        resolve = district.deadlines[view.priority].resolve
        lines.append(
            f"正在由{view.owning_unit_name}分派承办单位（{fmt_time(view.ack_due_at, tz)}前）。"
        )
        lines.append(f"办结时限：派单后{fmt_duration(resolve)}内")
    elif view.severity == "critical":
        # Someone in a fire or beside a stabbed son needs no 办结时限 (trial 29 P12); and
        # nobody is 处置-ing it before a station has signed it (pf31 #2).
        state = "正在紧急处置" if view.acknowledged_at else "已作为紧急事项转交，正在等待签收"
        lines.append(f"承办单位：{view.owning_unit_name}（{state}）")
    else:
        lines.append(f"承办单位：{view.owning_unit_name}")
        lines.append(f"办结时限：{fmt_time(view.resolve_due_at, tz)}")
    lines.append("您将收到每一次进展的通知。可随时发送 /status 查询办理情况。")
    return "\n".join(lines)


def reporter_registered_care(view: CaseView, hotline: str, *, web: bool = False) -> str:
    """The receipt of someone who wrote of harming themselves: people, not deadlines.

    ``web``: filed on the web form or through Open311, where nobody can send us a
    message afterwards; the hotline is where someone listens (trial 29 #13). Without a
    phone or a place nobody can call, and the receipt says so (trial 31 #11).
    """
    tail = (
        f"想找人说说话，随时拨打心理援助热线{hotline}，会有人听您说"
        if web
        else "想说什么随时发消息给我们"
    )
    if web and not (view.contact_phone or view.address or view.latitude is not None):
        # No phone, no place and no chat to answer in: nobody can call, so no promise
        # that someone will (trial 31 #11); the hotline is where someone listens now.
        return (
            f"我们已经收到您的消息，已转给{view.owning_unit_name}。"
            "您没有留下电话或地址，工作人员无法主动联系您。您不是一个人：\n"
            f"想找人说说话，随时拨打心理援助热线{hotline}，全天都有人听您说；如果现在有危险，请立即拨打110或120。\n"
            "如果愿意让工作人员联系您，请再提交一次并留下电话或所在地点。"
            f"（编号：{view.number}。）"
        )
    return (
        f"我们已经收到您的消息，{view.owning_unit_name}的工作人员会尽快联系您。"
        "您不是一个人，我们会一直在。\n"
        f"如果现在有危险，请立即拨打110或120；心理援助热线{hotline}全天都可以拨打。\n"
        f"（编号：{view.number}，{tail}。）"
    )


def reporter_resolved_care(view: CaseView, hotline: str) -> str:
    """办结 of a self-harm case: a human word, no result text and no survey."""
    return (
        f"您好，工作人员已经跟进了您的求助（{view.number}）。"
        "如果您还是觉得难受，或者有任何需要，请随时再发消息给我们；"
        f"心理援助热线{hotline}全天都可以拨打，有危险请立即拨打110或120。我们一直都在。"
    )


def reporter_passed_on_care(view: CaseView, hotline: str) -> str:
    """A self-harm case passed to another unit: people, no deadline (trial 26 T4)."""
    return (
        f"您好，您的求助（{view.number}）已转给{view.owning_unit_name}的工作人员，"
        "他们会尽快联系您。想说什么随时发消息给我们；"
        f"心理援助热线{hotline}全天都可以拨打，有危险请立即拨打110或120。"
    )


def reporter_dispatched(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The case was dispatched by hand (or re-dispatched after a return)."""
    return (
        f"您的{subject(view)}（{view.number}）已转交{view.owning_unit_name}办理，"
        f"办结时限：{fmt_time(view.resolve_due_at, tz)}。"
    )


def reporter_acknowledged(view: CaseView, by: str | None = None) -> str:
    """The owning unit (or ``by``, the unit it was escalated to) acknowledged (签收)."""
    return f"您的{subject(view)}（{view.number}）已由{by or view.owning_unit_name}签收。"


def reporter_extended(view: CaseView, due: datetime, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """督查督办中心 approved more time (延期)."""
    return (
        f"您的{subject(view)}（{view.number}）经督查督办中心同意延期办理，"
        f"办结时限调整为{fmt_time(due, tz)}。"
    )


def reporter_in_progress(view: CaseView) -> str:
    """Work has started."""
    return f"您的{subject(view)}（{view.number}）正在处理中。"


def reporter_returned(view: CaseView) -> str:
    """The case went back to the dispatcher desk (the reason stays internal)."""
    return (
        f"您的{subject(view)}（{view.number}）需要重新分派承办单位，"
        f"已转回{view.owning_unit_name}，我们会尽快处理。"
    )


def reporter_danger_returned(view: CaseView, lines: str) -> str:
    """A danger-now case went back to the dispatcher desk: the reporter is told plainly
    that a unit is being found and to call the emergency line again (trial 32 D20: they
    were told nothing while nobody owned it), not that it "needs re-dispatching"."""
    return f"您反映的紧急情况（{view.number}）正在重新安排处置单位；如仍有危险，请立即拨打{lines}。"


def reporter_escalated(view: CaseView, unsigned_line: str | None = None) -> str:
    """The case was escalated (督办).

    ``unsigned_line``: a citizen's danger now that nobody has signed (trial 30 #12) —
    plain words that nobody has answered yet and the line to call again (e.g.
    ``119（火警）``), not the name of a supervision office."""
    if unsigned_line is not None:
        return (
            f"您反映的紧急情况（{view.number}）承办单位还未回应，已报告上级催办；"
            f"如仍有危险请立即拨打{unsigned_line}。"
        )
    return f"您的{subject(view)}（{view.number}）已提交{view.escalated_to_unit_name}督办。"


def follow_up_question(view: CaseView) -> str:
    """办结 notice and the follow-up (回访) question, sent with :func:`follow_up_markup`."""
    lines = [f"您的{subject(view)}（{view.number}）已办结。"]
    if view.resolution_note:
        lines.append(f"办理结果：{view.resolution_note}")
    lines.append("请问问题解决了吗？您对办理结果满意吗？请点击下方按钮回复。")
    return "\n".join(lines)


def warning_resolved(view: CaseView) -> str:
    """办结 notice to the officer who sent a warning (no survey on one's own warning)."""
    lines = [f"您报送的{subject(view)}（{view.number}）已办结。"]
    if view.resolution_note:
        lines.append(f"办理结果：{view.resolution_note}")
    lines.append("如现场情况仍未消除，请重新报送预警。")
    return "\n".join(lines)


def reporter_closed(view: CaseView) -> str:
    """Closed after a positive follow-up answer."""
    return f"感谢您的评价！您的{subject(view)}（{view.number}）已结案。"


def reporter_reopened(view: CaseView, tz: ZoneInfo = DISTRICT_TZ, *, commented: bool = True) -> str:
    """Reopened after an unsolved/unsatisfied answer (``commented``: with the citizen's words;
    after 跳过 there were none to acknowledge)."""
    head = "已收到您的意见。" if commented else "已收到您的评价。"
    return (
        f"{head}您的{subject(view)}（{view.number}）已重新交{view.owning_unit_name}办理，"
        f"办结时限：{fmt_time(view.resolve_due_at, tz)}。"
    )


def reporter_rejected(view: CaseView, reason: str) -> str:
    """The desk found the case not admissible (不予受理): a polite word with the reason."""
    return (
        f"感谢您的反映。经{view.owning_unit_name}审核，您的{subject(view)}（{view.number}）"
        f"不属于受理范围，不予受理。\n理由：{reason}\n"
        "如您有新的情况或对此有疑问，欢迎随时再次反映，我们会认真对待。"
    )


def reporter_closed_no_response(view: CaseView) -> str:
    """Closed because the follow-up got no answer."""
    return (
        f"您的{subject(view)}（{view.number}）办结后未收到您的回访答复，已结案。"
        "如问题仍未解决，欢迎再次反映。"
    )


# --- pings to the people who handle a case ----------------------------------------


def staff_renotify(view: CaseView, round_: int, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """To the responsible people: the acknowledgement deadline has passed.

    At the dispatcher desk (not yet dispatched) the job is 派单, not 签收.
    """
    if view.status in ("registered", "returned"):
        return (
            f"【催派单】{view.number} 派单时限已过（{fmt_time(view.ack_due_at, tz)}），"
            f"请立即派至承办单位。（第{round_}次提醒）\n内容：{view.text}"
        )
    if view.escalation_level:
        # Only at the top of the chain, where nothing is above (trial 32 D15).
        return (
            f"【催签收】{view.number} 督办签收时限已过（{fmt_time(view.ack_due_at, tz)}），"
            f"已上报{view.escalated_to_unit_name}（第{view.escalation_level}级督办），"
            f"承办单位仍未签收，请立即签收处理。（第{round_}次提醒）\n内容：{view.text}"
        )
    return (
        f"【催签收】{view.number} 签收时限已过（{fmt_time(view.ack_due_at, tz)}），"
        f"请立即签收处理。（第{round_}次提醒）\n内容：{view.text}"
    )


def staff_reminder(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """催办: the resolution deadline has passed."""
    return (
        f"【催办】{view.number} 已超过办结时限（{fmt_time(view.resolve_due_at, tz)}），"
        f"请抓紧办理并及时办结。\n内容：{view.text}"
    )


def staff_escalated(view: CaseView, reason: str, note: str | None) -> str:
    """To everyone responsible: the case was escalated one level."""
    label = ESCALATION_REASONS.get(reason, reason)
    if reason == "ack_overdue" and view.status in ("registered", "returned"):
        label = "超时未派单"  # at the dispatcher desk the missed deadline is 派单时限
    elif reason == "ack_overdue" and view.acknowledged_at is None:
        label += "，至今无人签收"  # not 处置 by anyone yet (trial 30 #5)
    text = (
        f"【上报督办】{view.number} 已上报至{view.escalated_to_unit_name}"
        f"（第{view.escalation_level}级）。原因：{label}"
    )
    if note:
        text += f"\n说明：{view.shown(note)}"
    return text + f"\n内容：{view.text}"


def staff_urged(view: CaseView, by: str, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """To the owning unit: a supervising unit urges it (催办 by hand)."""
    due = view.ack_due_at if view.status in ("dispatched", "reopened") else view.resolve_due_at
    step = "签收" if due is view.ack_due_at else "办结"
    return (
        f"【督办催办】{view.number} {by}催办：请尽快办理并在卡片上操作。"
        f"\n{step}时限：{fmt_time(due, tz)}\n内容：{view.text}"
    )


def staff_reopened(
    view: CaseView, solved: bool, satisfaction: str, comment: str | None, partly: bool = False
) -> str:
    """To the owning unit: the reporter's follow-up answer reopens the case (``partly``:
    部分解决, trial 33 D7)."""
    verdict = (
        "部分解决"
        if partly
        else "未解决"
        if not solved
        else SATISFACTION_LABELS.get(satisfaction, satisfaction)
    )
    text = f"【重办】{view.number} 回访结果：{verdict}，请重新办理。"
    if view.reopen_count >= 2:
        text += f"（群众第{view.reopen_count}次反映未解决或不满意）"
    if view.escalated_to_unit_name:
        # Still supervised: the level it was at stays (trial 32 D19).
        text += f"\n督办：{view.escalated_to_unit_name}（第{view.escalation_level}级督办）继续督办"
    if comment:
        text += f"\n群众意见：{view.shown(comment)}"
    return text
