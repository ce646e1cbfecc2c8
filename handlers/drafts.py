"""Drafts of a citizen's problems: older proposals kept usable, place or another problem.

* A proposal's buttons keep working after a newer problem was typed: the older
  unsubmitted drafts are kept (a few of them) and made current again on a press.
* Text at the location step that reads like another problem is asked about
  (是地点 / 是另一个问题) instead of being saved as the address.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import Update

from handlers.base import reply
from handlers.texts import steps as st

#: Older unsubmitted drafts kept for their proposal's buttons (``user_data`` key, how many).
OLDER = "older_drafts"
MAX_OLDER = 3


# --- older drafts ------------------------------------------------------------------------


def next_problems(value: object) -> list[str]:
    """The problems kept for later in ``value`` (a list; an older draft's single text)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def keep_next(draft: dict[str, Any], text: str) -> None:
    """Keep ``text`` as a problem proposed once ``draft`` is filed, after any kept before
    (the second matter of a 分开登记, trial D3). Each stays a matter of its own, proposed
    and filed on its own, never joined to another (review 1, R2)."""
    kept = next_problems(draft.get("next"))
    draft["next"] = kept if text in kept else [*kept, text]


def keep_behind(data: dict[str, Any], first: str, rest: list[str], key: str) -> None:
    """After ``first`` of the kept problems was proposed: the ``rest`` wait behind it, one
    matter each (in its draft's ``next``; in ``data[key]`` if it did not become the draft)."""
    draft = data.get("draft")
    for text in rest:
        if isinstance(draft, dict) and draft.get("text") == first and "step" not in draft:
            keep_next(draft, text)
        else:
            data.setdefault(key, []).append(text)


def keep_older(data: dict[str, Any]) -> None:
    """Before a new description replaces the draft: keep an unsubmitted one for its buttons
    (a proposal's, or 继续提交 of one kept in its steps while an emergency was handled)."""
    draft = data.get("draft")
    if not isinstance(draft, dict) or not draft.get("text"):
        return
    older = [d for d in data.get(OLDER) or [] if isinstance(d, dict)]
    data[OLDER] = [*older, draft][-MAX_OLDER:]


def start_draft(
    data: dict[str, Any], at: str, text: str, guess: str, *, unsure: bool
) -> dict[str, Any]:
    """A new description becomes the draft, with the next serial (its buttons name it); an
    unsubmitted draft it replaces is kept for its buttons (:func:`keep_older`)."""
    serial = int(data.get("draft_seq", 0)) + 1
    data["draft_seq"] = serial
    keep_older(data)
    draft: dict[str, Any] = {
        "n": serial,
        "at": at,
        "text": text,
        "room": None,
        "bureau": None,
        "photos": [],
        "unsure": unsure,
        "guess": guess,
    }
    data["draft"] = draft
    return draft


def take_older(data: dict[str, Any], serial: int | None) -> dict[str, Any] | None:
    """The older draft with ``serial``, made current (the current one kept in its place)."""
    older = [d for d in data.get(OLDER) or [] if isinstance(d, dict)]
    found = next((d for d in older if d.get("n") == serial), None)
    if found is None:
        return None
    rest = [d for d in older if d is not found]
    current = data.get("draft")
    if isinstance(current, dict) and "step" not in current:
        rest.append(current)
    data[OLDER] = rest[-MAX_OLDER:]
    data["draft"] = found
    return found


# --- the location step: a place, or another problem? -------------------------------

#: Words that say "this is a problem", not a place.
_PROBLEM_RE = re.compile(
    r"另外|还有一个|还有个|坏了|停了|没人管|没人来|没人修|困难|怎么办|投诉|反映|拖欠|不发|太差"
    r"|严重|扰民|噪音|漏水|堵了|堵塞|破损|不给|不让|不管|好几天|一个月|几个月|半年|影响"
)
#: Words and shapes of an address.
_PLACE_RE = re.compile(
    r"\d+\s*(?:号|栋|幢|楼|单元|室|层|弄|巷)|路|街|巷|村|小区|社区|门口|附近|对面|旁边"
)


def looks_like_place(text: str) -> bool:
    """Whether text has the words or shape of an address (路, 小区, 12号 …)."""
    return _PLACE_RE.search(text) is not None


#: How another matter is opened (还有我们厂食堂很脏…, 对了，…): never an address.
_ANOTHER_RE = re.compile(r"^(?:还有|另外|对了|顺便|再反映|再说一下|再说个|我还要|我还想)")
#: Complaint words beyond :data:`_PROBLEM_RE`'s (trial 29 P7: 很脏, 拉肚子 …).
_COMPLAINT_RE = re.compile(
    r"很脏|太脏|脏乱|拉肚子|中毒|发臭|很臭|太吵|吵得|乱收费|乱扔|乱停|乱搭|欠薪|没发工资|不交|"
    r"不退|不还|被打|打人|骂人|威胁|欺负|克扣|违建"
)
#: Sentence punctuation: an address is a phrase, a complaint is sentences.
_SENTENCE_RE = re.compile(r"[，,。！!？?；;]")


def looks_like_problem(text: str) -> bool:
    """Whether text typed at the location step reads like a problem description.

    Asked about (是地点 / 是另一个问题), never saved silently as the address: text of
    8 characters or more that opens another matter (还有…, 对了…), holds a
    complaint's words, or is sentences (a comma or a full stop, over 15 characters)
    without an address's words; or is over 30 characters without them.
    """
    text = text.strip()
    if len(text) < 8:
        return False
    if _PROBLEM_RE.search(text) or _ANOTHER_RE.search(text) or _COMPLAINT_RE.search(text):
        return True
    if _PLACE_RE.search(text):
        return False
    return len(text) > 30 or (len(text) > 15 and _SENTENCE_RE.search(text) is not None)


async def location_guard(update: Update, draft: dict[str, Any], text: str) -> bool:
    """Ask about text that reads like a problem (True: asked, stay at the step)."""
    pending = draft.pop("maybe_address", None)
    if isinstance(pending, str):
        if text == st.ADDRESS_LABEL:
            draft["address"] = pending[:500]
            return False
        if text == st.ANOTHER_PROBLEM_LABEL:
            keep_next(draft, pending)
            await reply(update, st.ANOTHER_PROBLEM_KEPT)
            return False
        if not looks_like_problem(text):
            # 跳过, or an address typed instead: the problem it read like is kept as
            # the next one, never dropped (trial 29 V5).
            keep_next(draft, pending)
            await reply(update, st.ANOTHER_PROBLEM_KEPT)
            return False
    if looks_like_problem(text):
        draft["maybe_address"] = text
        await reply(update, st.address_or_problem(text), st.address_or_problem_keyboard())
        return True
    return False
