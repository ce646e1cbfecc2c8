"""Replies and keyboards of the chat front end that are not case notifications.

Case notifications and cards are rendered by :mod:`bot.services.notifications` (the
services write them to the outbox); this module holds what the handlers answer
directly: menus, the "which office?" answer, prompts of the optional steps,
lists for /status, /mine and /pending, and every hint and refusal. All texts
are plain Simplified Chinese (no parse mode), so user text needs no escaping.

Buttons that only steer the user's own conversation carry unsigned data
starting with ``ui:``; buttons that act on a case carry data signed by
:class:`bot.services.callbacks.CallbackCodec`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.services import notifications as nt
from bot.services.callbacks import CallbackCodec, CaseAction
from bot.services.cases import CaseView, Preview, TimelineEntry
from bot.services.organisation import Coverage
from bot.services.people import PersonInfo, Place
from config.district import District
from storage.enums import Role

#: Telegram's limit on one message.
MAX_MESSAGE = 4096
#: How much of a user's own text is echoed back.
ECHO_CHARS = 120

# --- callback data of conversation buttons (unsigned, "ui:") ------------------------

UI = "ui:"
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
    return f"{flat[:limit]}……（共{len(text)}字，已完整保存）"


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
        lines += [
            "· /warn 报送预警（也可 /warn 后直接写内容，一步报送）",
            "· /mine 查看我报送的预警",
        ]
    if person.handles_cases:
        lines += [
            "· /pending 本单位待办案件（超期在前）",
            "· 在案件卡片上点「签收」「处理中」「办结」「退单」「上报」办理",
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
        "· /bind 邀请码 —— 信息员、工作人员、站长绑定所在单位",
        "· /cancel 取消当前操作",
    ]
    extra = role_help(person)
    if extra:
        lines += [f"您是{person.unit_name}的{person.role_label}，还可以：", extra]
    return "\n".join(lines)


# --- "which office?" ---------------------------------------------------------------------


def _keywords(preview: Preview) -> str:
    """The deciding keywords: words of two or more characters first, at most five."""
    words = [w for w in preview.keywords if len(w) >= 2] or [w for w in preview.keywords if w]
    return "、".join(f"“{w}”" for w in words[:5])


def office_lines(preview: Preview) -> list[str]:
    """The office that handles a matter: room, bureau, where and when, and why."""
    name = preview.room_name + (f" · {preview.bureau_name}" if preview.bureau_name else "")
    lines = [f"办理部门：{name}"]
    if preview.address:
        lines.append(f"地址：{preview.address}")
    if preview.hours:
        lines.append(f"办公时间：{preview.hours}")
    if preview.phone:
        lines.append(f"电话：{preview.phone}")
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


def proposal(preview: Preview, text: str, district: District, *, unsure: bool) -> str:
    """The answer to a description: the office, or the choices when unsure."""
    lines: list[str] = []
    if not unsure:
        lines.append("根据您的描述，建议由以下部门办理：")
        lines += office_lines(preview)
        lines.append("")
        lines.append(f"您的描述：{snippet(text)}")
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
    lines.append(f"您的描述：{snippet(text)}")
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


def submit_markup(draft: int) -> InlineKeyboardMarkup:
    """提交 / 换一个部门 / 只是咨询 for draft number ``draft``."""
    return _inline(
        [
            [("提交", f"{SUBMIT}:{draft}")],
            [("换一个部门", f"{OTHER}:{draft}"), ("只是咨询", f"{ASK}:{draft}")],
        ]
    )


def chosen_room(district: District, room_id: str, text: str) -> str:
    """The proposal after the citizen chose a room by hand."""
    room = district.rooms[room_id]
    lines = [f"已选择：{room.name}"]
    if room.address:
        lines.append(f"地址：{room.address}")
    if room.hours:
        lines.append(f"办公时间：{room.hours}")
    if room.phone:
        lines.append(f"电话：{room.phone}")
    lines.append(f"您的描述：{snippet(text)}")
    lines.append("")
    lines.append("如需登记并跟踪办理，请点「提交」。")
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


def which_answer(preview: Preview, district: District, *, unsure: bool) -> str:
    """/which TEXT: the office only, nothing filed."""
    if unsure:
        rooms = candidates(preview, district)
        lines = ["我不能确定由哪个部门办理，可能是："]
        lines += [f"· {district.rooms[r].name}" for r in rooms] or ["· （无法判断）"]
        lines += desk_lines(district)
    else:
        lines = office_lines(preview)
    lines.append("")
    lines.append("（仅为咨询，未登记。如需登记跟踪，请直接发送问题描述并点「提交」。）")
    return "\n".join(lines)


# --- the optional steps after 提交 --------------------------------------------------------

DESCRIBE_PROMPT = (
    "请用文字描述您遇到的问题（时间、地点、经过），我会告诉您由哪个部门办理。发送 /cancel 取消。"
)
NO_DRAFT = "没有待提交的问题。如需反映问题，请直接发送问题描述。"
JUST_ASKING = "好的，本次仅为咨询，没有登记。如需反映问题，随时发送问题描述。"
STALE_DRAFT = "这个按钮已失效，请重新发送您的问题描述。"


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
    """The communities and residential areas, two per row."""
    buttons = [(p.name, f"{COMMUNITY}:{p.unit_id}") for p in places]
    return _inline([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


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


def photo_received(count: int) -> str:
    """A photo arrived."""
    return f"已收到第{count}张照片。可继续发送，发送完毕点「完成」。"


TOO_MANY_PHOTOS = "照片最多10张，已收到的照片会一并提交。请点「完成」。"
PHOTOS_EXPECTED = "请发送照片，或点「完成」/「跳过」。"
LOCATION_SAVED = "已记录位置。"


def place_saved(name: str) -> str:
    """A community was chosen."""
    return f"已选择：{name}"


def submitted(view: CaseView) -> str:
    """Right after filing (the full receipt follows as a notification)."""
    return (
        f"提交成功！编号：{view.number}\n"
        "登记回执和之后的每一次办理进展都会通知您，也可随时发送 /status 查询。"
    )


# --- /status, /mine ---------------------------------------------------------------------------


def _when(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return "—"
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def case_summary(view: CaseView, tz: ZoneInfo) -> list[str]:
    """A few lines about one case for lists."""
    head = f"【{view.kind_label}】{view.number} · {view.status_label}"
    if view.kind == "warning":
        head += f" · {view.severity_label}"
    if view.overdue:
        head += "【已超期】"
    lines = [head, f"承办：{view.escalated_to_unit_name or view.owning_unit_name}"]
    lines.append(f"内容：{snippet(view.text, 40)}")
    if view.status in ("resolved", "followed_up", "closed") and view.resolution_note:
        lines.append(f"办理结果：{snippet(view.resolution_note, 60)}")
    elif view.resolve_due_at is not None and view.status not in ("registered", "returned"):
        lines.append(f"办结时限：{nt.fmt_time(view.resolve_due_at, tz)}")
    return lines


def timeline_lines(entries: Sequence[TimelineEntry], tz: ZoneInfo) -> list[str]:
    """A case's progress, one event a line."""
    out = []
    for e in entries:
        line = f"  {_when(e.at, tz)} {e.label}"
        if e.type in ("dispatched", "acknowledged") and e.unit_name:
            line += f"（{e.unit_name}）"
        out.append(line)
    return out


