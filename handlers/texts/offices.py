"""The office picker shared by citizens (换一个部门) and officers (更改部门).

Both pick a bureau, not a room: choosing a room alone loses the bureau and
sends the case to the dispatcher desk. The bureaus are grouped by room (one
keyboard row per room, the rooms named in the message above), with a way back
to the proposal.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from config.district import Bureau, District
from handlers.texts.common import _inline

__all__ = [
    "BACK",
    "BACK_LABEL",
    "BUREAU",
    "W_BACK",
    "W_BUREAU",
    "bureau_lines",
    "bureaus_markup",
    "bureaus_text",
]


#: ``ui:bur:<bureau>:<draft>`` a citizen chooses a bureau; ``ui:back:<draft>`` back to the proposal.
BUREAU = "ui:bur"
BACK = "ui:back"
#: ``ui:w:bur:<bureau>`` an officer chooses a bureau; ``ui:w:back`` back to the proposal.
W_BUREAU = "ui:w:bur"
W_BACK = "ui:w:back"
BACK_LABEL = "« 返回"


def bureaus_text(
    district: District, heading: str = "请选择办理部门：", room_id: str | None = None
) -> str:
    """Above the bureau picker: each room (受理窗口) with its bureaus, in keyboard order."""
    lines = [heading]
    for room in district.rooms.values():
        if room_id is not None and room.id != room_id:
            continue
        lines.append(f"{room.name}：" + "、".join(b.name for b in room.bureaus.values()))
    return "\n".join(lines)


def bureaus_markup(
    district: District, prefix: str, back: str, suffix: str = "", room_id: str | None = None
) -> InlineKeyboardMarkup:
    """Every bureau (or one room's): a row per room, data ``<prefix>:<bureau>[:<suffix>]``."""
    tail = f":{suffix}" if suffix else ""
    rows = [
        [(b.name, f"{prefix}:{b.id}{tail}") for b in room.bureaus.values()]
        for room in district.rooms.values()
        if room_id is None or room.id == room_id
    ]
    rows.append([(BACK_LABEL, back)])
    return _inline(rows)


def bureau_lines(district: District, bureau: Bureau) -> list[str]:
    """A chosen bureau: what it does, then where its room receives people."""
    room = district.rooms[bureau.room_id]
    duties = f"（负责{bureau.duties}）" if bureau.duties else ""
    lines = [f"办理部门：{bureau.name}{duties}", f"受理窗口：{room.name}"]
    if room.address:
        lines.append(f"地址：{room.address}")
    if room.hours:
        lines.append(f"办公时间：{room.hours}")
    if room.phone:
        lines.append(f"联系电话：{room.phone}")
    return lines
