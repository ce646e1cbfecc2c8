"""Open311 GeoReport v2, filing a request: checking the fields, the API key, the
answer's notice. Behind ``POST requests`` of :mod:`bot.web.open311`; the context,
the errors and the records are in :mod:`bot.web.open311_requests`.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from bot.services.cases import MAX_TEXT, CaseView, RequestDraft
from bot.services.critical_net import critical_notice, critical_unlined
from bot.services.lifecycle import CaseError
from bot.services.notification_messages import reporter_registered_care
from bot.services.notifications import fmt_duration, fmt_time
from bot.services.people import MIN_PHONE_DIGITS
from bot.services.readable import unreadable
from bot.services.triage import SELF_HARM, emergency_of, triage
from bot.web.api_keys import verify_api_key
from bot.web.citizen_intake import fit_danger_text, rated_critical
from bot.web.lookup_codes import lookup_code
from bot.web.open311_idempotency import (
    KEY_REUSED,
    KEY_REUSED_DANGER,
    case_under_other_fields,
    key_base,
    key_prefix,
    request_digest,
)
from bot.web.open311_requests import (
    MAX_ADDRESS,
    MAX_MEDIA_URL,
    NOT_A_REQUEST,
    Open311Context,
    Open311Error,
)
from bot.web.people import ContactError, clean_name, clean_phone, create_web_reporter
from storage import intake_keys
from storage.enums import CaseStatus, Channel
from storage.models import ApiKey, Case

log = logging.getLogger(__name__)

#: The 400 for a phone nobody can be called back on (``12345`` is a hotline).
PHONE_NOT_VALID = (
    f"phone is not valid: give a number of at least {MIN_PHONE_DIGITS} digits"
    f"（联系电话至少{MIN_PHONE_DIGITS}位数字）"
)


#: The 400 for binary data or control characters instead of words (trial 26 T22).
UNREADABLE = (
    "{field} is not readable text (binary data or control characters)"
    "（内容无法识别为文字，请用文字描述）"
)

#: The 400 for an ordinary request without a place (a danger now needs none).
LOCATION_REQUIRED = (
    "a location is required: lat and long, or address_string. "
    "If anyone is in danger now, call 110 (police), 119 (fire) or 120 (ambulance) at once. "
    "如有危险，请立即拨打 110（报警）、119（火警）、120（急救）。"
)
#: Danger now written in English (foreign residents' apps, trial 27 N17). The Chinese
#: rubric does not read it; for Open311 it is enough to file without a place and to
#: answer with the emergency numbers. A false alarm costs a call-back, a refusal a life.
ENGLISH_DANGER = re.compile(
    r"\b(?:fire|burning|on fire|smoke|help|sos|emergency|drown\w*|knife|stab\w*|gun\w*|"
    r"shoot\w*|kill\w*|suicid\w*|jump\w* off|trapped|explo\w*|bleed\w*|unconscious|"
    r"attack\w*|assault\w*|gas leak|collaps\w*)\b",
    re.IGNORECASE,
)
#: The first line of the notice for danger written in English.
ENGLISH_DANGER_LINE = (
    "⚠️ If anyone is in danger now, call 110 (police), 119 (fire) or 120 (ambulance) at once. "
    "情况紧急请立即拨打 110（报警）、119（火警）、120（急救）。\n"
)


def english_danger(text: str) -> bool:
    """Whether ``text`` names a danger now in English (fire, help, drowning, knife …)."""
    return ENGLISH_DANGER.search(text) is not None


def _float(fields: Mapping[str, str], name: str, bound: float) -> float | None:
    text = (fields.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise Open311Error(400, f"{name} is out of range")
    return value


def parse_submission(ctx: Open311Context, fields: Mapping[str, str]) -> tuple[RequestDraft, bool]:
    """Check the fields of ``POST requests`` (api_key aside) and build the draft.

    Returns:
        The draft, and whether it describes danger now (in Chinese or English).

    Raises:
        Open311Error: 400 with the first problem found.
    """
    code = (fields.get("service_code") or "").strip()
    bureau = ctx.district.bureaus.get(code) if code else None
    if code and bureau is None:
        raise Open311Error(400, f"unknown service_code: {code}")
    description = (fields.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > MAX_TEXT:
        found = emergency_of(description)
        if found is None:
            raise Open311Error(400, f"description is longer than {MAX_TEXT} characters")
        # Danger now is never refused for its length (trial 31 #11): cut around its words.
        description = fit_danger_text(description, found.words)
    verdict = triage(description)  # as the citizen form: danger wins over small talk
    if verdict.kind == "noise" and unreadable(description):
        raise Open311Error(400, UNREADABLE.format(field="description"))
    if verdict.small_talk or verdict.kind == "vague":
        raise Open311Error(400, NOT_A_REQUEST)
    lat, lon = _float(fields, "lat", 90.0), _float(fields, "long", 180.0)
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat and long must be given together")
    address = (fields.get("address_string") or "").strip()
    if len(address) > MAX_ADDRESS:
        raise Open311Error(400, f"address_string is longer than {MAX_ADDRESS} characters")
    # The rubric's 特别重大 told now with no line is filed as danger is (review 32 S8).
    danger = (
        verdict.kind == "emergency" or english_danger(description) or critical_unlined(description)
    )
    if lat is None and not address and not danger:
        # Danger now is filed without a place (trial 26 T7): the owner calls the
        # reporter back, and the answer starts with the emergency line.
        raise Open311Error(400, LOCATION_REQUIRED)
    media = (fields.get("media_url") or "").strip()
    if media and (
        not media.startswith(("https://", "http://"))
        or len(media) > MAX_MEDIA_URL
        or any(ch.isspace() for ch in media)
    ):
        raise Open311Error(400, "media_url must be an http or https URL")
    for other in ("address_string", "first_name", "last_name"):
        # Danger now is never refused for an optional field (it is stored as sent).
        if not danger and unreadable(fields.get(other) or ""):
            raise Open311Error(400, UNREADABLE.format(field=other))
    family, given = (fields.get("last_name") or "").strip(), (fields.get("first_name") or "")
    try:
        name = clean_name(family + given.strip())
        phone = clean_phone(fields.get("phone"))
    except ContactError as exc:
        if exc.field == "phone":  # the bot's rule: 12345 is a hotline, not a call-back number
            raise Open311Error(400, PHONE_NOT_VALID) from None
        raise Open311Error(400, f"{exc.field} is not valid") from None
    draft = RequestDraft(
        text=description,
        room=bureau.room_id if bureau else None,
        bureau=bureau.id if bureau else None,
        address=address or None,
        latitude=lat,
        longitude=lon,
        contact_name=name,
        contact_phone=phone,
        photo_file_ids=(media,) if media else (),
    )
    return draft, danger


def service_notice(view: CaseView, ctx: Open311Context) -> str:
    """The short Chinese notice returned with a new request.

    A request that describes danger now starts with the emergency line.
    """
    danger = emergency_of(view.text)
    if danger is not None and danger.kind == SELF_HARM:
        # The bot's crisis path (trial 27 N8): people will call, the crisis line, no deadline.
        return reporter_registered_care(view, ctx.district.crisis_hotline, web=True)
    if danger is not None:
        first = danger.line
    elif view.severity == "critical" and critical_unlined(view.text):
        # The rubric's 特别重大 with no line (review 32 S8): what happens, no number invented.
        return critical_notice(view.number or "") + _filed_notice(view, ctx)
    else:
        first = ENGLISH_DANGER_LINE if english_danger(view.text) else ""
    return first + _filed_notice(view, ctx)


def _filed_notice(view: CaseView, ctx: Open311Context) -> str:
    if view.status in (CaseStatus.REGISTERED, CaseStatus.RETURNED):
        resolve = ctx.district.deadlines[view.priority].resolve
        return (
            f"已登记，编号{view.number}。正在由{view.owning_unit_name}分派承办单位，"
            f"派单后{fmt_duration(resolve)}内办结。"
        )
    return (
        f"已登记，编号{view.number}。承办单位：{view.owning_unit_name}；"
        f"办结时限：{fmt_time(view.resolve_due_at, ctx.tz)}。"
    )


async def require_api_key(ctx: Open311Context, value: str | None) -> ApiKey:
    """The valid key in ``value``; a missing, unknown or revoked one is refused.

    Raises:
        Open311Error: 403.
    """
    key = await verify_api_key(ctx.db, (value or "").strip())
    if key is None:
        raise Open311Error(403, "api_key is missing, unknown or revoked")
    return key


#: What an ``Idempotency-Key`` header may hold (a UUID, a partner's own request id).
_IDEMPOTENCY_KEY = re.compile(r"^[!-~]{1,64}$")


async def submit_request(
    ctx: Open311Context, fields: Mapping[str, str], idempotency_key: str | None = None
) -> dict[str, Any]:
    """File a request from ``POST requests``: key, fields, reporter, case.

    GeoReport v2 has no way to tell a retried POST from a new one; a partner that sends
    an ``Idempotency-Key`` header (``idempotency_key``) gets, for a repeat of the same
    key with the same api_key and the same fields, the request filed the first time (same
    ``service_request_id``), and nothing is filed twice (:mod:`storage.intake_keys`). The
    same key with other fields is refused (422), except a danger report, which is filed
    (:mod:`bot.web.open311_idempotency`). Without the header every POST files a request.

    Raises:
        Open311Error: 403 for a missing, unknown or revoked api_key; 400 for bad fields;
            422 for an ``Idempotency-Key`` used before with other fields.
    """
    key = await require_api_key(ctx, fields.get("api_key"))
    draft, danger = parse_submission(ctx, fields)
    _check_file_limit(ctx, key, danger=danger, text=draft.text)
    if idempotency_key is not None and not _IDEMPOTENCY_KEY.match(idempotency_key):
        raise Open311Error(400, "Idempotency-Key: 1 to 64 printable ASCII characters")
    base, reused = None, None
    if idempotency_key is not None:
        base = key_base(key.id, idempotency_key, request_digest(fields))
        reused = await _number_under_other_fields(ctx, key_prefix(key.id, idempotency_key), base)
    if reused is not None and not (danger or rated_critical(ctx.cases, draft.text)):
        # The same key with another request: refused, not answered with the first one.
        raise Open311Error(422, KEY_REUSED.format(key=idempotency_key, number=reused))
    reporter_id = await _reporter_filed_before(ctx, base)
    if reporter_id is None:
        reporter_id = await create_web_reporter(ctx.db, draft.contact_name, draft.contact_phone)
    try:
        with intake_keys.handling(base) if base is not None else nullcontext():
            # Linked to this key in the case's own transaction: read back by it only.
            view = await ctx.cases.file_request(
                reporter_id, draft, Channel.OPEN311, api_key_id=key.id
            )
    except CaseError as exc:
        raise Open311Error(400, exc.message) from None
    log.info("open311: filed %s for api key %d", view.number, key.id)
    # The 查询码 is the reporter's own proof for the status page and its follow-up (T9):
    # the partner passes it on, as the web form prints it.
    code = await lookup_code(ctx.db, view.number)
    notice = service_notice(view, ctx)
    if reused is not None:
        notice += KEY_REUSED_DANGER.format(number=reused)
    return {
        "service_request_id": view.number,
        "service_notice": notice
        + f"查询码：{code}（凭编号和查询码可在 /report/status 查询进度并评价办理结果）。",
        "account_id": None,
    }


#: The 429 of a key over its filing limit; danger now names the emergency numbers.
TOO_MANY_FILINGS = (
    "too many requests for this api_key; retry after {wait} s（提交过于频繁，请{wait}秒后再试）"
)
TOO_MANY_DANGER = (
    "too many requests for this api_key; retry after {wait} s. "
    "If anyone is in danger now, call 110 (police), 119 (fire) or 120 (ambulance) at once. "
    "如有危险，请立即拨打 110（报警）、119（火警）、120（急救）。"
)
TOO_MANY_READS = "too many look-ups for this api_key; retry after {wait} s（查询过于频繁）"


def _check_file_limit(ctx: Open311Context, key: ApiKey, *, danger: bool, text: str = "") -> None:
    """Count one filing against the key's limit (danger now: the larger ceiling only).

    A request the classifier rates critical though the emergency line missed it
    (:func:`~bot.web.citizen_intake.rated_critical`, pf30 #5) that meets the ordinary
    limit is held to the danger ceiling instead.

    Raises:
        Open311Error: 429 with ``Retry-After`` when the key is over its limit; nothing
            is filed and nothing is counted.
    """
    check = ("o311_danger_key" if danger else "o311_file_key", str(key.id))
    if ctx.throttle.hit(check):
        return
    if not danger and rated_critical(ctx.cases, text):
        danger, check = True, ("o311_danger_key", str(key.id))
        if ctx.throttle.hit(check):
            return
    wait = ctx.throttle.retry_after(check)
    message = TOO_MANY_DANGER if danger else TOO_MANY_FILINGS
    log.warning("open311: api key %d over its filing limit", key.id)
    raise Open311Error(429, message.format(wait=wait), retry_after=wait)


def check_read_limit(ctx: Open311Context, key: ApiKey) -> None:
    """Count one search or look-up against the key's limit.

    Raises:
        Open311Error: 429 with ``Retry-After`` when the key is over its limit.
    """
    check = ("o311_read_key", str(key.id))
    if not ctx.throttle.hit(check):
        wait = ctx.throttle.retry_after(check)
        raise Open311Error(429, TOO_MANY_READS.format(wait=wait), retry_after=wait)


async def _number_under_other_fields(ctx: Open311Context, prefix: str, base: str) -> str | None:
    """The number of the request filed under the same key with other fields, if any."""
    case_id = await case_under_other_fields(ctx.db, prefix, base)
    if case_id is None:
        return None
    async with ctx.db.session() as s:
        case = await s.get(Case, case_id)
        return None if case is None else case.number


async def _reporter_filed_before(ctx: Open311Context, base: str | None) -> int | None:
    """The reporter of the request a repeated ``Idempotency-Key`` filed, if any."""
    if base is None:
        return None
    async with ctx.db.session() as s:
        case_id = await intake_keys.filed_case(s, base)
        case = None if case_id is None else await s.get(Case, case_id)
        return None if case is None else case.reporter_id
