"""What the citizen form's pages show: the form, the "which office?" answer, filed, status.

Each function returns the :class:`~bot.web.html.Page` (template and values) one
page of ``/report`` renders; the routes that answer with them, and the
decisions they follow (privacy of the status look-up, what the timeline
shows), are in :mod:`bot.web.citizen_form`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bot.services.cases import MAX_NOTE, MAX_TEXT, CaseView, Preview
from bot.services.notification_messages import reporter_registered_care
from bot.services.notifications import FOLLOW_UP_ANSWERS, fmt_duration, fmt_time
from bot.services.triage import emergency_of, is_self_harm, safety_hint
from bot.web.citizen_followup import follow_up_hint, follow_up_open
from bot.web.citizen_intake import (
    DONE,
    MAX_ADDRESS,
    CitizenFormContext,
    Filed,
    FormValues,
    places,
)
from bot.web.citizen_status import StatusResult
from bot.web.html import Page
from nlp import mask_sensitive
from storage.enums import CaseStatus


def render_form(
    ctx: CitizenFormContext,
    token: str,
    values: FormValues | None = None,
    *,
    error: str | None = None,
    preview: Preview | None = None,
    talk: str | None = None,
) -> Page:
    """The report form (with a preview answer, or the answer to small talk, above it)."""
    return Page(
        "report_form.html",
        {
            "talk": talk,
            "district_name": ctx.district.name,
            "token": token,
            "values": values or FormValues(),
            "places": places(ctx.district),
            "max_text": MAX_TEXT,
            "max_address": MAX_ADDRESS,
            "error": error,
            "preview": (
                preview_answer(preview, danger=bool(values and emergency_of(values.text)))
                if preview
                else None
            ),
            # An identity or phone number in the description: the bot's warning (trial 27 N21).
            "sensitive": (
                SENSITIVE_WARNING
                if preview and values and mask_sensitive(values.text) != values.text
                else None
            ),
            # Danger now is named on every page that shows the form again with the text in it
            # (preview, an input error, a refused filing), not only on the preview (trial D24).
            "emergency": _emergency_line(values.text) if values and values.text.strip() else None,
        },
    )


def _emergency_line(text: str) -> str | None:
    """The emergency line for a text that describes danger now; for violence at home told as
    a habit, the safety hint the bot gives first (stop 30)."""
    danger = emergency_of(text)
    return danger.line if danger is not None else safety_hint(text)


def desk_phone(ctx: CitizenFormContext) -> str:
    """The dispatcher desk's phone as configured ('' when none is)."""
    unit = ctx.district.units.get(ctx.district.dispatcher)
    return unit.phone if unit is not None else ""


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return "1分钟"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)}分钟"
    return f"{round(seconds / 3600)}小时"


def throttled_message(ctx: CitizenFormContext, wait: int, *, form: bool = False) -> str:
    """The Chinese answer to too many attempts: when to try again, and whom to call now."""
    parts = [f"操作过于频繁，请约{_wait_text(wait)}后再试。"]
    if form:
        parts.append("您填写的内容已保留在下方，稍后直接点“提交诉求”即可，无需重新填写。")
    phone = desk_phone(ctx)
    desk = ctx.district.units.get(ctx.district.dispatcher)
    if phone and desk is not None:
        parts.append(f"如有急事，请拨打{desk.name}电话 {phone}。")
    parts.append("遇到火灾、有人受伤或人身危险，请立即拨打 119、120 或 110。")
    return "".join(parts)


#: Shown on the preview when the description holds an identity or phone number (the bot
#: says the same, ``handlers.texts.citizens.SENSITIVE_WARNING``).
SENSITIVE_WARNING = (
    "⚠️ 您的描述中含有身份证号或电话号码。请勿在问题描述中填写身份证号；"
    "联系电话请填写在下方「联系电话」一栏。提交后，身份证号在工作人员的案件卡片上一律隐去，"
    "电话号码只有承办单位能看到。"
)


