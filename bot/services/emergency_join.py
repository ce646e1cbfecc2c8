"""When a citizen's danger message joins their open emergency (stop 32 #1, #2).

A citizen whose danger-now case is open often writes again: what happens next, where
they are, how it came about. Those words belong on that case (【紧急补充】: every unit
its alert reached told again, the unit answering for a new danger given the card), not
on a second critical case that asks once more for the place and a phone. A different
event is a case of its own. The rule, for the same citizen:

1. **The same kind** of danger (a second fire message, 我现在已经站在楼顶了 after a
   self-harm report) joins within :data:`SAME_KIND_WINDOW` of the last word on it.
2. Within :data:`NEAR` of the last word on it, a danger of another kind joins when
   - it is **worded as going on** with what was told (:func:`nlp.continuation.continues_earlier`:
     是被人拿刀砍的 after 有人受伤了, 又有一个人被困在里面了, 他又回来了 拿着刀), or
   - it **names no specific danger** itself (门被堵住了出不去 在502, 救命 again: the model's
     危险情况 and a bare cry, :data:`UNSPECIFIC`), or
   - the first message **named none** (救命, then 着火了).
3. Anything else is a new emergency: another kind, told without a tie (我妈晕倒了 没有呼吸
   after a fire; 小区门口有人拿刀砍人 after 火还在烧), or told after :data:`NEAR`. Nothing is
   lost either way: a new case is filed critical and dispatched as the first was.

Before stop 32 any danger that no rubric family owned joined whatever emergency was
open, and a family-owned danger never joined one of another kind, even when it
explained it (是被人拿刀砍的 opened a second case).
"""

from __future__ import annotations

from datetime import timedelta

from nlp.continuation import continues_earlier

__all__ = ["NEAR", "SAME_KIND_WINDOW", "UNSPECIFIC", "UPDATE_WINDOW", "same_emergency"]

#: How long after the last word on an emergency a further message of the same kind joins it
#: (review 32: it was 48 h, and a second fire the next day joined the first, closed over
#: by its handlers, instead of being dispatched as the new event it is). Six hours cover
#: a long incident — a fire that flares up again, a siege, a search at night — each word on
#: it restarting the window, and end before the next day's event; the case must still be
#: open as well (a final one takes nothing: the message is filed anew).
SAME_KIND_WINDOW = timedelta(hours=6)
#: How long after the last word on an emergency what the citizen sends that is *not*
#: danger now (火已经被扑灭了, 消防车怎么还没来) is read as an update on it.
UPDATE_WINDOW = timedelta(hours=48)
#: How long after the last word on an emergency a danger of another kind may still be
#: part of it (worded as going on, or no specific danger on one side).
NEAR = timedelta(hours=1)
#: Danger kinds that name no specific danger: the model's 危险情况 (门被堵住了出不去) and a
#: bare cry for help (救命, 救救我).
UNSPECIFIC = frozenset({"danger", "distress"})


def same_emergency(first_kind: str, kind: str, text: str, since: timedelta) -> bool:
    """Whether danger now of ``kind`` written as ``text``, ``since`` the last word on an
    open emergency of ``first_kind``, is about that emergency (the module's rule).

    >>> same_emergency("injury", "violence", "是被人拿刀砍的", timedelta(minutes=2))
    True
    >>> same_emergency("fire", "injury", "我妈晕倒了 没有呼吸", timedelta(minutes=20))
    False
    """
    if kind == first_kind:
        return since <= SAME_KIND_WINDOW
    if since > NEAR:
        return False
    return kind in UNSPECIFIC or first_kind in UNSPECIFIC or continues_earlier(text)
