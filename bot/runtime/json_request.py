"""Bot API requests with a JSON body: what every reply the bot sends goes out as.

python-telegram-bot's :class:`~telegram.request.HTTPXRequest` sends a request without
files as ``application/x-www-form-urlencoded``: each parameter JSON-encoded on its
own (``ensure_ascii``, so a Chinese character becomes ``\\uXXXX``), then the whole form
percent-encoded by :func:`urllib.parse.urlencode`, which quotes a non-ASCII text in
Python one byte at a time. A proposal (a few hundred Chinese characters and its
keyboard) spent more CPU in that quoting than in building the message. The Bot API
takes the same parameters as one JSON object (``application/json``; only uploads
need ``multipart/form-data``), encoded here by the C encoder in one call, UTF-8 as
it is. The parameters are the same objects either way (``RequestData.parameters``:
numbers stay numbers, a keyboard is its dictionary), so Telegram reads the same
request. Uploads go through PTB's own code, unchanged.
"""

from __future__ import annotations

import json

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class JsonHTTPXRequest(HTTPXRequest):
    """:class:`HTTPXRequest` that sends requests without files as one JSON object."""

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
        """See :meth:`BaseRequest.do_request`; uploads are left to :class:`HTTPXRequest`."""
        if request_data is None or request_data.contains_files or self._client.is_closed:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        client = self._client
        defaults = client.timeout
        timeout = httpx.Timeout(
            connect=_given(connect_timeout, defaults.connect),
            read=_given(read_timeout, defaults.read),
            write=_given(write_timeout, defaults.write),
            pool=_given(pool_timeout, defaults.pool),
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
        try:
            res = await client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                timeout=timeout,
                content=body,
            )
        except httpx.TimeoutException as err:
            # As HTTPXRequest translates them (the pool's own timeout says nothing was sent).
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut(
                    message=(
                        "Pool timeout: All connections in the connection pool are occupied. "
                        "Request was *not* sent to Telegram. Consider adjusting the connection "
                        "pool size or the pool timeout."
                    )
                ) from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return res.status_code, res.content


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """A timeout as given, or the client's own when the caller left it at PTB's default."""
    return default if isinstance(value, DefaultValue) else value
