"""The fake Bot API's faults: injected errors, outages, delays and blocked users, as python-
telegram-bot's real Bot sees them.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.fakeapi import FakeBotApi
from tests.fakeapikit import CITIZEN, OFFICER, TOKEN

# The `fake` and `bot` fixtures, imported by name.
from tests.fakeapikit import fake_api as fake_api
from tests.fakeapikit import fake_bot as fake_bot


async def test_fault_injection(fake: FakeBotApi, bot: Bot) -> None:
    rule = fake.fail("sendMessage", 429, count=1, retry_after=7)
    # The suite runs with PTB_TIMEDELTA=1 (as `minqing` does): retry_after is a timedelta.
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(CITIZEN, "x")
    assert err.value.retry_after == timedelta(seconds=7)
    assert fake.calls("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert rule.served == 1 and rule.exhausted
    await bot.send_message(CITIZEN, "passes")

    fake.fail("sendMessage", 500)
    with pytest.raises(NetworkError) as net:
        await bot.send_message(CITIZEN, "x")
    assert not isinstance(net.value, BadRequest)
    fake.fail(None, 502, count=2)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    with pytest.raises(NetworkError):
        await bot.send_chat_action(CITIZEN, "typing")
    fake.fail("sendMessage", 0)
    with pytest.raises(NetworkError):
        await bot.send_message(CITIZEN, "dropped")
    assert fake.calls("sendMessage")[-1].response_status == 0

    fake.fail("sendMessage", 500, duration_s=math.inf, chat_id=OFFICER)
    await bot.send_message(CITIZEN, "other chat unaffected")
    with pytest.raises(NetworkError):
        await bot.send_message(OFFICER, "x")
    fake.clear_faults()
    await bot.send_message(OFFICER, "ok now")

    fake.block(CITIZEN)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CITIZEN, "x")
    assert fake.calls("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    fake.unblock(CITIZEN)
    await bot.send_message(CITIZEN, "back")

    assert fake.fault_counts[("sendMessage", 429)] == 1
    assert fake.fault_counts[("sendMessage", 403)] == 1
    assert fake.fault_counts[("getMe", 502)] == 1
    assert fake.fault_counts[("sendMessage", "drop")] == 1
    texts = [m.text for m in fake.transcript(CITIZEN)]
    assert texts == ["passes", "other chat unaffected", "back"]
    assert len(fake.send_times(CITIZEN)) == 3
    assert len(fake.send_times(CITIZEN, include_failed=True)) > 3


async def test_fail_for_a_duration(fake: FakeBotApi, bot: Bot) -> None:
    # The window's seconds pass on a clock of the test's, not in real time: on a busy
    # machine two calls may take longer than a short real window.
    now = [1000.0]
    fake.fault_clock = lambda: now[0]
    fake.fail("getMe", 504, duration_s=0.2)
    with pytest.raises(NetworkError, match="Gateway Timeout"):
        await bot.get_me()
    now[0] += 0.15
    with pytest.raises(NetworkError):
        await bot.get_me()
    now[0] += 0.1  # the window is over
    assert (await bot.get_me()).is_bot


async def test_delay_provokes_timeout_and_still_executes(fake: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=fake.base_url, request=HTTPXRequest()) as b:
        # Only the held call has a timeout shorter than the hold (getMe, which ``async with``
        # sends first, keeps the ordinary one, however slow the machine is).
        fake.delay("sendMessage", 0.6, count=1)
        with pytest.raises(TimedOut):
            await b.send_message(CITIZEN, "slow", read_timeout=0.2)
        # The API still executes the call after the delay, as a slow real API may.
        msg = await fake.wait_for_message(CITIZEN, lambda m: m.text == "slow", timeout=10)
        assert msg.from_bot


async def test_block_notify_sends_my_chat_member(fake: FakeBotApi, bot: Bot) -> None:
    fake.user(CITIZEN)
    fake.block(CITIZEN, notify=True)
    (update,) = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
