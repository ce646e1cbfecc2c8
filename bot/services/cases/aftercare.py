"""Aftercare: a farewell from someone whose self-harm case closed not long ago.

For :data:`AFTERCARE` after a self-harm request of theirs was closed (by the service's
clock, from ``cases.closed_at``), a farewell (谢谢你们 我要走了, 以后不会再麻烦你们了) is a
danger sign, never a 回访 answer or a thanks: the person gets the emergency line first
(the lines their case was filed with), then the human answer with the crisis line; the
units that held that case (its owner, and the copies of its critical alert) are told
at once with the words; the words are recorded on that case (a ``note_added`` event,
``data.aftercare``), which stays closed (b33 #1).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases.escalation import CaseEscalation
from bot.services.cases.model import MAX_NOTE, CaseView, _clean
from bot.services.lifecycle import EventType, record
from bot.services.triage import is_self_harm
from nlp.emergency import emergency_line
from nlp.farewell import FAREWELL_RE, polite_goodbye
from nlp.reassurance import reassured_goodbye
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case, CaseEvent

log = logging.getLogger(__name__)

#: How long after a self-harm case is closed its reporter is in aftercare.
AFTERCARE = timedelta(days=30)
#: Statuses after which a case takes no 补充说明.
_FINAL = (CaseStatus.CLOSED.value, CaseStatus.REJECTED.value, CaseStatus.WITHDRAWN.value)
#: A bare goodbye (拜拜, 88), a sign only on an open self-harm case.
_BYE_RE = re.compile(r"拜拜|拜了|(?<![0-9])88(?![0-9])")
#: Lines shown when the closed case recorded none.
_LINES = ("120", "110")


def is_farewell(text: str, *, open_case: bool = False) -> bool:
    """Whether ``text`` says goodbye (我要走了, 再见了, 不打扰了, 以后不会再麻烦你们了,
    以后不用联系我了) or carries the project's self-harm reading
    (:func:`bot.services.triage.is_self_harm`, the rubric's self_harm family: 活着没意思,
    跟这个世界告别, 以后就拜托…).

    A bare 拜拜 is not in the list: in aftercare it gets the chat's gentle answer with
    the crisis line, no alert to the units (decided in review 2 Q6). Nor is a polite
    goodbye with thanks and nothing else (嗯，谢谢，再见; trial 33b E2): acknowledgement,
    thanks and a bare 再见 only; 再见了 with anything of leaving (以后不用联系我了, 永别了)
    is a sign.

    ``open_case``: the writer's self-harm case is still open (nobody has helped yet).
    Then a goodbye is a sign however polite (谢谢大家，再见; 嗯，谢谢，拜拜): the
    exception above is for aftercare, after the helpers have been and gone (review
    left34 #1)."""
    if open_case:
        return (
            FAREWELL_RE.search(text) is not None
            or _BYE_RE.search(text) is not None
            or is_self_harm(text)
        )
    if polite_goodbye(text):
        return False
    # 谢谢你们，我会好好活着的，再见: reassurance and a polite goodbye only (trial 34 #12).
    if reassured_goodbye(text) and not is_self_harm(text):
        return False
    return FAREWELL_RE.search(text) is not None or is_self_harm(text)


async def case_lines(s: AsyncSession, case: Case) -> tuple[str, ...]:
    """The emergency lines ``case`` was filed with (its ``registered`` event)."""
    data = await s.scalar(
        select(CaseEvent.data)
        .where(CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value)
        .limit(1)
    )
    services = data.get("services") if isinstance(data, dict) else None
    if isinstance(services, list) and services and all(isinstance(n, str) for n in services):
        return tuple(services)
    return _LINES


class CaseAftercare(CaseEscalation):
    """A farewell in aftercare reaches the people who handled the self-harm case."""

    async def aftercare_case_tx(
        self, s: AsyncSession, person_id: int, now: datetime
    ) -> Case | None:
        """The reporter's self-harm request closed within :data:`AFTERCARE` of ``now``,
        the latest first, or ``None``."""
        rows = await s.scalars(
            select(Case)
            .where(
                Case.reporter_id == person_id,
                Case.kind == CaseKind.REQUEST.value,
                Case.status == CaseStatus.CLOSED.value,
                Case.closed_at.is_not(None),
                Case.closed_at >= now - AFTERCARE,
            )
            .order_by(Case.closed_at.desc())
            .limit(5)
        )
        for case in rows.all():
            if await self._self_harm(s, case):
                return case
        return None

    async def open_crisis_case(self, person_id: int) -> int | None:
        """The id of the reporter's self-harm request not yet final (open, or resolved
        with its 回访 waiting), the latest first, or ``None``: by the database, not a
        chat's memory, so a farewell sent out of the blue reaches it (review left34 #1)."""
        async with self.db.read() as s:
            rows = await s.scalars(
                select(Case)
                .where(
                    Case.reporter_id == person_id,
                    Case.kind == CaseKind.REQUEST.value,
                    Case.status.not_in(_FINAL),
                )
                .order_by(Case.id.desc())
                .limit(5)
            )
            for case in rows.all():
                if await self._self_harm(s, case):
                    return case.id
        return None

    async def in_aftercare(self, person_id: int) -> bool:
        """Whether the person's self-harm case closed less than :data:`AFTERCARE` ago."""
        async with self.db.session() as s:
            return await self.aftercare_case_tx(s, person_id, self.clock.now()) is not None

    async def aftercare_farewell(
        self, person_id: int, text: str, channel: str = Channel.TELEGRAM
    ) -> CaseView | None:
        """A farewell from someone in aftercare: the crisis path (see the module).

        Returns the closed self-harm case the words were recorded on, or ``None`` when
        ``text`` is no farewell or the person is not in aftercare (then it is read as
        usual). The reporter's messages (the line, then the human answer) and the
        units' alert are written to the outbox in the same transaction.
        """
        note = _clean(text, MAX_NOTE)
        if not note or not is_farewell(note):
            return None
        async with self.db.session() as s:
            now = self.clock.now()
            case = await self.aftercare_case_tx(s, person_id, now)
            if case is None:
                return None
            reporter = await self._person(s, person_id)
            await record(
                s,
                case,
                EventType.NOTE_ADDED,
                now=now,
                actor_id=reporter.id,
                channel=channel,
                note=note,
                data={"aftercare": True, "danger": "farewell"},
                changes_case=False,
            )
            lines = await case_lines(s, case)
            # The line first, a message of its own, before the human answer.
            self._message(s, reporter, case, emergency_line(lines), None, now, even_blocked=True)
            hotline = self.district.crisis_hotline
            days = _days_ago(case.closed_at or now, now, self.tz)
            await self.publish_tx(
                s,
                case,
                now,
                settle=False,
                pings=[
                    (await self.alerted_units(s, case), lambda v: _alert(v, v.shown(note), days))
                ],
                reporter_text=lambda v: _care(v, hotline),
            )
            log.warning("aftercare farewell on %s: units alerted", case.number)
            return self.view_for(case, reporter, now)


def _days_ago(closed: datetime, now: datetime, tz: tzinfo) -> int:
    """Calendar days from the closure to now in the district's time (0: today)."""
    if closed.tzinfo is None:
        closed = closed.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return max(0, (now.astimezone(tz).date() - closed.astimezone(tz).date()).days)


def when_closed(days: int) -> str:
    """今天已办结 / 昨天已办结 / N天前已办结 (never 「0天前」, trial 33b E13)."""
    if days <= 0:
        return "今天已办结"
    return "昨天已办结" if days == 1 else f"{days}天前已办结"


def _alert(view: CaseView, words: str, days: int) -> str:
    """The units' alert: who wrote, what, and what to do now."""
    return (
        f"【紧急·关怀期告别】{view.number}（心理危机求助，{when_closed(days)}）的反映人刚刚发来：\n"
        f"「{words}」\n"
        "这可能是告别的危险信号，请立即联系本人确认安全；必要时报警（110）或呼叫急救（120）。"
    )


def _care(view: CaseView, hotline: str) -> str:
    """The person's human answer after the line."""
    return (
        f"您说的话我们收到了，已经马上转告曾经帮助您的{view.owning_unit_name}工作人员，"
        "他们会尽快联系您。您不是一个人，我们一直在。\n"
        f"请现在就拨打心理援助热线{hotline}（24小时有人接听），或告诉身边信任的人陪着您。"
    )
