"""The learned danger model (issue 13, round 4, stops 23-24): generalisation, determinism, the file.

The leave-one-set-out figures are the development estimate: each group (the blind
sets ``blind13a``–``g``, the training sets ``train13a``–``c``, the probes, the
development sets) is scored by a model trained — weights and thresholds — on
everything else. The rubric's word lists were tuned on ``blind13a``–``g``, so the
rubric-plus-model figures are optimistic there; train13a's look-alikes tuned the
rubric's exclusions; **train13b and train13c never tuned a rubric word, so their
rubric-plus-model rows are the honest estimates** (the model's estimator was chosen on
them, stop 24), and the model-alone rows are honest on every set. A new blind
set is scored by the lead, unseen.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.cli import main
from nlp import danger_train
from nlp.danger import MODEL_PATH, default_model, is_feature, ngrams
from nlp.danger_data import BLIND_SETS, STOP32_SETS, TRAINED_SETS, load_examples
from nlp.danger_eval import SetFigures, leave_one_set_out
from nlp.danger_train import RawFits, train
from nlp.emergency import detect
from nlp.severity import assess_severity
from tests import trainingcache

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def training_key() -> str:
    """What the figures below depend on (data, code, libraries): their cache's key."""
    return trainingcache.training_key(DATA)


@pytest.fixture(scope="session")
def loso(request: pytest.FixtureRequest, training_key: str) -> dict[str, list[dict[str, Any]]]:
    """Both leave-one-set-out runs (weights fitted once for both: they differ in
    thresholds only), computed once per run for both xdist workers and kept while the
    data, the code and the libraries stay the same (:mod:`tests.trainingcache`)."""

    def compute() -> dict[str, list[dict[str, Any]]]:
        examples = load_examples(DATA)
        fits: RawFits = {}
        return {
            "combined": [asdict(f) for f in leave_one_set_out(examples, fits=fits)],
            "alone": [asdict(f) for f in leave_one_set_out(examples, alone=True, fits=fits)],
        }

    value: dict[str, list[dict[str, Any]]] = trainingcache.cached(
        request.config, "loso", training_key, compute
    )
    return value


@pytest.fixture(scope="session")
def combined(loso: dict[str, list[dict[str, Any]]]) -> dict[str, SetFigures]:
    return {f["name"]: SetFigures(**f) for f in loso["combined"]}


@pytest.fixture(scope="session")
def alone(loso: dict[str, list[dict[str, Any]]]) -> dict[str, SetFigures]:
    return {f["name"]: SetFigures(**f) for f in loso["alone"]}


@pytest.fixture(scope="session")
def trained(request: pytest.FixtureRequest, training_key: str) -> str:
    """The weights file training gives (``train(DATA).to_json()``), trained once per key."""
    text: str = trainingcache.cached(
        request.config, "trained", training_key, lambda: train(DATA).to_json()
    )
    return text


