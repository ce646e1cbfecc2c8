"""Texts for information officers: the early warning's steps and its receipt."""

from __future__ import annotations

from collections.abc import Mapping

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.services import notifications as nt
from bot.services.cases import CaseView
from bot.services.people import mask_phone
from bot.services.triage import levels_allowed
from bot.services.warning_receipt import warning_receipt
from config.district import District
from handlers.texts.common import (
    SEND_LOCATION_LABEL,
    SKIP_LABEL,
    W_CANCEL,
    W_OK,
    W_ROOMS,
    W_SEV,
    W_SEVS,
    _inline,
    snippet,
)
from handlers.texts.offices import BACK_LABEL, W_BACK
from handlers.texts.triage import lowered_line, why_line

__all__ = [
    "BAD_HEAD_COUNT",
    "OFFICER_WARN_HINT",
    "OLDER_PROPOSAL",
    "PHONE_FOR_OFFICERS",
    "PHONE_HINT",
    "SEVERITY_ORDER",
    "WARNING_DETAILS_DONE",
    "WARNING_FILED_AT_ONCE",
    "WARNING_NOT_AMENDABLE",
    "WARN_BY_CITIZEN",
    "WARN_BY_CITIZEN_FILED",
    "WARN_CANCELLED",
    "WARN_NEEDS_DESCRIPTION",
    "WARN_NOT_ALLOWED",
    "WARN_PROMPT",
    "WARN_STEP_EXPECTS",
    "head_count_prompt",
    "phone_on_record",
    "phone_saved",
    "photo_kept_early",
    "place_kept_prompt",
    "place_keyboard",
    "place_prompt",
    "severity_markup",
    "skip_keyboard",
    "warn_needs_description",
    "warning_edit_after_auto",
    "warning_facts_prompt",
    "warning_filed",
    "warning_filed_already",
    "warning_markup",
    "warning_proposal",
    "warning_repeat_joined",
]


# --- information officers ---------------------------------------------------------------------

WARN_PROMPT = "请描述预警情况：发生了什么、在哪里、涉及多少人、有多紧急。发送 /cancel 取消。"
WARN_NOT_ALLOWED = (
    "只有已绑定单位的信息员、工作人员或负责人（站长、主任）可以报送预警。"
    "群众反映问题无需 /warn，请直接发送文字描述；"
    "信息员请先向管理员索取邀请码，发送 /bind 邀请码 绑定。"
)
WARN_BY_CITIZEN = (
    "/warn 是信息员报送预警用的，您不需要它：群众反映问题直接发送文字即可。"
    "您刚才写的内容已为您保留，可以作为诉求提交，由承办单位办理并告知结果："
)
WARN_BY_CITIZEN_FILED = (
    "（/warn 是信息员报送预警用的，您不需要它。您反映的紧急情况已按群众诉求登记，无需重复发送。）"
)
WARN_NEEDS_DESCRIPTION = (
    "请描述预警情况：发生了什么、在哪里、涉及多少人、有多紧急。"
    "例如：/warn 小区业主五十余人在售楼处聚集维权。"
)
SEVERITY_ORDER = ("low", "medium", "high", "critical")
_NUMBER_NAMES = {"110": "报警", "119": "火警", "120": "急救"}


def warn_needs_description(services: tuple[str, ...] = ()) -> str:
    """:data:`WARN_NEEDS_DESCRIPTION`, after the numbers a bare warning's emoji point to
    (``/warn 🔥🔥🔥``: 如有火情请立即拨打 119; trial 30 #20)."""
    if not services:
        return WARN_NEEDS_DESCRIPTION
    numbers = "、".join(f"{n}（{_NUMBER_NAMES.get(n, n)}）" for n in services)
    what = "火情" if services == ("119",) else "危险"
    return f"⚠️ 如有{what}请立即拨打 {numbers}。\n{WARN_NEEDS_DESCRIPTION}"


def photo_kept_early(count: int, step: str) -> str:
    """A photo sent at the place or head-count step: kept; the step is asked again."""
    return (
        f"已收到第{count}张照片，已补充到预警。请继续回答{step}，或点「跳过」；"
        "不再补充请发送「完成」。"
    )


