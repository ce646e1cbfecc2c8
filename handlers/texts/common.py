"""Texts for everyone: ``ui:`` button data, labels, welcome, help, binding, hints, errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.services.people import PersonInfo
from bot.services.warning_receipt import UI as receipt_ui
from config.district import District
from storage.enums import Role

__all__ = [
    "ASK",
    "BIND_USAGE",
    "CANCELLED",
    "CHOOSE_COMMUNITY_LABEL",
    "COMMUNITY",
    "DEAD_LETTERED",
    "DESK",
    "DESK_FLOOD",
    "DONE_LABEL",
    "DONE_WORDS",
    "ECHO_CHARS",
    "EDITED",
    "EMPTY_TEXT",
    "GROUP_ONLY_PRIVATE",
    "MAX_MESSAGE",
    "MENU_MINE",
    "MENU_PENDING",
    "MENU_REPORT",
    "MENU_STATUS",
    "MENU_WARN",
    "MENU_WHICH",
    "NON_TEXT",
    "NOTHING_TO_CANCEL",
    "NOT_SAVED_ERROR",
    "OTHER",
    "REMOVE_KEYBOARD",
    "ROOM",
    "SAVED_BUT_ERROR",
    "SEND_CONTACT_LABEL",
    "SEND_LOCATION_LABEL",
    "SKIP",
    "SKIP_LABEL",
    "SKIP_WORDS",
    "STALE_BUTTON",
    "SUBMIT",
    "THROTTLED",
    "UI",
    "W_CANCEL",
    "W_OK",
    "W_ROOM",
    "W_ROOMS",
    "W_SEV",
    "W_SEVS",
    "bound",
    "fit",
    "help_text",
    "inline_from_dict",
    "is_done",
    "is_skip",
    "role_help",
    "snippet",
    "too_long",
    "unknown_command",
    "unknown_command_in_step",
    "welcome",
    "welcome_markup",
]


#: Telegram's limit on one message.
MAX_MESSAGE = 4096
#: How much of a user's own text is echoed back.
ECHO_CHARS = 120

# --- callback data of conversation buttons (unsigned, "ui:") ------------------------

UI = receipt_ui  # "ui:", shared with the service's warning receipt buttons
MENU_REPORT = "ui:menu:report"
MENU_WHICH = "ui:menu:which"
MENU_STATUS = "ui:menu:status"
MENU_WARN = "ui:menu:warn"
MENU_MINE = "ui:menu:mine"
MENU_PENDING = "ui:menu:pending"
#: ``ui:sub:<draft>`` submit the draft; ``ui:desk:<draft>`` submit without a room.
SUBMIT = "ui:sub"
DESK = "ui:desk"
#: ``ui:other:<draft>`` show all rooms; ``ui:room:<room>:<draft>`` choose one.
OTHER = "ui:other"
ROOM = "ui:room"
#: ``ui:ask:<draft>`` "just asking": nothing is filed.
ASK = "ui:ask"
#: ``ui:comm:<unit>`` the community of the problem.
COMMUNITY = "ui:comm"
SKIP = "ui:skip"
#: Warning proposal: confirm, choose another room / severity, pick one.
W_OK = "ui:w:ok"
W_ROOMS = "ui:w:rooms"
W_ROOM = "ui:w:room"
W_SEVS = "ui:w:sevs"
W_SEV = "ui:w:sev"
W_CANCEL = "ui:w:cancel"

# --- reply-keyboard labels ---------------------------------------------------------

SKIP_LABEL = "跳过"
DONE_LABEL = "完成"
SEND_LOCATION_LABEL = "📍 发送我的位置"
CHOOSE_COMMUNITY_LABEL = "选择社区"
SEND_CONTACT_LABEL = "📞 发送我的手机号"
#: Words accepted as "skip" / "done" when typed (simplified and traditional).
SKIP_WORDS = frozenset({"跳过", "跳過", "略过", "略過", "不用", "没有", "沒有", "skip", "无", "無"})
DONE_WORDS = frozenset({"完成", "好了", "发完了", "發完了", "done", "结束", "結束"})


def fit(text: str, limit: int = MAX_MESSAGE) -> str:
    """Shorten ``text`` to fit one Telegram message, saying that it was cut."""
    if len(text) <= limit:
        return text
    tail = "\n……（内容过长，已截断）"
    return text[: limit - len(tail)] + tail


def snippet(text: str, limit: int = ECHO_CHARS) -> str:
    """The start of a user's text for echoing, with its full length when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    # At a clause's end when one is near: not 「…和平社区 照……」 in the middle of an
    # appended 照片说明 (trial 28 P11).
    end = max(cut.rfind(c) for c in _CUT_AT)
    if end >= limit * 2 // 3:
        cut = cut[:end]
    return f"{cut}……（共{len(text)}字，已完整保存）"


