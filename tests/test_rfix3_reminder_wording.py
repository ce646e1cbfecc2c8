"""Review 3 P10: the 回访 reminder in plain Chinese: one 您, no question inside a statement."""

from __future__ import annotations

from handlers.texts import FOLLOW_UP_REMINDER


def test_the_reminder_reads_plainly() -> None:
    assert FOLLOW_UP_REMINDER.count("您") == 1
    assert "解决了吗" not in FOLLOW_UP_REMINDER
    assert "是否已经解决" in FOLLOW_UP_REMINDER and "已办结" in FOLLOW_UP_REMINDER
