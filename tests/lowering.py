"""A critical warning filed with a lower level and the officer's reason.

Since trial 26 T24 the guided ``/warn`` files a warning the rules rate 特别重大 the
moment its text arrives, so the bot no longer offers to lower it before filing. The
service still files a lowered one (``WarningDraft.severity`` + ``severity_reason``) and
everything downstream (who is told, deadlines, notices that follow the case) still
applies: tests of that file it here, through the running bot's service.
"""

from __future__ import annotations

from bot.fakeapi import FakeUser
from bot.services.cases import WarningDraft
from storage.models import Case
from tests.botkit import BotKit


async def file_lowered(kit: BotKit, officer: FakeUser, text: str, level: str, reason: str) -> Case:
    """``officer`` (bound) files ``text`` at ``level`` with ``reason``; the new case."""
    person = await kit.person(officer.id)
    assert person is not None
    await kit.runtime.cases.file_warning(
        person.id, WarningDraft(text=text, severity=level, severity_reason=reason)
    )
    kit.runtime.outbox_written()
    return (await kit.cases())[-1]
