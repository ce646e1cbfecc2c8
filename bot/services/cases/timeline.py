"""The case's timeline: its events as the viewer may read them."""

from __future__ import annotations

from typing import Any

from bot.services import notifications as nt
from bot.services.cases.model import TimelineEntry, mask_id_numbers
from bot.services.cases.views import CaseViews
from bot.services.lifecycle import NO_SUCH_CASE, CaseError, EventType, status_label
from bot.services.notification_labels import shown_to_reporter
from nlp import mask_sensitive
from nlp.families import SELF_HARM
from storage import cases as store
from storage.models import Person

#: Events a self-harm reporter's timeline leaves out: supervision and deadlines.
_NOT_FOR_CARE = frozenset({"escalated", "urged", "extension_approved"})


class CaseTimeline(CaseViews):
    """The timeline of a case, for its reporter, its units and the dashboard."""

    async def timeline(
        self, case_id: int, viewer_id: int | None = None, *, reader: Person | None = None
    ) -> list[TimelineEntry]:
        """The case's events, oldest first.

        With ``viewer_id`` the viewer's permission is checked; a reporter who is
        not also a handler sees neither the names of the people who acted nor
        internal notes (退单 reasons, 上报 remarks). ``reader``: the person the
        timeline is shown to when the caller checked the permission (the dashboard).

        A private disclosure read by someone outside the reporter, the owning unit
        and the desk (:meth:`_summary_for`, the card's rule) keeps its steps but
        loses every written word: 补充说明, 办理记录, 办结 and 退单 notes repeat or
        answer the disclosure.

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            case = await store.get_case(s, case_id)
            if case is None:
                raise CaseError("not_found", NO_SUCH_CASE)
            internal = True
            if viewer_id is not None:
                viewer = await self._person(s, viewer_id)
                if not self.may_view(viewer, case):
                    raise CaseError("forbidden", NO_SUCH_CASE)
                internal = viewer.id != case.reporter_id or self.may_act(viewer, case)
                reader = viewer
            summary = reader is not None and self._summary_for(reader, case)
            # A note reads as the card's text does for this reader (trial 33 D9).
            contact = reader is None or self.sees_contact(reader, case)

            def shown_note(note: str | None) -> str | None:
                if note is None or reader is None:
                    return note
                return mask_id_numbers(note) if contact else mask_sensitive(note)

            events = await store.case_events(s, case_id)
            actor_ids = {e.actor_id for e in events if e.actor_id is not None}
            names: dict[int, str] = {}
            units: dict[int, str] = {}
            for pid in actor_ids:
                p = await s.get(Person, pid)
                if p is not None:
                    names[pid] = p.name
                    units[pid] = self.unit_name(p.unit_id) if p.unit_id else ""
            # Someone who wrote of harming themselves is told of no 督办, 催办 or 延期
            # (trial 26 T4): the deadlines are the units' business.
            care = not internal and any(
                e.type == EventType.REGISTERED.value
                and isinstance(e.data, dict)
                and e.data.get("emergency") == SELF_HARM
                for e in events
            )
            # An officer sees the level of their own warning change, with its reason
            # (trial 28 P11): it is their report's level, not the units' business.
            own_level = case.kind == "warning"
            out: list[TimelineEntry] = []
            for e in events:
                level = own_level and e.type == EventType.SEVERITY_CHANGED.value
                if not internal and not shown_to_reporter(e.type, e.from_status) and not level:
                    continue  # 催签收, 催办, the desk's 派单超时 are the units' business
                if care and e.type in _NOT_FOR_CARE:
                    continue
                hide = not internal and e.type in (EventType.RETURNED, EventType.ESCALATED)
                labels = nt.EVENT_LABELS if internal else nt.PUBLIC_EVENT_LABELS
                label = labels.get(e.type, e.type)
                if level and not internal:
                    label = _level_label(e.data)
                out.append(
                    TimelineEntry(
                        at=e.created_at,
                        type=e.type,
                        label=label,
                        from_status=e.from_status,
                        to_status=e.to_status,
                        status_label=status_label(e.to_status) if e.to_status else "",
                        unit_id=e.unit_id,
                        unit_name=self.unit_name(e.unit_id),
                        actor_id=e.actor_id if internal else None,
                        actor_name=names.get(e.actor_id) if internal and e.actor_id else None,
                        actor_unit_name=units.get(e.actor_id, "")
                        if internal and e.actor_id
                        else "",
                        channel=e.channel,
                        note=None if hide or summary else shown_note(e.note),
                        data=_summary_data(e.data)
                        if summary
                        else dict(e.data or {})
                        if internal
                        else _own_answer(e.type, e.data),
                    )
                )
            return out


def _own_answer(kind: str, data: object) -> dict[str, Any]:
    """What a reporter keeps of an event's payload: their own 回访 answer (solved and
    satisfaction, which /status shows them, trial 30 #17); nothing else."""
    if kind != EventType.FOLLOWED_UP.value or not isinstance(data, dict):
        return {}
    return {k: data[k] for k in ("solved", "satisfaction") if k in data}


def _summary_data(data: object) -> dict[str, Any]:
    """What a summary reader keeps of an event's payload: levels and units, no words."""
    if not isinstance(data, dict):
        return {}
    keep = ("from", "to", "to_unit_id", "reason", "level", "after_filing")
    # A code (ack_overdue, low, police) stays; words (an extension's reason) do not.
    return {
        k: data[k]
        for k in keep
        if k in data
        and (not isinstance(data[k], str) or data[k].isascii())
        and not isinstance(data[k], list | dict)
    }


def _level_label(data: object) -> str:
    """A level change in words for the officer who reported the warning: 等级调整为“较大”
    （原为“特别重大”）."""
    labels = nt.SEVERITY_LABELS
    if not isinstance(data, dict) or not isinstance(data.get("to"), str):
        return nt.EVENT_LABELS["severity_changed"]
    was, now = data.get("from"), data["to"]
    before = f"（原为“{labels.get(was, was)}”）" if isinstance(was, str) else ""
    return f"等级调整为“{labels.get(now, now)}”{before}"
