"""Trial 33b E13: the aftercare alert said 「0天前已办结」 for a case closed that day.

Now it says 今天已办结 / 昨天已办结 / N天前已办结, by calendar days in the district's time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.services.cases.aftercare import _days_ago, when_closed
from tests.botkit import WAIT, BotKit
from tests.test_b33_aftercare_farewell import CITIZEN, _aftercare_with_a_follow_up_waiting
from tests.test_pf30_crisis_aftercare import POLICE


async def test_the_alert_says_today_not_zero_days(kit: BotKit) -> None:
    crisis_id, _ = await _aftercare_with_a_follow_up_waiting(kit)
    crisis = await kit.case(crisis_id)
    assert crisis.closed_at is not None
    citizen = kit.user(CITIZEN, "小周")
    police = kit.user(POLICE, "")
    citizen.send_text("满意，谢谢，我要去另一个世界了")
    alert = await police.wait_for_message(lambda m: "关怀期告别" in m.content, WAIT)
    assert "0天前" not in alert.content
    assert any(w in alert.content for w in ("今天已办结", "昨天已办结", "天前已办结"))


def test_calendar_days_in_the_district_time() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    closed = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 09:00 local
    assert when_closed(_days_ago(closed, datetime(2026, 12, 8, 10, 0, tzinfo=UTC), tz)) == (
        "今天已办结"
    )
    # 23 hours later, but the next local day: 昨天.
    assert when_closed(_days_ago(closed, datetime(2026, 12, 9, 0, 0, tzinfo=UTC), tz)) == (
        "昨天已办结"
    )
    assert when_closed(_days_ago(closed, datetime(2026, 12, 11, 3, 0, tzinfo=UTC), tz)) == (
        "3天前已办结"
    )
