"""The Open311 API over real HTTP in tests: an aiohttp test server on a case service.

:func:`open311_api` serves the GeoReport v2 routes of a :class:`CaseService` (with the
test's classifier and clock) and issues one API key; :class:`Open311Api` posts and
reads with that key and looks up what was filed.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.api_keys import create_api_key
from bot.web.open311 import Open311Context, add_open311_routes
from bot.web.open311_requests import DEFAULT_PUBLIC_URL
from storage.db import Database
from storage.models import Case

Client = TestClient[Any, Any]
#: Where requests are posted (and listed, with ``?api_key=``).
URL = "/open311/v2/requests.json"


@dataclass
class Open311Api:
    """The test server's client, the service behind it and a valid API key."""

    client: Client
    service: CaseService
    clock: FakeClock
    key: str

    @property
    def db(self) -> Database:
        """The service's database."""
        return self.service.db

    async def read(self, path: str) -> ClientResponse:
        """GET a requests path with this API key added to its query."""
        joiner = "&" if "?" in path else "?"
        return await self.client.get(f"{path}{joiner}api_key={self.key}")

    async def file(self, **fields: str) -> str:
        """POST a request with this API key; it must be filed (201). Its number."""
        resp = await self.client.post(URL, data={"api_key": self.key, **fields})
        body = await resp.json()
        assert resp.status == 201, body
        return str(body[0]["service_request_id"])

    async def public_views(self, number: str) -> tuple[dict[str, Any], list[str]]:
        """Request ``number``'s record in the JSON list, and its text as each public view
        shows it: the JSON list, the single request and the XML list (the whole XML)."""
        listing = await self.read(URL)
        [record] = [r for r in await listing.json() if r["service_request_id"] == number]
        one = await (await self.read(f"/open311/v2/requests/{number}.json")).json()
        xml = await (await self.read("/open311/v2/requests.xml")).text()
        return record, [record["description"], one[0]["description"], xml]

    async def case(self, number: str) -> Case:
        """The case filed as ``number``."""
        async with self.db.session() as s:
            case = await s.scalar(select(Case).where(Case.number == number))
            assert case is not None
            return case

    async def case_count(self) -> int:
        """How many cases there are."""
        async with self.db.session() as s:
            return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


@contextlib.asynccontextmanager
async def open311_api(
    service: CaseService, clock: FakeClock, *, public_url: str = DEFAULT_PUBLIC_URL
) -> AsyncIterator[Open311Api]:
    """The Open311 routes of ``service`` served over HTTP, with a key for 城市服务App."""
    app = web.Application()
    add_open311_routes(app, Open311Context.from_service(service, public_url=public_url))
    key = await create_api_key(service.db, "城市服务App")
    async with TestClient(TestServer(app)) as client:
        yield Open311Api(client, service, clock, key)
