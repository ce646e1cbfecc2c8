"""Review 32 S7: one rule, in the service, decides where a 补充说明's danger goes.

The service kept danger now on a critical or self-harm writer's case as 【紧急补充】; the
handler filed a new emergency for any case not critical. A self-harm writer's case at
a lower level therefore got both (two alerts, two cases), and a routine case's unit read
「已另行登记为紧急案件」 when the handler's re-read had joined the danger to the citizen's
open emergency. Now the service decides (in the case / joined to the open emergency /
filed apart), and the handler renders only that answer.
"""

from __future__ import annotations

from sqlalchemy import update

from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit
from tests.emergencykit import tells_to_call
from tests.test_trial_defects import file_request

CITIZEN = 3321
OWNER = 3322
DOG = "邻居家的狗每天半夜一直叫，吵得我们整晚睡不着，跟他说了也不管"
FIRE = "楼道里着火了，火很大，烟很浓"
FIRE_AGAIN = "火越来越大了，已经烧到三楼了"
SELF_HARM = "我不想活了，刚吃了一整瓶安眠药"
ON_THE_ROOF = "我现在站在楼顶边缘了，马上跳下去"


async def _note(kit: BotKit, citizen_id: int, number: str, text: str) -> list[str]:
    """The citizen presses 补充说明 on ``number`` and sends ``text``; what the bot said."""
    citizen = kit.fake.user(citizen_id, "")
    tail = number.rsplit("-", 1)[-1]
    status = await kit.say(
        citizen,
        "/status",
        lambda m: any(b["text"] == f"补充说明 {tail}" for b in m.buttons),
    )
    label = f"补充说明 {tail}"
    await kit.press(citizen, status, label, "补充")
    action = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: tells_to_call(m.content), WAIT, since=action)
    await kit.delivered()
    return [
        m.content
        for m in citizen.transcript()
        if m.from_bot and m.message_id > (action.message_id or 0)
    ]


async def test_danger_on_a_routine_case_joins_the_open_emergency_and_the_unit_is_told_so(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "赵先生")
    dog = await file_request(kit, citizen, DOG)
    assert dog.owning_unit_id is not None
    owner = kit.user(OWNER, "站长")
    await kit.bind(owner, dog.owning_unit_id, Role.CHIEF)
    await kit.say(citizen, FIRE, "所在的地点")
    await kit.say(citizen, "跳过", lambda m: True)
    fire = (await kit.cases())[-1]
    assert fire.severity == "critical" and fire.id != dog.id
    await _note(kit, CITIZEN, dog.number or "", FIRE_AGAIN)
    cases = await kit.cases()
    assert len(cases) == 2, [(c.number, c.original_text) for c in cases]  # nothing filed twice
    assert "note_added" in await kit.events(fire.id)  # 【紧急补充】 on the open fire
    assert "note_added" in await kit.events(dog.id)
    note = await owner.wait_for_message(
        lambda m: (dog.number or "") in m.content and "补充" in m.content, WAIT
    )
    assert "已补充至其正在处置的紧急案件" in note.content and (fire.number or "") in note.content
    assert "已另行登记" not in note.content


async def test_danger_on_a_routine_case_with_no_open_emergency_is_filed_once(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "赵先生")
    dog = await file_request(kit, citizen, DOG)
    owner = kit.user(OWNER, "站长")
    assert dog.owning_unit_id is not None
    await kit.bind(owner, dog.owning_unit_id, Role.CHIEF)
    said = await _note(kit, CITIZEN, dog.number or "", FIRE)
    assert tells_to_call(said[0], "119"), said  # the line first
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical" and FIRE in cases[-1].original_text
    receipt = next(t for t in said if "已登记" in t)
    assert (cases[-1].number or "") in receipt and said.index(receipt) > 0
    note = await owner.wait_for_message(
        lambda m: (dog.number or "") in m.content and "补充" in m.content, WAIT
    )
    assert "已另行登记为紧急案件" in note.content and (cases[-1].number or "") in note.content


async def test_a_self_harm_writers_case_below_critical_takes_the_danger_itself(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, SELF_HARM, "地点")
    (case,) = await kit.cases()
    # The level lowered after filing (较大): still a self-harm writer's case.
    async with kit.db.session() as s:
        await s.execute(update(Case).where(Case.id == case.id).values(severity="high"))
    await kit.say(citizen, "/cancel", lambda m: True)
    before = len(await kit.events(case.id))
    await _note(kit, CITIZEN, case.number or "", ON_THE_ROOF)
    cases = await kit.cases()
    assert len(cases) == 1, [(c.number, c.original_text) for c in cases]  # no second case
    events = await kit.events(case.id)
    assert events[before:].count("note_added") == 1
