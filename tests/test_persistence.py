"""Bot persistence: what one process stores, the next one reads back."""

from __future__ import annotations

from bot.runtime.persistence import DatabasePersistence
from storage.db import Database


async def test_state_survives_a_new_persistence_on_the_same_database(db: Database) -> None:
    first = DatabasePersistence(db)
    await first.update_conversation("citizen", (42, 42), "AWAIT_LOCATION")
    await first.update_conversation("citizen", (43, 43), "AWAIT_TEXT")
    await first.update_user_data(42, {"draft": {"text": "楼道里的路灯坏了", "room": "urban"}})
    await first.update_chat_data(-100, {"unit": "dongcheng"})
    await first.update_bot_data({"started": 1})
    await first.update_conversation("citizen", (43, 43), None)

    second = DatabasePersistence(db)
    assert await second.get_conversations("citizen") == {(42, 42): "AWAIT_LOCATION"}
    assert await second.get_conversations("officer") == {}
    assert await second.get_user_data() == {
        42: {"draft": {"text": "楼道里的路灯坏了", "room": "urban"}}
    }
    assert await second.get_chat_data() == {-100: {"unit": "dongcheng"}}
    assert await second.get_bot_data() == {"started": 1}
    await second.drop_user_data(42)
    assert await DatabasePersistence(db).get_user_data() == {}
