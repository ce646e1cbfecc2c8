"""A content-keyed cache of marshalled data in the user's cache directory.

A cold start reads two large files that change rarely: jieba's dictionary
(half a million words and prefixes) and the lexicon's 1.6 MB of TOML. Each
is kept here in its ready form, keyed by what it was made from, so an edited
file is never served stale: ``$XDG_CACHE_HOME/minqing`` (default
``~/.cache/minqing``), files ``<kind>-<key digest>.marshal``, the newest
few of each kind kept. ``MINQING_CACHE=0`` turns the cache off.

The cache is an optimisation only: an entry that cannot be read or written
(read-only home, damaged file, a concurrent writer) costs the slow path and
nothing else. Writes go to a temporary file renamed into place, so a reader
never sees half an entry.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["cache_path", "load", "store"]

KEEP = 8
"""Entries kept per kind (every edit of a lexicon leaves one behind)."""


def cache_path(kind: str, key: bytes) -> Path | None:
    """Where the entry of this kind and key is kept, if caching is on.

    Args:
        kind: What the entry holds (``lexicon``, ``jieba``); names the file.
        key: Bytes that identify the source exactly (its content or a stamp).

    Returns:
        The entry's path, or ``None`` when ``MINQING_CACHE=0`` or there is
        no cache directory.
    """
    if os.environ.get("MINQING_CACHE", "1") == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory (a service user without one)
            return None
    digest = hashlib.sha256(key).hexdigest()[:32]
    return Path(base) / "minqing" / f"{kind}-{digest}.marshal"


def load(kind: str, key: bytes) -> Any:
    """Return the cached value of this kind and key, or ``None``.

    Args:
        kind: What the entry holds.
        key: Bytes that identify the source.

    Returns:
        The value as stored, or ``None`` if caching is off or there is no
        readable entry.
    """
    path = cache_path(kind, key)
    if path is None:
        return None
    try:
        with path.open("rb") as entry:  # streamed: no second copy of the bytes
            return marshal.load(entry)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(kind: str, key: bytes, value: Any) -> None:
    """Keep a value (of types :mod:`marshal` supports) for this kind and key.

    Older entries of the kind beyond :data:`KEEP` are removed. Errors are
    swallowed: a cache that cannot be written only costs the slow path.

    Args:
        kind: What the entry holds.
        key: Bytes that identify the source.
        value: The value.
    """
    path = cache_path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(marshal.dumps(value))
        os.replace(partial, path)
        entries = sorted(
            path.parent.glob(f"{kind}-*.marshal"), key=lambda e: e.stat().st_mtime, reverse=True
        )
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
