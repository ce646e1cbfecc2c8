"""The running service: assembly, inbox, delivery, scheduler, housekeeping, persistence, metrics.

Assembly is :mod:`~bot.runtime.assembly` (the :class:`Runtime` container of the
services), :mod:`~bot.runtime.telegram_app` (the PTB application and its handlers)
and :mod:`~bot.runtime.host` (webhook or polling, workers, shutdown).

This is the top of the service: it may import everything below it — the
services, ``handlers``, ``bot.web``, ``storage``, ``nlp``, ``config`` — but
never ``bot.cli`` or ``bot.bench``. ``handlers`` and ``bot.web`` see only the
:class:`~bot.runtime.assembly.Runtime` container (and the web's core routes the
inbox and metrics), never the assembly modules that import them.
"""
