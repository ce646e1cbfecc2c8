"""Trial 31 #14: media, contacts and stickers at the request's steps were answered as if
no problem were being filed, and dropped.

At 「（可选 1/3）问题发生在哪里？」 a sticker got 「请用文字描述您遇到的问题…」, a voice message
「暂时无法识别语音…」, a shared contact 「请先用文字描述问题，点「提交」后在“联系方式”一步发送」
(dropped); at 2/3 a photo with the caption 这是我老伴的死亡证明 was dropped the same way.
Now the photo and its caption, the contact's phone and a location are kept for the draft
and filed with it; a sticker or voice message is named as not taken, the step's question
follows, and a voice message also gets the emergency numbers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 3141
CAPTION = "这是我老伴的死亡证明"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_what_can_be_kept_at_the_steps_is_kept_and_the_rest_is_named(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王大爷")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")

    sticker = await kit.answer(citizen, citizen.send_sticker(), "可选 1/3")
    assert "表情" in sticker.content and "没有保存" in sticker.content
    assert "请用文字描述您遇到的问题" not in sticker.content
    voice = await kit.answer(citizen, citizen.send_voice(), "可选 1/3")
    assert "语音" in voice.content and "110" in voice.content
    shared = await kit.answer(citizen, citizen.send_contact("13900001111"), "可选 1/3")
    assert "已记下您分享的联系电话" in shared.content
    assert "请先用文字描述问题" not in shared.content
    await kit.say(citizen, "跳过", "可选 2/3")

    photo = await kit.answer(citizen, citizen.send_photo(caption=CAPTION), "可选 2/3")
    assert "已附在正在填写的问题上（共1张）" in photo.content and CAPTION in photo.content
    placed = await kit.answer(citizen, citizen.send_location(30.27, 120.15), "可选 2/3")
    assert "已记录位置" in placed.content
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")

    (case,) = await kit.cases()
    assert case.contact_phone == "13900001111"
    assert len(case.photo_file_ids) == 1
    assert f"照片说明：{CAPTION}" in case.original_text
    assert (case.latitude, case.longitude) == (30.27, 120.15)


async def test_a_voice_message_first_gets_the_emergency_numbers(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 1, "李奶奶")
    told = await kit.answer(citizen, citizen.send_voice(), "语音")
    first = told.content.splitlines()[0]
    assert "110" in first and "119" in first and "120" in first
    assert await kit.cases() == []
