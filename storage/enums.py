"""Enumerations stored in the database as plain strings."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person does in the network."""

    CITIZEN = "citizen"
    OFFICER = "officer"  # 信息员
    STAFF = "staff"  # 工作人员
    CHIEF = "chief"  # 站长 / 室主任
    ADMIN = "admin"  # 群工办 administrator


#: Roles that are bound to a unit with an invite.
UNIT_ROLES = (Role.OFFICER, Role.STAFF, Role.CHIEF, Role.ADMIN)


class CaseKind(StrEnum):
    """A citizen's request or an information officer's early warning."""

    REQUEST = "request"
    WARNING = "warning"


class CaseStatus(StrEnum):
    """Where a case stands in its lifecycle."""

    REGISTERED = "registered"  # 登记
    DISPATCHED = "dispatched"  # 呈送/派单
    ACKNOWLEDGED = "acknowledged"  # 签收
    IN_PROGRESS = "in_progress"  # 处理中
    RESOLVED = "resolved"  # 办结
    FOLLOWED_UP = "followed_up"  # 已回访
    CLOSED = "closed"  # 结案
    RETURNED = "returned"  # 退单
    REOPENED = "reopened"  # 重办
    REJECTED = "rejected"  # 不予受理 (final, like closed)
    WITHDRAWN = "withdrawn"  # 撤回 by the reporter before 办结 (final, kept in the history)


#: Statuses in which the owning unit still has work to do.
OPEN_STATUSES = (
    CaseStatus.REGISTERED,
    CaseStatus.DISPATCHED,
    CaseStatus.ACKNOWLEDGED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.RETURNED,
    CaseStatus.REOPENED,
)


class Channel(StrEnum):
    """Where an event came from."""

    TELEGRAM = "telegram"
    WEB = "web"
    OPEN311 = "open311"
    CLI = "cli"
    SYSTEM = "system"


class OutboxStatus(StrEnum):
    """Delivery state of one notification."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after all retries, or the recipient blocked the bot


class ResidentialSection(StrEnum):
    """The six sections of a residential file (居情档案), from the seed."""

    PARTY_AFFAIRS = "party_affairs"  # 党务工作
    MAJOR_AFFAIRS = "major_affairs"  # 重大事务
    FINANCES = "finances"  # 财务收支
    LAND_TRANSFER = "land_transfer"  # 土地流转
    FAMILY_PLANNING = "family_planning"  # 计划生育
    HARDSHIP_AID = "hardship_aid"  # 困难救助
