"""A severity assessment (:class:`Severity`): the answer of the rubric
(:func:`nlp.rubric_level.rubric_assessment`) and of :func:`nlp.severity.assess_severity`.

Pure data, no dependency: the rubric, the learned models and the letter rules all return it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Severity"]


@dataclass(frozen=True, slots=True)
class Severity:
    """A severity assessment.

    Attributes:
        level: ``low``, ``medium``, ``high`` or ``critical``.
        cues: Every expression and urgency word found, highest level first.
        head_count: The largest number of people mentioned, if any.
        urgent: True if an urgency word was found.
        reasons: The words that set the level (with ``N人`` when a head count
            or a collective action of N people did), for "why".
        families: The rubric families found, highest level first.
    """

    level: str
    cues: tuple[str, ...]
    head_count: int | None
    urgent: bool
    reasons: tuple[str, ...] = ()
    families: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """The reasons joined for display: ``割腕、流血`` (empty if none)."""
        return "、".join(self.reasons)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "level": self.level,
            "cues": list(self.cues),
            "head_count": self.head_count,
            "urgent": self.urgent,
            "reasons": list(self.reasons),
            "families": list(self.families),
        }

    def set_to(self, level: str, reasons: tuple[str, ...], by: str) -> Severity:
        """This assessment with ``level`` set by another rule (the learned model, the letter
        model, a claim for a harm that is over): its ``reasons`` shown, the rule's name
        ``by`` added to the families; the cues, head count and urgency kept."""
        return Severity(
            level,
            self.cues,
            self.head_count,
            self.urgent,
            reasons,
            (*self.families, by),
        )
