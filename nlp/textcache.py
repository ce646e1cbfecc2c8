"""A small per-text memo shared by classification, severity and emergency detection.

A citizen's message is read by :func:`nlp.emergency.detect` (triage) and then
by :func:`nlp.classify.classify`, and both read the rubric's families, the
severity and the learned danger model's scores of the same normalised text.
:class:`TextCache` keeps the last few results so that the second reader takes
the first one's: the few messages in flight, never a history (a handful of
entries, the oldest dropped first).

Keys are a normalised text and the objects it was read with (rubric, model):
an entry counts only for the very same objects (held in the entry, so an id
is never reused by another object while the entry lives).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["TextCache"]

V = TypeVar("V")


class TextCache(Generic[V]):
    """At most ``size`` results keyed by a text and the objects it was read with."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, *with_: object) -> V | None:
        """The result for ``text`` read with ``with_``, or ``None``."""
        key = (text, *map(id, with_))
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or any(a is not b for a, b in zip(hit[0], with_, strict=True)):
                return None
            self._entries.move_to_end(key)
            return hit[1]

    def put(self, text: str, *with_: object, value: V) -> None:
        """Remember ``value`` for ``text`` read with ``with_``."""
        key = (text, *map(id, with_))
        with self._lock:
            self._entries[key] = (with_, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
