"""The fake Bot API: sending, editing, deleting, copying and forwarding messages, photos and
files, keyboards and the other methods a bot calls.
"""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.fakeapi import FakeBotApi
from tests.fakeapikit import CITIZEN, OFFICER, keyboard

# The `fake` and `bot` fixtures, imported by name.
from tests.fakeapikit import fake_api as fake_api
from tests.fakeapikit import fake_bot as fake_bot


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