def test_the_shipped_weights_are_what_training_gives(
    tmp_path: Path, trained: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retraining twice gives the same file, byte for byte, and it is the shipped one.

    The second training is the CLI's (a fresh run of the same code on the same files,
    every run); the first is the session's (:func:`trained`, kept while the data and
    the code are the same). ``--check`` compares with that training.
    """
    first = trained
    assert MODEL_PATH.read_text(encoding="utf-8") == first
    out = tmp_path / "m.json"
    assert main(["triage", "train", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first
    monkeypatch.setattr(danger_train, "train", lambda data: SimpleNamespace(to_json=lambda: first))
    assert main(["triage", "train", "--check", "--out", str(out)]) == 0
    out.write_text(first.replace('"critical"', '"critical" ', 1), encoding="utf-8")
    assert main(["triage", "train", "--check", "--out", str(out)]) == 1


# Stop 24's leave-one-set-out figures (train13c joined the training data: that cost a request
# alarm on blind13a, a look-alike alarm on blind13d, and for the model alone a danger and an
# alarm on blind13d and an alarm on train13a; it won exact, under-rating and dangers on
# train13a/b), guarded at the level reached (rubric + model):
# (criticals caught, criticals below high, exact, under-rated, dangers caught with the right
# number, look-alike alarms, request alarms). Issue 13's targets are met on blind13a-g
# (tuning data for the rubric) and missed on train13a-c: see docs/severity.md, stops 23-24.
REACHED: dict[str, tuple[int, int, float, int, int, int, int]] = {
    "blind13a": (21, 0, 0.95, 0, 70, 1, 1),
    "blind13b": (23, 0, 0.95, 0, 70, 1, 0),
    "blind13c": (22, 0, 0.90, 0, 70, 0, 0),
    "blind13d": (21, 0, 0.96, 0, 69, 1, 1),
    # Stop 29 (lead29: the rubric's flood, child-snatch and kill-threat words of trial 29 move
    # the thresholds, which are chosen over what the rubric leaves): a request alarm held out
    # here, 公交站的广告牌歪了 快掉下来了 (a hazard about to fall: 0 -> 1).
    "blind13e": (32, 0, 0.95, 0, 69, 0, 1),
    "blind13f": (30, 0, 0.95, 0, 65, 0, 2),
    "blind13g": (30, 0, 1.00, 0, 65, 0, 0),
    "train13a": (108, 2, 0.878, 9, 141, 2, 0),
    "train13b": (107, 2, 0.856, 13, 143, 7, 0),
    "train13c": (106, 1, 0.840, 16, 146, 19, 0),
    # Stop 33: sets h-y, never trained on, scored by the shipped model (trained on a-g and
    # train13a-c); the rubric's word lists were tuned on their misses (stops 24-32), so these
    # rows are in-sample for the rubric.
    "blind13h": (30, 0, 0.95, 0, 65, 0, 1),
    "blind13i": (30, 0, 0.92, 2, 65, 1, 2),
    "blind13j": (30, 0, 0.92, 0, 64, 0, 2),
    "blind13k": (30, 0, 0.99, 0, 65, 0, 1),
    "blind13l": (30, 0, 0.98, 0, 65, 0, 1),
    "blind13m": (30, 0, 0.99, 0, 65, 0, 0),
    "blind13n": (30, 0, 0.92, 1, 65, 0, 0),
    "blind13o": (30, 0, 0.94, 0, 65, 0, 2),
    "blind13p": (30, 0, 0.96, 0, 63, 0, 0),
    "blind13q": (30, 0, 0.99, 0, 65, 0, 2),
    "blind13r": (30, 0, 0.94, 0, 65, 0, 0),
    "blind13s": (30, 0, 0.87, 0, 65, 0, 1),
    "blind13t": (30, 0, 0.97, 1, 65, 0, 0),
    "blind13u": (30, 0, 0.93, 0, 65, 0, 2),
    "blind13v": (30, 0, 0.90, 4, 65, 3, 1),
    "blind13w": (30, 0, 0.90, 0, 65, 0, 2),
    "blind13x": (30, 0, 0.92, 0, 65, 1, 1),
    "blind13y": (29, 1, 0.86, 7, 64, 5, 1),
}
# The model alone: (criticals caught, criticals below high, dangers caught, look-alike alarms).
REACHED_ALONE: dict[str, tuple[int, int, int, int]] = {
    "blind13a": (19, 0, 68, 1),
    "blind13b": (23, 0, 67, 1),
    "blind13c": (22, 0, 68, 0),
    "blind13d": (21, 0, 67, 2),
    "blind13e": (32, 0, 65, 0),
    "blind13f": (29, 0, 65, 0),
    "blind13g": (28, 0, 65, 0),
    "train13a": (107, 2, 145, 10),
    # Stop 29 (lead29, as above): the model alone, held out, finds one danger fewer (143 -> 142).
    "train13b": (103, 3, 142, 3),
    "train13c": (104, 1, 145, 12),
    # Stop 33: sets h-y, never trained on: the shipped model alone (an honest estimate).
    "blind13h": (30, 0, 64, 3),
    "blind13i": (29, 0, 63, 1),
    "blind13j": (29, 0, 63, 2),
    "blind13k": (29, 0, 64, 0),
    "blind13l": (27, 0, 65, 4),
    "blind13m": (23, 0, 64, 1),
    "blind13n": (24, 2, 58, 1),
    "blind13o": (26, 0, 61, 3),
    "blind13p": (28, 0, 61, 0),
    "blind13q": (28, 0, 62, 0),
    "blind13r": (27, 1, 59, 2),
    "blind13s": (28, 0, 65, 6),
    "blind13t": (27, 1, 64, 2),
    "blind13u": (28, 1, 64, 2),
    "blind13v": (27, 1, 63, 2),
    "blind13w": (27, 0, 64, 6),
    "blind13x": (25, 0, 65, 4),
    "blind13y": (27, 0, 65, 3),
}


def test_every_group_is_guarded() -> None:
    assert set(REACHED) == set(BLIND_SETS) == set(REACHED_ALONE)


def test_the_shipped_model_learns_from_the_stop_32_sets_only() -> None:
    """Stop 33: pooling every writer's set was measured leave one set out (``triage cv
    --pooled``) and not shipped, since it cost guard floors (docs/severity.md, "Stop 33");
    sets h-y therefore stay held-out rows for the shipped model."""
    meta = default_model()
    assert meta is not None
    assert meta.meta["threshold_groups"] == list(TRAINED_SETS) == list(STOP32_SETS)
    assert set(BLIND_SETS) - set(TRAINED_SETS) == {f"blind13{c}" for c in "hijklmnopqrstuvwxy"}


@pytest.mark.parametrize("held", BLIND_SETS)
def test_leave_one_set_out_severity(combined: dict[str, SetFigures], held: str) -> None:
    """Rubric raised by the model, on a set the model never saw (figures of stop 23)."""
    f = combined[held]
    hit, below, exact, under, *_ = REACHED[held]
    assert f.critical_hit >= hit
    assert f.critical_below_high <= below
    assert f.exact / f.warnings >= exact - 1e-9
    assert f.under <= under


@pytest.mark.parametrize("held", BLIND_SETS)
def test_leave_one_set_out_emergencies(combined: dict[str, SetFigures], held: str) -> None:
    f = combined[held]
    *_, danger, look_alike_alarms, request_alarms = REACHED[held]
    assert f.danger_hit >= danger
    assert f.look_alike_alarms <= look_alike_alarms
    assert f.false_alarms - f.look_alike_alarms <= request_alarms


def test_the_honest_sets_are_close_to_the_targets(combined: dict[str, SetFigures]) -> None:
    """train13b and train13c tuned no rubric word: issue 13's targets, and how far each is."""
    f = combined["train13b"].row()
    assert f["critical_recall"] >= 0.97  # target 0.98: missed (107/110)
    assert f["exact"] >= 0.85  # target 0.85: met since stop 24 (0.856)
    assert f["under"] <= 0.05  # target 0.05: met (13/320)
    assert f["danger_recall"] >= 0.95  # target: every danger now (143/150)
    assert f["false_alarms"] <= 0.05  # target 0.05: met (7/150)
    c = combined["train13c"].row()
    assert c["critical_recall"] >= 0.96  # target 0.98: missed (106/110)
    assert c["exact"] >= 0.84  # target 0.85: missed (0.841)
    assert c["under"] <= 0.05  # target 0.05: met (16/320)
    assert c["danger_recall"] >= 0.97  # target: every danger now (146/150)
    assert c["false_alarms"] <= 0.10  # target 0.05: missed (19/200, 10 of them the rubric's)


