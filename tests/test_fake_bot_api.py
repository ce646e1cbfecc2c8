"""The fake Telegram Bot API itself: tokens, methods, how parameters arrive, strict chats, its
JSON view and mounting, driven by python-telegram-bot's real Bot.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from tests.fakeapikit import CITIZEN, TOKEN, keyboard

# The `fake` and `bot` fixtures, imported by name.
from tests.fakeapikit import fake_api as fake_api
from tests.fakeapikit import fake_bot as fake_bot


async def test_get_me_token_and_unknown_method(fake: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456789 and me.username == "minqing_test_bot"
    assert fake.base_url == fake.root_url + "/bot"
    assert fake.base_file_url == fake.root_url + "/file/bot"

    wrong = Bot("999:wrong", base_url=fake.base_url)
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()
    finally:
        await wrong.shutdown()
    assert fake.calls()[-1].response == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }

    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod", api_kwargs={"x": 1})
    assert fake.calls("noSuchMethod")[0].response_status == 404


async def test_any_token_is_accepted_by_default() -> None:
    async with (
        running_fake_bot_api() as api,
        Bot("42:whatever", base_url=api.base_url) as b,
    ):
        assert (await b.get_me()).is_bot
        assert api.token  # a plausible token to hand to PTB


async def test_strict_chats() -> None:
    async with (
        running_fake_bot_api(strict_chats=True) as api,
        Bot(TOKEN, base_url=api.base_url) as b,
    ):
        with pytest.raises(BadRequest, match=r"^Chat not found$"):
            await b.send_message(555, "hi")
        api.send_command(555, "/start")
        assert (await b.send_message(555, "hi")).chat.id == 555
        api.add_chat(777)
        await b.send_message(777, "hi")


async def test_string_parameters_are_not_json_decoded(fake: FakeBotApi, bot: Bot) -> None:
    # PTB sends str values raw and everything else JSON-encoded: "123" must stay a string.
    sent = await bot.send_message(CITIZEN, "123")
    assert sent.text == "123"
    sent = await bot.send_message(CITIZEN, "true")
    assert sent.text == "true"
    assert fake.calls("sendMessage")[0].params == {"chat_id": CITIZEN, "text": "123"}


async def test_json_body_and_query_string(fake: FakeBotApi) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{fake.base_url}{TOKEN}"
        markup = {"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]}
        async with http.post(
            f"{url}/sendMessage", json={"chat_id": 7, "text": "json", "reply_markup": markup}
        ) as resp:
            body = await resp.json()
        assert body["ok"] and body["result"]["reply_markup"] == markup
        # Some clients send nested objects as JSON strings inside a JSON body.
        async with http.post(
            f"{url}/sendMessage",
            json={"chat_id": "7", "text": "s", "reply_markup": json.dumps(markup)},
        ) as resp:
            assert (await resp.json())["result"]["reply_markup"] == markup
        async with http.get(f"{url}/sendMessage", params={"chat_id": "7", "text": "q"}) as resp:
            assert (await resp.json())["result"]["text"] == "q"
        async with http.get(f"{url}/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 123456789
    assert [m.text for m in fake.transcript(7)] == ["json", "s", "q"]


async def test_json_view_endpoints(fake: FakeBotApi, bot: Bot) -> None:
    base = f"{fake.origin}/_fake"
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/chats/{CITIZEN}/send",
            json={"text": "我要反映问题", "user": {"first_name": "王芳"}},
        ) as resp:
            sent = await resp.json()
        assert resp.status == 200 and sent["message_id"] == 1
        reply = await bot.send_message(CITIZEN, "请选择", reply_markup=keyboard(("提交", "go")))
        async with http.get(f"{base}/chats/{CITIZEN}") as resp:
            view = await resp.json()
        assert view["chat"]["first_name"] == "王芳"
        assert [m["text"] for m in view["messages"]] == ["我要反映问题", "请选择"]
        assert view["messages"][1]["from_bot"] is True
        assert view["messages"][1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"
        version = view["version"]

        async with http.post(
            f"{base}/chats/{CITIZEN}/send",
            json={"message_id": reply.message_id, "button_text": "提交"},
        ) as resp:
            pressed = await resp.json()
        assert pressed["callback_query_id"]
        (update,) = await bot.get_updates(offset=sent["update_id"] + 1)
        assert update.callback_query is not None and update.callback_query.data == "go"

        # Long poll: ?wait returns as soon as the bot edits the message.
        waiting = asyncio.create_task(http.get(f"{base}/chats/{CITIZEN}?after={version}&wait=5"))
        await fake.wait_for(lambda: fake.in_flight("_fake:chat"))
        await bot.edit_message_text("已提交", chat_id=CITIZEN, message_id=reply.message_id)
        async with await waiting as resp:
            delta = await resp.json()
        assert [(m["text"], m["edited"]) for m in delta["messages"]] == [("已提交", True)]

        async with http.post(
            f"{base}/chats/{CITIZEN}/send", json={"location": {"latitude": 1, "longitude": 2}}
        ) as resp:
            assert resp.status == 200
        async with http.post(f"{base}/chats/{CITIZEN}/send", json={"nothing": 1}) as resp:
            assert resp.status == 400
        async with http.get(f"{base}/calls", params={"method": "sendMessage"}) as resp:
            calls = await resp.json()
        assert [c["params"]["text"] for c in calls["calls"]] == ["请选择"]
        async with http.get(f"{base}/chats") as resp:
            assert [c["chat"]["id"] for c in (await resp.json())["chats"]] == [CITIZEN]
        async with http.post(f"{base}/reset") as resp:
            assert resp.status == 200
    assert fake.transcript(CITIZEN) == [] and fake.calls() == []
    # Update ids keep growing across a reset, so a bot that keeps polling sees new updates.
    assert fake.send_text(CITIZEN, "again").update_id > pressed["update_id"]


async def test_mounting_into_an_existing_app() -> None:
    fake = FakeBotApi()
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="sandbox page")

    app.router.add_get("/", page)
    fake.add_routes(app, prefix="/tg")
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.set_origin(f"http://127.0.0.1:{runner.addresses[0][1]}")
    try:
        assert fake.base_url.endswith("/tg/bot")
        async with Bot("1:x", base_url=fake.base_url) as b:
            await b.send_message(5, "mounted")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{fake.origin}/") as resp:
                assert await resp.text() == "sandbox page"
            async with http.get(f"{fake.origin}/tg/_fake/chats/5") as resp:
                assert (await resp.json())["messages"][0]["text"] == "mounted"
    finally:
        await runner.cleanup()
