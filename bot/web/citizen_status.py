"""The status look-up of the citizen form: what ``/report/status`` may show, and to whom.

The decision (trial D13): the case number alone shows nothing; the phone given
at filing or the 查询码 (:mod:`bot.web.lookup_codes`) must come with it. See
:mod:`bot.web.citizen_form` and ``docs/citizen-web.md``.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from bot.services.lifecycle import public_status_label
from bot.services.notification_labels import PUBLIC_EVENT_LABELS, shown_to_reporter
from bot.services.triage import is_self_harm
from bot.web.citizen_intake import DONE, CitizenFormContext
from bot.web.lookup_codes import lookup_code, matches_code
from bot.web.people import phone_digits
from nlp import mask_sensitive
from storage.enums import CaseKind, Channel
from storage.models import Case

#: Steps a person in crisis is not shown (the units' business, trial 26 T4).
NOT_FOR_CARE = frozenset({"escalated", "urged", "extension_approved"})

#: Timeline events shown to the public.
PUBLIC_EVENTS = (
    "registered",
    "dispatched",
    "acknowledged",
    "in_progress",
    "resolved",
    "returned",
    "followed_up",
    "reopened",
    "closed",
    "rejected",
    "withdrawn",
    "escalated",
    "split",
)

_NUMBER_RE = re.compile(r"^[A-Za-z0-9-]{1,32}$")

#: Where a case must have been filed to be shown here: the web form (its 查询码 on the
#: receipt) and Open311 (its 查询码 in ``service_notice``). A Telegram case is followed
#: in the bot, as the page says: its number is sequential and its phone is known to
#: whoever the citizen complained about, so number + phone must not open it (trial 30 #8).
WEB_CHANNELS = (Channel.WEB.value, Channel.OPEN311.value)


async def _proves(ctx: CitizenFormContext, case: Case, proof: str) -> str | None:
    """Which proof matched: ``"code"`` (the case's 查询码), ``"phone"`` (the phone given at
    filing, digits compared) or None."""
    if case.number and await matches_code(ctx.db, case.number, proof):
        return "code"
    if not case.contact_phone:
        return None
    given = phone_digits(proof)
    stored = phone_digits(case.contact_phone)
    if given and hmac.compare_digest(given.encode(), stored.encode()):
        return "phone"
    return None


@dataclass(frozen=True)
class PublicStep:
    """One step of a case's public timeline."""

    at: datetime
    label: str
    unit_name: str
    note: str | None


@dataclass(frozen=True)
class StatusResult:
    """What the status page may show about one case.

    Only made when the number and the phone (or the 查询码) matched, so
    ``detailed`` is always True; ``steps`` and ``resolution_note`` are filled.
    ``by_code`` says the 查询码 was the proof (the phone is on the handling
    station's card, so only the code may answer the follow-up, trial T9);
    ``channel`` is where the case was filed.
    """

    number: str
    status: str
    status_label: str
    owning_unit_name: str
    created_at: datetime
    resolve_due_at: datetime | None
    resolved_at: datetime | None
    detailed: bool
    text: str | None = None
    resolution_note: str | None = None
    steps: tuple[PublicStep, ...] = ()
    by_code: bool = False
    channel: str = "web"
    #: Someone who wrote of harming themselves (trial 27 N8): the crisis line, no
    #: deadline, 督办 or 延期 steps and no result text (as the bot, trial 26 T4).
    care: bool = False
    hotline: str = ""


async def lookup_status(
    ctx: CitizenFormContext, number: str, proof: str | None
) -> StatusResult | None:
    """A citizen's request by case number, if ``proof`` shows it is theirs.

    ``proof`` is the phone number given at filing or the 查询码 printed on the
    confirmation page. Returns None — the same for an unknown number, an early
    warning, a case filed in Telegram (:data:`WEB_CHANNELS`), a missing, wrong or
    partial proof — when nothing may be shown: the number alone never shows
    anything (trial D13).
    """
    number = number.strip().upper()
    if not _NUMBER_RE.match(number) or not (proof and proof.strip()):
        return None
    async with ctx.db.session() as s:
        case = await s.scalar(
            select(Case).where(
                Case.number == number,
                Case.kind == CaseKind.REQUEST.value,
                Case.channel.in_(WEB_CHANNELS),
            )
        )
    if case is None:
        return None
    proved = await _proves(ctx, case, proof)
    if proved is None:
        return None
    return await _status_of(ctx, case, by_code=proved == "code")


async def lookup_proven(ctx: CitizenFormContext, number: str) -> StatusResult | None:
    """The status of request ``number`` for a caller who proved it by 查询码 earlier.

    Only for a step whose form carries a token issued after that proof
    (:mod:`bot.web.citizen_followup`); never on the number alone.
    """
    async with ctx.db.session() as s:
        case = await s.scalar(
            select(Case).where(
                Case.number == number.strip().upper(),
                Case.kind == CaseKind.REQUEST.value,
                Case.channel.in_(WEB_CHANNELS),
            )
        )
    return None if case is None else await _status_of(ctx, case, by_code=True)


async def _split_note(ctx: CitizenFormContext, data: dict[str, object]) -> str | None:
    """The split-off case's number and its own 查询码, for the reporter who proved the
    original is theirs (web and Open311 get no push: this is where they learn it,
    trial 33b E4)."""
    number = data.get("into_number")
    if not isinstance(number, str) or not number:
        return None
    code = await lookup_code(ctx.db, number)
    return f"您反映的另一件事已单独登记为新编号 {number}（查询码 {code}），可用它单独查询办理进度。"


async def _status_of(ctx: CitizenFormContext, case: Case, *, by_code: bool) -> StatusResult:
    base = StatusResult(
        number=case.number or str(case.id),
        status=case.status,
        status_label=public_status_label(case.status),
        owning_unit_name=ctx.cases.unit_name(case.owning_unit_id),
        created_at=case.created_at,
        resolve_due_at=case.resolve_due_at,
        resolved_at=case.resolved_at,
        detailed=False,
        by_code=by_code,
        channel=case.channel,
    )
    entries = await ctx.cases.timeline(case.id)
    care = case.kind == CaseKind.REQUEST.value and is_self_harm(case.original_text)
    shown = [
        e
        for e in entries
        if e.type in PUBLIC_EVENTS
        and shown_to_reporter(e.type, e.from_status)
        and not (care and e.type in NOT_FOR_CARE)
    ]
    steps = tuple(
        [
            PublicStep(
                at=e.at,
                label=PUBLIC_EVENT_LABELS.get(e.type, e.type),
                unit_name=e.unit_name,
                note=(
                    await _split_note(ctx, e.data)
                    if e.type == "split"
                    else mask_sensitive(e.note)
                    if e.note and e.type == "resolved"
                    else None
                ),
            )
            for e in shown
        ]
    )
    note = case.resolution_note if case.status in DONE and not care else None
    return replace(
        base,
        resolve_due_at=None if care else case.resolve_due_at,
        care=care,
        hotline=ctx.district.crisis_hotline,
        detailed=True,
        text=mask_sensitive(case.original_text),
        resolution_note=mask_sensitive(note) if note else None,
        steps=steps,
    )
