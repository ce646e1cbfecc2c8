"""Driving the real bot end to end in tests.

A :class:`BotKit` runs the application built by :func:`bot.runtime.telegram_app.build_application`
(polling over HTTP against the fake Bot API), the real database and the real
:class:`~bot.runtime.delivery.DeliveryWorker` delivering the outbox into the fake, with
a :class:`~bot.services.clock.FakeClock`. Tests act as users through the fake
(``FakeUser.send_text``, ``press`` …) and wait for the bot's answers with
``wait_for_message(..., since=action)`` — no sleeps. Scenarios of danger now built on
it (a critical case at the police, at the desk) are in :mod:`tests.criticalkit`; the
common steps of a case (file, resolve, 上报, a note on a card) and :data:`WAIT` are in
:mod:`tests.botkit_steps` and importable from here too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.fakeapi import ChatMessage, FakeBotApi, FakeUser, UserAction, running_fake_bot_api
from bot.runtime.assembly import Runtime, open_runtime
from bot.runtime.delivery import DeliveryWorker, backlog
from bot.runtime.telegram_app import MinqingApplication, build_application, stop_application
from bot.services.clock import FakeClock
from bot.services.invites import create_invite
from bot.services.organisation import sync_organisation
from config.district import District
from config.settings import load_settings
from storage.db import Database
from storage.enums import Role
from storage.models import Case, CaseEvent, InboundUpdate, OutboxMessage, Person
from tests.botkit_steps import (
    WAIT,
    card_of,
    escalated,
    file_request,
    note_on_card,
    resolve_as_chief,
    resolved_request,
    said_since,
    submit_proposal,
)
from tests.dbtemplate import copy_sqlite_template
from tests.factories import suite_now

TOKEN = "123456789:TEST-minqing-bot"

#: Delivery without pacing (the fake clock does not move by itself).
FAST_DELIVERY: dict[str, Any] = {
    "private_interval": timedelta(0),
    "group_interval": timedelta(0),
    "global_rate": 1000.0,
    "retry_base": timedelta(seconds=0.02),
    "retry_cap": timedelta(seconds=0.2),
    "poll_interval": timedelta(seconds=0.2),
}

_classifier_loaded = False


async def load_classifier() -> None:
    """Load the classifier's dictionaries once per test process, before a bot starts.

    The service host loads them beside its start (``bot.runtime.host``); a kit
    starts the application itself, so without this the first update of a test
    process paid for it inside its :data:`WAIT` (about 1 s of CPU, 15-25 s on a
    machine running several suites at once).
    """
    global _classifier_loaded
    if not _classifier_loaded:
        from nlp.classify import classify

        await asyncio.to_thread(classify, "预热")
        _classifier_loaded = True


@dataclass
class BotKit:
    """The bot, its database and the fake Telegram, running together."""

    fake: FakeBotApi
    db: Database
    district: District
    clock: FakeClock
    runtime: Runtime
    app: MinqingApplication | None = None
    worker: DeliveryWorker | None = None
    _worker_task: asyncio.Task[None] | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    # --- lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        """Build and start the application (polling) and the delivery worker."""
        await load_classifier()
        app = build_application(
            self.runtime,
            token=self.runtime.settings.telegram_bot_token or TOKEN,
            persistence_interval=0.2,
        )
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        self.app = app
        worker = DeliveryWorker(self.db, app.bot, clock=self.clock, **FAST_DELIVERY)
        self.runtime.on_outbox_written(worker.notify)
        self.worker = worker
        self._stop = asyncio.Event()
        self._worker_task = asyncio.create_task(worker.run_forever(self._stop))

    async def pause_delivery(self) -> None:
        """Stop the delivery worker (outbox rows stay pending)."""
        if self._worker_task is not None:
            self._stop.set()
            if self.worker is not None:
                self.worker.stop()
            await self._worker_task
            self._worker_task = None

    def resume_delivery(self) -> None:
        """Start the delivery worker again."""
        assert self.worker is not None and self._worker_task is None
        self._stop = asyncio.Event()
        self._worker_task = asyncio.create_task(self.worker.run_forever(self._stop))

    async def stop(self) -> None:
        """Stop the worker and the application (conversation state is flushed)."""
        await self.pause_delivery()
        if self.worker is not None:
            self.runtime.remove_outbox_listener(self.worker.notify)
        app, self.app = self.app, None
        if app is not None:
            await stop_application(app)

    async def restart(self) -> None:
        """Stop the application and build a new one on the same database."""
        await self.stop()
        await self.start()

    async def delivered(self) -> None:
        """Wait until every outbox row is delivered."""
        assert self.worker is not None
        await self.worker.drain(timeout=WAIT)

    async def handled(self, action: UserAction) -> None:
        """Wait until the bot is done with ``action``'s update: settled, or its settling
        waits for the next write (:class:`bot.runtime.inbox.UpdateInbox`).

        A chat's updates run one at a time in order (:mod:`bot.runtime.fair_intake`), so
        once the last of several messages is handled, so are the ones before it: what the
        bot answered to a burst can be read whole. Waiting only for an answer that an
        early message already produces (or for the outbox to drain) reads it half-done.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while loop.time() < deadline:
            if action.update_id in self.runtime.inbox.unsettled():
                return
            async with self.db.read() as s:
                row = await s.get(InboundUpdate, action.update_id)
                if row is not None and row.processed_at is not None:
                    return
            await asyncio.sleep(0.01)
        raise AssertionError(f"update {action.update_id} was never handled")

    # --- people -------------------------------------------------------------------

    def user(self, user_id: int, name: str) -> FakeUser:
        """A simulated Telegram user."""
        return self.fake.user(user_id, name)

    async def bind(self, user: FakeUser, unit_id: str, role: Role) -> ChatMessage:
        """Bind ``user`` to a unit with an invite deep link (/start CODE)."""
        issued = await create_invite(self.db, unit_id=unit_id, role=role, now=self.clock.now())
        action = user.send_command(f"/start {issued.code}")
        return await user.wait_for_message(lambda m: "绑定成功" in m.content, WAIT, since=action)

    async def person(self, telegram_user_id: int) -> Person | None:
        """The stored person of a Telegram user."""
        async with self.db.session() as s:
            return await s.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))

    # --- talking ------------------------------------------------------------------

    async def answer(
        self,
        user: FakeUser,
        action: UserAction,
        contains: str | Callable[[ChatMessage], bool] | None = None,
    ) -> ChatMessage:
        """The bot's first message in ``user``'s chat after ``action`` (matching ``contains``)."""
        if contains is None:
            predicate: Callable[[ChatMessage], bool] | None = None
        elif isinstance(contains, str):
            text = contains

            def predicate(m: ChatMessage) -> bool:
                return text in m.content

        else:
            predicate = contains
        return await user.wait_for_message(predicate, WAIT, since=action)

    async def say(
        self, user: FakeUser, text: str, contains: str | Callable[[ChatMessage], bool] | None = None
    ) -> ChatMessage:
        """``user`` sends ``text``; the bot's answer."""
        return await self.answer(user, user.send_text(text), contains)

    async def press(
        self,
        user: FakeUser,
        message: ChatMessage,
        label: str,
        contains: str | Callable[[ChatMessage], bool] | None = None,
    ) -> ChatMessage:
        """``user`` presses a button; the bot's next message (or edit) in the chat."""
        return await self.answer(user, user.press(message, label), contains)

    async def callback_answer(self, action: UserAction) -> str:
        """The text of the answerCallbackQuery for a button press."""
        answer = await self.fake.wait_for(
            lambda: next(
                (
                    a
                    for a in self.fake.callback_answers
                    if a.callback_query_id == action.callback_query_id
                ),
                None,
            ),
            WAIT,
        )
        return answer.text or ""

    # --- the database -------------------------------------------------------------

    async def cases(self) -> list[Case]:
        """Every case, oldest first."""
        async with self.db.session() as s:
            return list((await s.scalars(select(Case).order_by(Case.id))).all())

    async def case(self, case_id: int) -> Case:
        """One case, fresh from the database."""
        async with self.db.session() as s:
            case = await s.get(Case, case_id)
            assert case is not None
            return case

    async def events(self, case_id: int) -> list[str]:
        """Event types of a case, oldest first."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(CaseEvent.type).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
            return list(rows.all())

    async def registered(self, case_id: int) -> dict[str, Any]:
        """The data of a case's ``registered`` event (``notify``: every unit told at filing)."""
        async with self.db.session() as s:
            event = await s.scalar(
                select(CaseEvent).where(
                    CaseEvent.case_id == case_id, CaseEvent.type == "registered"
                )
            )
        assert event is not None
        return dict(event.data)

    async def counts(self) -> tuple[int, int, int]:
        """(cases, events, outbox rows): to assert that nothing changed."""
        async with self.db.session() as s:
            cases = await s.scalar(select(func.count()).select_from(Case))
            events = await s.scalar(select(func.count()).select_from(CaseEvent))
            outbox = await s.scalar(select(func.count()).select_from(OutboxMessage))
        return int(cases or 0), int(events or 0), int(outbox or 0)

    async def backlog(self) -> int:
        """Undelivered outbox rows."""
        return (await backlog(self.db, self.clock)).count


