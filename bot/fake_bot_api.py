"""Public import path of the fake Telegram Bot API (the implementation lives in ``bot.fakeapi``).

Example:
    >>> async with running_fake_bot_api() as fake:  # doctest: +SKIP
    ...     app = (
    ...         ApplicationBuilder()
    ...         .token(fake.token)
    ...         .base_url(fake.base_url)
    ...         .base_file_url(fake.base_file_url)
    ...         .build()
    ...     )
"""

from bot.fakeapi import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    ChatMessage,
    FakeBotApi,
    FakeUser,
    FaultRule,
    RecordedCall,
    StoredFile,
    UserAction,
    WebhookDelivery,
    running_fake_bot_api,
)

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "ChatAction",
    "ChatMessage",
    "FakeBotApi",
    "FakeUser",
    "FaultRule",
    "RecordedCall",
    "StoredFile",
    "UserAction",
    "WebhookDelivery",
    "running_fake_bot_api",
]
