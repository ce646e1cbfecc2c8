"""Delivery outcomes: sent, edited, retried, rate-limited, migrated, failed or blocked.

When a recipient blocked the bot, the owning unit's other members are told
(:func:`_write_unreachable_notices`) in the same transaction that fails the row.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import (
    RetryAfter,
)

from bot.runtime.delivery_support import (
    _ROLE_LABELS,
    NOTIFY_ROLES,
    DeliveryStats,
    _Delivered,
    _retry_after_seconds,
    _seconds,
    _truncate,
)
from bot.runtime.fair_intake import is_transient
from bot.services.clock import Clock
from nlp import mask_sensitive
from storage import outbox
from storage.db import Database
from storage.models import Case, CaseCard, Person, Unit
from storage.outbox import ClaimedMessage

#: One logger for the whole worker, whichever module writes.
log = logging.getLogger("bot.runtime.delivery")

#: Pauses between retries of recording a delivered row (about 8 s in all).
RECORD_RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0, 4.0)


class DeliveryOutcomes:
    """What the worker does with a row once Telegram has answered (mixin of the worker).

    The attributes are set by :class:`bot.runtime.delivery.DeliveryWorker`.
    """

    db: Database
    clock: Clock
    stats: DeliveryStats
    worker_id: str
    retry_base: timedelta
    retry_cap: timedelta
    global_429_chats: int
    _rng: random.Random
    _wake: asyncio.Event
    _notified: bool
    _hold_until: float
    _recent_429: dict[int, float]

    def notify(self) -> None:
        """Wake :meth:`run_forever` now (call after writing outbox rows)."""
        self._notified = True
        self._wake.set()

    def _backoff(self, attempts: int) -> timedelta:
        base = _seconds(self.retry_base) * (2 ** max(0, min(attempts - 1, 30)))
        capped = min(base, _seconds(self.retry_cap))
        return timedelta(seconds=capped * (0.5 + 0.5 * self._rng.random()))

    # ------------------------------------------------------------------ outcomes

    async def _on_delivered(self, m: ClaimedMessage, d: _Delivered) -> None:
        # Telegram has the message: recording that is retried while the database is
        # briefly away (a restart), else the row's lease runs out and it is sent again.
        for delay in (*RECORD_RETRY_DELAYS, None):
            try:
                ok = await self._record_delivered(m, d)
                break
            except Exception as exc:
                if delay is None or not is_transient(exc):
                    raise
                log.warning("outbox #%s: delivered, recording it failed; retrying", m.id)
                await asyncio.sleep(delay)
        if not ok:
            self.stats.lease_lost += 1
            log.warning(
                "outbox #%s: delivered, but the lease had passed to another worker "
                "(the message may show twice)",
                m.id,
            )
            return
        if d.edited:
            self.stats.edited += 1
        else:
            self.stats.sent += 1

    async def _record_delivered(self, m: ClaimedMessage, d: _Delivered) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            ok = await outbox.mark_sent(
                session,
                m.id,
                worker_id=self.worker_id,
                now=now,
                telegram_message_id=d.message_id,
                note=d.note,
            )
            if ok and m.is_card and d.message_id is not None and m.case_id is not None:
                await outbox.save_card(session, m.case_id, m.chat_id, d.message_id, now=now)
        return ok

    async def _on_transient(self, m: ClaimedMessage, error: str) -> None:
        delay = self._backoff(m.attempts)
        async with self.db.session() as session:
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now() + delay,
                error=mask_sensitive(error)[:1000],
            )
        self.stats.retried += 1
        log.warning(
            "outbox #%s to chat %s: attempt %d failed (%s); retrying in %.1f s",
            m.id,
            m.chat_id,
            m.attempts,
            mask_sensitive(error)[:200],
            delay.total_seconds(),
        )

    async def _on_retry_after(self, m: ClaimedMessage, exc: RetryAfter) -> None:
        wait = _retry_after_seconds(exc)
        loop = asyncio.get_running_loop()
        now_loop = loop.time()
        self._recent_429 = {
            chat: at for chat, at in self._recent_429.items() if now_loop - at <= max(wait, 1.0)
        }
        self._recent_429[m.chat_id] = now_loop
        if len(self._recent_429) >= self.global_429_chats:
            self._hold_until = max(self._hold_until, now_loop + wait)
            log.warning(
                "flood control on %d chats: pausing all sends for %.1f s",
                len(self._recent_429),
                wait,
            )
        async with self.db.session() as session:
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now() + timedelta(seconds=wait),
                error=f"429 retry after {wait:g} s",
            )
        self.stats.rate_limited += 1
        log.info("outbox #%s to chat %s: flood control, retry in %g s", m.id, m.chat_id, wait)

    async def _on_migrated(self, m: ClaimedMessage, new_chat_id: int) -> None:
        async with self.db.session() as session:
            await outbox.move_chat(session, m.chat_id, new_chat_id)
            people = await session.scalars(select(Person).where(Person.chat_id == m.chat_id))
            for person in people:
                person.chat_id = new_chat_id
            cards = await session.scalars(select(CaseCard).where(CaseCard.chat_id == m.chat_id))
            for card in cards:
                card.chat_id = new_chat_id
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now(),
                error=f"chat migrated to {new_chat_id}",
            )
        log.info("outbox: chat %s migrated to %s", m.chat_id, new_chat_id)

    async def _on_permanent(self, m: ClaimedMessage, error: str) -> None:
        masked = mask_sensitive(error)[:1000]
        async with self.db.session() as session:
            ok = await outbox.mark_failed(session, m.id, worker_id=self.worker_id, error=masked)
        if ok:
            self.stats.failed += 1
        log.error(
            "outbox #%s to chat %s failed permanently: %s; text: %r",
            m.id,
            m.chat_id,
            masked,
            mask_sensitive(m.text[:80]),
        )

    async def _on_blocked(self, m: ClaimedMessage, reason: str) -> None:
        """Fail the chat's rows, mark its person blocked, tell the owning units instead."""
        now = self.clock.now()
        error = f"recipient unreachable: {reason}"
        async with self.db.session() as session:
            if not await outbox.mark_failed(session, m.id, worker_id=self.worker_id, error=error):
                self.stats.lease_lost += 1
                return
            others = await outbox.fail_pending_for_chat(session, m.chat_id, error=error)
            conditions = [Person.chat_id == m.chat_id]
            if m.person_id is not None:
                conditions.append(Person.id == m.person_id)
            people = list((await session.scalars(select(Person).where(or_(*conditions)))).all())
            # Only whoever is behind this chat is marked (a group's 403 says nothing of
            # the person the row was meant for).
            for person in people:
                if person.chat_id == m.chat_id and person.blocked_at is None:
                    person.blocked_at = now
            recipient = next((p for p in people if p.id == m.person_id), None) or next(
                iter(people), None
            )
            failed = [(m.case_id, m.text)] + [(row.case_id, row.text) for row in others]
            # The notice is as urgent as the most urgent message it replaces, and a
            # reply at least (someone must pick up the phone).
            priority = min([m.priority, outbox.PRIORITY_INTERACTIVE] + [r.priority for r in others])
            notices = await self._write_unreachable_notices(
                session, recipient, m.chat_id, reason, failed, now, priority
            )
        self.stats.blocked += 1 + len(others)
        self.stats.notices += notices
        log.warning(
            "outbox #%s: chat %s unreachable (%s); %d rows failed, %d notices written",
            m.id,
            m.chat_id,
            reason,
            1 + len(others),
            notices,
        )
        if notices:
            self.notify()

    async def _write_unreachable_notices(
        self,
        session: AsyncSession,
        recipient: Person | None,
        chat_id: int,
        reason: str,
        failed: Sequence[tuple[int | None, str]],
        now: datetime,
        priority: int = outbox.PRIORITY_INTERACTIVE,
    ) -> int:
        """Write outbox rows telling each case's owning unit what could not be delivered.

        Returns:
            Notices written.
        """
        by_case: dict[int, list[str]] = {}
        for case_id, text in failed:
            if case_id is not None:
                by_case.setdefault(case_id, []).append(text)
        written = 0
        for case_id, texts in by_case.items():
            case = await session.get(Case, case_id)
            if case is None:
                continue
            exclude_ids = {recipient.id} if recipient is not None else set()
            members = await _reachable_members(session, case.owning_unit_id, exclude_ids, chat_id)
            if not members:
                log.error(
                    "outbox: nobody reachable in unit %s (or above) for case %s",
                    case.owning_unit_id,
                    case_id,
                )
                continue
            text = _unreachable_text(recipient, chat_id, reason, case, texts)
            for member in members:
                assert member.chat_id is not None
                await outbox.enqueue(
                    session,
                    chat_id=member.chat_id,
                    person_id=member.id,
                    case_id=case_id,
                    text=text,
                    now=now,
                    priority=priority,
                )
                written += 1
        return written


