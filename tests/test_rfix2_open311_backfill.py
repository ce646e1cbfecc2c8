"""Review 2 Q4: migration 0013 links existing Open311 cases to the key that filed them.

0012 linked a case only where its Idempotency-Key intake row was left; a case filed
without the header, or older than 30 days, was read by no key. On a database at the
revision before 0012 (0011, its link table gone) with Open311 cases and no intake keys,
upgrading to head links each case to the only key active when it was filed; a case
that two active keys could have filed stays unlinked (its 查询码 still reads it).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from bot.web.api_keys import create_api_key
from storage.models import ApiKey, Case, Open311Filing
from tests.open311kit import URL, Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

LAMP = {"description": "路灯坏了三天", "address_string": "和平路"}
TRASH = {"description": "小区垃圾三天没人清运", "address_string": "和平路"}


async def _file(api: Open311Api, key: str, fields: dict[str, str]) -> int:  # noqa: F811
    resp = await api.client.post(URL, data={"api_key": key, **fields})
    assert resp.status == 201, await resp.text()
    number = (await resp.json())[0]["service_request_id"]
    async with api.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        return case.id


async def test_upgrade_links_old_open311_cases(api: Open311Api) -> None:  # noqa: F811
    first = await _file(api, api.key, LAMP)
    api.clock.advance(timedelta(hours=2))
    second_key = await create_api_key(api.db, "second-partner")
    second = await _file(api, second_key, TRASH)
    api.clock.advance(timedelta(hours=2))
    third = await _file(api, api.key, TRASH)
    async with api.db.session() as s:
        cases = {c.id: c.created_at for c in (await s.scalars(select(Case))).all()}
        key_ids = {k.name: k.id for k in (await s.scalars(select(ApiKey))).all()}
    one = next(i for n, i in key_ids.items() if n != "second-partner")
    two = key_ids["second-partner"]
    hour = timedelta(hours=1)
    # The first key alone when ``first`` was filed; both active when ``second`` and
    # ``third`` were: those cannot be told.
    async with api.db.session() as s:
        await s.execute(
            text("UPDATE api_keys SET created_at = :c WHERE id = :i"),
            {"c": cases[first] - hour, "i": one},
        )
        await s.execute(
            text("UPDATE api_keys SET created_at = :c WHERE id = :i"),
            {"c": cases[second] - timedelta(seconds=1), "i": two},
        )
        await s.execute(text("DELETE FROM intake_keys"))
    await api.db.downgrade("0011_fix32a")
    await api.db.migrate("head")
    async with api.db.session() as s:
        links = dict(
            (await s.execute(select(Open311Filing.case_id, Open311Filing.api_key_id))).all()
        )
    assert links.get(first) == one
    assert second not in links and third not in links  # two keys active: not guessed
    # A database with one key ever: every Open311 case is its.
    async with api.db.session() as s:
        await s.execute(text("DELETE FROM open311_filings"))
        await s.execute(text("UPDATE cases SET channel = 'web' WHERE id != :i"), {"i": first})
    await api.db.downgrade("0011_fix32a")
    async with api.db.session() as s:
        await s.execute(text("DELETE FROM api_keys WHERE id = :i"), {"i": two})
        await s.execute(
            text("UPDATE api_keys SET created_at = :c WHERE id = :i"),
            {"c": cases[third] + hour, "i": one},
        )
    await api.db.migrate("head")
    async with api.db.session() as s:
        links = dict(
            (await s.execute(select(Open311Filing.case_id, Open311Filing.api_key_id))).all()
        )
    assert links == {first: one}
