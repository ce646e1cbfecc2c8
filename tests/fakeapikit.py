"""What the fake Bot API's own tests share: the token, two chats, fixtures and a keyboard.

The ``fake`` and ``bot`` fixtures here replace the suite's (``tests/conftest.py``) in the
modules that import them: a fixed token (so ``getMe`` answers a known id) and a ``Bot``
that downloads files from the fake. Import them as ``fake_api`` and ``fake_bot``; tests
ask for ``fake`` and ``bot``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.fakeapi import FakeBotApi, running_fake_bot_api

TOKEN = "123456789:AAF-fake-token"
CITIZEN = 1001
OFFICER = 2002


@pytest.fixture(name="fake")
async def fake_api() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API that accepts :data:`TOKEN`."""
    async with running_fake_bot_api(token=TOKEN) as api:
        yield api


@pytest.fixture(name="bot")
async def fake_bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    """python-telegram-bot's real ``Bot``, pointed at the fake for calls and files."""
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """An inline keyboard with one button a row: ``(text, callback_data)`` pairs."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])
