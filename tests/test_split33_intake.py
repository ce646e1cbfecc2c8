"""Trial defect D3 at intake: two matters for two bureaus are offered as two (分开登记).

The real bot and the project's classifier: a description that clearly holds two
matters gets 「您提到了两件事…分开登记更快，要分开吗？」 under its proposal. 分开登记
files the first and proposes the second right after; 作为一件事提交 (and ignoring the
question) keeps one case; a single matter is asked nothing.
"""

from __future__ import annotations

from bot.fakeapi.server import FakeUser
from handlers.two_matters_offer import GONE
from tests.botkit import BotKit

TWO = "单位拖欠工资三个月了，另外我们小区路灯坏了一个月"
CANTEEN = "还有我们厂食堂很脏，上周好几个工友吃完拉肚子"
ONE = "单位拖欠工资三个月了，老板一直说下个月发"


async def _details_skipped(kit: BotKit, citizen: FakeUser) -> None:
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")


async def test_two_matters_filed_as_two_cases(kit: BotKit) -> None:
    citizen = kit.user(3331, "群众")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    assert "区劳动局" in asked.content and "区建设局" in asked.content
    assert "分开登记更快，要分开吗" in asked.content
    first = await kit.press(citizen, asked, "分开登记", lambda m: "提交" in str(m.buttons))
    assert "您的描述：单位拖欠工资三个月了" in first.content and "路灯" not in first.content
    await kit.press(citizen, first, "提交", "可选 1/3")
    await _details_skipped(kit, citizen)
    second = await citizen.wait_for_message(
        lambda m: "您的描述：我们小区路灯坏了一个月" in m.content and bool(m.buttons), 10
    )
    await kit.press(citizen, second, "提交", "可选 1/3")
    await _details_skipped(kit, citizen)
    cases = await kit.cases()
    assert [c.original_text for c in cases] == ["单位拖欠工资三个月了", "我们小区路灯坏了一个月"]
    assert [c.owning_unit_id for c in cases] == ["labor", "construction"]


async def test_one_case_stays_the_default(kit: BotKit) -> None:
    citizen = kit.user(3332, "群众")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    kept = await kit.press(citizen, asked, "作为一件事提交", "按一件事登记")
    # Two bureaus: the proposal is the picker, never one bureau's 提交 (trial 33b E10).
    assert "交由工作人员分派" in kept.content
    proposal = next(
        m for m in citizen.transcript() if m.from_bot and "交由工作人员分派" in str(m.buttons)
    )
    await kit.press(citizen, proposal, "交由工作人员分派", "可选 1/3")
    await _details_skipped(kit, citizen)
    cases = await kit.cases()
    assert len(cases) == 1 and cases[0].original_text == TWO
    assert cases[0].owning_unit_id == kit.district.dispatcher

    other = kit.user(3333, "群众乙")
    await kit.say(other, ONE, lambda m: bool(m.buttons))
    await kit.delivered()
    assert not any("两件事" in m.content for m in other.transcript())


async def test_an_offer_made_before_more_words_splits_nothing(kit: BotKit) -> None:
    citizen = kit.user(3334, "群众丙")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    await kit.say(citizen, "老板一直拖着不给", lambda m: bool(m.buttons))
    stale = citizen.press(asked, "分开登记")
    assert await kit.callback_answer(stale) == GONE
    assert await kit.cases() == []


async def test_another_problem_at_the_place_step_loses_neither(kit: BotKit) -> None:
    """分开登记 keeps the second matter for later; a third typed at the place step
    (是另一个问题) is kept after it, as a matter of its own: each is proposed and filed
    as its own case with its own bureau, never joined to another (review 1, R2)."""
    citizen = kit.user(3335, "群众丁")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    first = await kit.press(citizen, asked, "分开登记", lambda m: "提交" in str(m.buttons))
    await kit.press(citizen, first, "提交", "可选 1/3")
    await kit.say(citizen, CANTEEN, "是另一个问题")
    citizen.send_text("是另一个问题")
    citizen.send_text("跳过")
    await _details_skipped(kit, citizen)
    lamp = await citizen.wait_for_message(
        lambda m: "您的描述：我们小区路灯坏了一个月" in m.content and bool(m.buttons), 10
    )
    assert "食堂" not in lamp.content, lamp.content
    await kit.press(citizen, lamp, "提交", "可选 1/3")
    await _details_skipped(kit, citizen)
    canteen = await citizen.wait_for_message(
        lambda m: "您的描述：还有我们厂食堂很脏" in m.content and bool(m.buttons), 10
    )
    assert "路灯" not in canteen.content, canteen.content
    await kit.press(citizen, canteen, "提交", "可选 1/3")
    await _details_skipped(kit, citizen)
    cases = await kit.cases()
    assert [c.original_text for c in cases] == [
        "单位拖欠工资三个月了",
        "我们小区路灯坏了一个月",
        CANTEEN,
    ]
    assert [c.owning_unit_id for c in cases] == ["labor", "construction", "health"]
