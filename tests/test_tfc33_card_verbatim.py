"""Trial 33 D17: markup was stripped from the text stations see.

``<b>物业</b>乱收费 … <script>alert(1)</script>`` reached the 区建设局 card as
「物业乱收费 … alert(1)」. The station now sees exactly what the citizen wrote; cards go
as plain text (no parse mode), so the tags are shown, never read as markup.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import BotKit
from tests.test_trial_defects import card_of, file_request

CITIZEN = 3371
CHIEF = 3372
TEXT = "<b>物业</b>乱收费，每个月多收停车费50元，业主都不同意 <script>alert(1)</script>"


async def test_the_station_sees_the_citizens_words_verbatim(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "周站长")
    await kit.bind(chief, "construction", Role.CHIEF)
    citizen = kit.user(CITIZEN, "陈先生")
    case = await file_request(kit, citizen, TEXT)
    assert case.original_text == TEXT
    card = await card_of(chief, case)
    assert f"内容：{TEXT}" in card.content
    # Shown as text: no entity was made of the tags.
    assert not card.entities
