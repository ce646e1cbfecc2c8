"""Fault runs of the delivery side (short variants; issue 15, breaks 1 and 4).

``minqing serve`` in a child process against the fake Bot API: the counts must show
nothing lost and no duplicate, and the critical warning must overtake the routine
queue (order, not wall time: the delay is printed, as a figure).
"""

from __future__ import annotations

from pathlib import Path

from bot.bench.faults_delivery import run_api_down, run_spam_critical

SPAM = 12


async def test_spam_then_critical_warning_overtakes_the_queue(tmp_path: Path) -> None:
    report = await run_spam_critical("sqlite", tmp_path, spam=SPAM, drain_timeout=90)
    print(report.summary())
    assert report.nothing_lost and report.duplicate_deliveries == 0, report.summary()
    assert report.cases_in_db == 1 and report.acknowledged_without_case == []
    # 2 cards + a receipt per spam case (filed through the service); the warning's 2 cards
    # (its receipt is the conversation's own reply since issue 18's one receipt).
    assert report.outbox_written == 3 * SPAM + 2
    # At most the card in flight when it was posted went out before it; the chief had
    # had at least 2 cards by then.
    assert report.alert_overtook is not None and report.alert_overtook >= SPAM - 3


async def test_bot_api_down_for_the_first_seconds_loses_nothing(tmp_path: Path) -> None:
    report = await run_api_down("sqlite", tmp_path, down=5.0, rate=2.0)
    print(report.summary())
    assert report.updates_never_acknowledged == 0, report.summary()
    assert report.cases_in_db == report.updates_posted
    assert report.nothing_lost and report.duplicate_deliveries == 0, report.summary()
    assert report.alert_delay_seconds is not None  # the mid-outage warning reached the chief
    notes = " ".join(report.notes)
    assert '"bot": "unreachable"' in notes and "bot connected" in notes
