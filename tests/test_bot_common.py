"""Bad input, administrators, the webhook sink and the error handler, end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import running_fake_bot_api
from bot.runtime.assembly import open_runtime
from bot.runtime.telegram_app import build_application, make_update_sink
from config.district import District
from config.settings import load_settings
from storage.db import Database
from storage.enums import Role
from storage.models import Case
from tests.botkit import TOKEN, BotKit, running_bot, sqlite_bot

CITIZEN = 1001
CHIEF = 2001
ADMIN = 5001
NEWCOMER = 3001
LONG_TEXT = ("公司拖欠我三个月工资不发，老板一直找借口。" * 250)[:5000]


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_bad_input_gets_clear_answers_and_changes_nothing(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        citizen = kit.user(CITIZEN, "王芳")
        await kit.answer(citizen, citizen.send_command("/start"), "您好")
        before = await kit.counts()
        sticker = await kit.answer(citizen, citizen.send_sticker(), "表情")
        assert "文字" in sticker.content
        voice = await kit.answer(citizen, citizen.send_voice(), "语音")
        assert "文字" in voice.content
        photo = await kit.answer(citizen, citizen.send_photo(), "照片")
        assert "提交" in photo.content
        location = await kit.answer(citizen, citizen.send_location(31.2, 121.4), "位置")
        assert location.content
        unknown = await kit.say(citizen, "/frobnicate now", "没有 /frobnicate 这个命令")
        assert "/help" in unknown.content
        empty = await kit.say(citizen, "   ", "请用文字描述")
        assert empty.content
        punctuation = await kit.say(citizen, "。。。！！", lambda m: m.version > 0)
        assert "文字" in punctuation.content or "部门" in punctuation.content
        sent = citizen.send_text("路灯坏了")
        await kit.answer(citizen, sent, "提交")
        edited = await kit.answer(
            citizen, kit.fake.edit_text(CITIZEN, sent.message_id or 0, "路灯修好了"), "修改"
        )
        assert "不会改变" in edited.content
        group = kit.fake.group(-100123, "东城群")
        kit.fake.send_command(CITIZEN, "/status", chat_id=group)
        hint = await kit.fake.wait_for_message(group, lambda m: "私聊" in m.content, 10)
        assert hint.content
        assert await kit.counts() == before  # nothing filed, no event, no notification


async def file_long_request(kit: BotKit) -> Case:
    """A citizen files a 5,000-character request; the case."""
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LONG_TEXT, "提交")
    assert len(proposal.content) < 4096 and "共5000字" in proposal.content
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    return case


async def test_five_thousand_characters_are_stored_in_full_and_shown_cut(kit: BotKit) -> None:
    case = await file_long_request(kit)
    assert case.original_text == LONG_TEXT and len(case.original_text) == 5000
    citizen = kit.user(CITIZEN, "王芳")
    too_long = await kit.say(citizen, "很长" * 3000, "内容过长")
    assert "5000" in too_long.content
    status = await kit.say(citizen, "/status", "最近")
    assert len(status.content) <= 4096
    assert len(await kit.cases()) == 1


async def test_card_of_a_five_thousand_character_request_reaches_the_chief(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    case = await file_long_request(kit)
    await kit.delivered()
    cards = [m for m in kit.fake.sent_messages(CHIEF) if (case.number or "") in m.content]
    assert cards and len(cards[0].content) <= 4096 and cards[0].buttons


async def test_admin_invites_and_coverage(kit: BotKit) -> None:
    admin = kit.user(ADMIN, "群工办管理员")
    await kit.bind(admin, "office", Role.ADMIN)
    issued = await kit.say(admin, "/invite dongcheng 信息员", "邀请码：")
    assert "东城街道群众工作站" in issued.content and "信息员" in issued.content
    link = next(line for line in issued.content.splitlines() if line.startswith("绑定链接："))
    assert link.startswith("绑定链接：https://t.me/minqing_test_bot?start=")
    code = link.rsplit("=", 1)[1]
    newcomer = kit.user(NEWCOMER, "新信息员")
    bound = await kit.answer(newcomer, newcomer.send_command(f"/start {code}"), "绑定成功")
    assert "东城街道群众工作站" in bound.content
    person = await kit.person(NEWCOMER)
    assert person is not None and person.role == Role.OFFICER and person.unit_id == "dongcheng"

    usage = await kit.say(admin, "/invite", "用法")
    assert "/invite" in usage.content
    unknown_unit = await kit.say(admin, "/invite nowhere chief", "没有找到单位")
    assert unknown_unit.content
    unknown_role = await kit.say(admin, "/invite xihu 局长", "没有“局长”这个角色")
    assert unknown_role.content
    coverage = await kit.say(admin, "/units", "覆盖情况")
    assert "设置率" in coverage.content and "信息员配备率" in coverage.content
    assert len(coverage.content) <= 4096

    refused = await kit.say(newcomer, "/invite dongcheng chief", "只有管理员")
    assert refused.content
    refused_units = await kit.say(newcomer, "/units", "只有管理员")
    assert refused_units.content
    helped = await kit.say(newcomer, "/help", "使用说明")
    assert "/warn" in helped.content and "/invite" not in helped.content


async def test_error_after_saving_says_the_input_was_saved(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "公司拖欠我三个月工资不发，老板一直找借口", "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.pause_delivery()
    kit.fake.fail("sendMessage", 400, count=1, chat_id=CITIZEN, description="Bad Request: boom")
    sorry = await kit.say(citizen, "跳过", "抱歉")
    (case,) = await kit.cases()
    assert "已保存" in sorry.content and (case.number or "") in sorry.content
    # The receipt was the message that failed; the apology carries its number instead.
    kit.resume_delivery()
    # The draft is gone: repeating the last step files nothing twice.
    await kit.say(citizen, "完成", "没有待提交的问题")
    assert len(await kit.cases()) == 1

    kit.fake.fail("sendMessage", 400, count=1, chat_id=CITIZEN, description="Bad Request: boom")
    failed = await kit.say(citizen, "/status", "抱歉")
    assert "没有完成" in failed.content


async def test_webhook_sink_feeds_the_application(db: Database, district: District) -> None:
    async with running_fake_bot_api(token=TOKEN) as fake:
        settings = load_settings(
            {
                "DATABASE_URL": db.url,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": fake.root_url,
            }
        )
        runtime = await open_runtime(settings, district=district, db=db)
        app = build_application(runtime, token=TOKEN, updater=False, rate_limiter=False)
        assert app.updater is None
        sink = make_update_sink(app)
        async with app:
            await app.start()
            try:
                citizen = fake.user(CITIZEN, "王芳")
                action = citizen.send_command("/start")
                (update,) = fake.pending_updates()
                await sink(update)
                greeting = await citizen.wait_for_message(since=action, timeout=10)
                assert "您好" in greeting.content
            finally:
                await app.stop()
        await runtime.close()
        await asyncio.sleep(0)
