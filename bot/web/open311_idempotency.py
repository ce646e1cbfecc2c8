"""Open311 ``Idempotency-Key``: a retry answers the first request, a reuse is refused.

The key a partner sends names one request. The intake key stored with the case is
``o311:API_KEY_ID:VALUE|DIGEST``, where ``DIGEST`` is a hash of the request's fields
(:func:`request_digest`): a retry with the same fields finds its case and files nothing
(:mod:`storage.intake_keys`). The same key with *different* fields is a partner's bug
(a counter reset, a key reused by mistake), as in the usual idempotency semantics
(Stripe, the IETF ``Idempotency-Key`` draft): it is answered 422 and nothing is filed
(:data:`KEY_REUSED`) -- unless the new request describes danger now. A danger report is
never dropped (trial 31 #10): it is filed as a new request under its own digest, so
that a retry of it is still filed once, and the answer says the key was reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from sqlalchemy import select

from storage.db import Database
from storage.models import IntakeKey

#: The fields of ``POST requests`` that make a request (api_key aside).
_FIELDS = (
    "service_code",
    "description",
    "lat",
    "long",
    "address_string",
    "first_name",
    "last_name",
    "phone",
    "email",
    "media_url",
)

#: The 422 for a key already used with a different request (nothing filed).
KEY_REUSED = (
    "Idempotency-Key {key} was already used with a different request ({number}); "
    "nothing was filed. Use a new key for a new request."
    "（该 Idempotency-Key 已用于另一件诉求 {number}，本次内容不同，未登记；"
    "新诉求请换用新的 Idempotency-Key。）"
)
#: Added to the notice of a danger report filed although its key was used before.
KEY_REUSED_DANGER = (
    "（注意：该 Idempotency-Key 已用于另一件诉求 {number}；本次反映涉及人身安全，"
    "已作为新诉求登记。Idempotency-Key was already used for {number}; "
    "this danger report was filed as a new request.）"
)


def request_digest(fields: Mapping[str, str]) -> str:
    """A short hash of a request's fields (stripped), the same for a byte-equal retry."""
    h = hashlib.sha256()
    for name in _FIELDS:
        h.update(name.encode())
        h.update(b"\x00")
        h.update((fields.get(name) or "").strip().encode("utf-8", "surrogatepass"))
        h.update(b"\x01")
    return h.hexdigest()[:16]


def key_base(api_key_id: int, idempotency_key: str, digest: str) -> str:
    """The intake key of the request ``idempotency_key`` names with these fields."""
    return f"{key_prefix(api_key_id, idempotency_key)}{digest}"


def key_prefix(api_key_id: int, idempotency_key: str) -> str:
    """What every intake key of ``idempotency_key`` (any fields) starts with."""
    return f"o311:{api_key_id}:{idempotency_key}|"


async def case_under_other_fields(db: Database, prefix: str, base: str) -> int | None:
    """The id of a case filed under the same key with other fields, if any."""
    async with db.session() as s:
        found = await s.scalar(
            select(IntakeKey.case_id)
            .where(IntakeKey.key.startswith(prefix, autoescape=True), IntakeKey.key != base)
            .order_by(IntakeKey.created_at)
            .limit(1)
        )
    return found