@pytest.mark.parametrize("held", BLIND_SETS)
def test_the_model_alone_generalises(alone: dict[str, SetFigures], held: str) -> None:
    """Without the rubric, on unseen sets: criticals, dangers and false alarms reached."""
    f = alone[held]
    hit, below, danger, alarms = REACHED_ALONE[held]
    assert f.critical_hit >= hit and f.critical_below_high <= below
    assert f.danger_hit >= danger and f.look_alike_alarms <= alarms


def test_the_model_raises_and_says_why() -> None:
    """A wording the families miss (set d, now training data): the model raises and says why."""
    model = default_model()
    assert model is not None
    text = "新盘工地的塔吊歪倒砸在工棚上，工友说底下压着人"
    assert assess_severity(text, learned=False).level in ("low", "medium")
    sev = assess_severity(text)
    assert sev.level == "critical"
    assert "model" in sev.families and sev.reasons
    # the n-grams are shown as the clauses of the text that hold them (stop 26 round 3)
    assert all(len(r) >= 2 and r in text for r in sev.reasons)


def test_a_routine_complaint_is_not_raised_by_its_topic() -> None:
    """拖欠工资 is in most collective wage warnings; one person's complaint is no alert.

    (High and critical cases' cards go out ahead of routine ones: a routine
    complaint rated high would queue beside a critical warning.)
    """
    for text in ("公司拖欠工资三个月了", "老板拖欠我两个月工资", "小区物业费年年涨", "路灯坏了"):
        assert assess_severity(text).level in ("low", "medium"), text
    assert assess_severity("小区物业费年年涨").level == "low"


