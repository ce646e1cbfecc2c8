"""A dashboard served over real HTTP for tests: :class:`Dash` and :func:`serve`.

The ``dash`` fixture (``tests/conftest.py``) serves the dashboard on the suite's
database; :func:`serve` does it for a given service and clock.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.runtime.assembly import Runtime, open_runtime
from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import FakeClock
from bot.web.auth import create_login_link
from bot.web.dashboard import add_dashboard_routes
from config.district import District
from config.settings import load_settings
from storage.db import Database
from tests.factories import START, citizen, make_service

LAMP = "小区路灯坏了一个月"
WAGES = "单位拖欠工资三个月"


@dataclass
class Dash:
    """A dashboard app on a real port, its runtime and a fake clock."""

    client: TestClient[web.Request, web.Application]
    runtime: Runtime
    db: Database
    district: District
    clock: FakeClock

    @property
    def cases(self) -> CaseService:
        return self.runtime.cases

    async def link(self, person_id: int) -> str:
        """A login link's path and query."""
        url = await create_login_link(
            self.db, person_id, "http://dash.example", now=self.clock.now()
        )
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    async def login(self, person_id: int) -> None:
        """Log the client in as ``person_id``."""
        response = await self.client.get(await self.link(person_id), allow_redirects=False)
        assert response.status == 303, await response.text()

    def logout_locally(self) -> None:
        self.client.session.cookie_jar.clear()

    async def csrf(self, path: str = "/dashboard") -> str:
        """The CSRF token of the current session (read from a page)."""
        html = await (await self.client.get(path)).text()
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match, html[:500]
        return match.group(1)

    async def file(self, text: str = LAMP, **kw: object) -> int:
        me = await citizen(self.db)
        view = await self.cases.file_request(me.id, RequestDraft(text=text, **kw))  # type: ignore[arg-type]
        return view.id


@contextlib.asynccontextmanager
async def serve(
    db: Database,
    district: District,
    *,
    public_url: str = "http://127.0.0.1",
    service: CaseService | None = None,
) -> AsyncIterator[Dash]:
    clock = service.clock if service is not None else FakeClock(START)
    assert isinstance(clock, FakeClock)
    runtime = await open_runtime(load_settings({}), clock=clock, district=district, db=db)
    runtime.cases = service or make_service(db, district, clock)
    app = web.Application()
    add_dashboard_routes(app, runtime, public_url=public_url)
    async with TestClient(TestServer(app)) as client:
        yield Dash(client, runtime, db, district, clock)
    await runtime.close()
