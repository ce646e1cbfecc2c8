"""The plain reference of issue 14: TF-IDF + LinearSVC over jieba words.

Trained on bureau-labelled rows (the build part of a split) and scored on
others, to print beside the lexicon's figures. scikit-learn is a bench
dependency (``pip install -e '.[bench]'``), not a runtime one; the confidence
of a LinearSVC is not a probability, so the reference's calibration rows are
left at 0 (every answer is reported with confidence 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nlp.evaluate import BureauCase, BureauReport, bureau_report
from nlp.normalize import normalize
from nlp.segment import tokenizer

__all__ = ["reference_report"]


def _words(text: str) -> list[str]:
    return [w for w in tokenizer().lcut(normalize(text)) if w.strip()]


def reference_report(train: Sequence[BureauCase], test: Sequence[BureauCase]) -> BureauReport:
    """Train TF-IDF + LinearSVC (scikit-learn defaults) on ``train``, score ``test``.

    Raises:
        ImportError: If scikit-learn is not installed.
    """
    from sklearn.feature_extraction.text import (
        TfidfVectorizer,
    )
    from sklearn.svm import LinearSVC

    vectorizer: Any = TfidfVectorizer(analyzer=_words)
    model: Any = LinearSVC()
    model.fit(vectorizer.fit_transform([c.text for c in train]), [c.bureau for c in train])
    predicted = model.predict(vectorizer.transform([c.text for c in test]))
    return bureau_report(
        (c.bureau, str(p), 0.0, False) for c, p in zip(test, predicted, strict=True)
    )