def place_kept_prompt(place: str) -> str:
    """``/warn PLACE`` (or a bare place for the text): the place is kept; what happened?"""
    return (
        f"已记下地点：{place}。\n"
        "请描述预警情况：发生了什么、涉及多少人、有多紧急（地点不用再写）。发送 /cancel 取消。"
    )


#: A warning the rules rate 特别重大 is filed the moment its text arrives (no 确认 to wait for).
WARNING_FILED_AT_ONCE = (
    "情况危急，预警已立即报送，无需再点「确认」。等级有误请点上条的「更改等级」"
    "（下调须写明理由）；部门有误请点「补充说明」写明，承办单位会看到；"
    "也可继续补充地点、人数、照片。"
)
PHONE_FOR_OFFICERS = "/phone 供信息员登记联系电话。群众反映问题时，可在提交问题的第 2 步留下电话。"
PHONE_HINT = "发送 /phone 手机号 登记您的联系电话，站长收到您的预警时可以回电。"


def phone_on_record(phone: str | None) -> str:
    """/phone alone: what is on record, and how to change it."""
    if not phone:
        return "您还没有登记联系电话。\n" + PHONE_HINT
    return (
        f"您登记的联系电话：{mask_phone(phone)}\n更改请发送 /phone 新号码；删除请发送 /phone 删除。"
    )


def phone_saved(phone: str | None) -> str:
    """After /phone NUMBER or /phone 删除."""
    if phone is None:
        return "已删除您的联系电话。今后报送的预警不再附电话。"
    return (
        f"已登记联系电话：{mask_phone(phone)}。\n"
        "今后报送的预警将附上此电话（报送人电话），完整号码仅承办单位可见。"
    )


#: The proposal's last line once the warning is filed.
CONFIRMED_LINE = "✔ 已确认，预警已报送（编号见下条）。"
#: Under the proposal of a 特别重大 warning, filed without waiting for 确认.
FILED_AT_ONCE_LINE = "✔ 情况危急，预警已立即报送（编号见下条）。"


def warning_proposal(
    draft: Mapping[str, object],
    district: District,
    *,
    confirmed: bool = False,
    at_once: bool = False,
) -> str:
    """The proposed room, bureau and severity of a warning, for confirmation.

    ``confirmed``: the proposal as it stays once the warning is filed (the receipt with
    the number follows it); ``at_once``: filed without 确认 (特别重大).
    """
    room = district.rooms.get(str(draft.get("room") or ""))
    bureau = district.bureaus.get(str(draft.get("bureau") or ""))
    if bureau is not None:
        category = bureau.name + (f"（{room.name}）" if room else "")
    else:
        category = room.name if room else "待分派"
    severity = nt.SEVERITY_LABELS.get(str(draft.get("severity")), "一般")
    doubt = "（把握不大，请核对）" if draft.get("unsure") else ""
    lines = [
        "预警研判：",
        f"分类：{category}{doubt}",
        f"等级：{severity}",
    ]
    why = why_line(
        str(draft.get("why") or ""),
        rubric=str(draft.get("rubric") or ""),
        chosen=str(draft.get("severity") or ""),
    )
    if why:
        lines.append(why)
    reason = draft.get("severity_reason")
    if reason and draft.get("severity") != draft.get("rubric"):
        lines.append(lowered_line(str(reason)))
    keywords = draft.get("keywords")
    if draft.get("chosen"):
        lines.append("分类依据：您选择的部门")
    elif isinstance(keywords, list) and keywords:
        lines.append("分类依据：关键词" + "、".join(f"“{k}”" for k in keywords[:6]))
    lines.append(f"内容：{snippet(str(draft.get('text', '')))}")
    lines.append("")
    if at_once:
        lines.append(FILED_AT_ONCE_LINE)
    else:
        lines.append(CONFIRMED_LINE if confirmed else "请确认，或更改部门、等级。")
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