def preview_answer(p: Preview, *, danger: bool = False) -> dict[str, object]:
    """The "which office?" answer: the office, what else is known, and whether it is a guess.

    For danger now no office hours or desk address (nobody should wait for them).
    """
    rows: list[tuple[str, str]] = []
    if p.bureau_name:
        office = p.bureau_name + (f"（负责{p.bureau_duties}）" if p.bureau_duties else "")
        rows.append(("受理窗口", p.room_name))
    elif p.room_name:
        office = p.room_name
    else:
        office = "暂时无法确定，提交后由群众服务中心人工分派"
    rows += [
        (label, value)
        for label, value in (("办公地点", p.address), ("办公时间", p.hours), ("联系电话", p.phone))
        if value and not danger
    ]
    if p.keywords:
        rows.append(("判断依据", "、".join(p.keywords)))
    return {"office": office, "rows": rows, "unsure": bool(p.unsure and p.room_name)}


def _deadline_text(ctx: CitizenFormContext, view: CaseView) -> str:
    if view.status in (CaseStatus.REGISTERED, CaseStatus.RETURNED):
        resolve = ctx.district.deadlines[view.priority].resolve
        return f"正在分派承办单位，派单后{fmt_duration(resolve)}内办结"
    return fmt_time(view.resolve_due_at, ctx.tz)


def status_link(number: str) -> str:
    """The status page of a case number."""
    return "/report/status?" + urlencode({"number": number})


#: The receipt of danger now sent with 「先看看由哪个部门办理」: filed at once (stop 32 #6).
FILED_ON_PREVIEW = (
    "您点的是“先看看由哪个部门办理”，因为情况紧急，我们已直接为您登记并转给处置单位，"
    "无需再点“提交诉求”。"
)


def render_filed(ctx: CitizenFormContext, filed: Filed, *, on_preview: bool = False) -> Page:
    """The confirmation after filing (``on_preview``: danger now filed from the preview)."""
    view = filed.view
    return Page(
        "report_filed.html",
        {
            "on_preview": FILED_ON_PREVIEW if on_preview and not filed.repeated else None,
            "repeated": filed.repeated,
            "number": view.number,
            "unit": view.owning_unit_name,
            "deadline": _deadline_text(ctx, view),
            "link": status_link(view.number),
            "has_phone": bool(view.contact_phone),
            "emergency": filed.emergency,
            # Self-harm (trial 27 N8): the bot's receipt — people will call, the crisis
            # line first, no 办结时限.
            "care": (
                reporter_registered_care(view, ctx.district.crisis_hotline, web=True)
                if is_self_harm(view.text)
                else None
            ),
            "code": filed.code,
            "dropped": filed.dropped,
            "kept": filed.kept,
            "at_desk": view.owning_unit_id == ctx.district.dispatcher,
        },
    )


def render_status_page(
    ctx: CitizenFormContext,
    number: str,
    result: StatusResult | None,
    *,
    asked: bool,
    error: str | None = None,
    ok: str | None = None,
    token: str | None = None,
) -> Page:
    """The status page: the result (if any), the follow-up answers, then the look-up form.

    The answers are offered only with ``token`` (:func:`~bot.web.citizen_followup.answer_token`,
    issued after a 查询码 proof); otherwise a 办结 case says why not (trial T9).
    """
    done = result is not None and result.status in DONE
    offer = follow_up_open(result) and token is not None
    answers = [(k, v[0]) for k, v in FOLLOW_UP_ANSWERS.items()] if offer else []
    return Page(
        "report_status.html",
        {
            "number": number,
            "result": result,
            "asked": asked,
            "done": done,
            "tz": ctx.tz,
            "answers": answers,
            "token": token,
            "follow_up_hint": None if offer else follow_up_hint(result),
            "error": error,
            "ok": ok,
        },
    )


def render_comment_step(
    number: str, answer: str, token: str, *, comment: str = "", error: str | None = None
) -> Page:
    """After 未解决 / 不满意: what is still wrong? (optional; nothing recorded yet)."""
    return Page(
        "report_followup.html",
        {
            "ask": True,
            "number": number,
            "answer": answer,
            "answer_label": FOLLOW_UP_ANSWERS[answer][0],
            "token": token,
            "comment": comment,
            "error": error,
            "max_note": MAX_NOTE,
        },
    )


def render_reopened(ctx: CitizenFormContext, view: CaseView, *, commented: bool) -> Page:
    """The answer is recorded and the case reopened: what happens next."""
    return Page(
        "report_followup.html",
        {
            "ask": False,
            "number": view.number,
            "unit": view.owning_unit_name,
            "deadline": fmt_time(view.resolve_due_at, ctx.tz) if view.resolve_due_at else None,
            "commented": commented,
            "link": status_link(view.number),
        },
    )
