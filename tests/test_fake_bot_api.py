"""Tests of the fake Telegram Bot API, driven by python-telegram-bot's real Bot and Application."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from bot.fakeapi.formatting import EntityParseError, parse_text

TOKEN = "123456789:AAF-fake-token"
CITIZEN = 1001
OFFICER = 2002


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api(token=TOKEN) as api:
        yield api


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


# ---------------------------------------------------------------------------- basics


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


async def test_send_edit_and_transcript(fake: FakeBotApi, bot: Bot) -> None:
    fake.user(CITIZEN, "王芳", username="wangfang")
    fake.send_text(CITIZEN, "你好")
    sent = await bot.send_message(
        CITIZEN,
        "<b>请选择</b> &lt;办公室&gt;",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("提交", "submit"), ("只是问问", "ask")),
    )
    assert isinstance(sent, Message)
    assert sent.text == "请选择 <办公室>"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 3
    assert sent.chat.first_name == "王芳" and sent.from_user is not None
    assert sent.from_user.is_bot
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "submit"

    edited = await bot.edit_message_text("已提交", chat_id=CITIZEN, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.edit_date is not None
    # Like the real API: an edit without reply_markup removes the inline keyboard.
    assert edited.reply_markup is None

    transcript = fake.transcript(CITIZEN)
    assert [(m.from_bot, m.content) for m in transcript] == [(False, "你好"), (True, "已提交")]
    msg = transcript[1]
    assert msg.edited and msg.edit_count == 1 and msg.reply_markup is None
    assert fake.sent_messages(CITIZEN) == [msg]
    assert fake.last_message(CITIZEN) is msg


async def test_callback_query_round_trip(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CITIZEN, "提交吗？", reply_markup=keyboard(("提交", "submit:1")))
    user = fake.user(CITIZEN, "李雷")
    message = fake.message(CITIZEN, sent.message_id)
    action = user.press(message, "提交")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [action.update_id]
    query = updates[0].callback_query
    assert query is not None and query.data == "submit:1" and query.from_user.id == CITIZEN
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await query.answer("已收到", show_alert=True)
    answer = fake.callback_answers[-1]
    assert (answer.text, answer.show_alert, answer.data) == ("已收到", True, "submit:1")
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    with pytest.raises(KeyError):
        fake.press_button(CITIZEN, sent.message_id, "not-on-the-keyboard")


async def test_validation_errors(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(CITIZEN, "   ")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(CITIZEN, "长" * 4097)
    await bot.send_message(CITIZEN, "长" * 4096)
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(CITIZEN, "x", reply_markup=keyboard(("a", "d" * 65)))
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(CITIZEN, "a <br> b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"character '\.' is reserved"):
        await bot.send_message(CITIZEN, "1. 事项", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", chat_id=CITIZEN, message_id=999)
    sent = await bot.send_message(CITIZEN, "同样", reply_markup=keyboard(("a", "a")))
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text(
            "同样", chat_id=CITIZEN, message_id=sent.message_id, reply_markup=keyboard(("a", "a"))
        )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=CITIZEN, message_id=sent.message_id, reply_markup=keyboard(("a", "a"))
        )
    user_msg = fake.send_text(CITIZEN, "我的消息")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=CITIZEN, message_id=user_msg.message_id)
    assert fake.calls("sendMessage")[0].response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }


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


# ---------------------------------------------------------------------------- updates


async def test_get_updates_offset_limit_and_long_poll(fake: FakeBotApi, bot: Bot) -> None:
    first = fake.send_text(CITIZEN, "one")
    fake.send_text(CITIZEN, "two")
    fake.send_command(CITIZEN, "/start INVITE42")
    updates = await bot.get_updates(limit=2)
    assert [u.update_id for u in updates] == [first.update_id, first.update_id + 1]
    updates = await bot.get_updates(offset=first.update_id + 2)
    assert len(updates) == 1
    msg = updates[0].message
    assert msg is not None and msg.text == "/start INVITE42"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == 6
    assert len(fake.pending_updates()) == 1

    # Long polling: the call waits until an update arrives.
    poll = asyncio.create_task(bot.get_updates(offset=first.update_id + 3, timeout=5))
    await fake.wait_for(lambda: fake.in_flight("getUpdates"), timeout=2)
    assert not poll.done()
    fake.send_location(CITIZEN, 36.06, 120.38)
    got = await asyncio.wait_for(poll, 3)
    assert got[0].message is not None and got[0].message.location is not None
    assert got[0].message.location.latitude == pytest.approx(36.06)

    # allowed_updates filters future updates.
    await bot.get_updates(offset=got[0].update_id + 1, allowed_updates=["callback_query"])
    fake.send_text(CITIZEN, "filtered")
    assert await bot.get_updates(timeout=0) == ()
    # A newer getUpdates (here from a second instance) terminates a pending one, like the
    # real API. (One PTB Bot cannot overlap two getUpdates: its pool for them has one slot.)
    polls_before = len(fake.calls("getUpdates"))
    pending = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: fake.in_flight("getUpdates"), timeout=2)
    async with Bot(TOKEN, base_url=fake.base_url) as second:
        await second.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await pending
    assert len(fake.calls("getUpdates")) == polls_before + 2


async def test_user_media_and_group_messages(fake: FakeBotApi, bot: Bot) -> None:
    photo = fake.send_photo(CITIZEN, "路灯坏了")
    fake.send_contact(CITIZEN, "+8613800000000")
    fake.send_sticker(CITIZEN)
    fake.send_voice(CITIZEN, duration=4)
    group = fake.group(-4001, "第一网格群")
    fake.user(OFFICER, "张警官")
    in_group = fake.send_text(OFFICER, "/status@minqing_test_bot", chat_id=group)
    updates = await bot.get_updates()
    kinds = [u.effective_message.effective_attachment for u in updates if u.effective_message]
    assert len(kinds) == 5
    photo_msg = updates[0].message
    assert photo_msg is not None and photo_msg.caption == "路灯坏了"
    assert updates[0].update_id == photo.update_id
    file = await photo_msg.photo[-1].get_file()
    data = await file.download_as_bytearray()
    assert bytes(data).startswith(b"\x89PNG") and photo_msg.photo[-1].width == 64
    assert updates[1].message is not None and updates[1].message.contact is not None
    assert updates[1].message.contact.user_id == CITIZEN
    assert updates[3].message is not None and updates[3].message.voice is not None
    group_msg = updates[4].message
    assert group_msg is not None and group_msg.chat.type == "group"
    assert group_msg.chat.title == "第一网格群" and group_msg.from_user is not None
    assert group_msg.from_user.first_name == "张警官"
    assert in_group.chat_id == -4001 and group_msg.entities[0].type == "bot_command"


async def test_send_photo_upload_and_file_id_reuse(fake: FakeBotApi, bot: Bot) -> None:
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000002000000030802000000") + b"\x00" * 20
    sent = await bot.send_photo(OFFICER, png, caption="<i>现场</i>", parse_mode="HTML")
    assert sent.caption == "现场" and sent.caption_entities[0].type == "italic"
    assert (sent.photo[-1].width, sent.photo[-1].height) == (2, 3)
    again = await bot.send_photo(CITIZEN, sent.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    file = await bot.get_file(sent.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == png
    assert fake.transcript(OFFICER)[0].kind == "photo"
    params = fake.calls("sendPhoto")[0].params
    assert params["photo"]["size"] == len(png)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_misc_methods(fake: FakeBotApi, bot: Bot) -> None:
    from telegram import BotCommand, BotCommandScopeAllPrivateChats

    assert await bot.set_my_commands([BotCommand("start", "开始"), BotCommand("status", "进度")])
    scope = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands([BotCommand("warn", "预警")], scope=scope)
    assert [c.command for c in await bot.get_my_commands()] == ["start", "status"]
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["warn"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])

    assert await bot.send_chat_action(CITIZEN, "typing")
    assert fake.chat_actions[-1].action == "typing"
    loc = await bot.send_location(CITIZEN, 36.0, 120.0)
    assert loc.location is not None and loc.location.longitude == 120.0

    kb = ReplyKeyboardMarkup(
        [
            [KeyboardButton("分享位置", request_location=True)],
            [KeyboardButton("分享电话", request_contact=True)],
        ],
        one_time_keyboard=True,
    )
    asked = await bot.send_message(CITIZEN, "请分享位置", reply_markup=kb)
    assert asked.reply_markup is None  # the API echoes only inline keyboards
    shown = fake.reply_keyboard(CITIZEN)
    assert shown is not None and shown["keyboard"][0][0]["request_location"] is True
    assert fake.transcript(CITIZEN)[-1].reply_markup == shown
    await bot.send_message(CITIZEN, "谢谢", reply_markup=ReplyKeyboardRemove())
    assert fake.reply_keyboard(CITIZEN) is None

    user_msg = fake.send_text(CITIZEN, "原话")
    reply = await bot.send_message(
        CITIZEN, "回复", reply_parameters=ReplyParameters(user_msg.message_id or 0)
    )
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "原话"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(CITIZEN, "x", reply_parameters=ReplyParameters(9999))

    assert await bot.delete_message(CITIZEN, reply.message_id)
    assert reply.message_id not in [m.message_id for m in fake.transcript(CITIZEN)]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(CITIZEN, reply.message_id)
    assert await bot.close() and await bot.log_out()


async def test_reply_keyboard_buttons_copy_and_forward(fake: FakeBotApi, bot: Bot) -> None:
    citizen = fake.user(CITIZEN, "王芳")
    kb = ReplyKeyboardMarkup(
        [["跳过"], [KeyboardButton("位置", request_location=True)]], one_time_keyboard=True
    )
    await bot.send_message(CITIZEN, "在哪里？", reply_markup=kb)
    shared = citizen.press_reply_button("位置")
    assert fake.reply_keyboard(CITIZEN) is None  # one-time keyboards hide after a tap
    assert fake.message(CITIZEN, shared.message_id or 0).kind == "location"
    await bot.send_message(CITIZEN, "还有吗？", reply_markup=kb)
    skipped = citizen.press_reply_button("跳过")
    assert fake.message(CITIZEN, skipped.message_id or 0).text == "跳过"
    with pytest.raises(KeyError):
        citizen.press_reply_button("跳过")

    photo = citizen.send_photo("现场照片")
    copied = await bot.copy_message(OFFICER, CITIZEN, photo.message_id or 0, caption="转给站长")
    copy_msg = fake.message(OFFICER, copied.message_id)
    assert copy_msg.kind == "photo" and copy_msg.caption == "转给站长" and copy_msg.from_bot
    forwarded = await bot.forward_message(OFFICER, CITIZEN, skipped.message_id or 0)
    assert forwarded.text == "跳过" and forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(OFFICER, CITIZEN, 999)


# ---------------------------------------------------------------------------- faults


async def test_fault_injection(fake: FakeBotApi, bot: Bot) -> None:
    rule = fake.fail("sendMessage", 429, count=1, retry_after=7)
    # The suite runs with PTB_TIMEDELTA=1 (as `minqing` does): retry_after is a timedelta.
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(CITIZEN, "x")
    assert err.value.retry_after == timedelta(seconds=7)
    assert fake.calls("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert rule.served == 1 and rule.exhausted
    await bot.send_message(CITIZEN, "passes")

    fake.fail("sendMessage", 500)
    with pytest.raises(NetworkError) as net:
        await bot.send_message(CITIZEN, "x")
    assert not isinstance(net.value, BadRequest)
    fake.fail(None, 502, count=2)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    with pytest.raises(NetworkError):
        await bot.send_chat_action(CITIZEN, "typing")
    fake.fail("sendMessage", 0)
    with pytest.raises(NetworkError):
        await bot.send_message(CITIZEN, "dropped")
    assert fake.calls("sendMessage")[-1].response_status == 0

    fake.fail("sendMessage", 500, duration_s=math.inf, chat_id=OFFICER)
    await bot.send_message(CITIZEN, "other chat unaffected")
    with pytest.raises(NetworkError):
        await bot.send_message(OFFICER, "x")
    fake.clear_faults()
    await bot.send_message(OFFICER, "ok now")

    fake.block(CITIZEN)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CITIZEN, "x")
    assert fake.calls("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    fake.unblock(CITIZEN)
    await bot.send_message(CITIZEN, "back")

    assert fake.fault_counts[("sendMessage", 429)] == 1
    assert fake.fault_counts[("sendMessage", 403)] == 1
    assert fake.fault_counts[("getMe", 502)] == 1
    assert fake.fault_counts[("sendMessage", "drop")] == 1
    texts = [m.text for m in fake.transcript(CITIZEN)]
    assert texts == ["passes", "other chat unaffected", "back"]
    assert len(fake.send_times(CITIZEN)) == 3
    assert len(fake.send_times(CITIZEN, include_failed=True)) > 3


async def test_fail_for_a_duration(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail("getMe", 504, duration_s=0.2)
    with pytest.raises(NetworkError, match="Gateway Timeout"):
        await bot.get_me()
    with pytest.raises(NetworkError):
        await bot.get_me()
    await asyncio.sleep(0.25)
    assert (await bot.get_me()).is_bot


async def test_delay_provokes_timeout_and_still_executes(fake: FakeBotApi) -> None:
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(TOKEN, base_url=fake.base_url, request=request) as b:
        fake.delay("sendMessage", 0.6, count=1)
        with pytest.raises(TimedOut):
            await b.send_message(CITIZEN, "slow")
        # The API still executes the call after the delay, as a slow real API may.
        msg = await fake.wait_for_message(CITIZEN, lambda m: m.text == "slow", timeout=3)
        assert msg.from_bot


async def test_block_notify_sends_my_chat_member(fake: FakeBotApi, bot: Bot) -> None:
    fake.user(CITIZEN)
    fake.block(CITIZEN, notify=True)
    (update,) = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


# ---------------------------------------------------------------------------- webhook


async def test_webhook_delivery_with_secret_and_retries(fake: FakeBotApi, bot: Bot) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    failures = {"left": 1}

    async def receive(request: web.Request) -> web.Response:
        if failures["left"]:
            failures["left"] -= 1
            return web.Response(status=500)
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        fake.send_text(CITIZEN, "queued before the webhook")
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cr3t-TOKEN_1")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        fake.send_text(CITIZEN, "after")
        await fake.wait_for(lambda: len(received) == 2, timeout=5)
        assert [r[0]["message"]["text"] for r in received] == ["queued before the webhook", "after"]
        assert {r[1] for r in received} == {"s3cr3t-TOKEN_1"}
        assert Update.de_json(received[1][0], bot).message is not None
        first = fake.webhook_deliveries[0]
        assert first.ok and first.attempts == 2
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert info.last_error_message is not None and "500" in info.last_error_message
        with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
            await bot.set_webhook("http://127.0.0.1:1/x", secret_token="bad token!")
        assert await bot.delete_webhook()
        fake.send_text(CITIZEN, "polled again")
        (update,) = await bot.get_updates()
        assert update.message is not None and update.message.text == "polled again"
    finally:
        await fake.stop()  # stop delivery before the receiver goes away
        await runner.cleanup()


# ---------------------------------------------------------------------------- Application


async def test_application_polling_round_trip(fake: FakeBotApi) -> None:
    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"欢迎 {' '.join(context.args or [])}")

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            f"收到：{update.effective_message.text}",
            reply_markup=keyboard(("提交", "submit"), ("取消", "cancel")),
        )

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("已提交")
        await query.edit_message_text(f"已{query.data}")

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_button))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=2)
        try:
            citizen = fake.user(CITIZEN, "王芳")
            start = citizen.send_command("/start ABC123")
            welcome = await citizen.wait_for_message(since=start)
            assert welcome.text == "欢迎 ABC123"

            asked = citizen.send_text("路灯坏了")
            reply = await fake.wait_for_message(CITIZEN, lambda m: "路灯" in m.content, since=asked)
            assert reply.text == "收到：路灯坏了" and reply.callback_data("提交") == "submit"

            pressed = citizen.press(reply, "提交")
            edited = await fake.wait_for_message(CITIZEN, lambda m: m.edited, since=pressed)
            assert edited is reply and edited.text == "已submit" and edited.reply_markup is None
            await fake.wait_for(lambda: fake.callback_answers)
            assert fake.callback_answers[0].text == "已提交"
        finally:
            await app.updater.stop()
            await app.stop()
    # Confirmed: the final getUpdates acknowledged everything that was processed.
    assert fake.pending_updates() == []
    assert fake.calls("deleteWebhook")  # PTB's polling bootstrap
    # Clean shutdown: the terminated long poll is answered, nothing is left running.
    await fake.wait_for(lambda: fake.in_flight() == 0, timeout=2)
    await fake.stop()  # closes the idle keep-alive connections' handler tasks too
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert [t for t in leftovers if not t.done()] == []


async def test_stop_releases_long_polls_quickly() -> None:
    fake = FakeBotApi()
    await fake.start()
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as http:
        poll = asyncio.create_task(
            http.post(f"{fake.base_url}1:x/getUpdates", data={"timeout": "30"})
        )
        await fake.wait_for(lambda: fake.in_flight("getUpdates"))
        started = loop.time()
        await fake.stop()
        async with await poll as resp:
            assert (await resp.json())["result"] == []
    assert loop.time() - started < 2


async def test_webhook_to_an_unreachable_url_gives_up() -> None:
    async with (
        running_fake_bot_api(webhook_max_attempts=2, webhook_retry_delay=0.01) as api,
        Bot(TOKEN, base_url=api.base_url) as b,
    ):
        await b.set_webhook("http://127.0.0.1:9/nowhere")
        api.send_text(CITIZEN, "lost")
        await api.wait_for(lambda: api.webhook_deliveries and api.pending_updates() == [])
        delivery = api.webhook_deliveries[0]
        assert not delivery.ok and delivery.attempts == 2 and delivery.status == 0
        info = await b.get_webhook_info()
        assert info.last_error_message is not None


# ---------------------------------------------------------------------------- JSON view


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


# ---------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("text", "mode", "plain", "entities"),
    [
        ("<b>粗</b>和<i>斜</i>", "HTML", "粗和斜", [("bold", 0, 1), ("italic", 2, 1)]),
        ("😀<u>a</u>", "HTML", "😀a", [("underline", 2, 1)]),
        ('<a href="https://x.cn">链接</a>', "HTML", "链接", [("text_link", 0, 2)]),
        ('<pre><code class="language-py">x</code></pre>', "HTML", "x", [("pre", 0, 1)]),
        ("*粗* _斜_ __下__ ~删~ ||隐||", "MarkdownV2", "粗 斜 下 删 隐", None),
        (r"1\. 事项 \(二\)", "MarkdownV2", "1. 事项 (二)", []),
        ("[链接](https://x.cn/a\\)b)", "MarkdownV2", "链接", [("text_link", 0, 2)]),
        ("`co*de`", "MarkdownV2", "co*de", [("code", 0, 5)]),
        (">引用\n正文", "MarkdownV2", "引用\n正文", [("blockquote", 0, 2)]),
        ("*粗* _斜_", "Markdown", "粗 斜", [("bold", 0, 1), ("italic", 2, 1)]),
    ],
)
def test_parse_modes(
    text: str, mode: str, plain: str, entities: list[tuple[str, int, int]] | None
) -> None:
    got_plain, got_entities = parse_text(text, mode)
    assert got_plain == plain
    if entities is not None:
        assert [(e["type"], e["offset"], e["length"]) for e in got_entities] == entities
    else:
        assert len(got_entities) == 5


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("<b>x", "HTML"),
        ("<x>y</x>", "HTML"),
        ("a.b", "MarkdownV2"),
        ("*x", "MarkdownV2"),
        ("_x", "Markdown"),
    ],
)
def test_parse_errors(text: str, mode: str) -> None:
    with pytest.raises(EntityParseError):
        parse_text(text, mode)


def test_entity_dict_shape_for_text_link() -> None:
    _, entities = parse_text('<a href="https://x.cn">a</a>', "HTML")
    assert entities == [{"type": "text_link", "url": "https://x.cn", "offset": 0, "length": 1}]
