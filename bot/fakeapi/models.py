"""Records kept by the fake Bot API: calls, callback answers, faults, files, deliveries.

A chat message, the largest record, is :class:`bot.fakeapi.messages.ChatMessage`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "ChatAction",
    "FaultRule",
    "JSONDict",
    "RecordedCall",
    "StoredFile",
    "UserAction",
    "WebhookDelivery",
]

JSONDict = dict[str, Any]


def _fields_json(record: Any) -> JSONDict:
    """A dataclass record's fields by name (values as they are, not copied)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., "description": ...}``.

    Attributes:
        status: HTTP status and ``error_code``.
        description: The ``description`` text, e.g. ``"Bad Request: message text is empty"``.
        parameters: Optional ``ResponseParameters`` (``retry_after``, ``migrate_to_chat_id``).
    """

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The JSON body the real API would send.

        Returns:
            The error object.
        """
        out: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        return out


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One HTTP call of a Bot API method.

    Attributes:
        method: The method name as the client spelled it (e.g. ``sendMessage``).
        params: The decoded parameters (JSON-typed; uploaded files appear as
            ``{"filename": ..., "size": ..., "content_type": ...}``).
        at: ``time.monotonic()`` when the request arrived.
        response_status: HTTP status of the answer (0 if the connection was dropped).
        wall_time: ``time.time()`` when the request arrived.
        duration: Seconds spent answering (includes injected delays and long polling).
        response: The JSON body sent back (``None`` for non-JSON bodies).
        fault: ``True`` if the answer came from fault injection or a block.
    """

    method: str
    params: JSONDict
    at: float
    response_status: int
    wall_time: float = 0.0
    duration: float = 0.0
    response: JSONDict | None = None
    fault: bool = False

    @property
    def chat_id(self) -> int | str | None:
        """The ``chat_id`` parameter, if any."""
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (HTTP 2xx)."""
        return 200 <= self.response_status < 300

    def to_json(self) -> JSONDict:
        """A JSON-serialisable view.

        Returns:
            The call as a dict.
        """
        return _fields_json(self)


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """An ``answerCallbackQuery`` call for a known query.

    Attributes:
        callback_query_id: The query id.
        chat_id: Chat of the message whose button was pressed.
        message_id: That message.
        user_id: Who pressed.
        data: The button's callback data.
        text: Notification text, if any.
        show_alert: Whether an alert rather than a toast.
        url: URL to open, if any.
        at: ``time.monotonic()`` of the answer.
        version: The fake's change counter after the answer.
    """

    callback_query_id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    at: float
    version: int

    def to_json(self) -> JSONDict:
        """A JSON view.

        Returns:
            The answer as a dict.
        """
        return _fields_json(self)


@dataclass(frozen=True, slots=True)
class ChatAction:
    """A ``sendChatAction`` call (``typing``, ``upload_photo``, ...)."""

    chat_id: int
    action: str
    at: float


@dataclass(frozen=True, slots=True)
class UserAction:
    """What a simulated user's action produced.

    Attributes:
        update_id: The update queued or delivered for it.
        chat_id: The chat it happened in.
        message_id: The new message's id (``None`` for button presses).
        version: The fake's change counter right after the action; pass it as ``since=`` to
            ``wait_for_message`` to wait only for the bot's reaction to this action.
        callback_query_id: Id of the callback query (button presses only).
    """

    update_id: int
    chat_id: int
    message_id: int | None
    version: int
    callback_query_id: str | None = None


@dataclass(slots=True)
class StoredFile:
    """A file known to the fake (uploaded by the bot or sent by a simulated user)."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None
    content_type: str
    width: int = 0
    height: int = 0
    duration: int = 0
    #: What the file was sent as (``photo``, ``voice``, ``video``, ``document`` …): a
    #: ``send*`` of another kind by its file_id is refused, as Telegram does.
    kind: str = ""

    @property
    def size(self) -> int:
        """Size in bytes (0 if the content is unknown, e.g. a URL the fake did not fetch)."""
        return len(self.data) if self.data is not None else 0


@dataclass(slots=True)
class FaultRule:
    """An injected failure, created by :meth:`FakeBotApi.fail` and friends.

    Attributes:
        method: Method name (case-insensitive) or ``None`` for every method.
        status: HTTP status to answer with (429, 500, 502, 504, ...); 0 drops the connection.
        remaining: How many more calls to fail (``None``: unlimited until ``until``).
        until: Deadline on the fake's ``fault_clock`` (``None``: no deadline).
        retry_after: ``parameters.retry_after`` for 429 answers.
        chat_id: Only calls with this ``chat_id`` (``None``: any).
        html: Answer with an HTML page (like nginx in front of the API) instead of JSON.
        description: Override of the error description.
        delay_s: Seconds to wait before answering (``delay()`` rules, ``status`` is then 200
            and the call is executed normally after the wait).
        served: How many calls this rule has answered.
    """

    method: str | None
    status: int
    remaining: int | None = None
    until: float | None = None
    retry_after: int | None = None
    chat_id: int | str | None = None
    html: bool = False
    description: str | None = None
    delay_s: float = 0.0
    served: int = 0

    def matches(self, method: str, chat_id: object, now: float) -> bool:
        """Whether the rule applies to a call now.

        Args:
            method: The called method.
            chat_id: The call's ``chat_id`` parameter.
            now: The fake's ``fault_clock()``.

        Returns:
            ``True`` if the rule is live and matches.
        """
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.until is not None and now >= self.until:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    @property
    def exhausted(self) -> bool:
        """``True`` once the rule can no longer match (count used up)."""
        return self.remaining is not None and self.remaining <= 0


@dataclass(slots=True)
class WebhookDelivery:
    """One update pushed (or attempted) to the webhook.

    Attributes:
        update_id: The update.
        url: Where it was posted.
        attempts: HTTP attempts made.
        status: Last HTTP status (0 when the connection failed).
        ok: Whether a 2xx answer was eventually received.
        at: ``time.monotonic()`` of the last attempt.
        error: Last error message, if any.
        secret_token: The ``X-Telegram-Bot-Api-Secret-Token`` header sent, if any.
    """

    update_id: int
    url: str
    attempts: int = 0
    status: int = 0
    ok: bool = False
    at: float = 0.0
    error: str | None = None
    secret_token: str | None = None
