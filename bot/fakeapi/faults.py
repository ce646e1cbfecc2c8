"""Fault injection in the fake Bot API: errors, 429s, delays, dropped connections, blocks."""

from __future__ import annotations

from aiohttp import web

from bot.fakeapi.models import ApiError, FaultRule, JSONDict
from bot.fakeapi.store import FakeStore

_BLOCK_REASONS = {
    "blocked": "Forbidden: bot was blocked by the user",
    "deactivated": "Forbidden: user is deactivated",
    "kicked": "Forbidden: bot was kicked from the group chat",
    "not_member": "Forbidden: bot is not a member of the group chat",
}

_HTML_ERROR = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)

_PHRASES = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Dropped(web.Response):
    """Marker response for connections dropped by fault injection (status recorded as 0)."""


class FaultInjection(FakeStore):
    """Rules that answer or hold calls instead of executing them, and blocked chats."""

    def fail(
        self,
        method: str | None = None,
        status: int = 500,
        *,
        count: int | None = None,
        duration_s: float | None = None,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        html: bool | None = None,
        description: str | None = None,
    ) -> FaultRule:
        """Answer matching calls with an error instead of executing them.

        With neither ``count`` nor ``duration_s`` the next matching call fails. Use
        ``duration_s=math.inf`` to fail until :meth:`clear_faults`. Rules are checked in the
        order they were added; the first live one answers.

        Args:
            method: Method name (case-insensitive), or ``None`` for all methods.
            status: 429, 500, 502, 503, 504, or any other HTTP status; 0 drops the connection
                without an answer (the client sees a network error).
            count: How many calls to fail.
            duration_s: Fail every matching call for this many seconds of ``fault_clock`` (with
                ``count``, whichever ends first).
            retry_after: Seconds in a 429's ``parameters.retry_after``.
            chat_id: Only calls for this chat.
            html: Answer with an nginx-like HTML page; default: for 502/503/504. (PTB then logs
                ``Can not load invalid JSON data`` with a traceback and raises ``NetworkError``.)
            description: Override the error description.

        Returns:
            The rule (its ``served`` counts the calls it failed).
        """
        until = self.fault_clock() + duration_s if duration_s is not None else None
        remaining = count if count is not None else (1 if duration_s is None else None)
        rule = FaultRule(
            method=method,
            status=status,
            remaining=remaining,
            until=until,
            retry_after=retry_after,
            chat_id=chat_id,
            html=status in (502, 503, 504) if html is None else html,
            description=description,
        )
        self._faults.append(rule)
        return rule

    def delay(
        self,
        method: str | None,
        seconds: float,
        *,
        count: int | None = None,
        chat_id: int | str | None = None,
    ) -> FaultRule:
        """Hold matching calls for ``seconds`` before executing them (to provoke client timeouts).

        Like the real API behind a slow network, the call is still executed after the wait even
        if the client gave up; a client that retries may thus cause duplicates.

        Args:
            method: Method name or ``None`` for all.
            seconds: The delay.
            count: How many calls; ``None`` for all until :meth:`clear_faults`.
            chat_id: Only calls for this chat.

        Returns:
            The rule.
        """
        rule = FaultRule(
            method=method, status=200, remaining=count, chat_id=chat_id, delay_s=seconds
        )
        self._faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        """Remove all fail/delay rules (blocks stay)."""
        self._faults.clear()

    def block(self, chat_id: int, reason: str = "blocked", *, notify: bool = False) -> None:
        """Make calls for a chat answer ``403 Forbidden`` (the user blocked the bot).

        Args:
            chat_id: The chat.
            reason: ``blocked`` (default), ``deactivated``, ``kicked`` or ``not_member``.
            notify: Also queue the ``my_chat_member`` update Telegram sends the bot.
        """
        self._blocked[str(chat_id)] = _BLOCK_REASONS[reason]
        if notify:
            self._push_member_update(chat_id, "kicked" if reason != "not_member" else "left")
        self._bump()

    def unblock(self, chat_id: int, *, notify: bool = False) -> None:
        """Undo :meth:`block`.

        Args:
            chat_id: The chat.
            notify: Queue a ``my_chat_member`` update (status ``member``).
        """
        self._blocked.pop(str(chat_id), None)
        if notify:
            self._push_member_update(chat_id, "member")
        self._bump()

    def is_blocked(self, chat_id: int) -> bool:
        """Whether calls for the chat currently answer 403."""
        return str(chat_id) in self._blocked

    async def _apply_faults(
        self, request: web.Request, method: str, params: JSONDict
    ) -> tuple[web.StreamResponse, JSONDict | None] | None:
        chat_id = params.get("chat_id")
        now = self.fault_clock()
        for rule in list(self._faults):
            if rule.delay_s > 0 and rule.matches(method, chat_id, now):
                rule.served += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                self.fault_counts[(method, "delay")] += 1
                await self._sleep(rule.delay_s)
                now = self.fault_clock()
        for rule in list(self._faults):
            if rule.delay_s > 0 or not rule.matches(method, chat_id, now):
                continue
            rule.served += 1
            if rule.remaining is not None:
                rule.remaining -= 1
            self.fault_counts[(method, rule.status or "drop")] += 1
            if rule.status == 0:
                if request.transport is not None:
                    request.transport.abort()
                return Dropped(), None
            return self._fault_response(rule)
        if chat_id is not None and str(chat_id) in self._blocked:
            self.fault_counts[(method, 403)] += 1
            raise ApiError(403, self._blocked[str(chat_id)])
        return None

    def _fault_response(self, rule: FaultRule) -> tuple[web.StreamResponse, JSONDict | None]:
        phrase = _PHRASES.get(rule.status, "Error")
        if rule.html:
            text = _HTML_ERROR.format(status=rule.status, phrase=phrase)
            return web.Response(text=text, status=rule.status, content_type="text/html"), None
        if rule.status == 429:
            err = ApiError(
                429,
                rule.description or f"Too Many Requests: retry after {rule.retry_after}",
                {"retry_after": rule.retry_after},
            )
        else:
            err = ApiError(rule.status, rule.description or phrase)
        body = err.body()
        return web.json_response(body, status=rule.status), body
