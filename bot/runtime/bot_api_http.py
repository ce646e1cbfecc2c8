"""The bot's HTTP transport to the Bot API: aiohttp, one JSON object per request.

python-telegram-bot talks to the Bot API through :class:`~telegram.request.HTTPXRequest`
(httpx over httpcore over anyio). Per request that stack runs several layers of
Python — request and URL objects, cookie jars, anyio cancel scopes and typed
attributes, h11's state machine — and a reply cost about as much CPU as everything
else minqing does for a citizen's description. :class:`AiohttpRequest` is PTB's own
extension point for another client (:class:`~telegram.request.BaseRequest`), on the
aiohttp that the service already runs its web server on.

What goes over the wire: a request without files is one JSON object
(``application/json``, which the Bot API takes for every method; only uploads need
``multipart/form-data``), encoded by the C encoder in one call, UTF-8 as it is. The
parameters are PTB's own (``RequestData.parameters``: numbers stay numbers, a keyboard
is its dictionary), so Telegram reads the same request as the form PTB would send
(each parameter JSON-encoded, ``\\uXXXX`` for a Chinese character, then the whole
form percent-encoded one byte at a time in Python). A request with files (photos the
delivery worker forwards) goes through PTB's own :class:`HTTPXRequest`, unchanged.

Errors are PTB's, as :class:`HTTPXRequest` raises them: a timeout is
:class:`~telegram.error.TimedOut`, any other transport failure
:class:`~telegram.error.NetworkError`; an HTTP status is judged by PTB itself
(:meth:`BaseRequest.post` turns 4xx/5xx into ``BadRequest``, ``RetryAfter`` …).
"""

from __future__ import annotations

import contextlib
import json
import weakref

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_JSON_HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT, "Content-Type": "application/json"}
_PLAIN_HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """A :class:`BaseRequest` on an :class:`aiohttp.ClientSession` (uploads: httpx).

    Args:
        connection_pool_size: Connections kept to the Bot API at most.
        read_timeout: Seconds to wait for the answer (PTB's default when a method
            gives none).
        write_timeout: Used for uploads only (aiohttp has no separate write timeout;
            a request's whole exchange is bounded by ``read_timeout`` per read).
        connect_timeout: Seconds to open a connection.
        pool_timeout: Seconds to wait for a free connection of the pool.
    """

    def __init__(
        self,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._uploads = HTTPXRequest(
            connection_pool_size=connection_pool_size,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (see :attr:`BaseRequest.read_timeout`)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (and the uploads' client)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                # PTB reads the status itself; cookies mean nothing to the Bot API.
                cookie_jar=aiohttp.DummyCookieJar(),
                raise_for_status=False,
            )
            # PTB does not shut down a bot whose initialize failed (getMe refused): httpx's
            # client lets go silently, aiohttp's session would print "Unclosed client
            # session" after the service's own last word. When the session is collected, its
            # connections are closed first (no event loop needed), so it goes quietly too.
            weakref.finalize(self._session, _close_quietly, self._session.connector)
        await self._uploads.initialize()

    async def shutdown(self) -> None:
        """Close the session (and the uploads' client)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        await self._uploads.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`BaseRequest.do_request`."""
        if request_data is not None and request_data.contains_files:
            return await self._uploads.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's "connect" is waiting for a pooled connection plus opening one.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=_given(read_timeout, self._read_timeout),
        )
        if request_data is None or not request_data.parameters:
            body, headers = None, _PLAIN_HEADERS
        else:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
            headers = _JSON_HEADERS
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # As HTTPXRequest words it: the class name, for an error with an empty message.
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """A timeout as given, or this request's own when the caller left it at PTB's default."""
    return default if isinstance(value, DefaultValue) else value


def _close_quietly(connector: aiohttp.BaseConnector | None) -> None:
    """Close a session's connections without a loop (the session is being collected)."""
    if connector is not None and not connector.closed:
        with contextlib.suppress(Exception):
            connector._close()  # the synchronous part of close(): no task on a closed loop