@contextlib.asynccontextmanager
async def running_bot(
    db: Database, district: District, env: Mapping[str, str] | None = None
) -> AsyncIterator[BotKit]:
    """A started :class:`BotKit` on ``db`` (already migrated and loaded).

    ``env`` adds settings (e.g. ``MINQING_PUBLIC_URL``) to the ones the kit sets.
    """
    async with running_fake_bot_api(token=TOKEN) as fake:
        settings = load_settings(
            {
                "DATABASE_URL": db.url,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": fake.root_url,
                **(env or {}),
            }
        )
        clock = FakeClock(suite_now())
        runtime = await open_runtime(settings, clock=clock, district=district, db=db)
        kit = BotKit(fake=fake, db=db, district=district, clock=clock, runtime=runtime)
        await kit.start()
        try:
            yield kit
        finally:
            await kit.stop()
            await runtime.close()


def _exists(path: Path) -> bool:
    return path.exists()


@contextlib.asynccontextmanager
async def sqlite_bot(
    url: str, district: District, env: Mapping[str, str] | None = None
) -> AsyncIterator[BotKit]:
    """A started :class:`BotKit` on a fresh SQLite database at ``url``.

    Where no file is there yet, the database is a copy of a migrated template
    (:mod:`tests.dbtemplate`); otherwise it is migrated here.
    """
    path = Path(make_url(url).database or "")
    fresh = path.name != "" and not _exists(path)
    if fresh:
        await copy_sqlite_template(path, district)
    db = Database(url)
    if not fresh:
        await db.migrate()
        await sync_organisation(db, district)
    try:
        async with running_bot(db, district, env) as kit:
            yield kit
    finally:
        await db.dispose()


__all__ = [
    "FAST_DELIVERY",
    "TOKEN",
    "WAIT",
    "BotKit",
    "FakeUser",
    "card_of",
    "escalated",
    "file_request",
    "load_classifier",
    "note_on_card",
    "resolve_as_chief",
    "resolved_request",
    "running_bot",
    "said_since",
    "sqlite_bot",
    "submit_proposal",
]