async def _reachable_members(
    session: AsyncSession, unit_id: str | None, exclude_ids: Iterable[int], exclude_chat: int
) -> list[Person]:
    """Chiefs and staff of the unit (or, if none, of the nearest unit above) with a chat."""
    excluded = set(exclude_ids)
    seen: set[str] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        people = (
            await session.scalars(
                select(Person)
                .where(
                    Person.unit_id == unit_id,
                    Person.active.is_(True),
                    Person.role.in_(NOTIFY_ROLES),
                    Person.chat_id.is_not(None),
                    Person.blocked_at.is_(None),
                )
                .order_by(Person.id)
            )
        ).all()
        found = [p for p in people if p.id not in excluded and p.chat_id != exclude_chat]
        if found:
            return found
        unit = await session.get(Unit, unit_id)
        unit_id = unit.parent_id if unit is not None else None
    return []


def _unreachable_text(
    recipient: Person | None, chat_id: int, reason: str, case: Case, texts: Sequence[str]
) -> str:
    """The notice (Simplified Chinese) sent to a unit instead of an undeliverable message."""
    lowered = reason.lower()
    if "deactivated" in lowered:
        what = "的 Telegram 账号已注销"
    elif "kicked" in lowered or "not a member" in lowered:
        what = "已将机器人移出群聊"
    else:
        what = "已屏蔽机器人"
    if recipient is not None:
        label = _ROLE_LABELS.get(recipient.role, "用户")
        who = f"{label}「{recipient.name or '未留姓名'}」"
        phone = recipient.phone or (
            case.contact_phone if case.reporter_id == recipient.id else None
        )
    else:
        who = f"接收人（会话 {chat_id}）"
        phone = None
    call = f"请电话联系（{phone}）" if phone else "请电话联系（电话见案件登记信息）"
    number = case.number or f"#{case.id}"
    head = f"⚠️ 消息无法送达\n{who}{what}，无法通过 Telegram 联系，{call}。\n案件：{number}\n"
    body = "\n———\n".join(texts)
    plural = f"原消息（{len(texts)} 条）：\n" if len(texts) > 1 else "原消息：\n"
    return _truncate(head + plural + body)
