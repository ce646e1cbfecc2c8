"""Callback data: round trip, 64-byte limit, forgery and tampering refused."""

from __future__ import annotations

import pytest

from bot.services.callbacks import MAX_CALLBACK_BYTES, CallbackCodec, CaseAction

CODEC = CallbackCodec(b"k" * 32)


def test_round_trip_every_action() -> None:
    for action in CaseAction:
        data = CODEC.encode(action, 123456789, 42, "basically_satisfied")
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        decoded = CODEC.decode(data)
        assert decoded is not None
        assert (decoded.action, decoded.case_id, decoded.version, decoded.arg) == (
            action,
            123456789,
            42,
            "basically_satisfied",
        )


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "ack:1:1",
        "ack:1:1:AAAAAAAAAA",
        "x" * 65,
        "ack:-1:1:zzzz",
        "签收:1:1:abc",
        None,
    ],
)
def test_forged_data_is_refused(forged: str | None) -> None:
    assert CODEC.decode(forged) is None


def test_tampering_with_any_field_breaks_the_signature() -> None:
    data = CODEC.encode(CaseAction.ACKNOWLEDGE, 7, 3)
    body, sig = data.rsplit(":", 1)
    assert CODEC.decode(body.replace(":7:", ":8:") + ":" + sig) is None
    assert CODEC.decode(body.replace("ack", "done") + ":" + sig) is None
    other = CallbackCodec(b"z" * 32)
    assert other.decode(data) is None


def test_bad_arguments_are_rejected_when_encoding() -> None:
    with pytest.raises(ValueError):
        CODEC.encode(CaseAction.FOLLOW_UP, 1, 1, "满意")
    with pytest.raises(ValueError):
        CODEC.encode(CaseAction.FOLLOW_UP, 1, 1, "a" * 40)
