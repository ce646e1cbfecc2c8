"""Warning levels: the rubric's level as a floor that only a reason can lower.

An officer may raise a level freely; lowering it needs a real reason
(:data:`MIN_REASON_CHARS` meaningful characters), recorded in the case's events, and a
重大 or 特别重大 rating goes no lower than :data:`CRITICAL_FLOOR` (较大) on its officer's
word (docs/severity.md). Split out of :mod:`bot.services.triage`, which re-exports it.
"""

from __future__ import annotations

from bot.services.lifecycle import CaseError, is_meaningful

__all__ = [
    "CRITICAL_FLOOR",
    "LEVEL_RANK",
    "MAX_REASON",
    "MIN_REASON_CHARS",
    "REASON_HELP",
    "check_level",
    "levels_allowed",
    "lowest_level",
    "needs_reason",
    "reason_ok",
]

#: Severity levels, lowest first.
LEVEL_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2, "critical": 3}

#: Longest reason kept for lowering a level.
MAX_REASON = 500

#: The lowest level a critical (特别重大) warning may be filed at by its reporter:
#: a danger-to-life rating never becomes routine (一般) on one officer's word.
CRITICAL_FLOOR = "medium"

#: Meaningful characters (letters, digits, CJK; see
#: :func:`bot.services.lifecycle.meaningful_length`) a reason for lowering a critical
#: level needs: 已电话核实 is enough, ``x`` or ``。。。`` is not.
MIN_REASON_CHARS = 5

REASON_HELP = (
    f"下调“特别重大”预警或跨两级下调须写明具体理由（至少{MIN_REASON_CHARS}个字，说明核实了什么），"
    "例如“已电话核实，老人与家人在一起，情绪稳定”。"
)


def needs_reason(rubric_level: str, chosen: str) -> bool:
    """Whether choosing ``chosen`` instead of the rubric's level needs a reason.

    Any lowering does, as after filing (trial 27 N9; trial 32 D12: the rule before
    filing is the one after it); raising never does.
    """
    return LEVEL_RANK.get(chosen, 0) < LEVEL_RANK.get(rubric_level, 0)


def lowest_level(rubric_level: str) -> str:
    """The lowest level an officer may file a warning the rubric rates ``rubric_level`` at.

    A 重大 or 特别重大 rating goes no lower than :data:`CRITICAL_FLOOR` (较大) on its
    officer's word, before filing as after it (trial 31 #16, trial 32 D12).
    """
    return CRITICAL_FLOOR if rubric_level in ("high", "critical") else "low"


def levels_allowed(rubric_level: str) -> list[str]:
    """The levels an officer may choose for a warning rated ``rubric_level``, highest first."""
    floor = LEVEL_RANK[lowest_level(rubric_level)]
    ranked = sorted(LEVEL_RANK, key=LEVEL_RANK.__getitem__, reverse=True)
    return [lvl for lvl in ranked if LEVEL_RANK[lvl] >= floor]


def reason_ok(reason: str | None) -> bool:
    """Whether ``reason`` is a real reason for lowering a critical level."""
    return is_meaningful(reason, MIN_REASON_CHARS)


def check_level(
    rubric_level: str, chosen: str | None, reason: str | None
) -> tuple[str, str | None]:
    """The level to file and the cleaned reason, or refuse.

    Args:
        rubric_level: The level the rubric gives the text.
        chosen: The level the officer chose (``None``: the rubric's).
        reason: Why the officer lowered it, if they did.

    Returns:
        ``(level, reason)``; the reason is ``None`` when the level was not lowered.

    Raises:
        CaseError: ``reason_required`` when a level is lowered without a real reason
            (:func:`reason_ok`); ``too_low`` when a 重大 or 特别重大 level goes below
            :data:`CRITICAL_FLOOR` (:func:`lowest_level`).
    """
    level = chosen or rubric_level
    lowered = LEVEL_RANK.get(level, 0) < LEVEL_RANK.get(rubric_level, 0)
    cleaned = (reason or "").strip()[:MAX_REASON] or None
    if needs_reason(rubric_level, level):
        if LEVEL_RANK.get(level, 0) < LEVEL_RANK[lowest_level(rubric_level)]:
            label = "特别重大" if rubric_level == "critical" else "重大"
            raise CaseError(
                "too_low",
                f"按定级规则此预警为“{label}”，最多可下调至“较大”，不能直接下调为“一般”。",
            )
        if not reason_ok(cleaned):
            raise CaseError("reason_required", REASON_HELP)
    return level, cleaned if lowered else None
