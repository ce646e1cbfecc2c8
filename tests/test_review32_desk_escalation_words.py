"""Review of stop 32, S9: a routine case still at the dispatcher desk is 重新分派中 /
being assigned to its reporter (trial 32 D26); the desk's missed 派单时限 escalates it
to the supervision centre, which is the units' business — the reporter is not pushed
「已提交督查督办中心督办」 for it. A critical case's reporter is still told (the unsigned
line of pf30)."""

from __future__ import annotations

from tests.botkit import BotKit
from tests.test_trial_defects import JUNK_TEXT, file_request
from tests.trial32kit import run_timers_until


async def test_a_desk_escalation_is_not_pushed_to_the_citizen(kit: BotKit) -> None:
    me = kit.user(3291, "赵大爷")
    case = await file_request(kit, me, JUNK_TEXT)
    assert case.owning_unit_id == kit.district.dispatcher
    before = len(me.transcript())
    cases = await run_timers_until(kit, [case.id], lambda cs: cs[0].escalation_level >= 1)
    assert cases[0].escalation_level >= 1 and cases[0].owning_unit_id == kit.district.dispatcher
    after = [m.content for m in me.transcript()[before:] if m.from_bot]
    assert not any("督办" in text for text in after), after
