"""The transition table and routing, without a database."""

from __future__ import annotations

import pytest

from bot.services.lifecycle import (
    TRANSITIONS,
    Action,
    CaseError,
    allowed_actions,
    next_status,
    status_label,
)
from bot.services.notifications import fmt_duration
from bot.services.routing import escalation_path, route_request, route_warning, warning_recipients
from config.district import District
from storage.enums import CaseStatus

S = CaseStatus
A = Action


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    for status in CaseStatus:
        assert status_label(status) != status.value  # a Chinese label


@pytest.mark.parametrize(
    ("path"),
    [
        # the happy path
        [
            (S.REGISTERED, A.DISPATCH, S.DISPATCHED),
            (S.DISPATCHED, A.ACKNOWLEDGE, S.ACKNOWLEDGED),
            (S.ACKNOWLEDGED, A.START, S.IN_PROGRESS),
            (S.IN_PROGRESS, A.RESOLVE, S.RESOLVED),
            (S.RESOLVED, A.FOLLOW_UP, S.FOLLOWED_UP),
            (S.FOLLOWED_UP, A.CLOSE, S.CLOSED),
        ],
        # returned and re-dispatched
        [
            (S.DISPATCHED, A.RETURN, S.RETURNED),
            (S.RETURNED, A.DISPATCH, S.DISPATCHED),
        ],
        # reopened after an unhappy follow-up, then handled again
        [
            (S.FOLLOWED_UP, A.REOPEN, S.REOPENED),
            (S.REOPENED, A.ACKNOWLEDGE, S.ACKNOWLEDGED),
            (S.ACKNOWLEDGED, A.RESOLVE, S.RESOLVED),
        ],
        # no response to the follow-up
        [(S.RESOLVED, A.CLOSE, S.CLOSED)],
    ],
)
def test_legal_paths(path: list[tuple[CaseStatus, Action, CaseStatus]]) -> None:
    for before, action, after in path:
        assert next_status(before, action) is after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.REGISTERED, A.ACKNOWLEDGE),
        (S.DISPATCHED, A.RESOLVE),
        (S.DISPATCHED, A.START),
        (S.ACKNOWLEDGED, A.ACKNOWLEDGE),
        (S.IN_PROGRESS, A.RETURN),
        (S.RESOLVED, A.REOPEN),
        (S.CLOSED, A.REOPEN),
        (S.CLOSED, A.DISPATCH),
        (S.RETURNED, A.ACKNOWLEDGE),
        (S.REOPENED, A.RETURN),
    ],
)
def test_illegal_transitions_raise(status: CaseStatus, action: Action) -> None:
    with pytest.raises(CaseError) as info:
        next_status(status, action)
    assert info.value.code == "illegal_transition"
    assert "不能" in info.value.message


def test_closed_is_terminal() -> None:
    assert allowed_actions(S.CLOSED) == ()


def test_route_request_to_the_bureau_station(district: District) -> None:
    r = route_request(
        district,
        classified_room="urban",
        classified_bureau="construction",
        confidence=0.9,
        territorial_unit_id="dongcheng_heping",
    )
    assert (r.owning_unit_id, r.room, r.bureau, r.to_desk, r.how) == (
        "construction",
        "urban",
        "construction",
        False,
        "auto",
    )
    assert r.territorial_unit_id == "dongcheng_heping"


@pytest.mark.parametrize(
    ("room", "bureau", "confidence"),
    [("unknown", "unknown", 0.9), ("urban", "construction", 0.44), ("urban", "unknown", 0.9)],
)
def test_unclear_requests_go_to_the_desk(
    district: District, room: str, bureau: str, confidence: float
) -> None:
    r = route_request(
        district, classified_room=room, classified_bureau=bureau, confidence=confidence
    )
    assert r.owning_unit_id == district.dispatcher == "service_centre"
    assert r.to_desk and r.how == "desk"


def test_citizen_choice_overrides_the_classifier(district: District) -> None:
    r = route_request(
        district,
        classified_room="urban",
        classified_bureau="construction",
        confidence=0.1,
        chosen_bureau="labor",
    )
    assert (r.owning_unit_id, r.room, r.bureau, r.how) == ("labor", "livelihood", "labor", "chosen")
    # A chosen room keeps the classifier's bureau when it lies in that room...
    r = route_request(
        district,
        classified_room="urban",
        classified_bureau="planning",
        confidence=0.1,
        chosen_room="urban",
    )
    assert (r.owning_unit_id, r.to_desk) == ("planning", False)
    # ...and goes to the desk (room kept) when it does not.
    r = route_request(
        district,
        classified_room="urban",
        classified_bureau="planning",
        confidence=0.9,
        chosen_room="social",
    )
    assert (r.owning_unit_id, r.room, r.bureau, r.to_desk) == (
        "service_centre",
        "social",
        "unknown",
        True,
    )
    # Unknown territorial units are dropped.
    r = route_request(
        district,
        classified_room="urban",
        classified_bureau="planning",
        confidence=0.9,
        territorial_unit_id="nowhere",
    )
    assert r.territorial_unit_id is None


@pytest.mark.parametrize(
    ("severity", "also"),
    [
        ("low", ()),
        ("medium", ()),
        ("high", ("opinion_centre", "mediation_centre")),
        ("critical", ("opinion_centre", "mediation_centre", "office")),
    ],
)
def test_warning_routes(district: District, severity: str, also: tuple[str, ...]) -> None:
    assert warning_recipients(district, severity) == also
    r = route_warning(
        district,
        officer_unit_id="dongcheng_heping",
        room="general",
        bureau="police",
        severity=severity,
    )
    assert r.owning_unit_id == "dongcheng_heping"
    assert r.also_notify == also


def test_escalation_chain(district: District) -> None:
    assert escalation_path(district, "dongcheng_heping", 3) == [
        "dongcheng_heping",
        "dongcheng",
        "supervision_centre",
        "office",
    ]
    assert escalation_path(district, "construction", 5) == [
        "construction",
        "supervision_centre",
        "office",
    ]
    assert escalation_path(district, "construction", 0) == ["construction"]


def test_durations_in_words() -> None:
    from datetime import timedelta

    assert fmt_duration(timedelta(days=7)) == "7天"
    assert fmt_duration(timedelta(hours=24)) == "24小时"
    assert fmt_duration(timedelta(minutes=90)) == "1小时30分钟"
