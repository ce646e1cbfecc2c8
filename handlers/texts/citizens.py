"""Texts for citizens filing: "which office?" and its proposal.

The optional steps after 提交 (place, phone, photos, the receipt) are in
:mod:`handlers.texts.citizen_steps`; what citizens read about cases already filed
(/status, /mine, 回访) is in :mod:`handlers.texts.progress`.
"""

from __future__ import annotations

import functools

from telegram import (
    InlineKeyboardMarkup,
)

from bot.services import notifications as nt
from bot.services.cases import Preview
from config.district import District
from handlers.texts.common import (
    ASK,
    DESK,
    OTHER,
    ROOM,
    SUBMIT,
    _inline,
    snippet,
)
from handlers.texts.offices import bureau_lines
from nlp import mask_sensitive

__all__ = [
    "candidates",
    "chosen_bureau",
    "desk_lines",
    "office_lines",
    "proposal",
    "proposal_markup",
    "rooms_markup",
    "rooms_text",
    "submit_markup",
    "which_answer",
]


# --- "which office?" ---------------------------------------------------------------------


def _keywords(preview: Preview) -> str:
    """The deciding keywords: words of two or more characters first, at most five."""
    words = [w for w in preview.keywords if len(w) >= 2] or [w for w in preview.keywords if w]
    return "、".join(f"“{w}”" for w in words[:5])


def office_lines(preview: Preview) -> list[str]:
    """The office that handles a matter: the bureau and what it does first, the room second."""
    if preview.bureau_name:
        duties = f"（负责{preview.bureau_duties}）" if preview.bureau_duties else ""
        lines = [f"办理部门：{preview.bureau_name}{duties}", f"受理窗口：{preview.room_name}"]
    else:
        lines = [f"办理部门：{preview.room_name}"]
    if preview.address:
        lines.append(f"地址：{preview.address}")
    if preview.hours:
        lines.append(f"办公时间：{preview.hours}")
    if preview.phone:
        lines.append(f"联系电话：{preview.phone}")
    keywords = _keywords(preview)
    if keywords:
        lines.append(f"判断依据：关键词{keywords}")
    return lines


def desk_lines(district: District) -> list[str]:
    """Where to go when nobody can tell the office: the dispatcher desk."""
    desk = district.units.get(district.dispatcher)
    if desk is None:
        return []
    lines = [f"您也可以直接到{desk.name}咨询。"]
    if desk.address:
        lines.append(f"地址：{desk.address}")
    if desk.hours:
        lines.append(f"办公时间：{desk.hours}")
    return lines


def candidates(preview: Preview, district: District, limit: int = 3) -> list[str]:
    """The rooms to offer when the classifier is unsure: its best guesses first."""
    rooms: list[str] = []
    if preview.room in district.rooms:
        rooms.append(preview.room)
    for alt in preview.alternatives:
        if alt.room in district.rooms and alt.room not in rooms:
            rooms.append(alt.room)
    return rooms[:limit]


#: Shown under the description when it holds an identity or phone number (the web
#: form's footer says the same before anyone types).
SENSITIVE_WARNING = (
    "⚠️ 您的描述中含有身份证号或电话号码。请勿在问题描述中填写身份证号；"
    "联系电话请在稍后的「联系电话」一步填写。提交后，身份证号在工作人员的案件卡片上一律隐去，"
    "电话号码只有承办单位能看到。"
)


def sensitive_warning(text: str) -> list[str]:
    """The warning lines for a description holding an identity or phone number (or none)."""
    return [SENSITIVE_WARNING] if mask_sensitive(text) != text else []


def proposal(preview: Preview, text: str, district: District, *, unsure: bool) -> str:
    """The answer to a description: the office, or the choices when unsure; a safety hint
    first when the text tells violence at home as a habit (``preview.safety_hint``, stop 30)."""
    lines: list[str] = [preview.safety_hint] if preview.safety_hint else []
    if not unsure:
        lines.append("根据您的描述，建议由以下部门办理：")
        lines += office_lines(preview)
        lines.append("")
        lines.append(f"您的描述：{snippet(mask_sensitive(text))}")
        lines += sensitive_warning(text)
        lines.append("")
        lines.append(
            "如需登记并跟踪办理，请点「提交」；部门不对请点「换一个部门」；只是问问请点「只是咨询」。"
        )
        return "\n".join(lines)
    rooms = candidates(preview, district)
    if rooms:
        lines.append("我不能确定由哪个部门办理您的问题，可能是：")
        for i, room_id in enumerate(rooms, 1):
            room = district.rooms[room_id]
            bureaus = "、".join(b.name for b in room.bureaus.values())
            lines.append(f"{i}. {room.name}（{bureaus}）")
    else:
        lines.append("我没能判断出由哪个部门办理您的问题。")
    keywords = _keywords(preview)
    if keywords:
        lines.append(f"识别到的关键词：{keywords}")
    lines.append("")
    lines.append(f"您的描述：{snippet(mask_sensitive(text))}")
    lines += sensitive_warning(text)
    lines.append("")
    lines.append(
        "请选择一个部门；不确定的话点「交由工作人员分派」直接提交，工作人员会为您转交；"
        "只是问问请点「只是咨询」。"
    )
    lines += desk_lines(district)
    return "\n".join(lines)


