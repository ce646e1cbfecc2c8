"""Trial 29 P10: one clock jump sent a chief 【催签收】 第1次 and 第2次 back to back, and an
officer's 【进展汇总】 read 「…督办。；您的预警（MQ…）…」 and pointed to /status.

Now a jump's reminders of one case come as the last of them (the earlier ones folded
into it), an officer's digest names each warning once and points to /mine. The bot,
the fake Bot API and the real scheduler, with its jump's hold as the sandbox uses it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from bot.services.notification_digest import DigestItem, digest_text
from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.factories import citizen

CHIEF = 2911


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_one_jump_sends_one_reminder_per_case_not_each_round(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    person = await citizen(kit.db)
    await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="单位拖欠工资三个月了，老板一直不给")
    )
    await kit.delivered()
    (case,) = await kit.cases()
    assert case.owning_unit_id == "labor" and case.severity != "critical"
    seen = len(chief.transcript())
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    # One jump over the 签收时限 and the next round, held as the sandbox holds it.
    assert case.ack_due_at is not None
    hold = case.ack_due_at + timedelta(hours=2)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due(fold=False, hold_until=hold) == 1
    kit.clock.advance(kit.district.escalation.renotify_interval)
    assert await sched.run_due(hold_until=hold) == 1
    await kit.delivered()
    got = [m.content for m in chief.transcript()[seen:] if case.number in m.content]
    reminders = [t for t in got if t.startswith("【催签收】")]
    assert len(reminders) == 1 and "第2次提醒" in reminders[0], got
    # Both rounds stay in the case's log.
    rounds = [e for e in await kit.events(case.id) if e == "renotified"]
    assert len(rounds) == 2


def test_an_officers_digest_names_each_warning_once_and_points_to_mine() -> None:
    number = "MQ20261207-0020"
    item = DigestItem(
        number=number,
        severity="high",
        severity_label="重大",
        kind_label="预警信息",
        snippet_of="",
        action=None,
        reporter_lines=[
            f"您的预警（{number}）已提交督查督办中心督办。",
            f"您的预警（{number}）已提交区委群众工作委员会办公室（群工办）督办。",
        ],
        kind="warning",
    )
    text = digest_text([item], handler=False)
    assert "。；" not in text and text.count(number) == 1
    assert f"1. 您的预警（{number}）已提交督查督办中心督办；已提交" in text
    assert text.endswith("发送 /mine 查看详情。") and "/status" not in text
    request = DigestItem(
        number="MQ20261207-0021",
        severity="low",
        severity_label="一般",
        kind_label="群众诉求",
        snippet_of="",
        action=None,
        reporter_lines=["您反映的问题（MQ20261207-0021）已由区劳动局签收。"],
    )
    assert digest_text([request], handler=False).endswith("发送 /status 查看详情。")


def test_p12_reasons_are_words_not_sentences_filler_or_repeats() -> None:
    """定级依据 showed a whole sentence and 喝…农药 beside 喝农药; 判断依据 showed 你好,
    不敢, 天天 (trial 29 P12)."""
    from nlp.reasons import decision_words, whole_expressions

    shown = whole_expressions("另外东城幼儿园门口有流动摊贩卖三无辣条", ("好多", "门口", "卖三"))
    assert "另外东城幼儿园门口有流动摊贩卖三无辣条" not in shown and "好多" not in shown
    assert all(len(r) <= 12 for r in shown), shown
    assert whole_expressions("我不想活了，想喝农药", ("不想活", "喝…农药", "喝农药")) in (
        ("不想活", "喝农药"),
        ("不想活", "喝…农药"),
    )
    words = decision_words(["你好", "不敢", "老公", "天天", "回家", "打我", "居民", "每天晚上"])
    assert words == ["老公", "打我"]


def test_p12_ten_odd_people_are_not_ten() -> None:
    """「十几个」 at the head-count step read 约10人; the text's own parser says 十几 is 15."""
    from nlp.counts import head_count_answer

    assert head_count_answer("十几个") == head_count_answer("十几人") == 15
    assert head_count_answer("二十多个") == 20 and head_count_answer("30") == 30
