"""Trial 32 D21: danger typed as a 补充说明 on a routine case.

A citizen whose barking-dog case was open pressed 补充说明 and wrote 邻居现在拿着菜刀在我家门口
砸门，说要砍死我. The first answer was 「补充说明已加入…已通知承办单位（区建设局…）」, the 110 line
only after it, and the housing bureau got the knife threat as a plain 【群众补充说明】 on the
dog case. Now the emergency line comes first and no routine receipt follows; the critical
case is filed for the police; the dog case keeps the words as a note that says they were
handled as an emergency of their own.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.emergencykit import calls, tells_to_call
from tests.test_trial_defects import file_request

CITIZEN = 3241
OWNER = 3242
DOG = "邻居家的狗每天半夜一直叫，吵得我们整晚睡不着，跟他说了也不管"
KNIFE_AT_DOOR = "邻居现在拿着菜刀在我家门口砸门，说要砍死我"


async def test_danger_typed_as_a_note_gets_the_line_first_and_no_routine_receipt(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "赵先生")
    dog = await file_request(kit, citizen, DOG)
    assert dog.severity != "critical" and dog.owning_unit_id is not None
    owner = kit.user(OWNER, "站长")
    await kit.bind(owner, dog.owning_unit_id, Role.CHIEF)
    number = dog.number or ""
    status = await kit.say(citizen, "/status", lambda m: number in m.content and bool(m.buttons))
    label = next(b["text"] for b in status.buttons if b["text"].startswith("补充说明"))
    await kit.press(citizen, status, label, "补充")
    action = citizen.send_text(KNIFE_AT_DOOR)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.delivered()
    transcript = citizen.transcript()
    sent = max(i for i, m in enumerate(transcript) if not m.from_bot)
    answers = [m.content for m in transcript[sent + 1 :]]
    first = next(i for i, t in enumerate(answers) if tells_to_call(t, "110"))
    assert first == 0, answers
    assert not any("补充说明已加入" in t for t in answers), answers

    critical = [c for c in await kit.cases() if c.severity == "critical"]
    assert len(critical) == 1 and KNIFE_AT_DOOR in critical[0].original_text
    assert critical[0].owning_unit_id == kit.district.bureaus["police"].station_id
    # The dog case's unit reads the words as handled elsewhere, not as a routine 补充.
    note = await owner.wait_for_message(lambda m: number in m.content and "补充" in m.content, WAIT)
    assert "已另行紧急处置" in note.content and "紧急案件" in note.content
    assert "note_added" in await kit.events(dog.id)
