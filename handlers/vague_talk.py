"""Elderly and vague paths (trial 31 #15): answers kept together, a question explained.

* 我有个事想反映 → 请具体说说… → 在家里: the same question came back word for word and
  在家里 was dropped. Now each vague answer is kept (``VAGUE`` in ``user_data``), the
  next question is a different, concrete one that shows what was heard, and the first
  real description is filed with the kept answers in front of it.
* 啥意思？ after a proposal was merged into the description. Now a question about what
  the bot said is answered (what the buttons do) and the draft is left as it was.
"""

from __future__ import annotations

import re

from telegram import Update

from handlers.base import BotContext, is_stale, reply, stamp, user_data
from handlers.texts import vague_talk as vt

#: ``user_data`` key of the vague answers waiting for a description.
VAGUE = "vague_said"
#: Pieces kept at most (a conversation that stays vague is not kept forever).
MAX_PIECES = 3
#: Openings that say only "I have something to report": not kept as words of the problem.
_OPENING = re.compile(r"想反映|想问|想咨询|有个事|有件事|有个问题|有事|请问|你好|您好|在吗")
#: A fragment that is nothing but "I want to report" (我要反映, 我想反映一下, 要投诉):
#: dropped from the case text only when it is the whole fragment (trial 33b E14).
_FILLER = re.compile(
    r"^(?:你好|您好)?[，,]?(?:我|俺)?(?:要|想|想要|还要)?(?:反映|投诉|举报|咨询|说)"
    r"(?:一下|个事|个问题|点事|件事|个情况|一个问题|一件事)?(?:情况|问题)?[。.!！~～，,\s]*$"
)


def is_filler(piece: str) -> bool:
    """Whether ``piece`` only says that something will be reported (no words of it)."""
    return _OPENING.search(piece) is not None or _FILLER.match(piece.strip()) is not None


#: A question about what the bot just said (啥意思, 看不懂, 什么意思 …), nothing more.
_ASKS_MEANING = re.compile(
    r"^(?:这是|你说的是|你这是|请问)?(?:啥|什么|甚么)意思|^看不懂|^不明白|^没看懂|^不懂|^听不懂"
)


async def asked_again(update: Update, context: BotContext, text: str) -> None:
    """A vague message: kept, and asked about in a way that moves on."""
    data = user_data(context)
    held = data.get(VAGUE)
    pieces: list[str] = []
    if isinstance(held, dict) and not is_stale(context, held):
        pieces = [str(p) for p in held.get("said", []) if isinstance(p, str)]
    first = not pieces
    pieces = [*pieces, text.strip()][-MAX_PIECES:]
    data[VAGUE] = {"at": stamp(context), "said": pieces}
    words = [p for p in pieces if not is_filler(p)]
    await reply(update, vt.VAGUE_FIRST if first and not words else vt.vague_again(words))


def kept_with(context: BotContext, text: str) -> str:
    """``text`` with the vague answers given before it (在家里，你们能不能派个人来看看)."""
    held = user_data(context).pop(VAGUE, None)
    if not isinstance(held, dict) or is_stale(context, held):
        return text
    words = [str(p) for p in held.get("said", []) if isinstance(p, str) and not is_filler(p)]
    return "，".join([*words, text]) if words else text


def asks_meaning(text: str) -> bool:
    """Whether ``text`` only asks what the bot's last answer means (啥意思？)."""
    words = "".join(text.split()).strip("？?！!。.，,啊呀呢吗嘛")
    return len(words) <= 12 and _ASKS_MEANING.search(words) is not None


async def explain_proposal(update: Update) -> None:
    """啥意思？ at a proposal: what the bot said and what each button does."""
    await reply(update, vt.PROPOSAL_EXPLAINED)
