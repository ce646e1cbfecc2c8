"""Bot persistence: what one process stores, the next one reads back — for one user at a time."""

from __future__ import annotations

from bot.runtime.persistence import DatabasePersistence
from storage.db import Database
from storage.state import apply_writes


async def _write(persistence: DatabasePersistence, db: Database) -> None:
    writes = persistence.take_pending()
    async with db.session() as session:
        await apply_writes(session, writes)


async def test_state_survives_a_new_persistence_on_the_same_database(db: Database) -> None:
    first = DatabasePersistence(db)
    await first.update_conversation("citizen", (42, 42), "AWAIT_LOCATION")
    await first.update_conversation("citizen", (43, 43), "AWAIT_TEXT")
    await first.update_user_data(42, {"draft": {"text": "楼道里的路灯坏了", "room": "urban"}})
    await first.update_conversation("citizen", (43, 43), None)
    await _write(first, db)

    second = DatabasePersistence(db)
    # Nothing is loaded at start: not every citizen's state, not every conversation.
    assert await second.get_conversations("citizen") == {}
    assert await second.get_user_data() == {}
    # The state of the one user an update concerns is read with that update.
    states = await second.prefetch(42, {"citizen": (42, 42), "officer": (42, 42)})
    assert states == {"citizen": "AWAIT_LOCATION"}
    user_data: dict[str, object] = {}
    await second.refresh_user_data(42, user_data)
    assert user_data == {"draft": {"text": "楼道里的路灯坏了", "room": "urban"}}
    assert await second.prefetch(43, {"citizen": (43, 43)}) == {}  # ended: forgotten

    # Unchanged state writes nothing; an emptied draft deletes the row.
    await second.update_user_data(42, {"draft": {"text": "楼道里的路灯坏了", "room": "urban"}})
    await second.update_conversation("citizen", (42, 42), "AWAIT_LOCATION")
    await second.update_user_data(43, {})
    assert second.take_pending() == []
    await second.update_user_data(42, {})
    await _write(second, db)
    third = DatabasePersistence(db)
    await third.prefetch(42, {})
    empty: dict[str, object] = {}
    await third.refresh_user_data(42, empty)
    assert empty == {}


async def test_chat_and_bot_data_are_not_stored(db: Database) -> None:
    first = DatabasePersistence(db)
    await first.update_chat_data(-100, {})
    await first.update_bot_data({})
    assert first.take_pending() == []
    assert not first.store_data.chat_data and not first.store_data.bot_data
