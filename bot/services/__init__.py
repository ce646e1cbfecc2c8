"""The domain services: cases, their lifecycle and routing, and what the district keeps besides.

Cases (:mod:`bot.services.cases`), lifecycle, routing, scores, diaries, residential
files, invites, people, organisation, reports, the notifications' texts and cards,
the callback codec, installation keys and the clock.

They know nothing of Telegram or HTTP: every change is one database transaction
that also writes the notifications it causes to the outbox, and time comes from
the injected :class:`~bot.services.clock.Clock`. A module here may import
``storage``, ``nlp``, ``config`` and other modules of this package — never
``telegram``, ``aiohttp``, ``handlers``, ``bot.web``, ``bot.runtime``,
``bot.cli`` or ``bot.bench`` (``tests/test_architecture.py`` checks it). The
case service itself is the package :mod:`bot.services.cases`.
"""
