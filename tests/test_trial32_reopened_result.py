"""Trial 32 D8: a reopened case kept showing its old 办理结果 on the dashboard and in the
CSV export (「已督促公司补发…群众已收到」 while the citizen says no money came), while the
Telegram card dropped it: the three disagreed.

Everywhere now the old words are 「上次办理结果（群众表示未解决或不满意）」 until the new
办结, and a new 办结 is 办理结果 again.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.services.cases import RequestDraft
from bot.services.cases.model import EARLIER_RESULT
from storage.models import OutboxMessage
from tests.dashkit import WAGES, Dash
from tests.factories import chief, citizen

RESULT = "已督促公司补发三个月工资共计15000元，群众已收到"
AGAIN = "已申请劳动监察立案，公司已将15000元汇入群众账户"


def _row(body: str, number: str) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    return next(r for r in rows if r["案件编号"] == number)


async def _latest_card(dash: Dash, person_id: int, number: str) -> str:
    async with dash.db.session() as s:
        rows = await s.scalars(
            select(OutboxMessage.text)
            .where(OutboxMessage.person_id == person_id, OutboxMessage.text.contains(number))
            .where(OutboxMessage.text.contains("状态："))
            .order_by(OutboxMessage.id)
        )
        cards = list(rows.all())
    assert cards
    return cards[-1]


async def test_the_old_result_is_named_as_such_everywhere(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=WAGES))
    unit = view.owning_unit_id
    boss = await chief(dash.db, unit)
    await dash.cases.acknowledge(view.id, boss.id)
    await dash.cases.resolve(view.id, boss.id, RESULT)
    await dash.cases.answer_follow_up(view.id, me.id, False, "unsatisfied", "根本没收到钱")
    number = view.number

    await dash.login(boss.id)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert f"<dt>{EARLIER_RESULT}</dt>" in page and RESULT in page, page
    assert "<dt>办理结果</dt>" not in page
    sheet = await (await dash.client.get("/dashboard/export/cases.csv")).text()
    assert _row(sheet, number)["办理结果"] == f"（{EARLIER_RESULT}）{RESULT}"
    card = await _latest_card(dash, boss.id, number)
    assert f"{EARLIER_RESULT}：{RESULT}" in card, card
    assert "\n办理结果：" not in card

    # The new round's 办结 is the 办理结果 again, on all three.
    await dash.cases.acknowledge(view.id, boss.id)
    await dash.cases.resolve(view.id, boss.id, AGAIN)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert "<dt>办理结果</dt>" in page and AGAIN in page and EARLIER_RESULT not in page
    sheet = await (await dash.client.get("/dashboard/export/cases.csv")).text()
    assert _row(sheet, number)["办理结果"] == AGAIN
    card = await _latest_card(dash, boss.id, number)
    assert f"办理结果：{AGAIN}" in card and EARLIER_RESULT not in card, card