def severity_markup(rubric: str | None = None) -> InlineKeyboardMarkup:
    """The severities the officer may choose, and a way back to the proposal.

    A 重大 or 特别重大 rating may be lowered no further than 较大 (``lowest_level``).
    """
    allowed = [s for s in SEVERITY_ORDER if s in levels_allowed(rubric or "low")]
    rows = [[(nt.SEVERITY_LABELS[s], f"{W_SEV}:{s}")] for s in allowed]
    return _inline([*rows, [(BACK_LABEL, W_BACK)]])


def place_prompt() -> str:
    """Warning step: the place."""
    return (
        "（可选 1/3）发生地点？直接输入，或点「📍 发送我的位置」；"
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
    return "（可选 2/3）大约涉及多少人？例如 30、三十多人、大概四五个人；不清楚请点「跳过」。"


def skip_keyboard() -> ReplyKeyboardMarkup:
    """A single 跳过 button."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(SKIP_LABEL)]], resize_keyboard=True, one_time_keyboard=True
    )


BAD_HEAD_COUNT = "没有看懂人数。请输入人数，例如 30、三十多人，或点「跳过」。"
WARN_CANCELLED = "已取消，预警未报送。"


def warning_facts_prompt(number: str | None) -> str:
    """After ``/warn 紧急`` (only that it is urgent): the facts, at once (trial 32 D30)."""
    return (
        f"预警 {number} 已按紧急情况报送。请立即补充：发生了什么？在哪里？有没有人受伤？"
        "直接回复文字即可，将加入该预警并通知承办单位。"
    )


def warning_repeat_joined(number: str | None) -> str:
    """The same content-free /warn again within minutes: joined, not filed twice."""
    return f"与刚才报送的预警 {number} 相同，未重复报送。"


def warning_filed_already(number: str | None) -> str:
    """确认 after the service filed the unconfirmed 重大 proposal itself (trial 32 D27)."""
    return f"该预警已由系统自动报送（编号：{number}），无需再次确认；接下来可补充地点、人数和照片。"


def warning_edit_after_auto(number: str | None) -> str:
    """An edit (更改部门 / 更改等级) of a proposal the service already filed (review 32 S4)."""
    return (
        f"该预警已由系统自动报送（编号：{number}），本次修改不会另行报送一条新预警。"
        "如部门或等级有误，请在回执下点「补充说明」写明，或请站长更改。"
    )


def warning_filed(view: CaseView, district: District, rubric: str | None = None) -> str:
    """Right after a warning was filed (``rubric``: the rules' level, when known): the
    receipt (:func:`bot.services.warning_receipt.warning_receipt`) and, without a phone
    on record, how to leave one."""
    text = warning_receipt(view, rubric)
    return text if view.contact_phone else f"{text}\n{PHONE_HINT}"


#: 补充地点/人数/照片 on a warning that is not the presser's, or is over.
WARNING_NOT_AMENDABLE = "该预警已结束办理或不是您报送的，不能补充。"

#: The optional steps after filing are over (the warning was sent at 确认).
WARNING_DETAILS_DONE = "补充完毕。预警已报送，办理进展会通知您，发送 /mine 查看。"

#: A button on a proposal that a newer one (a new description, a lowering reason) replaced.
OLDER_PROPOSAL = "这是较早的预警研判，已被下方最新的一条取代。请在最新的预警研判上点「确认」。"

#: Something other than text (a sticker, a voice message, a file) at a step of the warning.
WARN_STEP_EXPECTS: dict[str, str] = {
    "text": "请用文字描述预警情况（暂时无法识别语音、表情或文件）；发送 /cancel 取消。",
    "confirm": "预警还没有报送：请点上方的「确认」报送，或点「更改部门」「更改等级」；"
    "发送 /cancel 取消。",
    "reason": "请用文字说明降级理由；不降级请点「保持」，或发送 /cancel。",
    "photos": "请发送现场照片，发送完毕点「完成」；不需要请点「跳过」。",
    "other": "请按提示用文字回答，或点「跳过」；预警已报送，发送 /cancel 结束补充。",
}


#: Before the citizen proposal of a bound officer's plain text (stop 35 D15): his own
#: matters are a citizen's, a warning needs /warn.
OFFICER_WARN_HINT = "如需报送预警，请发送 /warn 内容；以下按您个人反映的问题处理。"
