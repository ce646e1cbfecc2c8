"""Attacks on the webhook: a wrong or missing secret, malformed and oversized bodies, replays."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.runtime.metrics import Metrics
from bot.services.clock import FakeClock
from bot.web.core import MAX_UPDATE_BYTES, SECRET_HEADER, WebContext, add_core_routes
from storage.db import Database
from storage.models import InboundUpdate

Client = TestClient[Any, Any]
SECRET = "s3cret-token_for-tests"
HOOK = "/telegram/webhook"
T0 = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
async def hook(sqlite_url: str) -> AsyncIterator[tuple[Client, list[dict[str, Any]], Database]]:
    """The webhook route (as ServiceHost mounts it) with a recording sink."""
    db = Database(sqlite_url)
    await db.migrate()
    received: list[dict[str, Any]] = []

    async def sink(payload: dict[str, Any]) -> None:
        received.append(payload)

    ctx = WebContext(db, FakeClock(T0), Metrics(), webhook_secret=SECRET, update_sink=sink)
    app = web.Application(client_max_size=2_000_000)
    add_core_routes(app, ctx, webhook=HOOK)
    try:
        async with TestClient(TestServer(app)) as client:
            yield client, received, db
    finally:
        await db.dispose()


def _update(update_id: int = 1) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "x"},
            "text": "hi",
        },
    }


async def _processed(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(InboundUpdate)) or 0)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {SECRET_HEADER: "wrong"},
        {SECRET_HEADER: ""},
        {SECRET_HEADER: SECRET + "x"},
        {SECRET_HEADER: SECRET.upper()},
    ],
    ids=["missing", "wrong", "empty", "longer", "case"],
)
async def test_webhook_refuses_a_wrong_or_missing_secret(
    hook: tuple[Client, list[dict[str, Any]], Database], headers: dict[str, str]
) -> None:
    client, received, db = hook
    resp = await client.post(HOOK, json=_update(), headers=headers)
    assert resp.status == 403
    assert received == [] and await _processed(db) == 0


async def test_webhook_refuses_non_json_malformed_and_non_updates(
    hook: tuple[Client, list[dict[str, Any]], Database],
) -> None:
    client, received, db = hook
    ok = {SECRET_HEADER: SECRET}
    form = await client.post(HOOK, data={"update_id": "1"}, headers=ok)
    assert form.status == 415
    plain = await client.post(
        HOOK, data=json.dumps(_update()), headers={**ok, "Content-Type": "text/plain"}
    )
    assert plain.status == 415
    for body in (
        b"{",
        b"\xff\xfe",
        b"[]",
        b"null",
        b'{"update_id": "1"}',
        b'{"update_id": true}',
        b'{"message": {}}',
        b'"update_id"',
        b'{"update_id": 1.5}',
    ):
        resp = await client.post(
            HOOK, data=body, headers={**ok, "Content-Type": "application/json"}
        )
        assert resp.status == 400, body
    assert received == [] and await _processed(db) == 0


async def test_webhook_refuses_an_oversized_body(
    hook: tuple[Client, list[dict[str, Any]], Database],
) -> None:
    client, received, db = hook
    big = _update()
    big["message"]["text"] = "长" * (MAX_UPDATE_BYTES // 3 + 10)
    resp = await client.post(HOOK, json=big, headers={SECRET_HEADER: SECRET})
    assert resp.status == 413
    huge = b'{"update_id": 5, "x": "' + b"a" * 3_000_000 + b'"}'
    resp = await client.post(
        HOOK, data=huge, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    )
    assert resp.status == 413
    assert received == [] and await _processed(db) == 0


async def test_webhook_takes_a_replayed_update_id_once(
    hook: tuple[Client, list[dict[str, Any]], Database],
) -> None:
    client, received, db = hook
    for _ in range(3):
        resp = await client.post(HOOK, json=_update(42), headers={SECRET_HEADER: SECRET})
        assert resp.status == 200
    changed = _update(42)
    changed["message"]["text"] = "/start forged"
    resp = await client.post(HOOK, json=changed, headers={SECRET_HEADER: SECRET})
    assert resp.status == 200 and (await resp.json()).get("duplicate") is True
    assert len(received) == 1 and received[0]["message"]["text"] == "hi"
    assert await _processed(db) == 1
