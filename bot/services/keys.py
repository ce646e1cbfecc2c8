"""Per-installation secret keys, generated once and kept in the database.

They sign callback data and dashboard login links. Keeping them in the
database (not in memory) means every instance and every restart agrees.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.state import get_state, put_state

SECRET_KIND = "secret"


async def installation_secret(db: Database, name: str) -> bytes:
    """The secret called ``name``, created on first use (race-safe)."""
    async with db.session() as session:
        value = await get_state(session, SECRET_KIND, name, "key")
    if isinstance(value, str):
        return bytes.fromhex(value)
    try:
        async with db.session() as session:
            await put_state(session, SECRET_KIND, name, "key", secrets.token_hex(32))
    except IntegrityError:
        pass  # another instance created it first; read theirs
    async with db.session() as session:
        value = await get_state(session, SECRET_KIND, name, "key")
    if not isinstance(value, str):
        raise RuntimeError(f"secret {name!r} could not be stored")
    return bytes.fromhex(value)