def test_the_model_never_lowers_the_rubric() -> None:
    for text in ("一名居民在区政府办公室割腕，地上都是血", "五十多名工人正在堵路"):
        assert assess_severity(text).level == "critical"
        assert "model" not in assess_severity(text).families


def test_look_alikes_are_masked_for_the_model_too() -> None:
    for text in ("上吊顶的工人把墙弄坏了", "商场跳楼价甩卖", "小区落水管坏了", "打架子鼓太吵"):
        assert detect(text) is None, text
        assert assess_severity(text).level in ("low", "medium"), text


def test_a_danger_only_the_model_sees_gets_a_line_and_numbers() -> None:
    text = "喝多的那个吐了一地，喊他没反应，出气很弱"
    assert detect(text, learned=False) is None
    found = detect(text)
    assert found is not None
    assert found.kind == "danger" and found.label == "危险情况"
    assert "120" in found.services and found.level in ("high", "critical")
    assert found.line.startswith("⚠️") and "120" in found.line


def test_the_past_is_no_danger_now_for_the_model_either() -> None:
    assert detect("去年家里失火了，能申请临时救助吗") is None
    assert detect("我老公喝了农药正在抢救，能申请救助吗") is not None


def test_ngrams() -> None:
    assert ngrams("着火了") == {"着", "火", "了", "着火", "火了"}
    assert "a" in ngrams("A栋") and "堵路" in ngrams("有人堵路") and "上街" in ngrams("要上街")
    assert not any(map(is_feature, ngrams("3号楼"))) and "民路" not in ngrams("人民路口")


@pytest.mark.parametrize(
    "text",
    [
        "东城街道人民路5号楼下",
        "建设路18号2单元301",
        "和平小区3号楼下水道堵了",
        "东城街道人民路12号3单元 138 0013 8000",
        "和平小区3号楼有两个邻居为停车位吵了几句",
    ],
)
def test_addresses_and_phone_numbers_are_no_evidence_of_danger(text: str) -> None:
    """An address or a phone number (what a citizen types at the emergency-details step, what
    an officer puts first in a warning) raises nothing: the model once read 人民路 and 0号楼
    as danger words because blind writers set scenes at such addresses."""
    assert assess_severity(text).level == "low"
    assert detect(text) is None
