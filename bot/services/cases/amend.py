"""Details an officer adds to a warning already filed: place, head count, photos.

A warning is filed and sent the moment the officer confirms it; the optional
steps that follow (地点, 人数, 照片) amend the filed case instead of holding it
back. Each amendment is a ``details_added`` event, redraws the cards, pings
the responsible units with what was added (photos alone get no ping: they are
their own message) and sends the added photos to everyone who has the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.services import notifications as nt
from bot.services.cases.model import CaseView, _clean
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import CaseError, EventType, record
from storage.enums import CaseKind, Channel

#: Most photos one warning keeps.
MAX_WARNING_PHOTOS = 10


class CaseAmend(CaseTx):
    """Details added to a filed warning by the officer who filed it."""

    async def add_warning_details(
        self,
        officer_id: int,
        case_id: int,
        *,
        place: str | None = None,
        head_count: int | None = None,
        photo_file_ids: Sequence[str] = (),
        location: tuple[float, float] | None = None,
        channel: str = Channel.TELEGRAM,
    ) -> CaseView:
        """Add a place, a shared location, a head count or photos to the officer's own warning.

        Nothing given changes nothing (no event, no message).

        Raises:
            CaseError: ``not_found``; ``forbidden`` (not a warning, or not the
                officer's own); ``bad_input`` (a negative head count).
        """
        if head_count is not None and head_count < 0:
            raise CaseError("bad_input", "人数不能为负数。")
        async with self.db.session() as s:
            now = self.clock.now()
            officer = await self._person(s, officer_id)
            case = await self._lock(s, case_id)
            if case.kind != CaseKind.WARNING.value or case.reporter_id != officer.id:
                raise CaseError("forbidden", "只能补充您本人报送的预警。")
            added: dict[str, Any] = {}
            cleaned = _clean(place, 500)
            if cleaned:
                if case.address and case.address != cleaned:
                    added["was_place"] = case.address  # a correction keeps what it replaced
                case.address = cleaned
                added["place"] = cleaned
            if location is not None:
                case.latitude, case.longitude = location
                added["location"] = [round(location[0], 5), round(location[1], 5)]
            if head_count is not None:
                if case.head_count is not None and case.head_count != head_count:
                    added["was_head_count"] = case.head_count
                case.head_count = head_count
                added["head_count"] = head_count
            room = MAX_WARNING_PHOTOS - len(case.photo_file_ids or [])
            photos = [str(p) for p in photo_file_ids][: max(room, 0)]
            if photos:
                case.photo_file_ids = [*(case.photo_file_ids or []), *photos]
                added["photos"] = len(photos)
            if not added:
                return self.view_for(case, officer, now)
            await record(
                s,
                case,
                EventType.DETAILS_ADDED,
                now=now,
                actor_id=officer.id,
                channel=channel,
                data=added,
            )
            # Photos speak for themselves (their own message, captioned with the case
            # number, right after the redrawn card): a ping only announces words.
            pings = (
                [(self.responsible_units(case), lambda v: nt.details_added(v, added))]
                if set(added) - {"photos"}
                else []
            )
            await self.publish_tx(s, case, now, pings=pings, new_photos=photos)
            return self.view_for(case, officer, now)
