"""The citizen web form over real HTTP in tests: an aiohttp test server on a case service.

:func:`form_site` serves the form's routes of a :class:`CaseService` (with the test's
classifier and clock); :func:`form_token` reads a fresh form's CSRF token,
:func:`file_form` fills and posts one, :func:`case_number` reads the number the
receipt page shows.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from storage.db import Database
from storage.models import Case

Client = TestClient[Any, Any]
PHONE = "13912345678"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    """The test server's client and the service, clock and database behind it."""

    client: Client
    service: CaseService
    clock: FakeClock
    db: Database

    async def cases(self) -> list[Case]:
        """Every case, oldest first."""
        async with self.db.session() as s:
            return list((await s.scalars(select(Case).order_by(Case.id))).all())


@contextlib.asynccontextmanager
async def form_site(
    service: CaseService, clock: FakeClock, context: CitizenFormContext | None = None
) -> AsyncIterator[Site]:
    """The form's routes served over HTTP (``context``: one prepared from ``service``)."""
    app = web.Application()
    add_citizen_form_routes(app, context or CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as client:
        yield Site(client, service, clock, service.db)


async def form_token(client: Client) -> str:
    """The CSRF token of a fresh form (``GET /report``; its cookie stays with the client)."""
    resp = await client.get("/report")
    assert resp.status == 200
    match = TOKEN_RE.search(await resp.text())
    assert match is not None
    return match.group(1)


async def file_form(site: Site, **fields: str) -> tuple[int, str]:
    """Fill a fresh form with ``fields`` and post it: the status and the page."""
    token = await form_token(site.client)
    resp = await site.client.post("/report", data={"csrf_token": token, **fields})
    return resp.status, await resp.text()


def case_number(page: str) -> str:
    """The case number a receipt page shows."""
    match = re.search(r"<strong>(MQ\d{8}-\d{4,})</strong>", page)
    assert match is not None, page
    return match.group(1)
