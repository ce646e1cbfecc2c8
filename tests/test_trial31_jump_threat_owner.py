"""Trial 31 #5: a worker up a crane who says he will jump unless paid is the police's.

The tester's /warn and citizen report of such a threat got only 120 and went to the health
bureau (citizen) or stayed with the officer's station with no copy to the police. A jump
threat from a height to press a demand is the self-harm family's (docs/severity.md, stop 31):
110 and 119 on the line, the police own it on both paths. Wordings are our own.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import BotKit

OFFICER = 3101
POLICE = 3102
CITIZEN = 3103
CRANE = "东城工地的吊车上站着一个农民工 喊着不结清工钱就跳下来"


async def test_an_officers_crane_warning_is_the_polices(kit: BotKit) -> None:
    police = kit.user(POLICE, "于站长")
    await kit.bind(police, "police", Role.CHIEF)
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)

    await kit.say(officer, f"/warn {CRANE}", "预警已报送")
    line = next(m for m in officer.transcript() if m.from_bot and "情况紧急" in m.content)
    assert "110" in line.content and "119" in line.content
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id


async def test_a_citizens_crane_report_is_the_polices(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(CRANE)
    await kit.answer(citizen, action, "110")
    await kit.handled(action)
    (case,) = await kit.cases()
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    line = next(m for m in citizen.transcript() if m.from_bot and "情况紧急" in m.content)
    assert "119" in line.content
