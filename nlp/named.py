"""Spans of a text that name a shop, a dish, a brand or a work, not an event (stops 27, 32).

No family is matched inside them (:mod:`nlp.families`) and the severity reads the text without
them (:mod:`nlp.severity`). Pure functions over a :class:`nlp.rubric.Rubric`.
"""

from __future__ import annotations

import re

from nlp.rubric_model import Rubric

__all__ = ["named_spans"]


_QUOTED = re.compile(r"《[^》]{1,30}》|[“\"「『‘]([^”\"」』’，。！？\n]{1,15})[”\"」』’]")
_NAME_LEADS = ("家", "叫", "名为", "招牌", "牌子", "品牌", "店名")
"""Words just before a quoted name that introduce it (那家“一把刀”, 一家叫“火爆”)."""
_NAME_REACH = 4
"""How far after the closing quote the ``named`` word may start (“一把刀”刀削面馆)."""


def named_spans(text: str, rubric: Rubric, *, unquoted: bool = True) -> list[tuple[int, int]]:
    """The spans of ``text`` that name a shop, a dish, a brand or a work, not an event.

    A title in book-title marks (《烈火英雄》), or a name in quotation marks after a
    word that introduces a name (那家, 一家, 叫) and followed within a few characters
    by a ``named`` word (店, 馆, 火锅, 品牌): 楼下新开的那家“一把刀”刀削面馆. Quoted
    speech (她喊着“救命”跑出了店门) has no lead word and is no name. With ``unquoted``, also a
    name given with 叫 right after a ``named`` word (炸鸡店叫爆炸鸡排; stop 32).
    """
    spans = _unquoted_names(text, rubric) if unquoted else []
    if not any(c in text for c in '《“"「『‘'):
        return spans
    for m in _QUOTED.finditer(text):
        if m.group(0).startswith("《"):
            spans.append(m.span())
            continue
        lead = text[max(0, m.start() - 3) : m.start()]
        after = text[m.end() : m.end() + _NAME_REACH + 3]
        after = re.split(r"[，。！？；,.!?;\s]", after, maxsplit=1)[0]
        if any(w in lead for w in _NAME_LEADS) and any(
            0 <= after.find(w) <= _NAME_REACH for w in rubric.named
        ):
            spans.append(m.span())
    return spans


_NAME_CALLED = re.compile(r"(?:的名字|名字)?(?:叫做|名叫|就叫|叫)([^，。！？；,.!?;\s]{2,10})")
_NOT_A_NAME = re.compile(r"[了着过]|^(?:人|他|她|我|你|贼|小偷|歹徒|别人|有人|一伙|几个)")
"""A name told after 叫 cannot hold 了 (店叫人砸了: 叫 as 被) nor open with a person."""


def _unquoted_names(text: str, rubric: Rubric) -> list[tuple[int, int]]:
    """The spans of names given with 叫 right after a ``named`` word, unquoted (stop 32, i13oo):
    炸鸡店叫爆炸鸡排, 那首歌叫救命. 超市叫人抢了 (叫 as a passive) names nobody."""
    if "叫" not in text:
        return []
    spans: list[tuple[int, int]] = []
    for m in _NAME_CALLED.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        if not any(before.endswith(w) for w in rubric.named):
            continue
        if _NOT_A_NAME.search(m.group(1)):
            continue
        spans.append(m.span(1))
    return spans