def status_list(
    views: Sequence[CaseView],
    timelines: Mapping[int, Sequence[TimelineEntry]],
    tz: ZoneInfo,
    *,
    title: str = "您反映的问题",
) -> str:
    """/status: the newest cases with their progress, as much as fits one message."""
    if not views:
        return NO_CASES
    parts = [f"{title}（最近{len(views)}件）："]
    used = len(parts[0])
    shown = 0
    for view in views:
        block = "\n".join(
            [*case_summary(view, tz), "进展：", *timeline_lines(timelines.get(view.id, ()), tz)]
        )
        if used + len(block) + 60 > MAX_MESSAGE:
            break
        parts.append(block)
        used += len(block) + 2
        shown += 1
    if shown < len(views):
        parts.append(f"……还有{len(views) - shown}件未显示。")
    return "\n\n".join(parts)


NO_CASES = "您还没有反映过问题。直接发送问题描述即可开始。"
NO_WARNINGS = "您还没有报送过预警。发送 /warn 报送预警。"


# --- information officers ---------------------------------------------------------------------

WARN_PROMPT = "请描述预警情况：发生了什么、在哪里、涉及多少人、有多紧急。发送 /cancel 取消。"
WARN_NOT_ALLOWED = (
    "只有已绑定单位的信息员、工作人员或站长可以报送预警。"
    "请先向管理员索取邀请码，发送 /bind 邀请码 绑定。"
)
SEVERITY_ORDER = ("low", "medium", "high", "critical")


