"""Trial defect D3: a case holding two unrelated matters is split in the bot (/split).

「楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账」 was one case at the labour
station; the lamp was lost or bounced by 退单. Now the owning station (or the desk)
types ``/split MQ… 楼道灯坏了一个月没人修``: the lamp becomes a new case of the same
citizen, classified on its own words, with its own deadlines from the service's clock;
the citizen reads both numbers; both cases record the link. A station that does not own
the case, a citizen, and a number that names no case are refused and nothing is filed.
"""

from __future__ import annotations

from datetime import timedelta

from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import file_request

TWO = "楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账"
LAMP = "楼道灯坏了一个月没人修"
THREAT = "楼道灯坏了一个月没人修，另外隔壁邻居说今晚要拿刀砍死我"
PROTEST = "我们二十多户业主商量好了明天一起去市政府门口拉横幅，另外楼道灯坏了一个月没人修"


async def test_the_owning_station_splits_and_the_citizen_reads_both_numbers(kit: BotKit) -> None:
    chief = kit.user(3301, "劳动站王站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    desk = kit.user(3302, "分派台小李")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(3303, "群众")
    original = await file_request(kit, citizen, TWO)
    assert original.owning_unit_id == "labor"
    number = original.number or ""
    await kit.delivered()

    kit.clock.advance(timedelta(hours=2))
    done = await kit.answer(chief, chief.send_text(f"/split {number} {LAMP}"), "已拆分")
    cases = await kit.cases()
    assert len(cases) == 2
    new = cases[-1]
    new_number = new.number or ""
    assert number in done.content and new_number in done.content, done.content
    # The lamp is classified on its own words (unsure: the desk dispatches it), its own
    # deadline counted from the split, by the service's clock.
    assert new.original_text == LAMP
    assert new.reporter_id == original.reporter_id
    assert new.owning_unit_id == kit.district.dispatcher
    assert new.created_at is not None and new.ack_due_at is not None
    assert new.created_at.replace(tzinfo=None) == kit.clock.now().replace(tzinfo=None)
    assert new.ack_due_at > new.created_at
    # The original keeps its matter, unit and deadlines.
    # The original keeps its matter, marked where the other went (trial 34 #19).
    kept = await kit.case(original.id)
    assert kept.owning_unit_id == "labor"
    assert kept.original_text == f"我爸的养老金这个月没到账（另一件事已拆分为 {new_number}）"
    assert kept.resolve_due_at == original.resolve_due_at
    assert (await kit.events(original.id))[-1] == "split"
    assert await kit.events(new.id) == ["registered", "split_from"]
    assert (await kit.registered(new.id))["split_from"]["from_number"] == number

    await kit.delivered()
    told = await citizen.wait_for_message(lambda m: "分开登记" in m.content, WAIT)
    assert number in told.content and new_number in told.content, told.content
    assert "养老金" in told.content and LAMP in told.content
    # The desk gets the new case's card with its 派至 buttons, and reads where it came from.
    await desk.wait_for_message(lambda m: new_number in m.content and bool(m.buttons), WAIT)
    arrived = await desk.wait_for_message(lambda m: m.content.startswith("【拆分登记】"), WAIT)
    assert number in arrived.content

    # The citizen's /status shows both, each with its link.
    status = await kit.answer(citizen, citizen.send_text("/status"), new_number)
    assert number in status.content


async def test_a_foreign_station_a_citizen_and_a_wrong_number_are_refused(kit: BotKit) -> None:
    labor = kit.user(3311, "劳动站")
    await kit.bind(labor, "labor", Role.CHIEF)
    other = kit.user(3312, "建设站张站长")
    await kit.bind(other, "construction", Role.CHIEF)
    citizen = kit.user(3313, "群众")
    original = await file_request(kit, citizen, TWO)
    number = original.number or ""
    before = await kit.counts()

    # A station that may not see the case learns neither that it exists nor who has it.
    refused = await kit.answer(other, other.send_text(f"/split {number} {LAMP}"), number)
    assert "不由您所在单位承办" in refused.content, refused.content
    assert "劳动" not in refused.content
    said = await kit.answer(citizen, citizen.send_text(f"/split {number} {LAMP}"), "只有")
    assert "拆分" in said.content
    missing = "MQ20261207-9999"
    nothing = await kit.answer(labor, labor.send_text(f"/split {missing} {LAMP}"), missing)
    assert "没有找到" in nothing.content
    usage = await kit.answer(labor, labor.send_text(f"/split {number}"), "另一件事")
    assert "用法" in usage.content
    whole = await kit.answer(labor, labor.send_text(f"/split {number} {TWO}"), "整条")
    assert "另一件事" in whole.content
    assert await kit.counts() == before

    # The owner splits once; the same words again are refused, naming the new case.
    await kit.answer(labor, labor.send_text(f"/split {number} {LAMP}"), "已拆分")
    new_number = (await kit.cases())[-1].number or ""
    again = await kit.answer(labor, labor.send_text(f"/split {number} {LAMP}"), "无需重复")
    assert new_number in again.content
    assert len(await kit.cases()) == 2


async def test_a_split_never_lowers_the_danger(kit: BotKit) -> None:
    """重大 original (a planned protest): the part that holds the danger, rewritten by the
    desk, is never filed below 重大; a part without it keeps its own level."""
    desk = kit.user(3321, "分派台主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    owner = kit.user(3323, "建设站站长")
    await kit.bind(owner, "construction", Role.CHIEF)
    citizen = kit.user(3322, "群众")
    original = await file_request(kit, citizen, PROTEST)
    assert original.severity == "high" and original.owning_unit_id == "construction"
    number = original.number or ""

    # The lamp: its own level (the protest stays with the original, which stays 重大).
    await kit.answer(desk, desk.send_text(f"/split {number} {LAMP}"), "已拆分")
    lamp = (await kit.cases())[-1]
    assert lamp.severity in ("low", "medium")
    assert (await kit.case(original.id)).severity == "high"
    # The owning station reads that the desk split its case, and that its own goes on.
    await kit.delivered()
    told = await owner.wait_for_message(lambda m: m.content.startswith("【拆分】"), WAIT)
    assert number in told.content and (lamp.number or "?") in told.content
    assert "分派台主任" in told.content and "时限不变" in told.content

    # The protest retold in the desk's words: the citizen's own words, which the original
    # keeps, hold the danger and stay 重大; the part takes its own level (trial 34 #3).
    rewritten = "业主明天去市政府门口"
    done = await kit.answer(desk, desk.send_text(f"/split {number} {rewritten}"), "已拆分")
    part = (await kit.cases())[-1]
    assert part.severity in ("low", "medium"), done.content
    assert "不低于原等级" not in done.content
    assert "own_level" not in await kit.registered(part.id)
    assert (await kit.case(original.id)).severity == "high"


async def test_a_split_of_danger_now_keeps_it_critical(kit: BotKit) -> None:
    """特别重大 (danger now, filed at once): the lamp split out takes its own level; the
    threat told again in other words by the desk takes its own level too, as the
    original keeps the citizen's words and stays 特别重大 (trial 34 #3)."""
    desk = kit.user(3341, "分派台值班员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(3342, "群众")
    await kit.say(citizen, THREAT, "110")
    original = (await kit.cases())[-1]
    assert original.severity == "critical"
    number = original.number or ""

    await kit.answer(desk, desk.send_text(f"/split {number} {LAMP}"), "已拆分")
    lamp = (await kit.cases())[-1]
    assert lamp.severity in ("low", "medium") and lamp.original_text == LAMP
    kept = await kit.case(original.id)
    assert kept.severity == "critical" and kept.owning_unit_id == original.owning_unit_id

    await kit.answer(desk, desk.send_text(f"/split {number} 邻居说要找我麻烦"), "已拆分")
    part = (await kit.cases())[-1]
    assert part.severity != "critical"
    assert "own_level" not in await kit.registered(part.id)
    kept = await kit.case(original.id)
    assert kept.severity == "critical" and "拿刀砍死我" in kept.original_text
