"""What the handlers read of a reporter's 补充说明 (split from :mod:`.reporter_acts`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.services import notification_reporter as nr
from bot.services.cases.model import CaseView
from bot.services.triage import danger_sentence
from nlp.emergency import Emergency


def note_ping(note: str, danger: Emergency | None) -> Callable[[CaseView], str]:
    """The handlers' notice of a 补充: 【紧急补充】 with the danger sentence first when
    ``note`` tells of danger now (``danger``), else the ordinary one."""
    if danger is None:

        def ordinary(view: CaseView) -> str:
            return nr.staff_note_added(view, note)

        return ordinary
    sentence = danger_sentence(note) or note
    services = danger.services

    def urgent(view: CaseView) -> str:
        return nr.staff_danger_note(view, note, sentence, services)

    return urgent


def elsewhere_ping(note: str, number: str, joined: bool) -> Callable[[CaseView], str]:
    """The handlers' notice of danger now added to a routine case: filed as the emergency
    ``number``, or added to that open emergency (``joined``)."""

    def pointed(view: CaseView) -> str:
        return nr.staff_note_danger_elsewhere(view, note, number, joined)

    return pointed


def unsigned_ping(note: str, waited: str) -> Callable[[CaseView], str]:
    """The handlers' fresh alert of a note on a self-harm case nobody has signed."""

    def alert(view: CaseView) -> str:
        return nr.staff_unsigned_crisis_note(view, note, waited)

    return alert


def note_data(
    note: str,
    media: Sequence[tuple[str, str]],
    danger: Emergency | None,
    *,
    farewell: bool = False,
    denial: bool = False,
) -> dict[str, object] | None:
    """The ``note_added`` event's data: the media sent on, and the danger now it tells of
    (``"farewell"``: a farewell on a self-harm case, trial 33b E2); ``denies_split``: the
    reporter says the case split off in the staff's words is not theirs (trial 34 #2)."""
    data: dict[str, object] = {"danger": "farewell"} if farewell else {}
    if denial:
        data["denies_split"] = True
    if media:
        data["media"] = [{"type": k, "file_id": f} for k, f in media]
    if danger is not None:
        data["danger"] = {
            "kind": danger.kind,
            "services": list(danger.services),
            "sentence": danger_sentence(note) or note,
        }
    return data or None


def farewell_ping(note: str) -> Callable[[CaseView], str]:
    """The handlers' alert of a farewell on an open self-harm case (trial 33b E2)."""

    def alert(view: CaseView) -> str:
        return nr.staff_farewell_note(view, note)

    return alert
