"""The citizen form's service side: the context, checking input, filing once.

The routes and the decisions behind them (CSRF, one filing per form, what the
status look-up may show) are described in :mod:`bot.web.citizen_form`; this
module knows nothing of HTTP or HTML.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.exc import IntegrityError

from bot.services.cases import MAX_TEXT, CaseService, CaseView, Preview, RequestDraft
from bot.services.clock import Clock
from bot.services.keys import installation_secret
from bot.services.lifecycle import CaseError
from bot.services.triage import emergency_of, triage
from bot.web.lookup_codes import lookup_code
from bot.web.people import ContactError, clean_name, clean_phone, create_web_reporter
from bot.web.throttle import Throttle
from config.district import District, UnitKind, place_name
from storage import intake_keys
from storage.db import Database
from storage.enums import CaseStatus, Channel
from storage.models import Case
from storage.state import delete_state, get_state, put_state

log = logging.getLogger(__name__)

#: The installation secret that signs form tokens.
FORM_SECRET_NAME = "web_form"
#: ``bot_state`` kind that records which form filed which case.
FORM_STATE_KIND = "web_form"
MAX_ADDRESS = 200
#: Unit kinds a citizen may pick as the place of the problem (属地).
PLACE_KINDS = frozenset({UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM})
#: Statuses in which the bureau's work is done (the result is shown).
DONE = frozenset(
    {CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED, CaseStatus.REJECTED}
)


# --- context ----------------------------------------------------------------------------


@dataclass
class CitizenFormContext:
    """What the citizen form needs from the running service."""

    cases: CaseService
    db: Database
    district: District
    clock: Clock
    #: Mark cookies ``Secure`` (set when the site is served over HTTPS).
    secure_cookies: bool = False
    #: Attempt limits on filing and on the status look-up.
    throttle: Throttle = field(default_factory=Throttle)
    _secret: bytes | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_service(
        cls, cases: CaseService, *, secure_cookies: bool = False
    ) -> CitizenFormContext:
        """A context sharing the case service's database, district and clock."""
        return cls(
            cases=cases,
            db=cases.db,
            district=cases.district,
            clock=cases.clock,
            secure_cookies=secure_cookies,
        )

    @property
    def tz(self) -> ZoneInfo:
        """The district's time zone."""
        return self.cases.tz

    async def form_secret(self) -> bytes:
        """The installation secret for form tokens (read once, then cached)."""
        if self._secret is None:
            self._secret = await installation_secret(self.db, FORM_SECRET_NAME)
        return self._secret


# --- the service side ------------------------------------------------------------------


#: Where the form's routes find their context on the app.
FORM_KEY: web.AppKey[CitizenFormContext] = web.AppKey("minqing_citizen_form", CitizenFormContext)


class FormError(ValueError):
    """Input the form cannot take; ``message`` is shown above the form (Chinese)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotARequest(FormError):
    """A greeting, thanks, noise or a too vague opening: answered, never filed.

    ``kind`` is the triage kind (``greeting``, ``thanks``, ``noise``, ``vague``); the
    page answers it as the bot does (``report_form.html``).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__("您的留言未登记为诉求。")


@dataclass(frozen=True)
class FormValues:
    """What the citizen typed (kept to show the form again)."""

    text: str = ""
    address: str = ""
    name: str = ""
    phone: str = ""
    place: str = ""

    @classmethod
    def from_post(cls, data: Mapping[str, Any]) -> FormValues:
        """The text fields of a posted form (anything else is ignored)."""

        def get(key: str) -> str:
            value = data.get(key, "")
            return value if isinstance(value, str) else ""

        return cls(
            text=get("text").replace("\r\n", "\n"),
            address=get("address"),
            name=get("name"),
            phone=get("phone"),
            place=get("place"),
        )


def places(district: District) -> list[tuple[str, str]]:
    """Communities and residential areas to choose from: ``(unit id, label)``."""
    out: list[tuple[str, str]] = []
    for unit in district.units.values():
        if unit.kind in PLACE_KINDS:
            parent = district.units.get(unit.parent_id) if unit.parent_id else None
            name = place_name(unit.name)
            out.append((unit.id, f"{parent.name} · {name}" if parent else name))
    return out


