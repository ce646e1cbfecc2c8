"""An officer's correction right after a warning was filed amends it (trial 34 #8).

After ``/warn 阳光社区有十几户居民…准备下周去区政府上访`` was filed, the officer's
「不对，是二十几户」 reached the citizens' path and was proposed as a new request with a
department picker: one tap filed the fragment as a case of its own. Now a text that
corrects a fact (:func:`nlp.fact_correction.fact_correction`) sent within
:data:`WINDOW` of the officer's last filed warning, outside any step, is added to that
warning as 补充说明 (the owner and the units told are notified, as for the receipt's
button), and the officer is told so, with the way to file another matter. Danger now is
handled before this (the line and the filing never wait).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update

from bot.services.cases import CaseView
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from handlers.base import BotContext, is_stale, stamp, user_data
from nlp.fact_correction import fact_correction

log = logging.getLogger(__name__)

#: ``user_data`` key of the officer's last filed warning: ``{"at", "case_id", "number"}``.
LAST = "warn_filed"
#: How long after the filing a correction is read as the warning's.
WINDOW = timedelta(minutes=30)


def remember(context: BotContext, view: CaseView) -> None:
    """Keep ``view`` as the officer's last filed warning."""
    user_data(context)[LAST] = {"at": stamp(context), "case_id": view.id, "number": view.number}


async def takes(update: Update, context: BotContext, person: PersonInfo, text: str) -> bool:
    """Add ``text`` to the officer's warning just filed if it corrects a fact of it."""
    item = user_data(context).get(LAST)
    if not isinstance(item, dict) or not isinstance(item.get("case_id"), int):
        return False
    if is_stale(context, item, WINDOW) or fact_correction(text) is None:
        return False
    try:
        # The service's receipt is the one acknowledgement (stop 35 D17).
        await context.runtime.cases.add_reporter_note(
            person.id, item["case_id"], text, correction=True
        )
    except CaseError as exc:  # over or not the officer's: read as before
        log.info("correction of warning %s not added: %s", item.get("number"), exc.code)
        user_data(context).pop(LAST, None)
        return False
    return True
