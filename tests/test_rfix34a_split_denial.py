"""Review 34a F1-F3: the citizen's word on a case split off in the staff's words.

F1: a Telegram reply to the split notice telling of a fire was filed as a denial: no line,
no case. F2: 「第2件搞错了，我爸没气了」 lost its danger (clauses with 没 were dropped before
the danger check). F3: for 3 days any 弄错/不是我 (社保局把我的缴费年限弄错了) was swallowed
into the split police case. Now danger goes first, always; only a clear denial of that case
is one; a matter of its own is proposed as usual.

The bot over the fake Bot API; what the users read and what is stored.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.split_reply import denies
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, said_since
from tests.criticalkit import police_chief
from tests.emergencykit import EMERGENCY_LINE
from tests.test_trial_defects import file_request

TWO = "我们小区门口的路灯坏了一个多月了没人修，另外楼下烧烤店油烟太大，每天晚上熏得没法开窗"
FIGHT = "楼下烧烤店有人拿刀打起来了"
NUMBER = "MQ20261208-0002"


async def _split(kit: BotKit, base: int):  # type: ignore[no-untyped-def]
    police = await police_chief(kit, base)
    desk = kit.user(base + 1, "分派台李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(base + 2, "张大姐")
    original = await file_request(kit, citizen, TWO)
    await kit.delivered()
    asked = await kit.say(desk, f"/split {original.number} {FIGHT}", "请确认后再拆分")
    await kit.press(desk, asked, "确认拆分", "已拆分")
    new = (await kit.cases())[-1]
    notice = await citizen.wait_for_message(lambda m: "分别办理" in m.content, WAIT)
    await kit.delivered()
    return police, citizen, new, notice


async def _notes(kit: BotKit, case_id: int) -> list[CaseEvent]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == "note_added")
        )
        return list(rows.all())


async def test_a_fire_told_in_reply_to_the_notice_is_danger(kit: BotKit) -> None:
    """F1."""
    _, citizen, new, notice = await _split(kit, 3610)
    text = "我家厨房着火了，火很大，孩子还在里面，快来救命"
    action = citizen.send_text(text, reply_to=notice.message_id)
    await citizen.wait_for_message(lambda m: EMERGENCY_LINE in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("不是您反映的" in m for m in said), said
    assert not [n for n in await _notes(kit, new.id) if (n.data or {}).get("denies_split")]
    fire = (await kit.cases())[-1]
    assert fire.id != new.id and fire.severity == "critical" and "着火" in fire.original_text


async def test_danger_after_a_denial_with_mei_is_danger(kit: BotKit) -> None:
    """F2."""
    _, citizen, new, _ = await _split(kit, 3620)
    action = citizen.send_text("第2件搞错了，我爸没气了")
    await citizen.wait_for_message(lambda m: EMERGENCY_LINE in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("不是您反映的" in m for m in said), said
    assert not [n for n in await _notes(kit, new.id) if (n.data or {}).get("denies_split")]


async def test_a_new_matter_with_common_words_is_proposed(kit: BotKit) -> None:
    """F3: no note on the police case, nothing read by the police; a proposal."""
    police, citizen, new, _ = await _split(kit, 3630)
    mark = len(police.transcript())
    text = "社保局把我的缴费年限弄错了，少算了三年"
    await kit.say(citizen, text, f"您的描述：{text}")
    await kit.delivered()
    assert await _notes(kit, new.id) == []
    assert not [m for m in police.transcript()[mark:] if text in m.content]
    # The denial still reaches the case afterwards.
    action = citizen.send_text("第2件不是我反映的，没有人打架")
    await kit.answer(citizen, action, "不是您反映的")
    (note,) = await _notes(kit, new.id)
    assert (note.data or {}).get("denies_split") is True


async def test_a_new_matter_in_reply_to_the_notice_is_proposed(kit: BotKit) -> None:
    """F3 by Telegram's reply: a matter of its own (another office) is no denial."""
    police, citizen, new, notice = await _split(kit, 3660)
    mark = len(police.transcript())
    text = "社保局把我的缴费年限弄错了，少算了三年"
    action = citizen.send_text(text, reply_to=notice.message_id)
    await kit.answer(citizen, action, f"您的描述：{text}")
    await kit.delivered()
    assert await _notes(kit, new.id) == []
    assert not [m for m in police.transcript()[mark:] if text in m.content]


async def test_a_denial_in_reply_to_the_notice_is_kept(kit: BotKit) -> None:
    police, citizen, new, notice = await _split(kit, 3640)
    text = "这件事不是我反映的，没有人打架"
    action = citizen.send_text(text, reply_to=notice.message_id)
    receipt = await kit.answer(citizen, action, "不是您反映的")
    assert new.number in receipt.content
    await kit.delivered()
    assert not any(EMERGENCY_LINE in m for m in said_since(citizen, action))
    (note,) = await _notes(kit, new.id)
    assert note.note == text and (note.data or {}).get("denies_split") is True
    # A critical split case is verified, not withdrawn, on a denial (split 35).
    await police.wait_for_message(lambda m: "【反映人否认·请核实】" in m.content, WAIT)


async def test_i_never_reported_the_fight_is_a_denial_not_an_alarm(kit: BotKit) -> None:
    _, citizen, new, _ = await _split(kit, 3650)
    action = citizen.send_text("我没反映过打架的事")
    await kit.answer(citizen, action, "不是您反映的")
    await kit.delivered()
    assert not any(EMERGENCY_LINE in m for m in said_since(citizen, action))
    (note,) = await _notes(kit, new.id)
    assert (note.data or {}).get("denies_split") is True


def test_common_words_alone_deny_nothing() -> None:
    for text in (
        "社保局把我的缴费年限弄错了，少算了三年",
        "医院把我的化验单弄错了，要求重新检查",
        "物业费算错了，搞错了我家房子面积",
        "这不是我第一次反映了，楼上漏水到现在没人管",
        "不是我不交物业费，是电梯一直坏着",
        "派出所把我的名字搞错了",
        "房产证上面积不属实",
        "第二件事，小区门口的垃圾没人清理",
        "第2件搞错了，我爸没气了",
    ):
        assert not denies(text, NUMBER, FIGHT), text
        assert not denies(text, NUMBER, FIGHT, answers_notice=True), text
    for text in ("第2件不是我反映的，没有人打架", f"{NUMBER}不是我反映的", "第2件搞错了"):
        assert denies(text, NUMBER, FIGHT), text
