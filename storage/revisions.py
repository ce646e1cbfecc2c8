"""The schema's migrations: the newest revision without Alembic, and Alembic when migrating.

:meth:`storage.db.Database.migrate` and ``downgrade`` run Alembic on an open
connection (:func:`run_alembic`); every command that opens the database asks
:func:`head_revision` first, which reads the scripts' ``revision`` lines
instead of importing Alembic.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_REVISION_RE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def head_revision() -> str | None:
    """The newest migration's revision, read from the scripts' ``revision`` lines.

    The same answer as Alembic's ``ScriptDirectory.get_current_head()``
    (``tests/test_storage.py`` checks it) without importing Alembic and its
    script machinery, which took a third of a second of every command's start.
    None when the scripts do not have exactly one head.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(
            (m.group(1), ast.literal_eval(m.group(2)))
            for m in _REVISION_RE.finditer(path.read_text(encoding="utf-8"))
        )
        if "revision" not in found:
            continue
        revisions.add(str(found["revision"]))
        down = found.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def run_alembic(connection: Connection, action: str, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(connection)
    if action == "upgrade":
        command.upgrade(cfg, revision)
    else:
        command.downgrade(cfg, revision)
