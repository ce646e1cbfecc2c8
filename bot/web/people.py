"""Reporters who come through the web form or the Open311 API, not through Telegram.

Such a reporter is a :class:`~storage.models.Person` with the role citizen and
no Telegram user or chat: the case service files for them like for anyone
else, and the outbox simply has nobody to message (they follow their case on
the status page instead).

**One person per submission.** A web reporter is not logged in, so a phone
number typed into a form proves nothing: two submissions with the same number
are *not* merged into one person. Merging would let anyone attach themselves
to someone else's history by typing their number.
"""

from __future__ import annotations

import re

from bot.services.people import MIN_PHONE_DIGITS, looks_like_phone
from storage.db import Database
from storage.enums import Role
from storage.models import Person

MAX_NAME = 50
MAX_PHONE = 32
#: What a phone number may look like when typed: digits, spaces, hyphens,
#: brackets and a leading plus; 7 to 20 digits in all (the bot's rule,
#: :func:`bot.services.people.looks_like_phone`, plus brackets around an area code).
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]{5,30}$")


class ContactError(ValueError):
    """A name or phone number typed by a reporter cannot be used.

    Attributes:
        field: ``name`` or ``phone``.
        message: what to tell the reporter, in Chinese.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def clean_name(name: str | None) -> str | None:
    """A reporter's name, trimmed (None when empty).

    Raises:
        ContactError: longer than :data:`MAX_NAME` characters.
    """
    text = " ".join((name or "").split())
    if not text:
        return None
    if len(text) > MAX_NAME:
        raise ContactError("name", f"姓名请控制在{MAX_NAME}字以内。")
    return text


def clean_phone(phone: str | None) -> str | None:
    """A phone number as typed, trimmed (None when empty).

    Raises:
        ContactError: not a number somebody can be called back on: fewer than
            :data:`~bot.services.people.MIN_PHONE_DIGITS` digits (``12345`` is a
            hotline), more than 20, or other characters than + ( ) - and spaces.
    """
    text = (phone or "").strip()
    if not text:
        return None
    digits = phone_digits(text)
    if (
        not _PHONE_CHARS.match(text)
        or len(text) > MAX_PHONE
        or len(digits) > 20
        or not looks_like_phone(text.replace("(", "").replace(")", ""))
    ):
        raise ContactError(
            "phone",
            f"请填写正确的联系电话（至少{MIN_PHONE_DIGITS}位数字，手机号11位，座机可带区号）。",
        )
    return text


def phone_digits(phone: str | None) -> str:
    """Only the digits of a phone number, without a leading +86/0086 country code."""
    digits = "".join(ch for ch in (phone or "") if ch.isascii() and ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


async def create_web_reporter(db: Database, name: str | None, phone: str | None) -> int:
    """Create the citizen behind one web or Open311 submission; return the person id.

    Args:
        db: the database.
        name: the name the reporter gave (already cleaned), or None.
        phone: the phone number the reporter gave (already cleaned), or None.
    """
    async with db.session() as session:
        person = Person(
            telegram_user_id=None,
            chat_id=None,
            name=(name or "")[:200],
            role=Role.CITIZEN.value,
            phone=phone[:MAX_PHONE] if phone else None,
        )
        session.add(person)
        await session.flush()
        return person.id
