"""Trial 35: a later message joins an open case or draft only when it belongs to it.

D5: 垃圾好几天没人清运了 after a kitchen fire became a note on the fire case at the police.
D2: 我们楼顶有个人 / 坐在边上 a minute after a drowning report went onto the drowning case;
the jump threat became a case without its rooftop (now the words still reach the open
case, review 35b, and the jump threat's case carries them too). D6: 焚烧秸秆 after a
smoke report was stored as that case's address. D11: 邻居装修…打电钻 merged into an
open 低保 request. D10: 不是这个意思 was added to the description. D12: a complaint
told in parts, the bot answering each, became three drafts, and the bare place got a
filing button. D13: 还没解决 typed as the 回访 answer started a new request while a
self-harm case was open.

Everything runs through the real bot against the fake Bot API; what the citizen reads
and what the database holds are checked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import CaseStatus
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, ChatMessage, FakeUser, resolved_request, sqlite_bot
from tests.criticalkit import police_chief

CITIZEN = 3501
POLICE = 3502
LABOR_CHIEF = 3503

GARBAGE = "我家楼下的垃圾好几天没人清运了，臭气熏天"
GARBAGE_TRADITIONAL = "我家樓下的垃圾好幾天沒人清運了，臭氣熏天"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def bot_says(user: FakeUser) -> list[str]:
    return [m.content for m in user.transcript() if m.from_bot]


def proposals(user: FakeUser) -> list[ChatMessage]:
    """The bot's proposals and pickers (a filing button) in the chat."""
    return [
        m
        for m in user.transcript()
        if m.from_bot and {"提交", "交由工作人员分派"} & {b["text"] for b in m.buttons}
    ]


async def reported_emergency(kit: BotKit, citizen: FakeUser, text: str) -> None:
    """``citizen`` reports danger now and skips the step that asks where and a phone."""
    await kit.say(citizen, text, "跳过")
    await kit.say(citizen, "跳过", "已登记")