#: Where a snippet is cut when one is near its end (a line break is a space by then).
_CUT_AT = " ，。；！？,;!?"


def is_skip(text: str) -> bool:
    """Whether a typed text means "skip"."""
    return text.strip().lower() in SKIP_WORDS


def is_done(text: str) -> bool:
    """Whether a typed text means "done"."""
    return text.strip().lower() in DONE_WORDS


def _inline(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def inline_from_dict(markup: dict[str, object] | None) -> InlineKeyboardMarkup | None:
    """A Telegram markup object from the dict form the services render."""
    if not markup:
        return None
    return InlineKeyboardMarkup.de_json(markup, None)


REMOVE_KEYBOARD = ReplyKeyboardRemove()

# --- welcome and help ----------------------------------------------------------------


def welcome(person: PersonInfo, district: District) -> str:
    """The greeting of /start without a code."""
    if person.role == Role.CITIZEN:
        return (
            f"您好！这里是{district.name}群众工作服务平台（民情）。\n"
            "您可以：\n"
            "· 直接发送文字描述您遇到的问题，我会告诉您由哪个部门办理，并可登记跟踪；\n"
            "· 发送 /status 查询已反映问题的办理进度；\n"
            "· 发送 /help 查看全部功能。"
        )
    return (
        f"您好，{person.name or person.role_label}！"
        f"您已绑定：{person.unit_name}（{person.role_label}）。您可以：\n"
        + role_help(person)
        + "\n也可以像群众一样直接发送问题描述，或用下方按钮。"
    )


def welcome_markup(person: PersonInfo) -> InlineKeyboardMarkup:
    """Buttons under the greeting: the main things this person can do."""
    rows: list[list[tuple[str, str]]] = [
        [("反映问题", MENU_REPORT), ("咨询哪个部门", MENU_WHICH)],
        [("查询进度", MENU_STATUS)],
    ]
    if person.may_warn:
        rows.append([("报送预警", MENU_WARN), ("我的预警", MENU_MINE)])
    if person.handles_cases:
        rows.append([("本单位待办", MENU_PENDING)])
    return _inline(rows)


def role_help(person: PersonInfo) -> str:
    """What this person's role can do, one command a line."""
    lines: list[str] = []
    if person.may_warn:
        # A chief is the 站长 his officers' warnings reach: his own go to the district.
        who_calls = "收到您预警的单位" if person.handles_cases else "站长收到您的预警时"
        lines += [
            "· /warn 报送预警（也可 /warn 后直接写内容，一步报送）",
            "· /mine 查看我报送的预警",
            f"· /phone 手机号 登记联系电话（{who_calls}可以回电）",
        ]
    if person.handles_cases:
        lines += [
            "· /pending 本单位待办案件（超期在前）",
            "· 在案件卡片上点「签收」「处理中」「办结」「退单」「上报」办理",
            "· /split 编号 另一件事 —— 一条诉求含两件事时拆分登记",
            # The dashboard's login link: the only way to 延期申请, assessment, export.
            "· /web 获取网页工作台登录链接（延期申请、考核统计、导出等）",
            "· /diary 走访情况 —— 记民情日记（副科级以上领导每月至少一篇，28日为民情日）",
        ]
    if person.is_admin:
        lines += [
            "· /invite 单位编号 角色 生成邀请码（角色：信息员/工作人员/站长/管理员）",
            "· /units 网络覆盖情况",
        ]
    return "\n".join(lines)


def help_text(person: PersonInfo) -> str:
    """/help."""
    lines = [
        "使用说明：",
        "· 直接发送文字描述问题：告诉您由哪个部门办理，可提交登记并跟踪办理进度",
        "· /which 问题描述 —— 只咨询哪个部门办理，不登记",
        "· /status 查询我反映的问题的办理进度",
        "· /bind 邀请码 —— 信息员、工作人员、负责人（站长、主任）绑定所在单位",
        "· /cancel 取消当前操作",
    ]
    extra = role_help(person)
    if extra:
        lines += [f"您是{person.unit_name}的{person.role_label}，还可以：", extra]
    return "\n".join(lines)


# --- binding ----------------------------------------------------------------------------------


def bound(person: PersonInfo) -> str:
    """After a successful /bind."""
    text = f"绑定成功！单位：{person.unit_name}\n角色：{person.role_label}"
    extra = role_help(person)
    return text + ("\n您可以：\n" + extra if extra else "")


BIND_USAGE = "请发送：/bind 邀请码（邀请码由管理员提供）。"


# --- hints and errors ---------------------------------------------------------------------------

CANCELLED = "已取消。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。直接发送问题描述即可反映问题。"
EMPTY_TEXT = "请用文字描述您遇到的问题。"


def too_long(length: int, limit: int) -> str:
    """A description over the service's limit."""
    return f"内容过长（{length}字），请精简到{limit}字以内后重新发送。"


def unknown_command(command: str) -> str:
    """A command the bot does not know."""
    shown = command[:40]
    return f"没有 {shown} 这个命令。发送 /help 查看可用命令；反映问题请直接发送文字描述。"


def unknown_command_in_step(command: str) -> str:
    """A command the bot does not know, sent while a step waits for an answer."""
    shown = command[:40]
    return (
        f"没有 {shown} 这个命令。您正在填写的内容没有丢失，请继续发送或按上一条消息的提示操作；"
        "发送 /cancel 可退出当前步骤，发送 /help 查看可用命令。"
    )


NON_TEXT: dict[str, str] = {
    "sticker": "收到您的表情。请用文字描述您遇到的问题，我会告诉您由哪个部门办理。",
    # Someone who cannot type may be in danger: the numbers first (trial 31 #14).
    "voice": "如有危险，请立即拨打 110（报警）、119（火警）、120（急救）。\n"
    "暂时无法识别语音，请用文字描述您遇到的问题。",
    "audio": "如有危险，请立即拨打 110（报警）、119（火警）、120（急救）。\n"
    "暂时无法处理音频，请用文字描述您遇到的问题。",
    "video": "暂时无法处理视频，请用文字描述您遇到的问题。",
    "document": "暂时无法处理文件，请用文字描述您遇到的问题。",
    "photo": "收到照片。照片需要在提交问题时附上：请先用文字描述问题，"
    "点「提交」后在“照片”一步发送。",
    "location": "收到位置。位置需要在提交问题时附上：请先用文字描述问题，"
    "点「提交」后在“地点”一步发送。",
    "contact": "收到联系方式。请先用文字描述问题，点「提交」后在“联系方式”一步发送。",
    "other": "暂不支持这类消息，请用文字描述您遇到的问题。",
}
EDITED = "您修改了之前的消息。修改不会改变已收到或已提交的内容；如需补充，请直接发送新消息。"
GROUP_ONLY_PRIVATE = "为保护个人信息，请在与本机器人的私聊中使用。"
STALE_BUTTON = "这个按钮已失效。"
SAVED_BUT_ERROR = "抱歉，系统出了点问题，但您的内容已保存（{note}），无需重复提交。"
NOT_SAVED_ERROR = "抱歉，系统出了点问题，您刚才的操作没有完成，请稍后再试。"

# --- intake under load and faults (bot/runtime/intake_notices.py) ---------------------
#: To a citizen whose messages are being slowed down (once per burst).
THROTTLED = "您发送的消息较多，我们会按收到的顺序逐条处理，请稍候，无需重复发送。"
#: To a sender whose update could not be handled after every retry (a dead letter).
DEAD_LETTERED = "系统暂时无法处理您的消息，已记录，工作人员会尽快处理。"
#: To the dispatcher desk: one user's flood is being throttled.
DESK_FLOOD = (
    "【限流提示】用户「{name}」（Telegram ID {user_id}）短时间内发送了大量消息，"
    "系统正按顺序放慢处理（消息不丢弃）。如属恶意刷屏，请核实处理。"
)
