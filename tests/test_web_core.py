"""Webhook, health and metrics over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.runtime.metrics import Metrics
from bot.services.clock import FakeClock
from bot.web.core import CONTEXT_KEY, SECRET_HEADER, WebContext, add_core_routes, webhook_path
from storage.db import Database
from storage.models import OutboxMessage, Timer
from tests.factories import suite_now

SECRET = "s3cret-token_value"


@pytest.fixture
async def web_client(
    db: Database,
) -> AsyncIterator[tuple[TestClient[Any, Any], list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    async def sink(update: dict[str, Any]) -> None:
        received.append(update)

    ctx = WebContext(
        db=db,
        clock=FakeClock(suite_now()),
        metrics=Metrics(),
        webhook_secret=SECRET,
        update_sink=sink,
    )
    app = web.Application()
    add_core_routes(app, ctx, webhook=webhook_path("123:abc"))
    async with TestClient(TestServer(app)) as client:
        yield client, received


UPDATE = {
    "update_id": 1001,
    "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "你好"},
}


async def test_webhook_good_forged_duplicate_and_not_json(
    web_client: tuple[TestClient[Any, Any], list[dict[str, Any]]],
) -> None:
    client, received = web_client
    path = webhook_path("123:abc")
    assert path != webhook_path("456:def") and "123" not in path

    forged = await client.post(path, json=UPDATE, headers={SECRET_HEADER: "guess"})
    assert forged.status == 403
    missing = await client.post(path, json=UPDATE)
    assert missing.status == 403
    assert received == []

    good = await client.post(path, json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert good.status == 200
    again = await client.post(path, json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert again.status == 200 and (await again.json())["duplicate"] is True
    assert [u["update_id"] for u in received] == [1001]

    text = await client.post(path, data="update_id=5", headers={SECRET_HEADER: SECRET})
    assert text.status == 415
    broken = await client.post(
        path, data=b"{not json", headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    )
    assert broken.status == 400
    no_id = await client.post(path, json={"message": {}}, headers={SECRET_HEADER: SECRET})
    assert no_id.status == 400
    assert len(received) == 1

    metrics = await (await client.get("/metrics")).text()
    assert 'minqing_webhook_rejected_total{reason="secret"} 2' in metrics
    assert 'minqing_webhook_rejected_total{reason="duplicate"} 1' in metrics
    assert 'minqing_updates_total{source="webhook"} 1' in metrics


async def test_healthz_reports_backlog_and_overdue_timers(
    db: Database, web_client: tuple[TestClient[Any, Any], list[dict[str, Any]]]
) -> None:
    client, _ = web_client
    body = await (await client.get("/healthz")).json()
    free = body.pop("disk_free_bytes")
    assert isinstance(free, int) and free > 0
    assert body == {
        "status": "ok",
        "database": "ok",
        "disk": "ok",
        "outbox_backlog": 0,
        "oldest_undelivered_age_seconds": None,
        "timers_overdue": 0,
        "dead_letters": 0,
        "oldest_dead_letter_age_seconds": None,
    }
    now = client.app[CONTEXT_KEY].clock.now()
    async with db.session() as s:
        s.add(OutboxMessage(chat_id=1, text="a", created_at=now - timedelta(seconds=90)))
        s.add(OutboxMessage(chat_id=2, text="b", created_at=now - timedelta(seconds=10)))
        s.add(Timer(kind="ack_due", due_at=now - timedelta(minutes=1)))
        s.add(Timer(kind="ack_due", due_at=now + timedelta(minutes=1)))
    body = await (await client.get("/healthz")).json()
    assert body["outbox_backlog"] == 2
    assert body["oldest_undelivered_age_seconds"] == pytest.approx(90, abs=1)
    assert body["timers_overdue"] == 1
    resp = await client.get("/metrics")
    metrics = await resp.text()
    assert "minqing_outbox_backlog 2" in metrics and "minqing_up 1" in metrics
    # What a Prometheus server reads: the text format's content type, and text it can parse.
    assert resp.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    families = {f.name: f for f in text_string_to_metric_families(metrics)}
    assert families["minqing_outbox_backlog"].samples[0].value == 2
    assert families["minqing_timers_overdue"].samples[0].value == 1
    assert families["minqing_update_seconds"].type == "histogram"


async def test_webhook_answers_503_until_the_bot_runs_and_keeps_nothing(db: Database) -> None:
    ctx = WebContext(db=db, clock=FakeClock(suite_now()), metrics=Metrics(), webhook_secret=SECRET)
    app = web.Application()
    add_core_routes(app, ctx, webhook=webhook_path("123:abc"))
    async with TestClient(TestServer(app)) as client:
        early = await client.post(
            webhook_path("123:abc"), json=UPDATE, headers={SECRET_HEADER: SECRET}
        )
        # Telegram keeps an update it could not deliver and tries again later.
        assert early.status == 503
    assert ctx.inbox is not None and await ctx.inbox.accept(dict(UPDATE), "webhook") is True
