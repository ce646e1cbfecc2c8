"""Callback data for inline buttons: short, typed, signed.

A button's data is ``ACTION:CASE_ID:VERSION[:ARG]:SIG`` — at most 64 bytes as
Telegram requires. ``SIG`` is a truncated HMAC over the rest, so a client that
forges data (a crafted callback query) is refused before anything is looked
up; ``VERSION`` is the case's version when the button was drawn, so a button
pressed on an out-of-date card is recognised as stale.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64
_SIG_LEN = 10
_ARG_RE = re.compile(r"^[a-z0-9_]{1,24}$")


class CaseAction(StrEnum):
    """What a button asks to do with a case."""

    ACKNOWLEDGE = "ack"  # 签收
    START = "start"  # 处理中
    RESOLVE = "done"  # 办结 (asks for a note)
    RETURN = "ret"  # 退单 (asks for a reason)
    ESCALATE = "esc"  # 上报
    FOLLOW_UP = "fu"  # a citizen's follow-up answer; ARG is the answer
    SUBMIT = "sub"  # a citizen submits a draft (CASE_ID 0)
    CHOOSE_ROOM = "room"  # a citizen or dispatcher picks a room; ARG is the room id
    DISPATCH = "disp"  # a dispatcher sends a case to a bureau; ARG is the bureau id
    REFRESH = "view"  # redraw the card
    EXTEND = "ext"  # 延期申请 by the station (web form: reason and working days)
    EXTEND_OK = "xok"  # 督查督办中心 approves an extension (延期申请)
    EXTEND_NO = "xno"  # 督查督办中心 refuses it
    REJECT = "rej"  # 不予受理 by the dispatcher desk's chief (asks for a reason)
    URGE = "urge"  # 催办 by a supervising (escalated-to) unit: a reminder to the owner
    LEVEL = "lvl"  # 更改等级 of a warning by the district office (opens the level picker)


@dataclass(frozen=True)
class CallbackAction:
    """A decoded, signature-checked button press."""

    action: CaseAction
    case_id: int
    version: int
    arg: str | None = None


class CallbackCodec:
    """Encodes and verifies callback data with an installation secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("callback secret too short")
        self._secret = secret

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:_SIG_LEN]

    def encode(
        self, action: CaseAction, case_id: int, version: int = 0, arg: str | None = None
    ) -> str:
        """Button data for ``action`` on ``case_id``.

        Raises:
            ValueError: the argument has characters other than [a-z0-9_] or the
                result would exceed 64 bytes.
        """
        if case_id < 0 or version < 0:
            raise ValueError("negative id")
        if arg is not None and not _ARG_RE.match(arg):
            raise ValueError(f"bad callback argument {arg!r}")
        body = f"{action.value}:{case_id}:{version}" + (f":{arg}" if arg else "")
        data = f"{body}:{self._sign(body)}"
        if len(data.encode("ascii")) > MAX_CALLBACK_BYTES:
            raise ValueError("callback data over 64 bytes")
        return data

    def decode(self, data: str | None) -> CallbackAction | None:
        """The action in ``data``, or None if it is malformed or forged."""
        if not data or len(data) > MAX_CALLBACK_BYTES or not data.isascii():
            return None
        body, _, sig = data.rpartition(":")
        if not body or not hmac.compare_digest(sig, self._sign(body)):
            return None
        parts = body.split(":")
        if len(parts) not in (3, 4):
            return None
        try:
            action = CaseAction(parts[0])
            case_id, version = int(parts[1]), int(parts[2])
        except ValueError:
            return None
        arg = parts[3] if len(parts) == 4 else None
        if case_id < 0 or version < 0 or (arg is not None and not _ARG_RE.match(arg)):
            return None
        return CallbackAction(action=action, case_id=case_id, version=version, arg=arg)