def check_text(text: str) -> str:
    """The description, trimmed.

    Raises:
        FormError: empty or longer than :data:`bot.services.cases.MAX_TEXT` characters.
        NotARequest: small talk (你好, 谢谢) or too vague (我有个问题), as the bot tells them.
    """
    cleaned = text.strip()
    if not cleaned:
        raise FormError("请填写您要反映的问题。")
    if len(cleaned) > MAX_TEXT:
        raise FormError(f"内容过长：最多{MAX_TEXT}字，您填写了{len(cleaned)}字。请精简后再提交。")
    verdict = triage(cleaned)  # the bot's triage: danger wins over small talk
    if verdict.small_talk or verdict.kind == "vague":
        raise NotARequest(verdict.kind)
    return cleaned


def build_draft(ctx: CitizenFormContext, values: FormValues) -> RequestDraft:
    """Check every field and build the request.

    Raises:
        FormError: the first problem found.
    """
    text = check_text(values.text)
    address = " ".join(values.address.split())
    if len(address) > MAX_ADDRESS:
        raise FormError(f"地址请控制在{MAX_ADDRESS}字以内。")
    place = values.place.strip() or None
    if place is not None and (
        place not in ctx.district.units or ctx.district.units[place].kind not in PLACE_KINDS
    ):
        raise FormError("请从列表中选择所在社区。")
    try:
        name = clean_name(values.name)
        phone = clean_phone(values.phone)
    except ContactError as exc:
        raise FormError(exc.message) from None
    return RequestDraft(
        text=text,
        address=address or None,
        territorial_unit_id=place,
        contact_name=name,
        contact_phone=phone,
    )


#: The gap left where a danger report too long to keep whole was cut.
_CUT = "……"


def fit_danger_text(text: str, words: Sequence[str], limit: int = MAX_TEXT) -> str:
    """A danger report longer than ``limit``, cut to fit but never refused (trial 31 #11).

    The opening is kept, and, when the words that showed the danger stand beyond it,
    the passage around them; a last line says how long the original was.
    """
    if len(text) <= limit:
        return text
    note = f"\n（原文共{len(text)}字，超过{limit}字，未记录的部分以“{_CUT}”表示。）"
    budget = limit - len(note) - 2 * len(_CUT)
    found = [text.find(w) for w in words if w and w in text]
    pos = min(found) if found else -1
    if pos < 0 or pos + 200 <= budget:
        return text[: budget + len(_CUT)] + _CUT + note
    head = budget // 2
    seg = budget - head
    start = max(head, min(pos - 200, len(text) - seg))
    return text[:head] + _CUT + text[start : start + seg] + _CUT + note


def lenient_values(
    ctx: CitizenFormContext, values: FormValues
) -> tuple[FormValues, list[str], list[str]]:
    """For a danger report: what cannot be taken as typed, left out or kept another way.

    A fire report must not come back because its phone has a digit too few: it is
    filed, a phone that is no phone is kept as typed at the end of the description
    (the responders may still read a number in it), a description over the limit is
    cut around its danger words (:func:`fit_danger_text`). Returns the values to file,
    the names of fields left out and notes on what was kept another way (trial 31 #11).
    """
    dropped: list[str] = []
    kept: list[str] = []

    address = " ".join(values.address.split())
    if len(address) > MAX_ADDRESS:
        address = address[:MAX_ADDRESS]
        dropped.append(f"详细地址（只记录了前{MAX_ADDRESS}字）")
    place = values.place.strip()
    if place and (
        place not in ctx.district.units or ctx.district.units[place].kind not in PLACE_KINDS
    ):
        place = ""
        dropped.append("所在社区")
    name, phone = values.name, values.phone
    try:
        clean_name(name)
    except ContactError:
        name = ""
        dropped.append("称呼")
    phone_line = ""
    try:
        clean_phone(phone)
    except ContactError:
        typed = " ".join(phone.split())[:40]
        phone = ""
        if typed:
            phone_line = f"\n（联系电话，格式有误，原样记录：{typed}）"
            kept.append("联系电话格式有误，已原样附在问题描述后，供工作人员参考")
    text, limit = values.text.strip(), MAX_TEXT - len(phone_line)
    danger = emergency_of(text)
    if len(text) > limit and danger is not None:
        text = fit_danger_text(text, danger.words, limit)
        kept.append(f"问题描述超过{MAX_TEXT}字，已记录开头和危险情况所在的部分")
    text += phone_line
    fixed = replace(values, text=text, address=address, place=place, name=name, phone=phone)
    return fixed, dropped, kept


