"""The HTTP server's protection against slow and idle clients.

aiohttp by default keeps a connection that never finishes its request headers for an
hour and accepts connections until the process runs out of file descriptors; a few
hundred half-open sockets then leave no descriptor for /healthz or the webhook (issue
15, break 6). :func:`start_site` starts the server with:

* a **header timeout**: a connection that has not completed a request within
  :data:`HEADER_TIMEOUT` seconds is closed (aiohttp's keep-alive timer, which also
  runs from the moment a connection is accepted, so it doubles as the idle limit
  between requests);
* a **body timeout**: :func:`body_deadline_middleware` reads a request body within
  :data:`BODY_TIMEOUT` seconds or answers 408;
* a **connection cap**: past :func:`connection_cap` open connections, each new one
  closes the oldest connection that has no request in progress (a half-open header
  or an idle keep-alive), so descriptors stay free and a new /healthz gets through.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)

#: Seconds a connection may take to send a complete request head (and stay idle after).
HEADER_TIMEOUT = 15.0
#: Seconds a request body may take to arrive.
BODY_TIMEOUT = 30.0
#: Seconds a multipart request (read while handled) may take altogether.
MULTIPART_TIMEOUT = 60.0
#: Largest request body (the citizen form with a photo is the largest).
CLIENT_MAX_SIZE = 2_000_000
#: Descriptors kept back for the database, log files and outgoing Bot API calls.
RESERVED_DESCRIPTORS = 64
#: Pending connections the kernel queues for accept().
BACKLOG = 256

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def connection_cap(soft_limit: int | None = None) -> int:
    """Open connections allowed: half the descriptor limit, keeping some in reserve."""
    if soft_limit is None:
        soft_limit, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft_limit == resource.RLIM_INFINITY or soft_limit <= 0:
        soft_limit = 65536
    return max(16, min(soft_limit // 2, soft_limit - RESERVED_DESCRIPTORS))


class ConnectionGuard:
    """Tracks requests in progress and closes the oldest idle connections past the cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.evicted = 0
        # Connections whose request is being handled (removed when it ends).
        self._busy: set[object] = set()

    @web.middleware
    async def middleware(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """Mark the connection busy while its request runs; bound the body's arrival."""
        protocol = request.protocol
        self._busy.add(protocol)
        try:
            return await _with_body_deadline(request, handler)
        finally:
            self._busy.discard(protocol)

    def install(self, server: web.Server) -> None:
        """Hook the server so that every accepted connection enforces the cap."""
        admit = server.connection_made

        def connection_made(handler: RequestHandler, transport: asyncio.Transport) -> None:
            admit(handler, transport)
            self._evict(server, handler)

        # Server.connection_made is the one place aiohttp reports new connections.
        setattr(server, "connection_made", connection_made)  # noqa: B010

    def _evict(self, server: web.Server, newest: RequestHandler) -> None:
        excess = len(server.connections) - self.cap
        if excess <= 0:
            return
        for handler in server.connections:  # oldest first
            if excess <= 0:
                break
            if handler is newest or handler in self._busy:
                continue
            handler.force_close()
            self.evicted += 1
            excess -= 1
        if self.evicted and self.evicted % 100 == 1:
            log.warning(
                "connection cap %d reached: closed %d idle connections so far",
                self.cap,
                self.evicted,
            )


async def _with_body_deadline(request: web.Request, handler: _Handler) -> web.StreamResponse:
    if not request.body_exists:
        return await handler(request)
    if request.content_type.startswith("multipart/"):
        try:
            async with asyncio.timeout(MULTIPART_TIMEOUT):
                return await handler(request)
        except TimeoutError:
            return web.Response(status=408, text="请求超时，请重新提交。")
    try:
        async with asyncio.timeout(BODY_TIMEOUT):
            await request.read()  # cached: the handler's read()/post() reuse it
    except TimeoutError:
        return web.Response(status=408, text="请求超时，请重新提交。")
    return await handler(request)


def new_application(guard: ConnectionGuard) -> web.Application:
    """The service's aiohttp application, with the guard's middleware and the body limit."""
    return web.Application(client_max_size=CLIENT_MAX_SIZE, middlewares=[guard.middleware])


async def start_site(
    app: web.Application, guard: ConnectionGuard, host: str, port: int
) -> web.AppRunner:
    """Start serving ``app`` on ``host:port`` with the timeouts and the connection cap."""
    runner = web.AppRunner(
        app,
        access_log=None,
        keepalive_timeout=HEADER_TIMEOUT,
        lingering_time=2.0,
        shutdown_timeout=5.0,
    )
    await runner.setup()
    assert runner.server is not None
    guard.install(runner.server)
    site = web.TCPSite(runner, host, port, backlog=BACKLOG)
    await site.start()
    return runner
