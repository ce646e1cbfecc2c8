"""The learnt bureau table as reviewable TOML (``minqing lexicon weights``)."""

from __future__ import annotations

from nlp.weights_train import WeightsFit

__all__ = ["weights_toml"]


def weights_toml(fit: WeightsFit, source: str) -> str:
    """The table as reviewable TOML (one line per word, bureaus by weight)."""
    lines = [
        "# Learnt bureau word weights (issue 14), written by `minqing lexicon weights`; see",
        "# docs/classifier.md. Multinomial logistic regression over jieba words (v / |v|,",
        "# title words v = 2): a positive weight speaks for the bureau, a negative one",
        "# against. Combined with the lexicon: score = lexicon_weight x log P_lexicon +",
        "# room_weight x log P_lexicon(room) + learnt_weight x (bias + sum of weights)",
        "# + rule_weight x rules. calibration: isotonic map of the cross-validated top",
        "# probability (raw) to the share of answers that were right.",
        f"# Trained on: {source}",
        "",
        "[model]",
        f"lexicon_weight = {fit.lexicon_weight}",
        f"learnt_weight = {fit.learnt_weight}",
        f"rule_weight = {fit.rule_weight}",
        f"room_weight = {fit.room_weight}",
        "bias = { " + ", ".join(f"{b} = {w}" for b, w in fit.bias.items()) + " }",
        "calibration = [" + ", ".join(f"[{x}, {y}]" for x, y in fit.calibration) + "]",
        "calibration_long = [" + ", ".join(f"[{x}, {y}]" for x, y in fit.calibration_long) + "]",
        "",
        "# Cross-validated figures at training time:",
        *[f"#   {line}" for line in fit.report],
        "",
        "[words]",
    ]
    for word in sorted(fit.words):
        ws = sorted(fit.words[word].items(), key=lambda item: -item[1])
        body = ", ".join(f"{b} = {w}" for b, w in ws)
        lines.append(f'"{word}" = {{ {body} }}')
    return "\n".join(lines) + "\n"
