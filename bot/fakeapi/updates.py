"""How updates reach the bot: ``getUpdates`` long polling or a webhook with retries."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import time

import aiohttp

from bot.fakeapi.models import ApiError, JSONDict, WebhookDelivery
from bot.fakeapi.protocol import Upload, as_float, as_int
from bot.fakeapi.store import FakeStore

log = logging.getLogger(__name__)
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class UpdateDelivery(FakeStore):
    """``getUpdates``, ``setWebhook``/``deleteWebhook``/``getWebhookInfo`` and the delivery loop."""

    async def _m_get_updates(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = as_int(p.get("offset"), 0)
        limit = min(100, max(1, as_int(p.get("limit"), 100)))
        timeout = max(0.0, as_float(p.get("timeout"), 0.0))
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, f"Conflict: terminated by {self._poll_terminator}")
            if self._webhook_url:
                raise ApiError(409, "Conflict: terminated by setWebhook request")
            if self._pending or self._closing:
                return copy.deepcopy(self._pending[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_change(remaining)

    _webhook_description = "Webhook was set"

    async def _m_set_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return await self._m_delete_webhook(p, files)
        if not re.match(r"^https?://", url):
            raise ApiError(
                400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
            )
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if p.get("drop_pending_updates") is True:
            self._pending.clear()
        self._webhook_description = (
            "Webhook is already set" if url == self._webhook_url else "Webhook was set"
        )
        self._webhook_url = url
        self._webhook_secret = str(secret) if secret is not None else None
        self._webhook_max_connections = as_int(p.get("max_connections"), 40)
        self._webhook_last_error = None
        self._poll_terminator = "setWebhook request"
        self._poll_generation += 1
        self._ensure_webhook_worker()
        self._bump()
        return True

    async def _m_delete_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._webhook_description = (
            "Webhook was deleted" if self._webhook_url else "Webhook is already deleted"
        )
        self._webhook_url = ""
        self._webhook_secret = None
        self._poll_terminator = (
            "other getUpdates request; make sure that only one bot instance is running"
        )
        if p.get("drop_pending_updates") is True:
            self._pending.clear()
        self._bump()
        return True

    async def _m_get_webhook_info(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        info: JSONDict = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook_url:
            info["max_connections"] = self._webhook_max_connections
            info["ip_address"] = "127.0.0.1"
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _ensure_webhook_worker(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(
                self._webhook_loop(), name="fake-bot-api-webhook"
            )

    async def _webhook_loop(self) -> None:
        while not self._closing:
            if not self._webhook_url or not self._pending:
                await self._wait_change(3600)
                continue
            update = self._pending[0]
            await self._deliver(update)
            if self._pending and self._pending[0] is update:
                self._pending.pop(0)
                self._bump()

    async def _deliver(self, update: JSONDict) -> WebhookDelivery:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout)
            )
        url, secret = self._webhook_url, self._webhook_secret
        delivery = WebhookDelivery(update_id=update["update_id"], url=url, secret_token=secret)
        self.webhook_deliveries.append(delivery)
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        payload = json.dumps(update, ensure_ascii=False).encode("utf-8")
        for attempt in range(1, self.webhook_max_attempts + 1):
            delivery.attempts = attempt
            delivery.at = time.monotonic()
            try:
                async with self._session.post(url, data=payload, headers=headers) as resp:
                    delivery.status = resp.status
                    await resp.read()
                    if 200 <= resp.status < 300:
                        delivery.ok = True
                        delivery.error = None
                        self._bump()
                        return delivery
                    delivery.error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except TimeoutError:
                delivery.status = 0
                delivery.error = "Read timeout expired"
            except aiohttp.ClientError as err:
                delivery.status = 0
                delivery.error = f"Connection failed: {err}"
            self._webhook_last_error = (int(time.time()), delivery.error or "")
            self._bump()
            if attempt < self.webhook_max_attempts:
                await self._sleep(self.webhook_retry_delay * 2 ** (attempt - 1))
                if self._closing:
                    break
        log.warning("webhook delivery of update %s gave up: %s", delivery.update_id, delivery.error)
        return delivery
