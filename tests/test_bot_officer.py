"""Information officers end to end: binding, early warnings, who receives them, /mine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.invites import MAX_FAILED_ATTEMPTS, create_invite
from config.district import District
from storage.db import Database
from storage.enums import CaseKind, Role
from tests.botkit import BotKit, running_bot, sqlite_bot

OFFICER = 3001
CHIEF = 2001
OPINION_STAFF = 4001
MEDIATION_CHIEF = 4002
LEADER = 4003
CITIZEN = 1001
CRITICAL_TEXT = "三百多名工人围堵区政府大门，有人扬言要跳楼，情况危急"
ROUTINE_TEXT = "小区业主五十余人拉横幅聚集维权"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_officer_files_a_critical_warning_that_reaches_chief_and_centres(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        officer = kit.user(OFFICER, "张信息员")
        bound = await kit.bind(officer, "dongcheng", Role.OFFICER)
        assert "东城街道群众工作站" in bound.content and "信息员" in bound.content
        assert "/warn" in bound.content
        chief = kit.user(CHIEF, "李站长")
        await kit.bind(chief, "dongcheng", Role.CHIEF)
        opinion = kit.user(OPINION_STAFF, "社情中心")
        await kit.bind(opinion, "opinion_centre", Role.STAFF)
        mediation = kit.user(MEDIATION_CHIEF, "调处中心")
        await kit.bind(mediation, "mediation_centre", Role.CHIEF)
        leader = kit.user(LEADER, "群工办")
        await kit.bind(leader, "office", Role.CHIEF)

        # A routine proposal: its office can be changed by hand before 确认.
        await kit.say(officer, "/warn", "请描述预警情况")
        proposal = await kit.say(officer, ROUTINE_TEXT, "预警研判")
        assert [b["text"] for b in proposal.buttons] == ["确认", "更改部门", "更改等级", "取消"]
        assert "依据：关键词" in proposal.content
        # Change the office by hand: every bureau, grouped by room, with a way back.
        picker = await kit.press(officer, proposal, "更改部门", "请选择办理部门")
        assert picker is proposal and "区司法局" in [b["text"] for b in picker.buttons]
        await kit.press(officer, proposal, "« 返回", "预警研判")
        await kit.press(officer, proposal, "更改部门", "请选择办理部门")
        changed = await kit.press(
            officer, proposal, "区信访局", lambda m: "分类：区信访局（综合职能服务室）" in m.content
        )
        # The officer's choice replaces the classifier's keywords as the reason.
        assert "依据：您选择的部门" in changed.content and "关键词" not in changed.content
        await kit.press(officer, proposal, "取消", "未报送")
        assert await kit.cases() == []

        # 特别重大 is filed the moment its text arrives (trial 26 T24): what was filed and
        # why, then the receipt; the optional steps amend it.
        await kit.say(officer, "/warn", "请描述预警情况")
        confirmed = officer.send_text(CRITICAL_TEXT)
        shown = await officer.wait_for_message(
            lambda m: "预警研判" in m.content, 10, since=confirmed
        )
        assert "等级：特别重大" in shown.content and "依据：关键词" in shown.content
        assert not shown.buttons
        filed = await officer.wait_for_message(
            lambda m: "预警已报送" in m.content, 10, since=confirmed
        )
        assert "社情民意收集中心" in filed.content and "社会矛盾调处中心" in filed.content
        place = await officer.wait_for_message(
            lambda m: "发生地点" in m.content, 10, since=confirmed
        )
        assert "可选 1/3" in place.content
        count = await kit.say(officer, "区政府东门", "多少人")
        assert "可选 2/3" in count.content
        photos = await kit.say(officer, "三百多名", "照片")
        assert "可选 3/3" in photos.content  # the same step labels as a citizen's
        await kit.answer(officer, officer.send_photo(), "第1张")
        done = await kit.say(officer, "完成", "补充完毕")
        assert "/mine" in done.content

        (case,) = await kit.cases()
        assert case.kind == CaseKind.WARNING and case.severity == "critical"
        assert case.owning_unit_id == "dongcheng"
        assert case.address == "区政府东门" and case.head_count == 300
        assert len(case.photo_file_ids) == 1 and case.original_text == CRITICAL_TEXT
        assert case.number is not None
        number = case.number
        await kit.delivered()
        receipts = [m for m in officer.transcript() if m.from_bot and number in m.content]
        assert receipts == [filed]  # one receipt, pointing to /mine
        assert "/mine" in filed.content and "/status" not in filed.content

        for person in (chief, opinion, mediation, leader):
            card = await person.wait_for_message(lambda m: number in m.content, 10)
            assert "特别重大" in card.content and CRITICAL_TEXT in card.content
        chief_card = await chief.wait_for_message(lambda m: number in m.content, 10)
        assert "签收" in [b["text"] for b in chief_card.buttons]
        # The photo added after filing (【预警补充】) reaches everyone who has the card.
        for person in (chief, opinion, mediation, leader):
            shots = [m for m in person.transcript() if m.from_bot and m.kind == "photo"]
            assert len(shots) == 1 and number in shots[0].content, person
            assert shots[0].media_group_id is None  # one photo: sendPhoto
        assert not [m for m in officer.transcript() if m.from_bot and m.kind == "photo"]

        mine = await kit.say(officer, "/mine", "您报送的预警")
        assert number in mine.content and "特别重大" in mine.content


async def test_one_shot_warning_and_who_may_warn(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng_heping", Role.OFFICER)
    filed = await kit.say(officer, "/warn 两户村民因宅基地边界发生争吵，可能动手", "预警已报送")
    (case,) = await kit.cases()
    assert case.number is not None and case.number in filed.content
    assert case.owning_unit_id == "dongcheng_heping" and case.kind == CaseKind.WARNING

    citizen = kit.user(CITIZEN, "王芳")
    refused = await kit.say(citizen, "/warn 谢谢", "只有已绑定单位")
    assert "/bind" in refused.content
    nothing = await kit.say(citizen, "/mine", "/status")
    assert "/warn" not in nothing.content
    assert len(await kit.cases()) == 1

    # Cancelling in the middle files nothing.
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, "小区业主五十余人拉横幅聚集维权", "预警研判")
    await kit.press(officer, proposal, "取消", "未报送")
    assert len(await kit.cases()) == 1


async def test_binding_errors_are_explained(kit: BotKit) -> None:
    stranger = kit.user(OFFICER, "张三")
    wrong = await kit.say(stranger, "/bind ABCDEFGHJKMN", "邀请码不正确")
    assert wrong.content
    usage = await kit.say(stranger, "/bind", "邀请码")
    assert "/bind" in usage.content
    issued = await create_invite(kit.db, unit_id="xihu", role=Role.OFFICER, now=kit.clock.now())
    first = kit.user(OFFICER + 1, "李四")
    ok = await kit.say(first, f"/bind {issued.code.lower()}", "绑定成功")
    assert "西湖街道群众工作站" in ok.content
    used = await kit.say(stranger, f"/start {issued.code}", "已被使用")
    assert used.content
    for _ in range(MAX_FAILED_ATTEMPTS - 2):
        await kit.say(stranger, "/bind ZZZZZZZZZZZZ", "不正确")
    locked = await kit.say(stranger, f"/bind {issued.code}", "尝试次数过多")
    assert locked.content
    person = await kit.person(OFFICER)
    assert person is None  # nobody was bound (or even created) by the failed attempts


async def test_trial_warning_card_names_the_officer_and_links_the_location(kit: BotKit) -> None:
    """Trial item 17: the chief's card of a warning had no 报送人 and showed a shared location
    as raw ``定位 30.27000, 120.15000``."""
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, "两户村民因宅基地边界发生争吵", "预警研判")
    await kit.press(officer, proposal, "确认", "发生地点")
    await kit.answer(officer, officer.send_location(30.27, 120.15), "多少人")
    await kit.answer(officer, officer.send_text("跳过"), "照片")
    await kit.say(officer, "跳过", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    link = "https://uri.amap.com/marker?position=120.15000,30.27000"
    # The card is sent at 确认; the location shared after it redraws the card and is
    # announced in a 【预警补充】 message.
    card = await chief.wait_for_message(
        lambda m: (
            m.content.startswith("【预警信息】") and number in m.content and link in m.content
        ),
        10,
    )
    assert "报送人：张信息员" in card.content, card.content
    assert "定位 30.27000" not in card.content
    added = await chief.wait_for_message(lambda m: m.content.startswith("【预警补充】"), 10)
    assert link in added.content
