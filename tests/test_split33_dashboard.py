"""Trial defect D3 on the dashboard: the 拆分 form of the desk and the owning station.

Over real HTTP (``tests.dashkit``), on SQLite and on PostgreSQL when configured: the form
is shown only to who may split; a split files the new case (here sent to the unit the
desk chose), links both cases in their timelines and tells the citizen both numbers; a
viewer who may not split, a forged destination and a stale page change nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Case, OutboxMessage
from tests.dashkit import Dash
from tests.factories import chief, load_case, staff

TWO = "小区路灯坏了一个月，另外单位拖欠工资三个月"
WAGES = "单位拖欠工资三个月"


async def _case_count(dash: Dash) -> int:
    async with dash.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_the_desk_splits_to_a_chosen_bureau(dash: Dash) -> None:
    case_id = await dash.file(TWO)
    original = await load_case(dash.db, case_id)
    assert original.owning_unit_id == "construction"
    desk = await staff(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert "拆分案件" in page and 'name="text"' in page and "按内容自动分类、分派" in page
    token = await dash.csrf()

    form = {
        "csrf_token": token,
        "version": str(original.version),
        "text": WAGES,
        "target": "labor",
    }
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    html = await response.text()
    assert response.status == 200 and "已拆分" in html, html[:400]
    async with dash.db.session() as s:
        new = (await s.scalars(select(Case).order_by(Case.id.desc()))).first()
    assert new is not None and new.id != case_id
    assert new.original_text == WAGES and new.reporter_id == original.reporter_id
    assert new.owning_unit_id == "labor" and new.status == "dispatched"
    assert new.dispatched_at is not None and new.resolve_due_at is not None
    assert new.dispatched_at.replace(tzinfo=None) == dash.clock.now().replace(tzinfo=None)
    assert new.resolve_due_at > new.dispatched_at
    # The original page names the new case in its timeline; the new one its origin.
    assert f"已拆分出{new.number}" in html
    desk_new = await (await dash.client.get(f"/dashboard/cases/{new.id}")).text()
    assert f"拆分自{original.number}" in desk_new
    assert (
        f'<dt>拆分自</dt><dd><a href="/dashboard/cases/{case_id}">{original.number}</a>' in desk_new
    )
    assert f'<dt>已拆分出</dt><dd><a href="/dashboard/cases/{new.id}">{new.number}</a>' in html
    kept = await load_case(dash.db, case_id)
    assert kept.owning_unit_id == "construction"
    assert kept.original_text == f"小区路灯坏了一个月（另一件事已拆分为 {new.number}）"
    # The citizen is told both numbers.
    async with dash.db.session() as s:
        texts = (
            await s.scalars(
                select(OutboxMessage.text).where(OutboxMessage.person_id == original.reporter_id)
            )
        ).all()
    told = [t for t in texts if t and "分开登记" in t]
    assert told and (original.number or "?") in told[0] and (new.number or "?") in told[0], texts


async def test_who_may_not_split_and_forged_forms_change_nothing(dash: Dash) -> None:
    case_id = await dash.file(TWO)
    version = str((await load_case(dash.db, case_id)).version)
    before = await _case_count(dash)

    # A station that does not own the case does not even see it.
    other = await chief(dash.db, "labor")
    await dash.login(other.id)
    token = await dash.csrf()
    form = {"csrf_token": token, "version": version, "text": WAGES, "target": ""}
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    assert response.status == 404
    dash.logout_locally()

    # The supervision centre sees every case but does not split it.
    centre = await chief(dash.db, dash.district.supervision)
    await dash.login(centre.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert "拆分案件" not in page
    form["csrf_token"] = await dash.csrf()
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    assert response.status == 403 and "无权拆分" in await response.text()
    dash.logout_locally()

    # The owning station: a forged destination, a stale page, an empty text.
    owner = await chief(dash.db, "construction")
    await dash.login(owner.id)
    form["csrf_token"] = await dash.csrf()
    for changed, status, said in (
        ({"target": "office"}, 400, "请选择有效的承办单位"),
        ({"version": str(int(version) + 5)}, 409, "已被他人更新"),
        ({"text": "   "}, 400, "请用文字描述"),
    ):
        response = await dash.client.post(
            f"/dashboard/cases/{case_id}/split", data={**form, **changed}
        )
        assert response.status == status and said in await response.text(), changed
    assert await _case_count(dash) == before

    # Then the owner's split, routed on its own words.
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    assert response.status == 200 and "已拆分" in await response.text()
    assert await _case_count(dash) == before + 1
    async with dash.db.session() as s:
        new = (await s.scalars(select(Case).order_by(Case.id.desc()))).first()
    assert new is not None and new.owning_unit_id == "labor" and new.original_text == WAGES


async def test_danger_only_in_the_desks_words_needs_the_tick(dash: Dash) -> None:
    """Trial 34 #2 and #19 on the dashboard: a part that tells of danger now the citizen
    never wrote is refused with the reason until 「确认…确由群众反映」 is ticked; after a
    split the original's page shows what it still handles."""
    case_id = await dash.file(TWO)
    original = await load_case(dash.db, case_id)
    desk = await staff(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert 'name="confirm_danger"' in page
    token = await dash.csrf()
    form = {
        "csrf_token": token,
        "version": str(original.version),
        "text": "楼下有人拿刀砍人，已经有人受伤",
        "target": "",
    }
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    html = await response.text()
    assert response.status == 400 and "群众的原话中没有" in html, html[:400]
    assert await _case_count(dash) == 1
    response = await dash.client.post(
        f"/dashboard/cases/{case_id}/split", data={**form, "confirm_danger": "1"}
    )
    assert response.status == 200 and "已拆分" in await response.text()
    assert await _case_count(dash) == 2
    async with dash.db.session() as s:
        new = (await s.scalars(select(Case).order_by(Case.id.desc()))).first()
    assert new is not None and new.severity == "critical"

    response = await dash.client.post(
        f"/dashboard/cases/{case_id}/split",
        data={**form, "text": WAGES, "confirm_danger": ""},
    )
    html = await response.text()
    assert response.status == 200
    kept = await load_case(dash.db, case_id)
    assert "拖欠工资" not in kept.original_text and "小区路灯坏了一个月" in kept.original_text
    assert "拆分为" in kept.original_text
