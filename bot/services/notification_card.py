"""The case card: the text the people who handle or watch a case read, and the summary
a unit outside the owner and the desk reads of a private disclosure.

Re-exported by :mod:`bot.services.notifications`; callers use that module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.disclosures import DOMESTIC, GIST_ACCIDENT, GIST_TAKEN, GIST_THREAT, SEXUAL
from bot.services.notification_labels import DISTRICT_TZ, fmt_time, map_link
from bot.services.triage import danger_sentence
from nlp.families import SELF_HARM
from nlp.normalize import strip_markup

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView


#: What a summary reader is told of a self-harm family's danger, by its gist and
#: whether the writer tells of themselves: the urgency stays, and an overdose or an
#: accidental poisoning is not called 轻生念头 (trial 30 #5).
SELF_HARM_GIST: dict[tuple[str, bool], str] = {
    (GIST_THREAT, True): "群众表达了轻生念头，有生命危险（自伤风险求助）",
    (GIST_TAKEN, True): "群众自述已服下药物或毒物，有生命危险（自伤风险求助）",
    (GIST_THREAT, False): "来件反映有人有轻生危险，情况紧急（自伤风险求助）",
    (GIST_TAKEN, False): "来件反映有人服药过量或中毒，有生命危险（急救求助）",
    (GIST_ACCIDENT, True): "来件反映有人误服药物或毒物中毒，有生命危险（急救求助）",
    (GIST_ACCIDENT, False): "来件反映有人误服药物或毒物中毒，有生命危险（急救求助）",
}

#: What a summary reader is told of the other kinds of private disclosure (trial 29 V7).
DISCLOSURE_GIST: dict[str, str] = {
    DOMESTIC: "来件涉及家庭暴力（人身安全求助）",
    SEXUAL: "来件涉及性侵害（人身安全求助）",
}


def disclosure_summary(
    kind: str,
    owner_name: str,
    desk_name: str,
    *,
    own: bool,
    gist: str = GIST_THREAT,
    signed: bool = False,
    done: bool = False,
    place: str = "",
) -> str:
    """What a unit outside the owner and the desk reads of a private disclosure.

    The kind of risk, its urgency and the handling unit, without the words, names,
    phones or places; the card around it keeps the number, the level and the
    deadlines. ``own``: the reporter tells of harming themselves; ``gist``: what a
    self-harm family's danger is (:func:`bot.services.disclosures.self_harm_gist`).
    ``signed``: someone of the owner has 签收 (before that the owner is named as
    not having signed, never as 紧急处置: trial 30 #5); ``done``: 办结. ``place``: where
    it is, for the station of the officer who filed a warning (review 35d F3).
    """
    if kind == SELF_HARM:
        what = SELF_HARM_GIST.get((gist, own), SELF_HARM_GIST[(GIST_THREAT, own)])
    else:
        what = DISCLOSURE_GIST.get(kind, "来件涉及当事人隐私")
    if done:
        state = f"{owner_name}已办结"
    elif signed:
        state = f"{owner_name}已签收，正在处置"
    else:
        state = f"已交{owner_name}，尚未签收"
    where = f"地点：{place}。" if place else ""
    return (
        f"{what}，{state}。{where}"
        f"为保护当事人隐私，原文及当事人信息仅承办单位和{desk_name}可见，详情请与承办单位联系。"
    )


def self_harm_summary(owner_name: str, desk_name: str, *, signed: bool = False) -> str:
    """What a unit outside the owner and the desk reads of a writer's own threat to
    harm themselves (:func:`disclosure_summary` with ``own``)."""
    return disclosure_summary(SELF_HARM, owner_name, desk_name, own=True, signed=signed)


def card_text(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The case card shown to the people who handle or watch a case."""
    head = f"【{view.kind_label}】{view.number}"
    if view.kind == "warning" or view.severity in ("critical", "high"):
        head += f"（{view.severity_label}）"
    lines = [head, f"状态：{view.status_label}"]
    if view.overdue:
        # Which deadline was missed (trial 29 P11): 签收超时 is not 办理超期.
        lines[-1] += f"【{view.overdue_label or '已超期'}】"
    if view.reopen_count:
        lines[-1] += f"（第{view.reopen_count}次重办）"
    lines.append(f"承办单位：{view.owning_unit_name}")
    if view.escalated_to_unit_name:
        lines.append(f"已上报：{view.escalated_to_unit_name}（第{view.escalation_level}级督办）")
    if view.room_name:
        category = view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")
        lines.append(f"分类：{category}")
    if view.status == "returned":
        if view.suggested_name:
            # After a 退单 the desk's proposal, not (yet) the case's classification (D2).
            lines.append(f"分派建议：{view.suggested_name}")
    elif view.suggested_name and view.suggested_name != (
        view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")
    ):
        # The same words twice say nothing (after a re-dispatch: trial 29 P12).
        chooser = "报送人" if view.kind == "warning" else "群众"
        lines.append(f"{chooser}自选部门，系统建议：{view.suggested_name}")
    if view.territorial_unit_name:
        lines.append(f"属地：{view.territorial_unit_name}")
    # After an escalation the 签收/派单时限 is the new level's round (督办…), not the missed
    # first one the 【催签收】 messages named: labelled so, one deadline per round (trial 26 T11).
    round_ = "督办" if view.escalation_level else ""
    # A passed one is said to be passed, not shown as if still running (trial 32 D15).
    if view.status in ("registered", "returned"):
        passed = "（已过，仍未派单）" if view.ack_passed else ""
        lines.append(f"{round_}派单时限：{fmt_time(view.ack_due_at, tz)}{passed}")
    elif view.status in ("dispatched", "reopened"):
        passed = "（已过，仍未签收）" if view.ack_passed else ""
        lines.append(f"{round_}签收时限：{fmt_time(view.ack_due_at, tz)}{passed}")
    if view.resolve_due_at is not None and view.status not in ("closed", "rejected", "withdrawn"):
        lines.append(f"办结时限：{fmt_time(view.resolve_due_at, tz)}")
    content_at = len(lines)
    lines.append(f"内容：{card_content(view)}")
    if view.address:
        lines.append(f"地点：{view.address}")
    if view.latitude is not None and view.longitude is not None:
        lines.append(f"位置：{map_link(view.latitude, view.longitude)}")
    if view.head_count:
        lines.append(f"涉及人数：约{view.head_count}人")
    who = "报送人" if view.kind == "warning" else "联系人"
    if view.contact_name:
        lines.append(f"{who}：{view.contact_name}")
    if view.contact_phone:
        lines.append(
            f"{'报送人电话' if view.kind == 'warning' else '联系电话'}：{view.contact_phone}"
        )
    if view.photo_count:
        lines.append(f"照片：{view.photo_count}张")
    if view.note_label and view.status not in ("withdrawn", "rejected"):
        # 办理结果, or a reopened case's 上次办理结果（…） (trial 32 D8)
        lines.append(f"{view.note_label}：{view.resolution_note}")
    if view.resolution_note and view.status == "rejected":
        lines.append(f"不予受理理由：{view.resolution_note}")
    if view.status == "withdrawn":
        lines.append(f"已由{'报送人' if view.kind == 'warning' else '群众'}撤回，无需继续办理。")
        if view.resolution_note:
            lines.append(f"撤回原因：{view.resolution_note}")
    lines.append(f"登记时间：{fmt_time(view.created_at, tz)}")
    # A critical case's danger sentence comes first, right under the title, whenever the
    # text does not open with it: the card says why it is critical when the danger was
    # written late in a long text (trial 29 #6) or after another matter (trial 32 D16:
    # parking fees, then a gas smell on the third floor).
    cue = danger_cue(view)
    if cue is not None:
        lines.insert(1, f"危险情况（原文摘句）：{cue}")
        content_at += 1
    text = "\n".join(lines)
    if _units(text) <= CARD_LIMIT:
        return text
    # Too long for one message: cut the content, keep every field after it.
    rest = _units("\n".join(lines)) - _units(lines[content_at])
    tail = f"…（全文共{len(view.text)}字，请发送 /web 在网页工作台查看）"
    budget = CARD_LIMIT - rest - _units("内容：") - _units(tail)
    lines[content_at] = f"内容：{_cut_units(view.text, max(budget, 0))}{tail}"
    return "\n".join(lines)


def danger_cue(view: CaseView) -> str | None:
    """The sentence that made ``view`` critical when its text does not open with it
    (None for any other case, or when the text starts with the danger)."""
    if view.severity != "critical" or view.summary_only:
        return None
    cue = danger_sentence(view.text)
    if cue is None or view.text.lstrip().startswith(cue[:12]):
        return None
    return cue


#: Telegram's limit on one message, in UTF-16 code units.
CARD_LIMIT = 4096


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_units(text: str, budget: int) -> str:
    """The longest start of ``text`` within ``budget`` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            return text[:i]
    return text


def card_content(view: CaseView) -> str:
    """The words a card shows: a citizen's request verbatim (trial 33 D17: the station
    sees exactly what was written, ``<b>物业</b>`` and ``<script>`` included; cards are
    sent as plain text, with no parse mode, so nothing in them is read as markup). An
    officer's warning is an alarm read at a glance: markup pasted around its words is
    not its words and is left out there (trial 32 D30)."""
    if view.kind != "warning":
        return view.text
    return strip_markup(view.text).strip() or view.text