def warning_proposal(draft: Mapping[str, object], district: District) -> str:
    """The proposed room, bureau and severity of a warning, for confirmation."""
    room = district.rooms.get(str(draft.get("room") or ""))
    bureau = district.bureaus.get(str(draft.get("bureau") or ""))
    category = (room.name if room else "待分派") + (f" · {bureau.name}" if bureau else "")
    severity = nt.SEVERITY_LABELS.get(str(draft.get("severity")), "一般")
    doubt = "（把握不大，请核对）" if draft.get("unsure") else ""
    lines = [
        "预警研判：",
        f"分类：{category}{doubt}",
        f"等级：{severity}",
    ]
    keywords = draft.get("keywords")
    if isinstance(keywords, list) and keywords:
        lines.append("依据：关键词" + "、".join(f"“{k}”" for k in keywords[:6]))
    lines.append(f"内容：{snippet(str(draft.get('text', '')))}")
    lines.append("")
    lines.append("请确认，或更改部门、等级。")
    return "\n".join(lines)


def warning_markup() -> InlineKeyboardMarkup:
    """Buttons under :func:`warning_proposal`."""
    return _inline(
        [
            [("确认", W_OK)],
            [("更改部门", W_ROOMS), ("更改等级", W_SEVS)],
            [("取消", W_CANCEL)],
        ]
    )


def severity_markup() -> InlineKeyboardMarkup:
    """The four severities."""
    return _inline([[(nt.SEVERITY_LABELS[s], f"{W_SEV}:{s}")] for s in SEVERITY_ORDER])


def place_prompt() -> str:
    """Warning step: the place."""
    return (
        "（可选）发生地点？直接输入，或点「📍 发送我的位置」；"
        "不需要请点「跳过」。发送 /cancel 取消。"
    )


