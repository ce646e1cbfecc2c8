"""Trial 32 D25: the officer's proposal (预警研判) listed filler words and place names as the
reasons of its classification (分类依据：“物业”“业主”“街道”“东方花园”“区政府”…; 可能, 社区 in
another). Only words that set the bureau are shown; the classification itself is unchanged."""

from __future__ import annotations

from nlp import classify
from tests.botkit import BotKit
from tests.warnkit import bound_officer, proposed

PROPERTY = "和平街道东方花园物业和业主因为停车费吵架，业主扬言要去区政府上访"
LAND = "东城街道和平社区有两户人家因为宅基地吵起来了，可能要打架"
NOT_REASONS = ("街道", "东方花园", "区政府", "社区", "可能", "因为", "门口", "小区")


def _reasons(proposal: str) -> str:
    return next(line for line in proposal.splitlines() if line.startswith("分类依据"))


async def test_the_proposal_shows_only_words_that_set_the_bureau(kit: BotKit) -> None:
    officer = await bound_officer(kit, 3341)
    for text, wanted in ((PROPERTY, ("物业", "停车费")), (LAND, ("宅基地",))):
        # What the classifier itself returns still names them: only the display leaves them.
        assert any(w in classify(text).keywords for w in NOT_REASONS), text
        proposal = (await proposed(kit, officer, text)).content
        reasons = _reasons(proposal)
        for word in wanted:
            assert f"“{word}”" in reasons, proposal
        for word in NOT_REASONS:
            assert f"“{word}”" not in reasons, proposal
        await kit.say(officer, "/cancel", lambda m: "预警研判" not in m.content)
