"""Whether words written beside an open crisis or emergency case are a problem of their own.

Someone whose self-harm case or danger-now report is open writes again. Their words go
to that case (补充说明) unless they name an office's matter of its own (pf30 #3): 我家楼上
漏水 two days after 我不想活了 is a request, proposed as usual, while 我一个人住，没人照顾
and 火已经被扑灭了，没有人受伤 belong to the case. The rule lives here, in the domain;
the handlers (:mod:`handlers.crisis`, :mod:`handlers.emergency_open`) ask the classifier
and apply it (pf31 #7).
"""

from __future__ import annotations

import re

from bot.services.cases import Preview
from bot.services.disclosures import disclosure_kind
from bot.services.triage import Triage
from nlp.normalize import to_simplified

__all__ = ["ROUTINE_FLOOR", "may_be_routine", "names_an_office", "standing_matter"]

#: The classifier's confidence from which a text names an office's matter of its own
#: while a self-harm case is open (pf30 #3): 我家楼上漏水 0.57, 我家隔壁装修太吵了 0.50,
#: 房东要把我赶出去 0.32 — against a stray word in the person's own words: 我一个人住，没人
#: 照顾 0.10, 工作丢了，房租也交不起 0.06, 我还是很难受 0.0 (``minqing classify TEXT``).
ROUTINE_FLOOR = 0.3


def may_be_routine(text: str, verdict: Triage | None) -> bool:
    """Whether ``text`` may be a problem of its own, to be asked of the classifier: it
    reads as a request and discloses no violence or self-harm (those stay with the
    person's case)."""
    return verdict is not None and verdict.kind == "request" and disclosure_kind(text) is None


def names_an_office(preview: Preview, *, unsure: bool) -> bool:
    """Whether the classifier's ``preview`` of such a text names an office's matter: a
    sure answer, or an unsure one (``unsure``: the picker would be offered) with a room,
    its keywords and :data:`ROUTINE_FLOOR` confidence or more. Every keyword counts here,
    not only those shown as 判断依据 (review 1, R8)."""
    words = preview.keywords_all or preview.keywords
    return not unsure or (
        bool(preview.room_name) and bool(words) and preview.confidence >= ROUTINE_FLOOR
    )


#: Words of a standing problem, told by how long it has lasted or how often it comes back
#: (好几天没人清运, 一直没批下来, 天天晚上): no update on an emergency of the last hours
#: (trial 35 D5).
_STANDING_RE = re.compile(
    r"好几天|几天了|好多天|多天|一个星期|一周了|几个星期|一个月|几个月|好几个月|半年|一年|好几年|"
    r"好久|很久|一直没|一直不|长期|天天|每天|每晚|经常|总是|老是|三天两头"
)


def standing_matter(text: str, preview: Preview) -> bool:
    """Whether ``text`` (``preview``: its office alone) tells a standing
    problem of an office's (trial 35 D5): a room and its keywords, with words of how long
    it has lasted (我家楼下的垃圾好几天没人清运了, 0.26 sure of 环保局 alone). Such a text is
    a matter of its own beside an open emergency, however unsure the classifier is of its
    office; an update on the emergency (火已经被扑灭了) tells no duration."""
    words = preview.keywords_all or preview.keywords
    return (
        bool(preview.room_name)
        and bool(words)
        and _STANDING_RE.search(to_simplified(text)) is not None
    )