def preview_request(ctx: CitizenFormContext, values: FormValues) -> Preview:
    """Which office would handle the text; files nothing.

    Raises:
        FormError: empty or too long text.
    """
    danger = emergency_of(values.text)
    fitted = fit_danger_text(values.text.strip(), danger.words) if danger else values.text
    text = check_text(fitted)
    try:
        return ctx.cases.preview(text)
    except CaseError as exc:
        raise FormError(exc.message) from None


def rated_critical(cases: CaseService, text: str) -> bool:
    """Whether the classifier rates ``text`` 特别重大, danger now named or not.

    Such a message is never refused by the ordinary filing limits (pf30 #5: 有人在区
    法院门口割腕，血流了一地, which the emergency line missed, met the form's 429);
    only the danger ceiling holds back a flood.
    """
    try:
        return cases.preview(text).severity == "critical"
    except CaseError:
        return False


@dataclass(frozen=True)
class Filed:
    """A request filed from the form (or found again for a repeated form)."""

    view: CaseView
    repeated: bool = False
    #: The emergency line to show first when the text describes danger now.
    emergency: str | None = None
    #: The 查询码 that opens the status page (with the number), see :mod:`bot.web.lookup_codes`.
    code: str = ""
    #: Optional fields a danger report was filed without (see :func:`lenient_values`).
    dropped: tuple[str, ...] = ()
    #: What a danger report could not take as typed and kept another way.
    kept: tuple[str, ...] = ()


async def _claim_form(ctx: CitizenFormContext, form_id: str) -> dict[str, Any] | None:
    """Claim a form id before filing; the stored record if it was used already."""
    try:
        async with ctx.db.session() as s:
            used = await get_state(s, FORM_STATE_KIND, "", form_id)
            if used is not None:
                return dict(used) if isinstance(used, dict) else {}
            await put_state(s, FORM_STATE_KIND, "", form_id, {"case_id": None})
    except IntegrityError:  # the same form arrived twice at the same moment
        return {}
    return None


def submission_key(form_id: str, text: str) -> str:
    """What makes a post a resend: the form id and the text's digest (trial 27 N16).

    The same text from the same form is a retry (the first case is shown); another
    text from a used form (browser Back, a second report) is a new report and is
    filed. Whitespace does not make a text new.
    """
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]
    return f"{form_id}.{digest}"


async def file_from_form(ctx: CitizenFormContext, form_id: str, values: FormValues) -> Filed:
    """File the request of one form, at most once per form id and text.

    Raises:
        FormError: bad input, or the same form is being filed right now.
    """
    draft = build_draft(ctx, values)
    danger = emergency_of(draft.text)
    line = danger.line if danger is not None else None
    form_id = submission_key(form_id, draft.text)
    used = await _claim_form(ctx, form_id)
    key = f"web:{form_id}"
    if used is not None:
        case_id, reporter_id = used.get("case_id"), used.get("reporter_id")
        if not isinstance(case_id, int) or not isinstance(reporter_id, int):
            # Claimed, case not recorded: being filed now, or the service died after the
            # claim (before or after the filing committed). The filing's own intake key
            # decides: the case filed under it, or a filing now (at most one wins).
            async with ctx.db.session() as s:
                case_id = await intake_keys.filed_case(s, key)
                case = None if case_id is None else await s.get(Case, case_id)
                reporter_id = None if case is None else case.reporter_id
        if isinstance(case_id, int) and isinstance(reporter_id, int):
            view = await ctx.cases.get_case_view(case_id, reporter_id)
            code = await lookup_code(ctx.db, view.number)
            return Filed(view=view, repeated=True, emergency=line, code=code)
    try:
        reporter_id = await create_web_reporter(ctx.db, draft.contact_name, draft.contact_phone)
        with intake_keys.handling(key):
            view = await ctx.cases.file_request(reporter_id, draft, Channel.WEB)
    except CaseError as exc:
        async with ctx.db.session() as s:
            await delete_state(s, FORM_STATE_KIND, "", form_id)
        raise FormError(exc.message) from None
    async with ctx.db.session() as s:
        case = await s.get(Case, view.id)  # a filing that lost the race: the winner's reporter
        if case is not None and case.reporter_id is not None:
            reporter_id = case.reporter_id
        await put_state(
            s, FORM_STATE_KIND, "", form_id, {"case_id": view.id, "reporter_id": reporter_id}
        )
    log.info("web form: filed %s", view.number)
    return Filed(view=view, emergency=line, code=await lookup_code(ctx.db, view.number))
