"""Dead letters on the dashboard (issue 15): the district office sees them, retries or closes.

An update the bot gave up on is counted on ``/healthz``; its sender was told "recorded,
staff will handle it". The dashboard's page must show it to the district office (masked),
and its two actions must do what they say: a retry hands it back to the bot's next replay,
a close records it handled and tells the sender.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.runtime.inbox import UpdateInbox
from config.district import District
from storage import inbox as store
from storage.db import Database
from storage.health import health_figures
from storage.models import InboundUpdate, OutboxMessage
from tests.dashkit import serve
from tests.factories import chief, make_person

PHONE = "13812345678"
SENDER = 7_301


def _text_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    person = {"id": user_id, "is_bot": False, "first_name": "赵"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user_id, "type": "private", "first_name": "赵"},
            "from": person,
            "text": text,
        },
    }


async def _dead(db: Database, inbox: UpdateInbox, payload: dict[str, Any], error: str) -> None:
    assert await inbox.accept(payload, "webhook")
    async with db.session() as s:
        await store.dead_letter(s, int(payload["update_id"]), now=inbox.clock.now(), error=error)


def _row(html: str, update_id: int) -> str:
    start = html.index(f'<td class="num">{update_id}</td>')
    return html[start : html.index("</tr>", start)]


async def test_dead_letters_are_shown_to_the_district_office_and_can_be_retried_or_closed(
    db: Database, district: District
) -> None:
    async with serve(db, district) as dash:
        inbox = UpdateInbox(db, dash.clock)
        complaint = f"我的电话{PHONE}，楼上漏水三个月没人管"
        await _dead(db, inbox, _text_update(810_001, SENDER, complaint), "OperationalError")
        await _dead(db, inbox, {"update_id": 810_002, "message": {"chat": "x"}}, "unparseable: X")

        # Not for a station chief.
        await dash.login((await chief(db, "construction")).id)
        assert (await dash.client.get("/dashboard/dead-letters")).status == 403
        assert "未处理消息" not in await (await dash.client.get("/dashboard")).text()
        dash.logout_locally()

        await dash.login((await make_person(db, "admin", "office")).id)
        response = await dash.client.get("/dashboard/dead-letters")
        html = await response.text()
        assert response.status == 200 and "系统未能处理的消息（2）" in html
        transient = _row(html, 810_001)
        assert "楼上漏水三个月没人管" in transient and PHONE not in html  # masked
        assert "Telegram ID 7301" in transient and "已告知" in transient
        assert "数据库或网络暂时故障" in transient
        poison = _row(html, 810_002)
        assert "格式无法解析" in poison and "无法告知" in poison

        # A form without the session's CSRF token changes nothing.
        refused = await dash.client.post(
            "/dashboard/dead-letters/810001", data={"action": "retry"}, allow_redirects=False
        )
        assert refused.status == 403
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert csrf is not None
        token = csrf.group(1)

        # Retry: the bot's next replay takes the update, with its attempts intact.
        retried = await dash.client.post(
            "/dashboard/dead-letters/810001",
            data={"action": "retry", "csrf_token": token},
            allow_redirects=False,
        )
        assert retried.status == 303
        replayed = await UpdateInbox(db, dash.clock).reclaim()
        assert [p["update_id"] for p in replayed] == [810_001]

        # Close: handled by hand; nothing left open, and a known sender would be told.
        await _dead(db, inbox, _text_update(810_003, SENDER, "孩子上学的事"), "OperationalError")
        closed = await dash.client.post(
            "/dashboard/dead-letters/810003",
            data={"action": "close", "csrf_token": token},
            allow_redirects=False,
        )
        assert closed.status == 303 and "close_told" in closed.headers["Location"]
        page = await (await dash.client.get(closed.headers["Location"])).text()
        assert "已标记为人工处理，并已通知发送人" in page and "系统未能处理的消息（1）" in page
        async with db.session() as s:
            told = list(
                await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == SENDER))
            )
            row = await s.get(InboundUpdate, 810_003)
            figures = await health_figures(s, dash.clock.now())
        assert len(told) == 1 and "已由工作人员人工处理" in told[0].text
        assert row is not None and row.processed_at is not None and row.payload is None
        assert figures.dead_letters == 1  # the poison one is still open

        # An update that is not an open dead letter cannot be acted on.
        again = await dash.client.post(
            "/dashboard/dead-letters/810003",
            data={"action": "retry", "csrf_token": token},
            allow_redirects=False,
        )
        assert again.status == 404
