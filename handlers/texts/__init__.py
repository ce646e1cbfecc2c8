"""Replies and keyboards of the chat front end that are not case notifications, by audience.

Case notifications and cards are rendered by :mod:`bot.services.notifications` (the
services write them to the outbox); this module holds what the handlers answer
directly: menus, the "which office?" answer, prompts of the optional steps,
lists for /status, /mine and /pending, and every hint and refusal. All texts
are plain Simplified Chinese (no parse mode), so user text needs no escaping.

Buttons that only steer the user's own conversation carry unsigned data
starting with ``ui:``; buttons that act on a case carry data signed by
:class:`bot.services.callbacks.CallbackCodec`.

The texts live in one module per audience (:mod:`~handlers.texts.common`,
:mod:`~handlers.texts.citizens`, :mod:`~handlers.texts.citizen_steps`,
:mod:`~handlers.texts.progress`,
:mod:`~handlers.texts.officers`, :mod:`~handlers.texts.stations`,
:mod:`~handlers.texts.admin`, :mod:`~handlers.texts.offices`,
:mod:`~handlers.texts.triage`), each naming its texts in ``__all__``; this package
re-exports them all, so handlers write ``texts.NAME``. Texts of one flow only
(:mod:`~handlers.texts.steps`, :mod:`~handlers.texts.staff` …) are imported from
their module.
"""

from __future__ import annotations

from handlers.texts.admin import *  # noqa: F403
from handlers.texts.citizen_steps import *  # noqa: F403
from handlers.texts.citizens import *  # noqa: F403
from handlers.texts.common import *  # noqa: F403
from handlers.texts.officers import *  # noqa: F403
from handlers.texts.offices import *  # noqa: F403
from handlers.texts.progress import *  # noqa: F403
from handlers.texts.stations import *  # noqa: F403
from handlers.texts.triage import *  # noqa: F403