@pytest.mark.parametrize("complaint", [GARBAGE, GARBAGE_TRADITIONAL])
async def test_d5_a_standing_complaint_after_a_fire_is_a_request_of_its_own(
    kit: BotKit, complaint: str
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await reported_emergency(kit, citizen, "厨房着火了")
    (fire,) = await kit.cases()
    kit.clock.advance(timedelta(minutes=30))

    picker = await kit.say(citizen, complaint, lambda m: bool(m.buttons))
    assert "补充说明已加入" not in picker.content
    assert "垃圾" in picker.content
    # Nothing of it reached the fire case or the police.
    assert "note_added" not in await kit.events(fire.id)
    await kit.delivered()
    assert not any("垃圾" in m.content for m in police.transcript())

    await kit.press(citizen, picker, "法律咨询", lambda m: "提交" in str(m.buttons))
    proposal = proposals(citizen)[-1]
    assert "环保局" in proposal.content
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    first, garbage = await kit.cases()
    assert first.id == fire.id and first.original_text == "厨房着火了"
    assert garbage.original_text == complaint and garbage.bureau == "environment"
    assert garbage.severity != "critical"


async def test_d2_a_rooftop_after_a_drowning_is_its_own_emergency_with_its_rooftop(
    kit: BotKit,
) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await reported_emergency(kit, citizen, "西湖边有个小孩掉水里了！快来人")
    (drowning,) = await kit.cases()
    kit.clock.advance(timedelta(minutes=1))

    burst = ["快来人", "我们楼顶有个人", "坐在边上", "说不想活了要跳下去"]
    sent = [citizen.send_text(text) for text in burst]
    await kit.handled(sent[-1])
    await kit.delivered()

    first, rooftop = await kit.cases()
    assert first.id == drowning.id
    # The rooftop scene is the new case's, whole, and filed as danger now.
    for part in ("我们楼顶有个人", "坐在边上", "说不想活了要跳下去"):
        assert part in rooftop.original_text
    assert rooftop.severity == "critical"
    assert rooftop.number is not None
    assert any(rooftop.number in said for said in bot_says(citizen))
    # Nothing was lost on the way: the scene's words came before the danger was told,
    # so they reached the open drowning case too, as its 补充说明 (review 35b).
    assert (await kit.events(drowning.id)).count("note_added") == 3
    said = bot_says(citizen)
    assert any("110" in s for s in said[-8:])


async def test_d2_a_scene_is_never_stored_as_the_place(kit: BotKit) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    burst = ["快来人", "我们楼顶有个人", "坐在边上", "说不想活了要跳下去"]
    sent = [citizen.send_text(text) for text in burst]
    await kit.handled(sent[-1])
    await kit.delivered()

    (case,) = await kit.cases()
    assert case.address is None
    assert not any("收到地点" in s for s in bot_says(citizen))
    assert case.severity == "critical"
    # The scene reached the case as its 补充说明 (nothing lost).
    assert (await kit.events(case.id)).count("note_added") >= 2


async def test_d6_a_complaint_at_the_place_step_is_no_address(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, "西湖街道湖滨社区有人在河边烧垃圾，烟很大", "跳过")
    (smoke,) = await kit.cases()

    straw = "有人在路边焚烧秸秆，烟很呛"
    proposal = await kit.say(citizen, straw, lambda m: "提交" in str(m.buttons))
    assert "环保局" in proposal.content and straw in proposal.content
    assert not any("收到地点" in s for s in bot_says(citizen))
    smoke = await kit.case(smoke.id)
    assert smoke.address is None
    assert "秸秆" not in smoke.original_text


async def test_d11_another_matter_after_a_whole_one_is_a_new_proposal(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小林")
    first = await kit.say(citizen, "我爸的低保申请一直没批下来", lambda m: "提交" in str(m.buttons))
    assert "民政局" in first.content

    noise = "邻居装修天天晚上十一点还在打电钻"
    second = await kit.say(citizen, noise, lambda m: "提交" in str(m.buttons))
    assert "并入上一条描述" not in second.content
    assert "建设局" in second.content and "低保" not in second.content
    await citizen.wait_for_message(lambda m: "还没有提交" in m.content, WAIT)

    # Each files as its own: the noise to 建设局, the 低保 request to 民政局.
    await kit.press(citizen, second, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    await kit.press(citizen, first, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    cases = {c.bureau: c.original_text for c in await kit.cases()}
    assert cases == {"construction": noise, "civil_affairs": "我爸的低保申请一直没批下来"}


async def test_d10_not_what_i_meant_is_a_correction(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小林")
    text = "我爸的低保申请一直没批下来"
    await kit.say(citizen, text, lambda m: "提交" in str(m.buttons))
    picker = await kit.say(citizen, "不是这个意思", lambda m: bool(m.buttons))
    assert "并入上一条描述" not in picker.content
    assert "请选择负责的部门" in picker.content
    assert not any("不是这个意思" in s for s in bot_says(citizen))

    proposal = await kit.press(citizen, picker, "区民政局", lambda m: "提交" in str(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == text


async def test_d12_a_complaint_told_in_parts_is_one_draft(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, "喂", "您好")
    asked = await kit.say(citizen, "我们小区3号楼", "请说说")
    assert not asked.buttons
    assert not proposals(citizen)
    for part in ("楼道里堆满了纸箱杂物", "消防通道都堵死了", "物业不管"):
        # Each part is sent after the bot's answer to the one before.
        await kit.say(citizen, part, lambda m, p=part: p in m.content and bool(m.buttons))
    last = proposals(citizen)[-1]
    for part in ("我们小区3号楼", "楼道里堆满了纸箱杂物", "消防通道都堵死了", "物业不管"):
        assert part in last.content
    assert not any("还没有提交" in s for s in bot_says(citizen))

    await kit.press(citizen, last, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text.startswith("我们小区3号楼")
    assert "消防通道都堵死了" in case.original_text and "物业不管" in case.original_text


async def test_d13_unsolved_in_words_answers_the_follow_up(kit: BotKit) -> None:
    _, citizen, wages = await resolved_request(
        kit, CITIZEN, LABOR_CHIEF, "公司拖欠我三个月工资不发，老板一直找借口"
    )
    words = "还没解决，老板说话不算数，一分钱都没给"
    told = await kit.say(citizen, words, "回访")
    assert wages.number is not None and wages.number in told.content and "未解决" in told.content
    assert not proposals(citizen)[1:], [m.content[:40] for m in proposals(citizen)]
    after = await kit.case(wages.id)
    assert after.status == CaseStatus.REOPENED
    assert len(await kit.cases()) == 1


async def test_d13_beside_an_open_crisis_the_words_reach_the_helpers(kit: BotKit) -> None:
    """Review 35c F1: beside the reporter's own open self-harm case, only a bare answer
    (还没解决) answers another case's 回访; words said beside it go to the helpers first —
    never a new request, and never a silent reopening that the helpers do not read."""
    _, citizen, wages = await resolved_request(
        kit, CITIZEN, LABOR_CHIEF, "公司拖欠我三个月工资不发，老板一直找借口"
    )
    await police_chief(kit, POLICE)
    await reported_emergency(kit, citizen, "我不想活了")
    crisis = (await kit.cases())[-1]
    assert len(await kit.cases()) == 2

    action = citizen.send_text("还没解决 我真的撑不住了")
    await kit.handled(action)
    await kit.delivered()
    assert not proposals(citizen)[1:], [m.content[:40] for m in proposals(citizen)]
    assert (await kit.case(wages.id)).status == CaseStatus.RESOLVED
    async with kit.db.session() as s:
        notes = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == crisis.id, CaseEvent.type == "note_added")
        )
        assert any("撑不住" in (n.note or "") for n in notes.all())
    assert len(await kit.cases()) == 2


async def test_d12_the_answer_to_a_bare_place_is_its_problem_however_long(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, "和平社区8号楼", "请说说")
    story = (
        "楼道里堆满了纸箱和旧家具，已经两个多月了，消防通道完全堵死，"
        "老人上下楼很不方便，跟物业说了好几次都没有人来清理，万一着火后果不堪设想"
    )
    assert len(story) > 60
    proposal = await kit.say(citizen, story, lambda m: bool(m.buttons))
    assert "和平社区8号楼" in proposal.content and "纸箱和旧家具" in proposal.content
