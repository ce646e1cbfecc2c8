"""The running service's shared objects, opened once per process.

A :class:`Runtime` bundles what every front end (the Telegram handlers, the web
server, the CLI) needs: settings, the district, the database, the clock, the
callback codec, the domain services and the metrics. It is not persisted and
holds no Telegram objects.

Example::

    runtime = await open_runtime(load_settings())
    try:
        ...
    finally:
        await runtime.close()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.runtime.inbox import UpdateInbox
from bot.runtime.metrics import Metrics
from bot.services.callbacks import CallbackCodec
from bot.services.cases import CaseService
from bot.services.clock import Clock, SystemClock
from bot.services.keys import installation_secret
from bot.services.people import PeopleService
from config.district import District, load_district
from config.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

#: Name of the installation secret that signs callback data.
CALLBACK_SECRET_NAME = "callbacks"


class StartupError(RuntimeError):
    """The service cannot start; the message says what to do (English, for operators)."""


@dataclass
class Runtime:
    """Everything the front ends share; one per process.

    Attributes:
        settings: Settings from the environment.
        district: The organisation and its policies.
        db: The database.
        clock: The time source (a ``FakeClock`` in tests).
        codec: Signs and checks inline-button data.
        cases: The case services.
        people: Who is writing and what they may do.
        metrics: Counters and histograms for ``/metrics``.
        inbox: Every Telegram update, kept until it has been handled.
    """

    settings: Settings
    district: District
    db: Database
    clock: Clock
    codec: CallbackCodec
    cases: CaseService
    people: PeopleService
    metrics: Metrics
    inbox: UpdateInbox
    owns_db: bool = True
    _outbox_listeners: list[Callable[[], None]] = field(default_factory=list)

    def on_outbox_written(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever a front end has had the services write outbox rows.

        The delivery worker registers its ``notify`` here so that a reply to a
        button press goes out at once instead of at the next poll.
        """
        self._outbox_listeners.append(listener)

    def remove_outbox_listener(self, listener: Callable[[], None]) -> None:
        """Stop calling ``listener`` (e.g. when its delivery worker stops)."""
        if listener in self._outbox_listeners:
            self._outbox_listeners.remove(listener)

    def outbox_written(self) -> None:
        """Tell the listeners that outbox rows were written (never raises)."""
        for listener in list(self._outbox_listeners):
            try:
                listener()
            except Exception:
                log.exception("outbox listener failed")

    async def close(self) -> None:
        """Release the database connections (only if this runtime opened the database)."""
        self._outbox_listeners.clear()
        if self.owns_db:
            await self.db.dispose()


async def open_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    district: District | None = None,
    db: Database | None = None,
    check_schema: bool = True,
) -> Runtime:
    """Open the database and build the services.

    Args:
        settings: Settings (``database_url`` and ``district_config_path`` are used).
        clock: Time source (default: the system clock).
        district: An already loaded district (default: load ``settings.district_config_path``).
        db: An already open database to share (then :meth:`Runtime.close` leaves it open).
        check_schema: Refuse to start on a database that ``minqing init`` has not migrated.

    Raises:
        config.district.ConfigError: the district file is unusable.
        StartupError: the database is not initialised.
    """
    district = district or load_district(settings.district_config_path)
    owns_db = db is None
    database = db or Database(settings.database_url)
    try:
        if check_schema and not await database.is_up_to_date():
            raise StartupError(
                "the database schema is missing or out of date: run `minqing init` first"
            )
        clock_ = clock or SystemClock()
        codec = CallbackCodec(await installation_secret(database, CALLBACK_SECRET_NAME))
        cases = CaseService(database, district, clock_, codec, tz=settings.timezone)
        people = PeopleService(database, district, cases)
    except BaseException:
        if owns_db:
            await database.dispose()
        raise
    return Runtime(
        settings=settings,
        district=district,
        db=database,
        clock=clock_,
        codec=codec,
        cases=cases,
        people=people,
        metrics=Metrics(),
        inbox=UpdateInbox(database, clock_),
        owns_db=owns_db,
    )
