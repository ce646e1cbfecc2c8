"""The fake Bot API: what users send reaches the bot as updates: getUpdates, long polls, media,
groups, button presses, and a real Application polling it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.fakeapi import FakeBotApi
from tests.fakeapikit import CITIZEN, OFFICER, TOKEN, keyboard

# The `fake` and `bot` fixtures, imported by name.
from tests.fakeapikit import fake_api as fake_api
from tests.fakeapikit import fake_bot as fake_bot


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
