"""Trial 33 D13: a burst of short messages was not merged into one problem.

喂 / 有人吗 / 我们楼道里堆满了杂物 / 消防通道都堵死了 / 物业不管 / 你们管不管啊 / 😡😡😡 /
快点回复 / 人呢, sent within a second, gave greeting menus, three proposals and
「好的，记下了」. Messages written before the citizen could see the bot's answer (a lower
message id than the answer's in the private chat) are one telling: the fragments join
one draft whose proposal is edited in place; small talk in the burst gets no menu of its
own. A message written after the proposal was seen is read as usual.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit

CITIZEN = 3361
BURST = [
    "喂",
    "有人吗",
    "我们楼道里堆满了杂物",
    "消防通道都堵死了",
    "物业不管",
    "你们管不管啊",
    "😡😡😡",
    "快点回复",
    "人呢",
]


async def test_a_burst_is_one_problem(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小赵")
    sent = [citizen.send_text(text) for text in BURST]
    # What the citizen sees once the bot is done with the whole burst: the proposal
    # edited in place is read after its last edit, not when an early fragment shows.
    await kit.handled(sent[-1])
    await kit.delivered()
    replies = [m for m in citizen.transcript() if m.from_bot]
    proposals = [m for m in replies if "提交" in [b["text"] for b in m.buttons]]
    assert len(proposals) == 1, [m.content for m in replies]
    (proposal,) = proposals
    for fragment in ("我们楼道里堆满了杂物", "消防通道都堵死了", "物业不管", "你们管不管啊"):
        assert fragment in proposal.content
    # One answer to the greetings at most, no 「好的，记下了」 for a fragment.
    assert len(replies) <= 2, [(m.message_id, m.content[:40]) for m in replies]
    assert not any("记下了" in m.content for m in replies)

    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    for fragment in ("我们楼道里堆满了杂物", "消防通道都堵死了", "物业不管", "你们管不管啊"):
        assert fragment in case.original_text


async def test_a_message_after_the_proposal_was_seen_is_read_as_usual(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小赵")
    await kit.say(citizen, "公司拖欠我三个月工资不发，老板一直找借口", lambda m: bool(m.buttons))
    # Seen, then a different matter: a proposal of its own, the first kept.
    second = await kit.say(
        citizen, "小区门口的路灯坏了一个星期了", lambda m: "提交" in str(m.buttons)
    )
    assert "工资" not in second.content.split("\n\n")[0]
    await citizen.wait_for_message(lambda m: "还没有提交" in m.content, WAIT)
