"""What a fault run wrote and delivered: :class:`FaultReport`, filled by :func:`count`.

The counts compare what the webhook took in (the burst's acknowledged
updates) with the cases in the database (by their marker ``〔Bn〕``), and the
outbox rows written with the messages that arrived at the fake Bot API; see
:mod:`bot.bench.faults` for what each figure means.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from bot.bench.burst import MARKER, Burst
from bot.bench.database import ledger
from bot.fakeapi import FakeBotApi
from storage.db import Database
from storage.models import Case, OutboxMessage
from storage.outbox_digest import FOLDED_NOTE

#: How a digest message begins (bot.services.notification_digest).
DIGEST_HEADS = ("【待办汇总】", "【进展汇总】")


@dataclass
class FaultReport:
    """What a fault run wrote and delivered (see the module docstring)."""

    run: str
    database: str
    # The run's length; what the webhook took in and what became of it (cases, receipts).
    acknowledged_without_case: list[int] = field(default_factory=list)
    seconds: float = 0.0
    updates_posted: int = 0
    updates_acknowledged: int = 0
    updates_never_acknowledged: int = 0
    cases_in_db: int = 0
    duplicate_cases: int = 0
    confirmations_seen: int = 0
    # Timers (two instances only).
    timers_due: int | None = None
    timers_fired: int | None = None
    timers_fired_twice: int | None = None
    # The outbox, in the database and at the fake Bot API.
    outbox_written: int = 0
    outbox_sent: int = 0
    outbox_failed: int = 0
    outbox_undelivered: int = 0
    #: Seconds from the end of the burst until no outbox row was left undelivered.
    drain_seconds: float | None = None
    rows_delivered_at_fake: int = 0
    rows_never_seen_at_fake: int = 0
    #: Rows folded into a scheduler pass's digest (delivered as its lines; the digest row
    #: itself is checked like any other row).
    rows_folded: int = 0
    duplicate_deliveries: int = 0
    #: Seconds from a critical warning's filing (or the Bot API's return) to its card.
    alert_delay_seconds: float | None = None
    #: Routine cards queued to the same chief before the alert but delivered after it.
    alert_overtook: int | None = None
    #: Updates dead-lettered (poison updates, out of attempts), when the run counts them.
    dead_letters: int | None = None
    #: Another citizen's ``/which`` during a flood: how many, and seconds post → answer.
    replies: int | None = None
    reply_p50_seconds: float | None = None
    reply_p99_seconds: float | None = None
    reply_max_seconds: float | None = None
    #: What the run observed on the way (the faults injected, the webhook's answers).
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_lost(self) -> bool:
        """Every acknowledged update has its case and every outbox row arrived."""
        return (
            not self.acknowledged_without_case
            and self.outbox_undelivered == 0
            and self.rows_never_seen_at_fake == 0
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        out = asdict(self)
        out["nothing_lost"] = self.nothing_lost
        return out

    def summary(self) -> str:
        """The counts as a few human lines."""
        lines = [
            f"fault run {self.run} on {self.database} ({self.seconds:.1f} s)",
            f"  updates: posted {self.updates_posted}, acknowledged {self.updates_acknowledged}, "
            f"never acknowledged {self.updates_never_acknowledged}",
            f"  cases: in the database {self.cases_in_db}, acknowledged without a case "
            f"{len(self.acknowledged_without_case)}"
            + (f" {self.acknowledged_without_case[:10]}" if self.acknowledged_without_case else "")
            + f", duplicated {self.duplicate_cases}; officer confirmations seen "
            f"{self.confirmations_seen}",
            f"  outbox: written {self.outbox_written}, sent {self.outbox_sent}, failed "
            f"{self.outbox_failed}, undelivered {self.outbox_undelivered}; arrived at the fake "
            f"{self.rows_delivered_at_fake}, never arrived {self.rows_never_seen_at_fake}, "
            f"folded into digests {self.rows_folded}, "
            f"duplicate deliveries {self.duplicate_deliveries}",
        ]
        if self.alert_delay_seconds is not None:
            lines.append(f"  critical alert delay: {self.alert_delay_seconds:.1f} s")
        if self.dead_letters is not None:
            lines.append(f"  dead letters: {self.dead_letters}")
        if self.replies:
            lines.append(
                f"  another citizen's replies: {self.replies}, p50 {self.reply_p50_seconds:.2f} s, "
                f"p99 {self.reply_p99_seconds:.2f} s, max {self.reply_max_seconds:.2f} s"
            )
        if self.drain_seconds is not None:
            lines.append(f"  outbox drained {self.drain_seconds:.1f} s after the burst ended")
        if self.timers_due is not None:
            lines.append(
                f"  timers: due {self.timers_due}, fired {self.timers_fired}, effect repeated "
                f"{self.timers_fired_twice}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.append(f"  nothing lost: {'yes' if self.nothing_lost else 'NO'}")
        return "\n".join(lines)


async def count(report: FaultReport, fake: FakeBotApi, burst: Burst, db_url: str) -> FaultReport:
    """Fill ``report`` with the counts of a finished run."""
    report.updates_posted = burst.posted
    report.updates_acknowledged = len(burst.acknowledged)
    report.updates_never_acknowledged = len(burst.rejected)
    db = Database(db_url)
    try:
        async with db.session() as s:
            texts = list((await s.scalars(select(Case.original_text))).all())
            numbers = {
                cid: str(num) for cid, num in (await s.execute(select(Case.id, Case.number)))
            }
            rows = (
                await s.execute(
                    select(
                        OutboxMessage.id,
                        OutboxMessage.chat_id,
                        OutboxMessage.text,
                        OutboxMessage.status,
                        OutboxMessage.last_error,
                        OutboxMessage.case_id,
                    )
                )
            ).all()
        counts = await ledger(db)
    finally:
        await db.dispose()
    markers = Counter(int(m.group(1)) for t in texts for m in MARKER.finditer(t))
    report.cases_in_db = len(markers)
    report.duplicate_cases = sum(n - 1 for n in markers.values() if n > 1)
    report.acknowledged_without_case = sorted(n for n in burst.acknowledged if n not in markers)
    report.outbox_written = counts.outbox
    report.outbox_sent = counts.sent
    report.outbox_failed = counts.failed
    report.outbox_undelivered = counts.undelivered
    arrivals: Counter[tuple[str, str]] = Counter()
    for method in ("sendMessage", "editMessageText"):
        for call in fake.calls(method):
            if call.ok:
                arrivals[(str(call.chat_id), str(call.params.get("text", "")))] += 1
    seen = 0
    extra = 0
    digests: dict[str, list[str]] = {}
    for chat, arrived in arrivals:
        if arrived.startswith(DIGEST_HEADS):
            digests.setdefault(chat, []).append(arrived)
    for _id, chat_id, text, status, note, case_id in rows:
        if note == FOLDED_NOTE:
            # Arrived as a line of a digest in its chat, which names its case.
            number = numbers.get(case_id or 0, "?")
            if any(number in t for t in digests.get(str(chat_id), [])):
                report.rows_folded += 1
            else:
                report.rows_never_seen_at_fake += 1
            continue
        n = arrivals.get((str(chat_id), text), 0)
        if n:
            seen += 1
            extra += n - 1
        elif status != "failed":
            report.rows_never_seen_at_fake += 1
    report.rows_delivered_at_fake = seen
    report.duplicate_deliveries = extra
    officer_chats = {o.id for o in burst.officers}
    report.confirmations_seen = sum(
        1 for m in fake.sent_messages() if m.chat_id in officer_chats and "预警已报送" in m.content
    )
    return report
