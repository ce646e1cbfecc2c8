"""A local fake of the Telegram Bot API (aiohttp) for end-to-end tests, the sandbox and benchmarks.

Import the public names from here; :mod:`bot.fakeapi.server` holds the server and
:mod:`bot.fakeapi.sandbox` the three-phone page of ``minqing sandbox``.
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
