"""The fake Telegram Bot API and the sandbox: test and trial infrastructure, not the service.

:class:`FakeBotApi` (``server``) serves the Bot API over aiohttp closely enough for the real
python-telegram-bot stack, assembled from one mixin per concern: ``store`` (chats, users,
messages, the update queue), ``files``, ``records`` (what a test reads back), ``faults``,
``users`` (simulated people), ``sending``, ``editing`` (edits, deletions, callback answers),
``chats``, ``updates`` (``getUpdates`` and webhooks), ``views`` (the ``/_fake/`` JSON the
sandbox page uses) and ``dispatch`` (the method table); ``models`` and ``messages``, ``state``,
``protocol`` and ``formatting`` (with ``formatting_html``, ``formatting_markdown`` and
``formatting_entities``) are its records, its state's records, wire decoding and entity parsing.
These modules import only the standard library and aiohttp. ``sandbox`` (``minqing sandbox``'s
three-phone page, its files under ``static/``) is the one module that also imports the
service's side: ``storage``, ``config.district``, ``bot.services.clock`` and
``bot.services.lifecycle.status_label``; it is not imported here.
Nothing in this package imports handlers or the case services. Import the public names from
here.
"""

from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import (
    ApiError,
    CallbackAnswer,
    ChatAction,
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
