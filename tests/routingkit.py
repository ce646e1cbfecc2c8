"""The two checks of the routing tests by stop (``tests/test_nlp_routing_stop28*.py``,
``stop29``): a wording reaches its bureau, a look-alike stays out of the bureau it resembles.

On failure each shows what the classifier answered: the bureau, its confidence and the
keywords behind it.
"""

from __future__ import annotations

from nlp.classify import classify


def assert_reaches(text: str, bureau: str) -> None:
    """``text`` is routed to ``bureau``."""
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


def assert_stays_out(text: str, not_bureau: str) -> None:
    """``text`` is not routed to ``not_bureau``."""
    got = classify(text)
    assert got.bureau != not_bureau, (got.bureau, got.confidence, got.keywords)
