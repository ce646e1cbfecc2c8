"""The classify bench measures citizens' wording, not one sentence repeated."""

from __future__ import annotations

from bot.cli.nlp_bench import bench_messages


def test_the_classify_bench_draws_its_messages_from_the_hand_set() -> None:
    messages = bench_messages(200)
    assert len(messages) == 200
    assert all(len(m) == 300 for m in messages)
    # Built from the hand set; the fallback sentence alone gives one start.
    assert len({m[:40] for m in messages}) > 30
