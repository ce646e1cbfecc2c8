"""The danger model's expensive figures computed once per run, and kept while nothing changes.

``tests/test_nlp_danger.py`` needs the leave-one-set-out figures (about two minutes of
fitting) and the trained model. Under ``pytest -n 2`` both workers used to compute them.
:func:`cached` computes a value once, under a file lock that the other worker waits on,
and keeps it as JSON in pytest's cache directory, named by a key that covers everything
the value depends on (:func:`training_key`: the labelled data files, the source of
``nlp/`` and ``config/``, the Python, numpy and scikit-learn versions). A change to
any of them gives a new key, so a kept value is always what a fresh computation would
give. ``pytest --cache-clear`` drops them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import platform
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from nlp.danger_data import BASE_WARNINGS, BLIND_SETS

ROOT = Path(__file__).resolve().parent.parent


def _data_files(data: Path) -> list[Path]:
    """The files :func:`nlp.danger_data.load_examples` reads."""
    names = [*BASE_WARNINGS]
    names += [f"triage_dev_{k}.tsv" for k in ("emergencies", "lookalikes", "requests")]
    for group in BLIND_SETS:
        names += [f"{group}_{k}.tsv" for k in ("warnings", "emergencies", "nonrequests")]
    return [data / n for n in names if (data / n).exists()]


def training_key(data: Path) -> str:
    """A digest of everything the danger model's training and figures depend on."""
    digest = hashlib.sha256()
    code = sorted(
        p for folder in ("nlp", "config") for p in (ROOT / folder).rglob("*") if p.is_file()
    )
    for path in [*_data_files(data), *code]:
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in ("numpy", "scikit-learn"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    digest.update(platform.python_version().encode())
    return digest.hexdigest()[:20]


def _folder(config: pytest.Config) -> Path:
    cache = getattr(config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("minqing-danger-model"))
    folder = Path(tempfile.gettempdir()) / "minqing-danger-model"  # -p no:cacheprovider
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (the other xdist worker waits for it)."""
    with path.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached(config: pytest.Config, name: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` (JSON-ready), computed once for ``key`` by whichever worker asks first."""
    folder = _folder(config)
    path = folder / f"{name}-{key}.json"
    with _locked(folder / f"{name}.lock"):
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except ValueError:  # a torn file (a killed run): computed again
                pass
        value = compute()
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
        for old in folder.glob(f"{name}-*.json"):  # other keys' values are stale
            if old != path:
                old.unlink(missing_ok=True)
        return value
