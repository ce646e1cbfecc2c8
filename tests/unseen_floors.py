"""Floor checks shared by the unseen-set guards (``tests/test_nlp_stop3*_unseen.py``).

Each takes the figures a guard holds and asserts the set is at or above them; the figures
themselves stay in the guard files beside the docstrings that say where they came from.
"""

from __future__ import annotations

from tests.test_nlp_stop25_sets import RANK
from tests.test_nlp_stop30_sets import _emergencies, _non_requests, _warnings


def assert_unseen_warnings_hold(
    tag: str, caught: int, below_high: int, exact: int, under: int
) -> None:
    """Set ``tag``'s warnings (30 critical): at least ``caught`` critical ones rated critical,
    at most ``below_high`` rated below high, at least ``exact`` rated exactly and at most
    ``under`` under-rated."""
    got = _warnings(tag)
    critical = [g for g, want in got if want == "critical"]
    assert len(critical) == 30
    assert sum(g == "critical" for g in critical) >= caught
    assert sum(RANK[g] < RANK["high"] for g in critical) <= below_high
    assert sum(g == want for g, want in got) >= exact
    assert sum(RANK[g] < RANK[want] for g, want in got) <= under


def assert_unseen_lines_and_small_talk_hold(
    tag: str, lines: int, right: int, alarms: int, talk_at_least: int, vague_at_least: int
) -> None:
    """Set ``tag``: at least ``lines`` dangers get the emergency line and ``right`` the right
    number, at most ``alarms`` look-alikes get one; at least ``talk_at_least`` pieces of small
    talk and ``vague_at_least`` vague openings recognised, no request mistaken for either."""
    line, got_right, got_alarms = _emergencies(tag)
    assert line >= lines and got_right >= right
    assert got_alarms <= alarms
    talk, vague, mistaken = _non_requests(tag)
    assert talk >= talk_at_least and vague >= vague_at_least and mistaken == 0
