"""pf29 defect 7: an officer's proposal understands 不是这个部门 / 换一个 typed as text.

A citizen's draft opened the bureau picker on 不是这个部门 / 换一个 (dfx21); the
officer's warning proposal read those words as a new description. Now, while the
proposal waits for 确认, they open the same bureau picker as 更改部门: the warning's
text is unchanged, the choice replaces the office, and 确认 files it there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

TEXT = "和平社区两户居民因宅基地边界发生争执，双方情绪激动"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize("correction", ["不是这个部门", "换一个"])
async def test_a_typed_correction_opens_the_office_picker(kit: BotKit, correction: str) -> None:
    officer = kit.user(2999, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, TEXT, "预警研判")
    assert "确认" in [b["text"] for b in proposal.buttons]
    picker = await kit.say(officer, correction, "请选择负责的部门")
    labels = [b["text"] for b in picker.buttons]
    assert "区信访局" in labels and "« 返回" in labels
    assert "先报送刚才的预警" not in picker.content  # not read as a new description
    # The older proposal's 确认 is gone: one live proposal.
    await kit.delivered()
    assert not proposal.buttons
    changed = await kit.press(
        officer, picker, "区信访局", lambda m: "分类：区信访局（综合职能服务室）" in m.content
    )
    assert TEXT in changed.content and correction not in changed.content
    await kit.press(officer, picker, "确认", lambda m: "预警已报送" in m.content)
    (case,) = await kit.cases()
    assert case.bureau == "petition" and case.original_text == TEXT
    assert case.kind == "warning"


async def test_back_from_the_typed_picker_keeps_the_proposal(kit: BotKit) -> None:
    officer = kit.user(3000, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, TEXT, "预警研判")
    picker = await kit.say(officer, "不是这个部门", "请选择负责的部门")
    back = await kit.press(officer, picker, "« 返回", "预警研判")
    # The classifier's office as proposed first.
    first = next(line for line in proposal.content.splitlines() if line.startswith("分类"))
    assert first in back.content
    await officer.wait_for_message(lambda m: "确认" in [b["text"] for b in m.buttons], WAIT)
    assert await kit.cases() == []
