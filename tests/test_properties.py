"""Property-based tests: normalisation, classification and the case state machine.

Bounded (``max_examples``) so that the file runs in well under 30 s.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
)
from sqlalchemy import select

from bot.services.cases import CaseService, RequestDraft
from bot.services.lifecycle import TRANSITIONS, CaseError
from bot.services.organisation import sync_organisation
from config.district import load_district
from storage.db import Database
from storage.enums import CaseStatus
from storage.models import Case, CaseEvent
from tests.factories import chief, citizen, make_service

nlp = pytest.importorskip("nlp")

#: Texts the classifier should route; their traditional forms must route the same.
ROUTED = (
    "公司拖欠我三个月工资不发，老板一直找借口",
    "孩子明年上小学，报名需要什么材料，学区怎么划分",
    "邻居家被盗了，派出所一直不立案",
    "离婚后孩子抚养权归谁，法院一般怎么判",
    "小区旁边盖了违章建筑，一直没人管，规划审批有问题",
    "工厂晚上偷偷排放污水，河里的鱼都死了",
    "医院看病排队太久，医生态度很差",
    "低保申请了半年还没批下来",
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text that mixes Chinese (both scripts), full-width forms, emoji, controls and anything else.
texts = st.one_of(
    st.text(max_size=200),
    st.text(
        alphabet=st.sampled_from(
            list("的问题工资拖欠學校醫院環境污染違章建築派出所　ＡＢＣ１２３，。！？\n\t \u200b😀")
        ),
        max_size=120,
    ),
)


def _s2t() -> Any:
    import opencc

    for config in ("s2t", "s2t.json"):
        try:
            return opencc.OpenCC(config)
        except Exception:
            continue
    pytest.skip("OpenCC s2t not available")


@FAST
@given(texts)
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    once = nlp.normalize(text)
    assert isinstance(once, str)
    assert nlp.normalize(once) == once


@FAST
@given(st.sampled_from(ROUTED), st.text(alphabet="，。！ 好的吧", max_size=6))
def test_traditional_text_classifies_like_simplified(text: str, tail: str) -> None:
    simplified = text + tail
    traditional = _s2t().convert(simplified)
    a = nlp.classify(simplified)
    b = nlp.classify(traditional)
    assert (a.room, a.bureau) == (b.room, b.bureau), (simplified, traditional)
    assert abs(a.confidence - b.confidence) < 1e-9


@FAST
@given(texts)
def test_classify_never_crashes_and_answers_a_known_room(text: str) -> None:
    try:
        result = nlp.classify(text)
    except nlp.EmptyTextError:
        assert not nlp.normalize(text).strip()
        return
    assert result.room in set(nlp.ROOMS) | {nlp.UNKNOWN}
    if result.room == nlp.UNKNOWN:
        assert result.bureau == nlp.UNKNOWN
    else:  # the bureau belongs to the room
        assert result.bureau in nlp.BUREAUS[result.room]
    assert 0.0 <= result.confidence <= 1.0
    if result.room == nlp.UNKNOWN:
        assert result.confidence == 0.0


# ------------------------------------------------------------------ the case state machine

LEGAL = {(src.value, dst.value) for src, moves in TRANSITIONS.items() for dst in moves.values()}
TEXTS = ("小区路灯坏了", "拖欠工资三个月", "有人打架", "说不清楚的事情")
SATISFACTION = ("satisfied", "basically_satisfied", "unsatisfied")
TARGETS = ("labor", "construction", "police", "education", "nowhere")


class CaseMachine(RuleBasedStateMachine):
    """Random sequences of allowed and refused actions by random people on real cases."""

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.tmp = tempfile.TemporaryDirectory(prefix="minqing-props-")
        self.db = Database(f"sqlite+aiosqlite:///{Path(self.tmp.name) / 'sm.db'}")
        self.district = load_district()
        self.run(self.db.migrate())
        self.run(sync_organisation(self.db, self.district))
        self.service: CaseService = make_service(self.db, self.district)
        self.reporter = self.run(citizen(self.db)).id
        self.stranger = self.run(citizen(self.db)).id
        self.people = [
            self.run(chief(self.db, unit)).id
            for unit in ("labor", "construction", "police", "service_centre", "supervision_centre")
        ] + [self.reporter, self.stranger]
        self.refused = 0
        self.done = 0

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self.run(self.db.dispose())
        self.loop.close()
        self.tmp.cleanup()

    def _try(self, coro: Any) -> None:
        try:
            self.run(coro)
            self.done += 1
        except CaseError:
            self.refused += 1

    @rule(target=cases, text=st.sampled_from(TEXTS))
    def file(self, text: str) -> int:
        view = self.run(self.service.file_request(self.reporter, RequestDraft(text=text)))
        return int(view.id)

    @rule(case=cases, who=st.integers(0, 6))
    def acknowledge(self, case: int, who: int) -> None:
        self._try(self.service.acknowledge(case, self.people[who]))

    @rule(case=cases, who=st.integers(0, 6))
    def start(self, case: int, who: int) -> None:
        self._try(self.service.start_progress(case, self.people[who]))

    @rule(case=cases, who=st.integers(0, 6))
    def resolve(self, case: int, who: int) -> None:
        self._try(self.service.resolve(case, self.people[who], "已处理完毕"))

    @rule(case=cases, who=st.integers(0, 6))
    def return_case(self, case: int, who: int) -> None:
        self._try(self.service.return_case(case, self.people[who], "不属于本单位"))

    @rule(case=cases, who=st.integers(0, 6))
    def escalate(self, case: int, who: int) -> None:
        self._try(self.service.escalate(case, self.people[who], "请上级协调"))

    @rule(case=cases, who=st.integers(0, 6), target_=st.sampled_from(TARGETS))
    def dispatch(self, case: int, who: int, target_: str) -> None:
        self._try(self.service.dispatch(case, self.people[who], target_))

    @rule(
        case=cases, who=st.integers(5, 6), solved=st.booleans(), how=st.sampled_from(SATISFACTION)
    )
    def follow_up(self, case: int, who: int, solved: bool, how: str) -> None:
        self._try(self.service.answer_follow_up(case, self.people[who], solved, how))

    @rule(case=consumes(cases), who=st.integers(0, 6), version=st.integers(-1, 3))
    def stale_acknowledge(self, case: int, who: int, version: int) -> None:
        self._try(self.service.acknowledge(case, self.people[who], expected_version=version))

    @invariant()
    def every_case_is_in_a_legal_state_reached_by_legal_steps(self) -> None:
        async def check() -> None:
            async with self.db.session() as s:
                cases = list((await s.scalars(select(Case))).all())
                events = list((await s.scalars(select(CaseEvent).order_by(CaseEvent.id))).all())
            by_case: dict[int, list[CaseEvent]] = {}
            for e in events:
                by_case.setdefault(e.case_id, []).append(e)
            for c in cases:
                CaseStatus(c.status)  # a known status
                current: str | None = None
                for e in by_case.get(c.id, []):
                    if e.to_status is None or e.to_status == e.from_status:
                        continue
                    if current is not None:
                        assert e.from_status == current, (c.id, e.type, e.from_status, current)
                        assert (e.from_status, e.to_status) in LEGAL, (c.id, e.type)
                    current = e.to_status
                assert current == c.status, (c.id, current, c.status)
                assert (c.status == CaseStatus.CLOSED) == (c.closed_at is not None)

        self.run(check())


CaseMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_case_state_machine = CaseMachine.TestCase
