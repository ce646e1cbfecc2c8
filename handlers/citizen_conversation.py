"""The citizens' conversations wired (split from :mod:`handlers.citizen`): the request
conversation with its optional steps, the follow-up, /which and /status.

The order of the handlers decides who gets an update; the request conversation's entry
points include every button that proposes a description (so a proposal shown outside it
works the same way).
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import (
    emergency_steps,
    followup,
    other_matter,
    refused_note,
    reporter_acts,
    request_guard,
    split_reply,
    staff_text,
    step_media,
    texts,
    two_matters_offer,
)
from handlers import proposal_buttons as buttons
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    is_persistent,
    quiet_per_message_warning,
)
from handlers.citizen import (
    cancel,
    describe,
    describe_as_citizen,
    describe_kept,
    describe_text,
    menu_in_conversation,
    photos_step,
)
from handlers.emergency_filing import emergency_first
from handlers.flow import expiring, unknown_in_step_handler
from handlers.followup import show_status
from handlers.office_choice import back_to_proposal, choose_bureau, choose_room, other_rooms, which
from handlers.request_steps import (
    CONTACT,
    LOCATION,
    PHOTOS,
    PROPOSE,
    community_chosen,
    contact_shared,
    contact_text,
    location_shared,
    location_text,
    photo_added,
    photo_step_media,
)


def register(application: App) -> None:
    """Add the follow-up and request conversations, /which and /status."""
    persistent = is_persistent(application)
    fresh = expiring("draft")
    reporter_acts.register(application)
    with quiet_per_message_warning():
        follow_ups = followup.conversation(application)
        ui = re.escape(texts.UI)
        # The proposal's buttons, also entry points: a proposal shown outside this
        # conversation (a citizen's /warn TEXT) works the same way.
        proposal_buttons: list[BaseHandler[Update, BotContext, object]] = [
            CallbackQueryHandler(fresh(buttons.submit), pattern=rf"^({ui}sub|{ui}desk):\d+$"),
            CallbackQueryHandler(fresh(other_rooms), pattern=rf"^{ui}other:\d+$"),
            CallbackQueryHandler(fresh(choose_room), pattern=rf"^{ui}room:[a-z0-9_]+:\d+$"),
            CallbackQueryHandler(fresh(choose_bureau), pattern=rf"^{ui}bur:[a-z0-9_]+:\d+$"),
            CallbackQueryHandler(fresh(back_to_proposal), pattern=rf"^{ui}back:\d+$"),
            CallbackQueryHandler(
                fresh(buttons.just_asking_with(describe_kept)), pattern=rf"^{ui}ask:\d+$"
            ),
            *two_matters_offer.buttons(),
            # 是，作为新情况反映 is the handler's choice to file it (trial 29 P5).
            *refused_note.buttons(describe_as_citizen),
            *staff_text.buttons(describe_as_citizen),
            # 另行登记这件事: the routine matter told beside a danger (trial 32 D16).
            *other_matter.buttons(describe_text),
            # 是对第2件的说明 / 是一件新的事: a denial with a matter of its own (stop 35 #5).
            *split_reply.buttons(describe_text),
        ]
        captioned: BaseHandler[Update, BotContext, object] = MessageHandler(
            PRIVATE & filters.PHOTO & filters.CAPTION,
            fresh(request_guard.photo_describer(describe)),
        )
        requests: ConversationHandler[BotContext] = ConversationHandler(
            # 继续提交 / 放弃草稿 also enter: a draft kept while an emergency was handled
            # outlives the emergency's details step, which ends the conversation (trial 26 T16).
            entry_points=[
                MessageHandler(PRIVATE_TEXT, describe),
                *proposal_buttons,
                *request_guard.draft_buttons(describe_kept),
                captioned,
            ],
            states={
                PROPOSE: [*proposal_buttons, MessageHandler(PRIVATE_TEXT, describe), captioned],
                **emergency_steps.states(),
                LOCATION: [
                    MessageHandler(PRIVATE & filters.LOCATION, fresh(location_shared)),
                    MessageHandler(PRIVATE_TEXT, fresh(emergency_first(location_text))),
                    CallbackQueryHandler(
                        fresh(community_chosen), pattern=rf"^{ui}comm:[a-z0-9_]+$"
                    ),
                    *step_media.handlers(LOCATION, fresh),  # trial 31 #14
                ],
                CONTACT: [
                    MessageHandler(PRIVATE & filters.CONTACT, fresh(contact_shared)),
                    MessageHandler(PRIVATE_TEXT, fresh(emergency_first(contact_text))),
                    *step_media.handlers(CONTACT, fresh),
                ],
                PHOTOS: [
                    MessageHandler(PRIVATE & filters.PHOTO, fresh(photo_added)),
                    MessageHandler(PRIVATE_TEXT, fresh(emergency_first(photos_step))),
                    *photo_step_media(fresh),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", cancel, filters=PRIVATE),
                CommandHandler("start", request_guard.restart, filters=PRIVATE),
                *request_guard.draft_buttons(describe_kept),
                CallbackQueryHandler(menu_in_conversation, pattern=rf"^{ui}menu:(report|which)$"),
                # /foo in the optional steps: one answer, the draft still waits (pf31 #4).
                unknown_in_step_handler(application),
            ],
            name="citizen_request",
            persistent=persistent,
        )
    application.add_handler(follow_ups)
    application.add_handler(requests)
    application.add_handler(CommandHandler("which", which, filters=PRIVATE))
    application.add_handler(CommandHandler("status", show_status, filters=PRIVATE))
