"""What of a case Open311 may show: which requests are public, and without personal data.

GeoReport v2 is a public model: a request filed through it is a public service
request. A citizen who wrote to the bot or the web form was never told that other
systems could read their words, so (trial 26 T20):

* **Only requests filed through Open311 are public** (:data:`PUBLIC_CHANNELS`).
  Requests from Telegram and the web form are neither listed nor shown by number
  (a number is guessable; the answer is the 404 of an unknown number). Neither
  channel asks the citizen to publish yet; when one does, the consent goes here.
* **No personal data.** Never the reporter's name, phone or id; phone and
  identity numbers in the words are removed whole, 电话[已隐去] (:func:`nlp.normalize.
  remove_sensitive`, also when written in full-width digits or Chinese numerals,
  一三九…; trial 30 #10: 138****2222 kept seven digits of a boss's phone); the name
  the reporter gave (``first_name`` / ``last_name``), a name the reporter
  introduces (我叫…, 本人…, 姓名：…) and anyone else's name (她叫赵桂兰, 名叫…,
  姓赵, a full name the tagger reads, :mod:`nlp.personal`) are replaced by
  某某; a name nothing introduces (张伟在门口…, 王大妈说) becomes 张某 / 王某 and a
  licence plate (湘A12345, 粤B·D1234) stars (:mod:`bot.web.open311_names`, pf29);
  and house and flat numbers (3栋, 402室, 十二栋502) by *, in the
  description and in the station's result note (trial 29 P6).
* **Addresses generalised**: the address up to its first house number (和平路88号
  装修工地 → 和平路; 金桥居民区3栋 → 金桥居民区), else the community or street the
  case belongs to; coordinates rounded to :data:`COORDINATE_DECIMALS` decimals
  (about 100 m).

Critical cases, those the classifier rated critical and private disclosures are
withheld (:func:`is_withheld`, used by :mod:`bot.web.open311_requests`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.disclosures import disclosure_kind
from bot.services.lifecycle import EventType
from bot.web.open311_names import mask_bare_names, mask_plates
from nlp import mask_sensitive
from nlp.normalize import remove_sensitive
from nlp.personal import SOMEONE, mask_flat_numbers, mask_person_names
from storage.enums import Channel
from storage.models import Case, CaseEvent

__all__ = [
    "COORDINATE_DECIMALS",
    "CRITICAL",
    "PUBLIC_CHANNELS",
    "REMOVED",
    "SOMEONE",
    "general_address",
    "is_withheld",
    "public_coordinate",
    "public_text",
    "rated_levels",
]

#: The channels whose requests Open311 shows.
PUBLIC_CHANNELS: tuple[str, ...] = (Channel.OPEN311.value,)
#: What a phone or identity number in a public text becomes (电话[已隐去]).
REMOVED = "[已隐去]"
#: Decimals kept of a latitude or longitude: 3 is about 110 m north-south.
COORDINATE_DECIMALS = 3

_NUMERAL = r"[0-9０-９一二三四五六七八九十百零〇两]"
#: Where the house-number part of an address starts: 88号, 3栋, 二单元, 5-1, 12#.
_HOUSE_NUMBER = re.compile(
    rf"{_NUMERAL}+\s*(?:号|栋|幢|座|单元|楼|层|室|户|弄|巷|排|组|#|-|－)|[0-9０-９]"
)
#: A name the writer gives: 我叫王建国, 本人张三, 姓名：李四 (two to four Han characters).
_SELF_NAMED = re.compile(
    r"(我叫|我名叫|我的名字(?:是|叫)|本人(?:叫|是|姓名)?|姓名[：:]?\s*|联系人[：:]?\s*)"
    r"[\u4e00-\u9fff]{2,4}?(?=[，,。.；;、\s（(]|电话|手机|住|家住|是|$)"
)
#: A house number inside a text: 3栋, 88号, 二单元, 402室 (the numbers become *).
_HOUSE_IN_TEXT = re.compile(rf"{_NUMERAL}+(?=\s*(?:号|栋|幢|座|单元|室|户|弄))")
#: A contact id typed after its label (微信号liudehua888, QQ：12345678, 邮箱 a@b.cn): trial 27 N11.
_CONTACT_ID = re.compile(
    r"(微信号|微信|vx|wx|wechat|QQ号|qq号|QQ|qq|扣扣|邮箱|e-?mail)"
    r"(\s*(?:号码|号|账号)?\s*(?:是|为|:|：)?\s*)"
    r"([A-Za-z0-9_\-.@*+]{4,})",
    re.IGNORECASE,
)
#: An e-mail address anywhere in the text.
_EMAIL = re.compile(r"[A-Za-z0-9_.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_TRAILING = re.compile(r"[\s,，.。;；:：、\-－(（]+$")


def public_text(text: str | None, name: str | None) -> str:
    """``text`` masked for the public: numbers, the given ``name`` and self-named names.

    Phone and identity numbers go whole (:data:`REMOVED`), not masked to ``138****2222``
    as on the units' cards: the digits kept still tell a neighbour or a boss whose
    number it is (trial 30 #10).
    """
    out = remove_sensitive(mask_plates(text or ""), REMOVED)
    for part in _name_parts(name):
        out = out.replace(part, SOMEONE)
    out = _SELF_NAMED.sub(lambda m: m.group(1) + SOMEONE, out)
    out = mask_bare_names(mask_person_names(out))
    out = _EMAIL.sub(lambda m: mask_contact_id(m.group(0)), out)
    out = _CONTACT_ID.sub(lambda m: m.group(1) + m.group(2) + mask_contact_id(m.group(3)), out)
    return mask_flat_numbers(_HOUSE_IN_TEXT.sub("*", out))


def mask_contact_id(value: str) -> str:
    """A WeChat / QQ id or e-mail masked like a phone: its first and last characters kept."""
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def _name_parts(name: str | None) -> list[str]:
    """The full name, and the given name when it is two characters or more, longest first."""
    full = "".join((name or "").split())
    if not full:
        return []
    parts = {full}
    if len(full) >= 3:
        parts.add(full[1:])  # 张三丰 → 三丰 (a Chinese family name is mostly one character)
    return sorted(parts, key=len, reverse=True)


def general_address(address: str | None, area: str | None) -> str | None:
    """The address up to its first house number, else ``area`` (a community or street)."""
    text = mask_sensitive(" ".join((address or "").split()))
    found = _HOUSE_NUMBER.search(text)
    head = _TRAILING.sub("", text[: found.start()] if found else text)
    return head or area or None


def public_coordinate(value: float | None) -> float | None:
    """A latitude or longitude rounded to :data:`COORDINATE_DECIMALS` decimals."""
    return None if value is None else round(value, COORDINATE_DECIMALS)


#: The severity whose cases are withheld.
CRITICAL = "critical"


def is_withheld(case: Case, rated: str | None = None) -> bool:
    """Whether ``case`` is never in a search and shows no words by its number.

    A critical case (a danger to someone's life: self-harm, violence, a person
    missing); one the classifier rated critical though filed lower for want of
    danger now or urgency (``rated`` on its ``registered`` event: 有人在区法院门口割腕,
    which the emergency line missed, pf30 #5); and one whose words disclose
    self-harm, violence at home or sexual assault (:func:`~bot.services.triage.
    disclosure_kind`), whatever its level.
    """
    return (
        case.severity == CRITICAL
        or rated == CRITICAL
        or disclosure_kind(case.original_text or "") is not None
    )


async def rated_levels(s: AsyncSession, case_ids: Sequence[int]) -> dict[int, str]:
    """The classifier's level of each case filed lower than it rated (``rated`` on the
    ``registered`` event, :meth:`bot.services.cases.intake.CaseIntake.file_request`)."""
    if not case_ids:
        return {}
    rows = await s.execute(
        select(CaseEvent.case_id, CaseEvent.data).where(
            CaseEvent.case_id.in_(list(case_ids)),
            CaseEvent.type == EventType.REGISTERED.value,
        )
    )
    return {
        int(case_id): str(data["rated"])
        for case_id, data in rows
        if isinstance(data, dict) and data.get("rated")
    }
