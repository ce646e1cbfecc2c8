"""Texts for administrators: invites and the coverage summary."""

from __future__ import annotations

from bot.services.organisation import Coverage
from bot.services.people import role_title
from config.district import District, UnitSpec
from handlers.texts.common import (
    fit,
)
from storage.enums import Role

__all__ = [
    "ADMIN_ONLY",
    "INVITE_USAGE",
    "ROLE_WORDS",
    "coverage_summary",
    "invite_issued",
]


# --- administrators ---------------------------------------------------------------------------

ROLE_WORDS: dict[str, Role] = {
    "officer": Role.OFFICER,
    "信息员": Role.OFFICER,
    "資訊員": Role.OFFICER,
    "staff": Role.STAFF,
    "工作人员": Role.STAFF,
    "工作人員": Role.STAFF,
    "chief": Role.CHIEF,
    "站长": Role.CHIEF,
    "站長": Role.CHIEF,
    "主任": Role.CHIEF,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "管理員": Role.ADMIN,
}
INVITE_USAGE = (
    "用法：/invite 单位编号 角色\n"
    "角色：信息员(officer)、工作人员(staff)、站长或主任(chief)、管理员(admin)\n"
    "例如：/invite dongcheng 信息员\n"
    "单位编号可用 /units 查看。"
)
ADMIN_ONLY = "只有管理员可以使用此命令。"


def invite_issued(code: str, unit: UnitSpec, role: Role, expires: str, link: str | None) -> str:
    """/invite's answer: the code and the deep link (a chief's title follows the unit kind)."""
    label = role_title(role, unit.kind)
    unit_name = unit.name
    lines = [
        f"邀请码：{code}",
        f"单位：{unit_name}",
        f"角色：{label}",
        f"有效期至：{expires}（仅可使用一次）",
    ]
    if link:
        lines.append(f"绑定链接：{link}")
    lines.append(f"对方也可以在机器人中发送：/bind {code}")
    return "\n".join(lines)


def coverage_summary(cov: Coverage, district: District, limit: int = 25) -> str:
    """/units: the district's rates and the units below target, short enough for one message."""
    lines = [
        f"{district.name}群众工作网络覆盖情况：",
        f"设置率（站、室已有负责人）：{cov.setup_rate:.0%}",
        f"工作人员达标率：{cov.staff_rate:.0%}",
        f"信息员配备率：{cov.officer_rate:.0%}",
    ]
    short = [u for u in cov.units if u.staff_ok is False or u.officers_ok is False]
    if short:
        lines.append("")
        lines.append(f"未达标单位（{len(short)}个）：")
        for u in short[:limit]:
            parts = []
            if u.staff_ok is False:
                parts.append(f"人员{u.staff}/{u.staff_target}")
            if u.officers_ok is False:
                parts.append(f"信息员{u.officers}/{u.officer_target}")
            lines.append(f"· {u.name}（{u.id}）：" + "，".join(parts))
        if len(short) > limit:
            lines.append(f"……另有{len(short) - limit}个")
    return fit("\n".join(lines))
