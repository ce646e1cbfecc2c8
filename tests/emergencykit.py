"""The emergency line as a person reads it, for tests that wait for it in any channel.

``⚠️ 情况紧急，请立即拨打 110（报警）；不便通话可发短信至 12110。``
(:func:`nlp.emergency.emergency_line`) is matched as that line naming the number, never
as the digits anywhere: case numbers (MQ20261207…) and the SMS number 12110 hold 110, 119
or 120.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.fakeapi import ChatMessage

#: How the emergency line opens, as a person reads it (``⚠️ 情况紧急，请立即拨打 110（报警）；…``).
EMERGENCY_LINE = "情况紧急，请立即拨打"


def tells_to_call(text: str, *numbers: str) -> bool:
    """Whether ``text`` holds the emergency line telling the person to call each of ``numbers``.

    Not the digits anywhere in the text: a case number (MQ20261207…) or a phone number
    may hold 110, 119 or 120. The number stands in the line as ``110（报警）``.
    """
    return any(
        EMERGENCY_LINE in line and all(f"{n}（" in line for n in numbers)
        for line in text.splitlines()
    )


def calls(*numbers: str) -> Callable[[ChatMessage], bool]:
    """A bot message whose emergency line tells the person to call each of ``numbers``
    (:func:`tells_to_call`)."""

    def match(m: ChatMessage) -> bool:
        return tells_to_call(m.content, *numbers)

    return match
