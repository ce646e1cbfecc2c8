"""Benchmark figures: where they go (one JSON file, one key per target, with the machine they
ran on) and the percentile they are summed up by."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["machine", "merge_figures", "percentile"]


def machine() -> dict[str, Any]:
    """The machine the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib: float | None = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def merge_figures(path: Path, target: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` into the JSON file at ``path`` under ``target``.

    Other targets are kept, and so are the target's keys that ``figures`` does not
    have (e.g. the ``postgres`` figures when only ``sqlite`` was run again).

    Args:
        path: The JSON file (created if missing).
        target: The key, e.g. ``intake``.
        figures: The target's figures.
    """
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data = loaded
        except ValueError:
            data = {}
    previous = data.get(target)
    merged: dict[str, Any] = dict(previous) if isinstance(previous, dict) else {}
    # One level deep: a run on one database keeps the other database's figures.
    merged.update(figures)
    merged["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    merged["command"] = "minqing " + " ".join(sys.argv[1:]) if sys.argv else ""
    data[target] = merged
    data["machine"] = machine()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) by nearest rank; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]
