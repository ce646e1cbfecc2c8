"""Texts of a citizen's optional steps after 提交: the place, a phone, photos and the receipt.

Split from :mod:`handlers.texts.citizens` ("which office?" and its proposal), pf31 #8.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.services import notifications as nt
from bot.services.cases import CaseView
from bot.services.people import Place
from config.district import District
from handlers.texts.common import (
    CHOOSE_COMMUNITY_LABEL,
    COMMUNITY,
    DONE_LABEL,
    SEND_CONTACT_LABEL,
    SEND_LOCATION_LABEL,
    SKIP_LABEL,
    _inline,
)

__all__ = [
    "ADD_TO_CASE_LABEL",
    "BAD_PHONE",
    "CHOOSE_COMMUNITY",
    "COMMUNITY_SKIP",
    "COMMUNITY_SKIPPED",
    "DESCRIBE_PROMPT",
    "DRAFT_IN_STEPS",
    "EXTRA_ADDED",
    "JUST_ASKING",
    "LOCATION_AT_PHOTOS",
    "LOCATION_SAVED",
    "NEXT_PROBLEM_KEPT",
    "NEXT_PROBLEM_LABEL",
    "NO_DRAFT",
    "PHOTOS_EXPECTED",
    "STALE_DRAFT",
    "TOO_MANY_PHOTOS",
    "communities_markup",
    "contact_keyboard",
    "contact_prompt",
    "extra_text_keyboard",
    "extra_text_question",
    "first_just_asked",
    "location_keyboard",
    "location_prompt",
    "photo_received",
    "photos_keyboard",
    "photos_prompt",
    "place_saved",
    "submitted",
]


# --- the optional steps after 提交 --------------------------------------------------------

DESCRIBE_PROMPT = (
    "请用文字描述您遇到的问题（时间、地点、经过），我会告诉您由哪个部门办理。发送 /cancel 取消。"
)
NO_DRAFT = "没有待提交的问题。如需反映问题，请直接发送问题描述。"
JUST_ASKING = "好的，本次仅为咨询，没有登记。如需反映问题，随时发送问题描述。"


def first_just_asked(second: str) -> str:
    """只是咨询 on the first matter of a 分开登记: the second one is still offered."""
    shown = second if len(second) <= 40 else second[:40] + "…"
    return (
        f"好的，这件事仅为咨询，没有登记。您说的另一件事（{shown}）还没有登记，"
        "下面接着为它选择部门；不需要的话，发送「算了」即可。"
    )


STALE_DRAFT = (
    "这个按钮已失效（这个问题已提交、已放弃或已过期）。"
    "已提交的问题请发送 /status 查看；要反映新的问题，请直接发送文字描述。"
)
#: A proposal's button pressed again while its problem is in the optional steps (a double tap).
DRAFT_IN_STEPS = (
    "这个问题正在提交中，请按上面的提示继续（地点、联系方式、照片，都可以跳过）；"
    "发送 /cancel 放弃提交。"
)


def location_prompt() -> str:
    """Step 1 of 3 after 提交: where."""
    return (
        "（可选 1/3）问题发生在哪里？\n"
        "· 点「📍 发送我的位置」分享当前位置；\n"
        "· 或直接输入地址；\n"
        "· 或点「选择社区」从列表中选择；\n"
        "· 不需要请点「跳过」。发送 /cancel 放弃提交。"
    )


def location_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of the location step."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(SEND_LOCATION_LABEL, request_location=True)],
            [KeyboardButton(CHOOSE_COMMUNITY_LABEL), KeyboardButton(SKIP_LABEL)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def communities_markup(places: Sequence[Place]) -> InlineKeyboardMarkup:
    """The communities and residential areas, two per row, then 不在列表中 / 跳过."""
    buttons = [(p.name, f"{COMMUNITY}:{p.unit_id}") for p in places]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(COMMUNITY_SKIP_LABEL, f"{COMMUNITY}:{COMMUNITY_SKIP}")])
    return _inline(rows)


CHOOSE_COMMUNITY = "请选择社区或居民区（不在列表中可直接输入地址，或点「不在列表中 / 跳过」）："
#: The last button of the community list (no community unit has this id).
COMMUNITY_SKIP = "skip"
COMMUNITY_SKIP_LABEL = "不在列表中 / 跳过"
COMMUNITY_SKIPPED = "已跳过地点（之后可在进度中补充说明）。"


def contact_prompt() -> str:
    """Step 2 of 3: a contact."""
    return (
        "（可选 2/3）留下联系方式，方便工作人员与您联系：\n"
        "· 点「📞 发送我的手机号」；\n"
        "· 或直接输入手机号；\n"
        "· 不需要请点「跳过」。"
    )


def contact_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of the contact step."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(SEND_CONTACT_LABEL, request_contact=True)],
            [KeyboardButton(SKIP_LABEL)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


BAD_PHONE = "请输入正确的手机号（例如 13800138000），或点「跳过」。"


def photos_prompt(step: str = "3/3") -> str:
    """The photo step."""
    return (
        f"（可选 {step}）如有现场照片，请直接发送（可多张）。\n"
        "发送完毕点「完成」；不需要请点「跳过」。"
    )


def photos_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of the photo step."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(DONE_LABEL), KeyboardButton(SKIP_LABEL)]],
        resize_keyboard=True,
    )


ADD_TO_CASE_LABEL = "补充到本问题"
NEXT_PROBLEM_LABEL = "另一个问题"


def extra_text_question() -> str:
    """Text typed at the photo step: an addition to this problem, or another one?"""
    return (
        "您刚发送的文字是对本问题的补充，还是另一个问题？"
        f"请点「{ADD_TO_CASE_LABEL}」或「{NEXT_PROBLEM_LABEL}」。"
    )


def extra_text_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of :func:`extra_text_question`."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(ADD_TO_CASE_LABEL), KeyboardButton(NEXT_PROBLEM_LABEL)],
            [KeyboardButton(DONE_LABEL), KeyboardButton(SKIP_LABEL)],
        ],
        resize_keyboard=True,
    )


EXTRA_ADDED = "已补充到问题描述。可继续发送照片，发送完毕点「完成」。"
NEXT_PROBLEM_KEPT = "好的，提交本问题后接着处理那个问题。可继续发送照片，发送完毕点「完成」。"


def photo_received(count: int) -> str:
    """A photo arrived."""
    return f"已收到第{count}张照片。可继续发送，发送完毕点「完成」。"


TOO_MANY_PHOTOS = "照片最多10张，已收到的照片会一并提交。请点「完成」。"
PHOTOS_EXPECTED = "这一步只收现场照片：请发送照片，或点「完成」提交、点「跳过」不附照片。"
LOCATION_AT_PHOTOS = "已记录位置，将作为事发地点一并提交。请继续发送照片，或点「完成」/「跳过」。"
LOCATION_SAVED = "已记录位置。"


def place_saved(name: str) -> str:
    """A community was chosen."""
    return f"已选择：{name}"


def submitted(view: CaseView, district: District, tz: ZoneInfo) -> str:
    """Right after filing: the one receipt (the service writes none for Telegram filings)."""
    return "提交成功！" + nt.reporter_registered(view, district, tz)
