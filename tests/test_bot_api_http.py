"""The bot's HTTP transport (``bot.runtime.bot_api_http.AiohttpRequest``) against the fake Bot API.

What Telegram receives must be what PTB's own transport would send (same method,
same parameters, the keyboard as an object, Chinese text intact), uploads must still
work, and failures must surface as the PTB errors the delivery worker and the error
handler already tell apart.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.bench.service import free_port
from bot.fakeapi import FakeBotApi, running_fake_bot_api
from bot.fakeapi.protocol import tiny_png
from bot.runtime.bot_api_http import AiohttpRequest

TOKEN = "123456789:AAF-transport-token"
CITIZEN = 3003


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api(token=TOKEN) as api:
        api.user(CITIZEN, "张三")
        yield api


async def _bot(base_url: str) -> ExtBot[None]:
    bot: ExtBot[None] = ExtBot(
        TOKEN,
        base_url=base_url,
        request=AiohttpRequest(connection_pool_size=4, read_timeout=5.0),
    )
    await bot.initialize()
    return bot


async def test_a_reply_with_a_keyboard_arrives_as_sent(fake: FakeBotApi) -> None:
    bot = await _bot(fake.base_url)
    try:
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("提交", callback_data="ui:sub:1")],
                [InlineKeyboardButton("只是咨询", callback_data="ui:ask:1")],
            ]
        )
        sent = await bot.send_message(
            CITIZEN, "根据您的描述，建议由以下部门办理：\n城管", reply_markup=markup
        )
    finally:
        await bot.shutdown()
    shown = fake.last_message(CITIZEN)
    assert shown is not None and shown.message_id == sent.message_id
    assert shown.text == "根据您的描述，建议由以下部门办理：\n城管"
    assert shown.reply_markup == {
        "inline_keyboard": [
            [{"text": "提交", "callback_data": "ui:sub:1"}],
            [{"text": "只是咨询", "callback_data": "ui:ask:1"}],
        ]
    }
    call = fake.calls("sendMessage")[-1]
    assert call.params["chat_id"] == CITIZEN and call.response_status == 200


async def test_a_photo_is_still_uploaded(fake: FakeBotApi) -> None:
    bot = await _bot(fake.base_url)
    try:
        await bot.send_photo(CITIZEN, photo=tiny_png(), caption="现场照片")
    finally:
        await bot.shutdown()
    shown = fake.last_message(CITIZEN)
    assert shown is not None and shown.kind == "photo" and shown.caption == "现场照片"


async def test_failures_are_the_errors_ptb_raises(fake: FakeBotApi) -> None:
    bot = await _bot(fake.base_url)
    try:
        fake.fail("sendMessage", 429, count=1, retry_after=7)
        with pytest.raises(RetryAfter) as limited:
            await bot.send_message(CITIZEN, "x")
        assert limited.value.retry_after == timedelta(seconds=7)
        fake.fail("sendMessage", 500)
        with pytest.raises(NetworkError) as server:
            await bot.send_message(CITIZEN, "x")
        assert not isinstance(server.value, BadRequest)
        fake.fail("sendMessage", 502, html=True)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(CITIZEN, "x")
        fake.fail("sendMessage", 0)  # the connection dropped without an answer
        with pytest.raises(NetworkError):
            await bot.send_message(CITIZEN, "dropped")
        with pytest.raises(BadRequest, match="text is empty"):
            await bot.send_message(CITIZEN, "")
        # Only this call waits less than the fake holds it: the other answers keep the
        # client's ordinary timeout, however slow the machine is to produce them.
        fake.delay("sendMessage", 2.0, count=1)
        with pytest.raises(TimedOut):
            await bot.send_message(CITIZEN, "slow", read_timeout=0.5)
        fake.fail("sendMessage", 500, duration_s=math.inf)
        fake.clear_faults()
        await bot.send_message(CITIZEN, "back")
    finally:
        await bot.shutdown()
    shown = fake.last_message(CITIZEN)
    assert shown is not None and shown.text == "back"


async def test_nobody_listening_is_a_network_error() -> None:
    request = AiohttpRequest(connection_pool_size=1, connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as refused:
            await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
        assert not isinstance(refused.value, TimedOut)
    finally:
        await request.shutdown()