def place_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of the warning's place step."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(SEND_LOCATION_LABEL, request_location=True)],
            [KeyboardButton(SKIP_LABEL)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def head_count_prompt() -> str:
    """Warning step: how many people."""
    return "（可选）大约涉及多少人？请输入数字，例如 30；不清楚请点「跳过」。"


def skip_keyboard() -> ReplyKeyboardMarkup:
    """A single 跳过 button."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(SKIP_LABEL)]], resize_keyboard=True, one_time_keyboard=True
    )


BAD_HEAD_COUNT = "请输入人数（数字，例如 30），或点「跳过」。"
WARN_CANCELLED = "已取消，预警未报送。"


def warning_filed(view: CaseView, district: District) -> str:
    """Right after a warning was filed."""
    lines = [
        f"预警已报送！编号：{view.number}",
        f"等级：{view.severity_label}",
        f"已推送：{view.owning_unit_name}",
    ]
    if view.severity in ("high", "critical"):
        centres = [district.units[c].name for c in district.warning_centres if c in district.units]
        if view.severity == "critical" and district.leadership in district.units:
            centres.append(district.units[district.leadership].name)
        if centres:
            lines.append("同时报送：" + "、".join(centres))
    lines.append("办理进展会通知您，发送 /mine 查看。")
    return "\n".join(lines)


# --- binding ----------------------------------------------------------------------------------


def bound(person: PersonInfo) -> str:
    """After a successful /bind."""
    text = f"绑定成功！单位：{person.unit_name}\n角色：{person.role_label}"
    extra = role_help(person)
    return text + ("\n您可以：\n" + extra if extra else "")


BIND_USAGE = "请发送：/bind 邀请码（邀请码由管理员提供）。"


# --- station chiefs and staff -----------------------------------------------------------------

NOT_HANDLER = "只有已绑定单位的站长、工作人员可以查看待办案件。"
NO_PENDING = "本单位目前没有待办案件。"


def pending_list(unit_name: str, views: Sequence[CaseView], tz: ZoneInfo) -> str:
    """/pending: open cases, overdue first."""
    if not views:
        return NO_PENDING
    overdue = sum(1 for v in views if v.overdue)
    head = f"{unit_name}待办案件：共{len(views)}件" + (f"，其中超期{overdue}件" if overdue else "")
    parts = [head]
    used = len(head)
    shown = 0
    for i, view in enumerate(views, 1):
        due = (
            view.ack_due_at
            if view.status in ("registered", "returned", "dispatched", "reopened")
            else view.resolve_due_at
        )
        due_label = "签收时限" if due is view.ack_due_at else "办结时限"
        flag = "⚠️超期 " if view.overdue else ""
        kind = (
            f"{view.kind_label}·{view.severity_label}"
            if view.kind == "warning"
            else view.kind_label
        )
        block = (
            f"{i}. {flag}{view.number}（{kind}）{view.status_label}\n"
            f"   {due_label}：{nt.fmt_time(due, tz)}\n"
            f"   内容：{snippet(view.text, 40)}"
        )
        if used + len(block) + 40 > MAX_MESSAGE:
            break
        parts.append(block)
        used += len(block) + 1
        shown += 1
    if shown < len(views):
        parts.append(f"……还有{len(views) - shown}件未显示。")
    parts.append("点下方按钮查看案件卡片并办理。")
    return "\n".join(parts)


def pending_markup(
    codec: CallbackCodec, views: Sequence[CaseView], limit: int = 10
) -> InlineKeyboardMarkup | None:
    """One 查看 button per case (shows its card with the buttons the viewer may press)."""
    rows = [
        [(f"查看 {v.number}", codec.encode(CaseAction.REFRESH, v.id, v.version))]
        for v in views[:limit]
    ]
    return _inline(rows) if rows else None


def note_prompt(action: CaseAction, number: str) -> str:
    """办结 / 退单 ask for a note in the next message."""
    if action == CaseAction.RESOLVE:
        return f"请发送 {number} 的办结说明（办理结果，将告知反映人）。发送 /cancel 取消。"
    return f"请发送 {number} 的退单理由（案件将退回分派台重新派单）。发送 /cancel 取消。"


NOTE_EXPECTED = "请用文字发送说明，或发送 /cancel 取消。"
NOTE_CANCELLED = "已取消，案件未作改动。"


def note_done(action: CaseAction, view: CaseView) -> str:
    """After 办结 / 退单."""
    if action == CaseAction.RESOLVE:
        return f"已办结：{view.number}。已通知反映人并发起回访。"
    return f"已退单：{view.number}，已退回{view.owning_unit_name}重新派单。"


ACTION_DONE: dict[CaseAction, str] = {
    CaseAction.ACKNOWLEDGE: "已签收",
    CaseAction.START: "已标记为处理中",
    CaseAction.ESCALATE: "已上报",
    CaseAction.DISPATCH: "已派单",
}
FORGED_BUTTON = "无效的按钮，操作未执行。"
CHOOSE_BUREAU = "请选择承办部门："

# --- follow-up --------------------------------------------------------------------------------

FOLLOW_UP_THANKS = "感谢您的评价！"
FOLLOW_UP_COMMENT = (
    "很抱歉问题没有让您满意。请简要说明原因或您的意见（直接发送文字），"
    "工作人员会重新办理；也可以点「跳过」。"
)


def follow_up_answered(question: str, answer_label: str) -> str:
    """The follow-up question, edited to show the answer (buttons removed)."""
    return f"{question}\n\n您的回复：{answer_label}"


def skip_markup() -> InlineKeyboardMarkup:
    """A single inline 跳过."""
    return _inline([[("跳过", SKIP)]])


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
    "角色：信息员(officer)、工作人员(staff)、站长(chief)、管理员(admin)\n"
    "例如：/invite dongcheng 信息员\n"
    "单位编号可用 /units 查看。"
)
ADMIN_ONLY = "只有管理员可以使用此命令。"


def invite_issued(code: str, unit_name: str, role: Role, expires: str, link: str | None) -> str:
    """/invite's answer: the code and the deep link."""
    label = {
        Role.OFFICER: "信息员",
        Role.STAFF: "工作人员",
        Role.CHIEF: "站长",
        Role.ADMIN: "管理员",
    }.get(role, role.value)
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


NON_TEXT: dict[str, str] = {
    "sticker": "收到您的表情。请用文字描述您遇到的问题，我会告诉您由哪个部门办理。",
    "voice": "暂时无法识别语音，请用文字描述您遇到的问题。",
    "audio": "暂时无法处理音频，请用文字描述您遇到的问题。",
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
