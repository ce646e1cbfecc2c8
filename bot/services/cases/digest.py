"""Digests: the scheduler's reminders folded into one message per person and pass.

The scheduler (:mod:`bot.runtime.scheduler`) fires each timer in a transaction
of its own; the rows that timer writes are held (:func:`storage.outbox_digest.hold`)
unless they concern a critical case, or only edit a card the chat already shows.
At the end of the pass :meth:`CaseDigest.fold_digests` looks at every held row:
a chat whose held rows concern one case gets them as they are (with their
buttons); a chat with several cases gets one digest message instead, listing each
case with what happened and the one action it needs, with a 查看 button per case
(at most :data:`MAX_BUTTONS`, but every case whose card the person has not got
yet has one, first). The rows stay in the outbox (``folded``), and the events in
the case log: the digest changes the delivery only (trial 28 P4).

A card or photos folded were never sent: 查看 sends the card, and
:meth:`CaseDigest.photos_on_open` the photos that chat has not got, by their
file_id through the outbox (dfx21; they used to be lost for that chat).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.callbacks import CaseAction
from bot.services.cases.permissions import CRITICAL
from bot.services.cases.publish import OUTBOX_ROWS
from bot.services.cases.tx import CaseTx
from bot.services.notification_digest import (
    ESCALATED_WORDS,
    STILL_OPEN,
    DigestItem,
    digest_text,
    escalation_notice,
    event_words,
    is_escalation_notice,
    notice_tag,
)
from storage import outbox_digest
from storage.enums import CaseStatus
from storage.models import Case, OutboxMessage, Person
from storage.outbox import KIND_CARD, KIND_MESSAGE, KIND_PHOTOS, outbox_row

#: How long held rows wait for the fold at the latest (if the pass never ends).
HOLD = timedelta(minutes=10)
#: 查看 buttons under a digest, two per row (cases new to the person may add more).
MAX_BUTTONS = 8
#: At most this many buttons in all (Telegram takes 100 per keyboard).
MAX_NEW_BUTTONS = 40

#: The one action a handler's digest line asks for, by the first button they have.
_ACTION_WORDS: list[tuple[CaseAction, str]] = [
    (CaseAction.DISPATCH, "请派单"),
    (CaseAction.CHOOSE_ROOM, "请派单"),
    (CaseAction.ACKNOWLEDGE, "请签收"),
    (CaseAction.RESOLVE, "请抓紧办结"),
    (CaseAction.URGE, "请督促承办单位（可点「催办」）"),
]


class CaseDigest(CaseTx):
    """Hold a timer's notices, and fold each person's into one digest per pass."""

    async def hold_for_digest_tx(
        self, s: AsyncSession, case: Case, until: datetime, *, jump: bool = False
    ) -> None:
        """Hold the rows this transaction wrote about ``case`` (see the module docstring).

        A critical case's rows are never held: its alert goes out at once, singly.
        Only its reporter's escalation notices wait for the pass's end (trial 34 #14,
        #15): a case that passed two levels gets one notice saying how far it went, and
        a reporter whose several cases escalated one 【进展汇总】. In a clock jump
        (``jump``: the sandbox's 快进, several clock stops as one pass) its repeating
        reminders (【催办】 each day …) are held to the jump's end, where only the latest
        of each is sent, singly, never in a digest (pf29): in real time they are a day
        apart, not back to back. The first alerts (cards, 【上报督办】 to the new level)
        are never held.
        """
        rows: list[OutboxMessage] = s.info.pop(OUTBOX_ROWS, [])
        if case.severity == CRITICAL:
            outbox_digest.hold(
                [
                    r
                    for r in rows
                    if r.kind not in (KIND_CARD, KIND_PHOTOS)
                    and (
                        (jump and notice_tag(r.text))
                        or (r.person_id == case.reporter_id and is_escalation_notice(r.text))
                    )
                ],
                until,
            )
            return
        held = []
        for row in rows:
            if row.kind == KIND_CARD and await outbox_digest.has_card(s, case.id, row.chat_id):
                continue  # an edit in place: quiet, and the card must show the news
            held.append(row)
        outbox_digest.hold(held, until)

    async def fold_digests(self, now: datetime) -> tuple[int, int]:
        """Release or fold every held row (one transaction).

        Returns:
            How many digests were written and how many rows they fold.
        """
        async with self.db.session() as s:
            rows = await outbox_digest.held_rows(s)
            if not rows:
                return 0, 0
            by_chat: dict[int, list[OutboxMessage]] = defaultdict(list)
            for row in rows:
                by_chat[row.chat_id].append(row)
            critical = set(
                (
                    await s.scalars(
                        select(Case.id).where(
                            Case.id.in_({r.case_id for r in rows if r.case_id is not None}),
                            Case.severity == CRITICAL,
                        )
                    )
                ).all()
            )
            digests = folded = 0
            for all_rows in by_chat.values():
                chat_rows = self._one_escalation_notice(self._latest_only(all_rows, now), now)
                # A critical case's reminders held by a jump go out singly (the latest);
                # its reporter's escalation notices are news to summarise like others'.
                alone = [
                    r
                    for r in chat_rows
                    if r.case_id in critical and not is_escalation_notice(r.text)
                ]
                outbox_digest.release(alone, now)
                chat_rows = [r for r in chat_rows if all(r is not a for a in alone)]
                if not chat_rows:
                    continue
                case_ids = {r.case_id for r in chat_rows}
                if len(case_ids) < 2 or None in case_ids:
                    outbox_digest.release(chat_rows, now)
                    continue
                await self._fold_chat(s, chat_rows, now)
                digests += 1
                folded += len(chat_rows)
            return digests, folded

    @staticmethod
    def _latest_only(rows: Sequence[OutboxMessage], now: datetime) -> list[OutboxMessage]:
        """``rows`` without the reminders a later one of the pass repeats (trial 29 P10).

        A jump over a night fires 【催签收】 第1次 and 第2次 for the same case; the
        second says all the first did, so a chat gets the last of each case's
        reminder kind (by its head tag) and the earlier ones are folded into it.
        Cards and photos are kept as they are.
        """
        last: dict[tuple[int, str], OutboxMessage] = {}
        for row in rows:
            tag = notice_tag(row.text)
            if row.case_id is not None and row.kind not in (KIND_CARD, "photos") and tag:
                last[(row.case_id, tag)] = row
        keep = set(map(id, last.values()))
        superseded = [
            r
            for r in rows
            if r.case_id is not None
            and r.kind not in (KIND_CARD, "photos")
            and notice_tag(r.text)
            and id(r) not in keep
        ]
        outbox_digest.fold(superseded, now)
        dropped = set(map(id, superseded))
        return [r for r in rows if id(r) not in dropped]

    @staticmethod
    def _one_escalation_notice(rows: Sequence[OutboxMessage], now: datetime) -> list[OutboxMessage]:
        """``rows`` with one escalation notice per case (trial 34 #14): a pass over two
        levels wrote one per level; the last says how far it went, the others are folded."""
        notices: dict[int, list[OutboxMessage]] = defaultdict(list)
        for row in rows:
            if (
                row.case_id is not None
                and row.kind == KIND_MESSAGE
                and is_escalation_notice(row.text)
            ):
                notices[row.case_id].append(row)
        superseded: list[OutboxMessage] = []
        for same in notices.values():
            if len(same) > 1:
                same[-1].text = escalation_notice([r.text for r in same])
                superseded.extend(same[:-1])
        outbox_digest.fold(superseded, now)
        return [r for r in rows if all(r is not x for x in superseded)]

    async def _fold_chat(
        self, s: AsyncSession, rows: Sequence[OutboxMessage], now: datetime
    ) -> None:
        """One digest row for the chat of ``rows`` (several cases); the rows are folded."""
        first = rows[0]
        person = await s.get(Person, first.person_id) if first.person_id is not None else None
        case_ids = sorted({r.case_id for r in rows if r.case_id is not None})
        cases = {
            c.id: c for c in (await s.scalars(select(Case).where(Case.id.in_(case_ids)))).all()
        }
        items: dict[int, DigestItem] = {}
        photos: dict[int, set[str]] = defaultdict(set)
        handler = False
        for row in rows:
            case = cases.get(row.case_id or 0)
            if case is None:
                continue
            item = items.get(case.id)
            reporter = person is not None and person.id == case.reporter_id
            if item is None:
                view = self.view_for(case, person, now)
                item = items[case.id] = DigestItem(
                    number=view.number,
                    severity=case.severity,
                    severity_label=view.severity_label,
                    kind_label=view.kind_label,
                    snippet_of=view.text,
                    action=None if reporter or person is None else self._action(person, case),
                    kind=case.kind,
                )
            if reporter:
                line = row.text.split("\n", 1)[0]
                if line not in item.reporter_lines:
                    item.reporter_lines.append(line)
                continue
            handler = True
            if row.kind == KIND_PHOTOS:
                photos[case.id].update(str(p) for p in (row.reply_markup or {}).get("photos", ()))
                item.photos = len(photos[case.id])
                continue
            if row.kind == KIND_CARD:
                # The card never reached this chat: 查看 brings it, and every photo of it.
                item.new_card = True
                photos[case.id].update(str(p) for p in case.photo_file_ids or ())
                item.photos = len(photos[case.id])
                if row.id is not None and await outbox_digest.card_folded_before(
                    s, case.id, row.chat_id, row.id
                ):
                    # An earlier digest told of it: 新转来 once (trial 32 D6).
                    continue
            owner = person is not None and person.unit_id == case.owning_unit_id
            words = event_words(row.text, row.kind == KIND_CARD, owner=owner)
            desk = person is not None and person.unit_id == self.district.dispatcher
            if row.kind == KIND_CARD and desk and not owner:
                # The desk: a case dispatched already is no 新转来 to 派单 (trial 33b E18).
                words = _card_state(case) or words
            if words.startswith(ESCALATED_WORDS):
                # Where it is now: a later escalation of the pass replaces an earlier one.
                item.events[:] = [e for e in item.events if not e.startswith(ESCALATED_WORDS)]
            if words not in item.events:
                item.events.append(words)
        for item in items.values():
            if not item.events and not item.reporter_lines:
                item.events.append(STILL_OPEN)
        text = digest_text(list(items.values()), handler=handler)
        markup = self._digest_buttons(cases, items) if handler else None
        s.add(
            outbox_row(
                chat_id=first.chat_id,
                person_id=first.person_id,
                text=text,
                reply_markup=markup,
                now=now,
                priority=min(r.priority for r in rows),
            )
        )
        outbox_digest.fold(rows, now)

    async def photos_on_open(self, case_id: int, viewer_id: int, chat_id: int) -> int:
        """查看 showed the card of ``case_id`` in ``chat_id``: queue the case's photos that
        chat has not got (folded into a digest with a card it never received, or failed),
        by their file_id, right after the card. None for the reporter (they are theirs)
        or for someone who may not view the case.

        Returns:
            How many photos were queued.
        """
        async with self.db.session() as s:
            viewer = await self._person(s, viewer_id)
            case = await s.get(Case, case_id)
            if (
                case is None
                or viewer.chat_id != chat_id
                or viewer.id == case.reporter_id
                or not self.may_view(viewer, case)
            ):
                return 0
            on_way = await outbox_digest.photos_on_their_way(s, case.id, chat_id, retry_failed=True)
            sent = on_way.get(chat_id, set())
            owed = [str(p) for p in case.photo_file_ids or () if str(p) not in sent]
            if owed:
                self._photos(s, viewer, case, owed, self.clock.now())
            return len(owed)

    def _action(self, person: Person, case: Case) -> str:
        top = case.escalated_to_unit_id
        if (
            top is not None
            and person.unit_id not in (top, case.owning_unit_id)
            and person.unit_id in self.responsible_units(case)
        ):
            # A lower level of 督办 the case has gone above: it is told, not asked to
            # urge as if it were still its step (trial 32 D6).
            return f"已由{self.unit_name(top)}督办，请关注"
        allowed = self.actions_for(person, case)
        if CaseAction.URGE in allowed and person.unit_id != case.owning_unit_id:
            # The supervising level of a case another unit holds: its step is to urge
            # that unit; 改派 (trial 32 D14) is the fallback its card also offers.
            if CaseAction.DISPATCH in allowed or CaseAction.CHOOSE_ROOM in allowed:
                return "请督促承办单位（可点「催办」，必要时改派）"
            return dict(_ACTION_WORDS)[CaseAction.URGE]
        for action, words in _ACTION_WORDS:
            if action in allowed:
                if action in (CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM) and (
                    case.status not in _AT_DESK
                ):
                    # Already dispatched: the desk's step is 改派, not 派单 (trial 33b E18).
                    return "请督促承办单位，必要时可改派"
                return words
        return "请关注"

    def _digest_buttons(
        self, cases: dict[int, Case], items: dict[int, DigestItem]
    ) -> dict[str, Any] | None:
        rank = {"low": 0, "medium": 1, "high": 2}
        # A case whose card the person has not got comes first and always has its button:
        # 查看 is how its card (and photos) reach them.
        order = sorted(
            items, key=lambda cid: (not items[cid].new_card, -rank.get(items[cid].severity, 0))
        )
        new = sum(1 for cid in order if items[cid].new_card)
        limit = min(max(MAX_BUTTONS, new), MAX_NEW_BUTTONS)
        buttons = [
            nt.button(
                self.codec, f"查看 {items[cid].number}", CaseAction.REFRESH, cid, cases[cid].version
            )
            for cid in order[:limit]
        ]
        return nt.keyboard(buttons[i : i + 2] for i in range(0, len(buttons), 2))


#: Statuses in which a case waits at the desk for its first 派单.
_AT_DESK = frozenset({CaseStatus.REGISTERED.value, CaseStatus.RETURNED.value})


def _card_state(case: Case) -> str | None:
    """A card passed on to a unit other than the owner, by the case's real state: an
    escalated case already dispatched is no 新转来的案件 to dispatch (trial 33b E18)."""
    level = case.escalation_level or 0
    if case.status in _AT_DESK or level <= 0:
        return None
    if case.status == CaseStatus.DISPATCHED.value:
        return f"超期未签收，已上报第{level}级"
    if case.status in _HANDLING:
        return f"超过办结时限，已上报第{level}级"
    return None


_HANDLING = frozenset(
    s.value for s in (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED)
)
