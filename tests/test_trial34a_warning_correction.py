"""Trial 34 #8: an officer's 「不对，…」 right after a filed warning amends that warning.

After ``/warn 阳光社区有十几户居民…`` was filed, 「不对，是二十几户」 was proposed as a
citizen's new request with a department picker (one tap filed the fragment as a case).
Now it is added to the warning as 补充说明 and the owner is notified; the officer is told
so. A bare 不对 or a text that is no correction is read as before, and so is a
correction after the window.
"""

from __future__ import annotations

from datetime import timedelta

from nlp.fact_correction import fact_correction
from tests.botkit import WAIT, BotKit
from tests.warnkit import bound_chief, bound_officer

OFFICER = 3471
CHIEF = 3472
PETITION = "阳光社区有十几户居民因为拆迁补偿问题情绪激动，准备下周去区政府上访"
CORRECTION = "不对，是二十几户"


async def test_a_correction_after_a_filed_warning_amends_it(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    chief = await bound_chief(kit, CHIEF)
    receipt = await kit.say(officer, f"/warn {PETITION}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert number in receipt.content

    told = await kit.say(officer, CORRECTION, "补充说明")
    assert number in told.content and "我不能确定" not in told.content
    assert not told.buttons  # no department picker: nothing to file
    assert len(await kit.cases()) == 1
    assert "note_added" in await kit.events(case.id)
    ping = await chief.wait_for_message(lambda m: CORRECTION in m.content, WAIT)
    assert number in ping.content


async def test_a_correction_after_the_window_is_read_as_before(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await kit.say(officer, f"/warn {PETITION}", "预警已报送")
    (case,) = await kit.cases()
    kit.clock.advance(timedelta(hours=2))
    answer = await kit.say(officer, CORRECTION)
    assert "补充说明" not in answer.content or (case.number or "?") not in answer.content
    assert "note_added" not in await kit.events(case.id)


def test_what_reads_as_a_correction_of_a_fact() -> None:
    assert fact_correction(CORRECTION) == "二十几户"
    assert fact_correction("更正：地点是和平路3号") is not None
    assert fact_correction("说错了，是明天上午") == "明天上午"
    for text in (
        "不对",
        "不是这个部门",
        "不对，应该是劳动局",
        "不是一天两天了",
        "不对劲啊",
        "错了",
    ):
        assert fact_correction(text) is None, text
