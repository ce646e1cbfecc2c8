"""Review 1, R1: 分开登记 never puts a serious matter behind a routine one.

A message whose whole text or either matter would be filed 重大 (high) or above, or tells
of danger now, is filed as one case at that level, and no split is offered; otherwise the
more serious matter is put first. The bot test drives the real bot and classifier; the
ordering is checked with stand-in readings (the rule, not the classifier's figures).
"""

from __future__ import annotations

from bot.services.cases.model import Preview
from bot.services.two_matters import two_matters
from tests.botkit import BotKit

DV = "小区路灯坏了一个月。另外隔壁老王天天打老婆，昨晚打得很厉害"
WAGES = "我们小区路灯坏了一个月。另外我们三十多个工人被拖欠工资半年了，明天准备一起去区政府上访"
LAMP = "小区路灯坏了一个月"
NOISE = "另外楼下饭店油烟很大"


def _reading(bureau: str) -> Preview:
    return Preview(
        bureau, bureau, bureau, bureau + "局", 0.95, False, (), "low", "一般", "", "", ""
    )


def _stand_in(levels: dict[str, str]) -> tuple[object, object]:
    def preview(text: str) -> Preview:
        return _reading("construction" if "路灯" in text else "environment")

    def level(text: str) -> str:
        return next((v for k, v in levels.items() if k in text), "low") if text else "low"

    return preview, level


def _levels(lamp: str, noise: str, whole: str) -> dict[str, str]:
    return {f"{LAMP}。{NOISE}": whole, LAMP: lamp, "油烟": noise}


def test_the_more_serious_matter_is_put_first() -> None:
    text = f"{LAMP}。{NOISE}"
    preview, level = _stand_in(_levels("low", "medium", "medium"))
    found = two_matters(text, preview, level=level)  # type: ignore[arg-type]
    assert found is not None
    assert found.first.text.endswith("油烟很大") and found.second.text.startswith(LAMP)
    preview, level = _stand_in(_levels("medium", "low", "medium"))
    found = two_matters(text, preview, level=level)  # type: ignore[arg-type]
    assert found is not None and found.first.text.startswith(LAMP)


def test_no_split_when_anything_is_high_or_the_parts_are_below_the_whole() -> None:
    text = f"{LAMP}。{NOISE}"
    for levels in (
        _levels("low", "high", "medium"),
        _levels("critical", "low", "low"),
        _levels("low", "low", "high"),
        _levels("low", "low", "medium"),
    ):
        preview, level = _stand_in(levels)
        assert two_matters(text, preview, level=level) is None, levels  # type: ignore[arg-type]


async def test_violence_at_home_beside_a_lamp_is_one_high_case_at_once(kit: BotKit) -> None:
    citizen = kit.user(3391, "群众")
    proposal = await kit.say(citizen, DV, lambda m: "提交" in str(m.buttons))
    await kit.delivered()
    assert not any("两件事" in m.content for m in citizen.transcript())
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == DV and case.severity == "high"
    assert case.owning_unit_id == "police"


async def test_workers_planning_a_petition_are_not_offered_a_split(kit: BotKit) -> None:
    citizen = kit.user(3392, "群众")
    await kit.say(citizen, WAGES, lambda m: "提交" in str(m.buttons))
    await kit.delivered()
    assert not any("两件事" in m.content for m in citizen.transcript())