def proposal_markup(
    preview: Preview, district: District, draft: int, *, unsure: bool
) -> InlineKeyboardMarkup:
    """Buttons under :func:`proposal`."""
    if not unsure:
        return submit_markup(draft)
    rows = [
        [(nt.short_room_name(district.rooms[r].name), f"{ROOM}:{r}:{draft}")]
        for r in candidates(preview, district)
    ]
    rows.append([("其他部门", f"{OTHER}:{draft}")])
    rows.append([("交由工作人员分派", f"{DESK}:{draft}"), ("只是咨询", f"{ASK}:{draft}")])
    return _inline(rows)


@functools.lru_cache(maxsize=64)
def submit_markup(draft: int) -> InlineKeyboardMarkup:
    """提交 / 换一个部门 / 只是咨询 for draft number ``draft``.

    Kept per draft number (most citizens' drafts are their first few): PTB's markup
    objects are immutable once built, so one serves every reply that shows it.
    """
    return _inline(
        [
            [("提交", f"{SUBMIT}:{draft}")],
            [("换一个部门", f"{OTHER}:{draft}"), ("只是咨询", f"{ASK}:{draft}")],
        ]
    )


def chosen_bureau(district: District, bureau_id: str, text: str) -> str:
    """The proposal after the citizen chose a bureau by hand."""
    lines = ["已按您的选择更改：", *bureau_lines(district, district.bureaus[bureau_id])]
    lines.append(f"您的描述：{snippet(mask_sensitive(text))}")
    lines += sensitive_warning(text)
    lines.append("")
    lines.append("如需登记并跟踪办理，请点「提交」；还不对请点「换一个部门」。")
    return "\n".join(lines)


def rooms_text() -> str:
    """Above the list of all rooms."""
    return "请选择办理部门："


def rooms_markup(district: District, prefix: str, suffix: str = "") -> InlineKeyboardMarkup:
    """All five rooms, one per row (data ``<prefix>:<room>[:<suffix>]``)."""
    tail = f":{suffix}" if suffix else ""
    return _inline(
        [[(room.name, f"{prefix}:{room_id}{tail}")] for room_id, room in district.rooms.items()]
    )


def which_answer(preview: Preview, district: District, *, unsure: bool, offer: bool = True) -> str:
    """/which TEXT: the office only, nothing filed; ``offer``: with its buttons
    (:func:`which_markup`) to file it or choose another office."""
    if unsure:
        rooms = candidates(preview, district)
        lines = ["我不能确定由哪个部门办理，可能是："]
        lines += [f"· {district.rooms[r].name}" for r in rooms] or ["· （无法判断）"]
        lines += desk_lines(district)
    else:
        lines = office_lines(preview)
    lines.append("")
    if not offer:
        lines.append("（仅为咨询，未登记。）")
    elif unsure:
        lines.append(
            "（仅为咨询，未登记。如需登记跟踪，请在下面选择部门，或点「交由工作人员分派」。）"
        )
    else:
        lines.append(
            "（仅为咨询，未登记。如需登记跟踪，请点「登记此问题」，不用重新输入；"
            "部门不对请点「换一个部门」或直接回复“不对”。）"
        )
    return "\n".join(lines)


def which_markup(
    preview: Preview, district: District, draft: int, *, unsure: bool
) -> InlineKeyboardMarkup:
    """Buttons under :func:`which_answer`: file the problem just asked about, or choose
    another office (trial 30 #21) — the proposal's buttons without 只是咨询."""
    if not unsure:
        return _inline([[("登记此问题", f"{SUBMIT}:{draft}"), ("换一个部门", f"{OTHER}:{draft}")]])
    rows = [
        [(nt.short_room_name(district.rooms[r].name), f"{ROOM}:{r}:{draft}")]
        for r in candidates(preview, district)
    ]
    rows.append([("其他部门", f"{OTHER}:{draft}"), ("交由工作人员分派", f"{DESK}:{draft}")])
    return _inline(rows)
