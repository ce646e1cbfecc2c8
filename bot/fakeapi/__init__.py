"""A local fake of the Telegram Bot API (aiohttp) for end-to-end tests, the sandbox and benchmarks.

See :mod:`bot.fakeapi.server` for the server and :mod:`bot.fake_bot_api` for the public import path.
"""

from bot.fakeapi.models import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    ChatMessage,
    FaultRule,
    RecordedCall,
    StoredFile,
    UserAction,
    WebhookDelivery,
)
from bot.fakeapi.server import FakeBotApi, FakeUser, running_fake_bot_api

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
