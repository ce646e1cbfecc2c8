"""Labelled message files, label maps and the deterministic build/held-out split.

The teddy format (the 2020 Teddy Cup petition-board data) has the columns
``id``, ``label``, ``title`` and ``body``, tab-separated, with no quoting
(read with ``csv.QUOTE_NONE``). A label map turns a file's labels into room
ids, optionally ``room/bureau``; labels mapped to ``-`` are kept as
"no room in this district" (they are left out of room scores).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BUILTIN_LABEL_MAPS",
    "EXCLUDED",
    "LabelledMessage",
    "in_split",
    "load_label_map",
    "read_labelled",
]

EXCLUDED = "-"
"""Label-map target for labels that have no room in this district."""

BUILTIN_LABEL_MAPS: dict[str, dict[str, str]] = {
    # DESIGN.md: the Teddy Cup first-level categories mapped to rooms. Only
    # the categories that name one bureau carry it.
    "teddy": {
        "城乡建设": "urban",
        "环境保护": "legal/environment",
        "教育文体": "social/education",
        "卫生计生": "social",
        "劳动和社会保障": "livelihood",
        "交通运输": EXCLUDED,
        "商贸旅游": EXCLUDED,
    },
    # Identity map for files whose labels already are room ids.
    "rooms": {
        "legal": "legal",
        "livelihood": "livelihood",
        "social": "social",
        "urban": "urban",
        "general": "general",
    },
}

_ARTEFACTS = ("_x000D_", "_x000d_")


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    """One labelled message.

    Attributes:
        id: The row id.
        label: The label as written in the file.
        room: The mapped room id, or :data:`EXCLUDED`.
        bureau: The mapped bureau id, or ``""`` when the label names none.
        text: Title and body joined by a line break (title first).
    """

    id: str
    label: str
    room: str
    bureau: str
    text: str


def load_label_map(spec: str | None) -> dict[str, str]:
    """Load a label map by built-in name or from a file.

    Args:
        spec: ``None`` or ``"teddy"``/``"rooms"`` for a built-in map, or the
            path of a UTF-8 file with one ``label<TAB>room[/bureau]`` per line
            (``#`` starts a comment; ``-`` as target excludes the label).

    Returns:
        The map from label to ``room`` or ``room/bureau``.

    Raises:
        ValueError: If the file is malformed or the name unknown.
    """
    if spec is None:
        spec = "teddy"
    if spec in BUILTIN_LABEL_MAPS:
        return dict(BUILTIN_LABEL_MAPS[spec])
    path = Path(spec)
    if not path.is_file():
        known = ", ".join(sorted(BUILTIN_LABEL_MAPS))
        raise ValueError(f"label map {spec!r} is neither a file nor a built-in map ({known})")
    result: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 2:
            raise ValueError(f"{path}:{lineno}: expected 'label<TAB>room[/bureau]', got {line!r}")
        result[parts[0].strip()] = parts[1].strip()
    return result


def in_split(row_id: str, split: str, build_percent: int = 70) -> bool:
    """Tell whether a row belongs to a split, by a stable hash of its id.

    Args:
        row_id: The row id.
        split: ``"build"``, ``"heldout"`` or ``"all"``.
        build_percent: Share of rows in the build split.

    Returns:
        True if the row is in the split.

    Raises:
        ValueError: For an unknown split name.
    """
    if split == "all":
        return True
    bucket = int.from_bytes(hashlib.sha256(row_id.encode("utf-8")).digest()[:4], "big") % 100
    if split == "build":
        return bucket < build_percent
    if split == "heldout":
        return bucket >= build_percent
    raise ValueError(f"unknown split {split!r} (expected build, heldout or all)")


def _clean(text: str) -> str:
    for artefact in _ARTEFACTS:
        text = text.replace(artefact, " ")
    return text.strip()


def read_labelled(
    path: Path, label_map: Mapping[str, str], split: str = "all"
) -> Iterator[LabelledMessage]:
    """Read a labelled file in the teddy format.

    The header must name the columns ``id``, ``label``, ``title`` and
    ``body`` (any order; extra columns are ignored; the title may be empty).
    Labels missing from the map are skipped.

    Args:
        path: The TSV file (header row ``id label title body``).
        label_map: Label to ``room[/bureau]`` map.
        split: Which rows to yield (see :func:`in_split`).

    Yields:
        The mapped messages of the split.

    Raises:
        ValueError: If the header lacks one of the four columns.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            return
        cols = {name.strip().lower(): i for i, name in enumerate(header)}
        missing = [c for c in ("id", "label", "title", "body") if c not in cols]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)} in header {header}")
        width = max(cols.values()) + 1
        for row in reader:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            row_id = row[cols["id"]].strip()
            label = row[cols["label"]].strip()
            target = label_map.get(label)
            if target is None or not in_split(row_id, split):
                continue
            room, _, bureau = target.partition("/")
            title = _clean(row[cols["title"]])
            body = _clean(row[cols["body"]])
            text = f"{title}\n{body}" if title else body
            yield LabelledMessage(row_id, label, room, bureau, text)
