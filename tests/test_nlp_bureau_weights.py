"""The learnt bureau word weights (config/bureau_weights.toml) and their training helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.bureau_weights import ALL_BUREAUS, WEIGHTS_PATH, load_weights, parse_weights
from nlp.classify import classify
from nlp.lexicon import LexiconError, default_lexicon
from nlp.weights_train import TrainRow, _folds, isotonic, set_group


def test_packaged_table_is_named_by_the_lexicon_and_loads() -> None:
    assert default_lexicon().settings.bureau_weights == WEIGHTS_PATH.name
    table = load_weights()
    assert len(table.words) > 1000
    assert table.calibration and table.calibration_long
    # Every word's row has one weight per bureau.
    assert all(len(row) == len(ALL_BUREAUS) for row in table.words.values())


def test_a_traffic_light_speaks_for_the_police_in_the_table() -> None:
    table = load_weights()
    row = table.words["红绿灯"]
    assert max(range(len(ALL_BUREAUS)), key=row.__getitem__) == ALL_BUREAUS.index("police")


def test_calibration_interpolates_and_clamps() -> None:
    table = parse_weights(
        {"model": {"calibration": [[0.5, 0.4], [0.9, 0.8]], "calibration_long": [[0.5, 0.1]]}},
        "t",
    )
    assert table.calibrate(0.7) == pytest.approx(0.6)
    assert table.calibrate(0.1) == pytest.approx(0.4)
    assert table.calibrate(0.99) == pytest.approx(0.8)
    # A long message uses the long map.
    assert table.calibrate(0.7, words=30) == pytest.approx(0.1)


def test_unknown_bureau_in_the_table_is_an_error_naming_the_key() -> None:
    with pytest.raises(LexiconError, match=r"words\.红绿灯\.mayor"):
        parse_weights({"model": {}, "words": {"红绿灯": {"mayor": 1.0}}}, "t")
    with pytest.raises(LexiconError, match="bureau weights file not found"):
        load_weights(Path("/nonexistent/bureau_weights.toml"))


def test_isotonic_map_is_non_decreasing_and_conservative() -> None:
    # Ten answers at 0.9 of which 8 right, ten at 0.5 of which 6 right.
    points = [(0.9, 1.0 if i < 8 else 0.0, 1.0) for i in range(10)]
    points += [(0.5, 1.0 if i < 6 else 0.0, 1.0) for i in range(10)]
    fitted = isotonic(points)
    assert [x for x, _ in fitted] == [0.5, 0.9]
    ys = [y for _, y in fitted]
    assert ys == sorted(ys)
    # Wilson's lower bound one standard error below the share right (0.8 of 10).
    assert ys[1] == pytest.approx((0.85 - (0.016 + 0.0025) ** 0.5) / 1.1, abs=1e-3)
    assert 0.4 < ys[0] < 0.6
    # A single right answer is not certainty.
    assert isotonic([(1.0, 1.0, 1.0)]) == [(1.0, 0.5)]


def test_a_writers_sets_share_one_fold_so_each_is_scored_as_if_unseen() -> None:
    # Stop 27: cross-validation folds by the set's writer, not by the text, so a probe's
    # cross-validated answers come from a model that never read that writer's wording.
    assert set_group("probe_e_citizen_messages") == set_group("probe_e_warnings") == "probe_e"
    assert set_group("blind13k_warnings") == "blind13k"
    assert set_group("citizen_messages") != set_group("warnings")
    stems = [f"probe_{c}_citizen_messages" for c in "abcdefghiklmn"] + ["probe_e_warnings"]
    rows = [TrainRow("路灯坏了", "construction", s, group=set_group(s)) for s in stems]
    rows += [TrainRow(f"第{i}条真实留言", "police", "real") for i in range(40)]
    folds = _folds(rows, 5)
    by_group: dict[str, set[int]] = {}
    for row, k in zip(rows, folds, strict=True):
        if row.group:
            by_group.setdefault(row.group, set()).add(k)
    assert all(len(ks) == 1 for ks in by_group.values())
    assert by_group["probe_e"] == {folds[stems.index("probe_e_warnings")]}
    # Thirteen writers dealt into five folds: two or three each; real rows spread by text.
    sizes = [sum(ks == {k} for ks in by_group.values()) for k in range(5)]
    assert sorted(sizes) == [2, 2, 3, 3, 3]
    assert len(set(folds[len(stems) :])) == 5


def test_answer_names_the_learnt_words_that_decided_it() -> None:
    result = classify("路口的红绿灯坏了好几天，早上车子乱成一团")
    assert result.bureau == "police"
    assert "红绿灯" in result.keywords
    assert result.alternatives[0].room == result.room


def test_lexicon_weights_command_writes_a_table_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn")
    import argparse
    import csv

    from bot.cli import nlp as cli_nlp

    data = Path(__file__).parent / "data"
    with (data / "probe_a_citizen_messages.tsv").open(encoding="utf-8") as f:
        probe = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = tmp_path / "real.tsv"
    split = tmp_path / "split.tsv"
    with rows.open("w", encoding="utf-8") as r, split.open("w", encoding="utf-8") as s:
        r.write("id\tbureau\ttitle\tbody\n")
        s.write("id\tbureau\tpart\n")
        for i, row in enumerate(probe[:60]):
            r.write(f"{i}\t{row['bureau']}\t\t{row['text']}\n")
            s.write(f"{i}\t{row['bureau']}\t{'build' if i % 3 else 'heldout'}\n")
    out = tmp_path / "weights.toml"
    parser = argparse.ArgumentParser(prog="minqing")
    cli_nlp.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "lexicon",
            "weights",
            "--bureau-rows",
            str(rows),
            "--bureau-split",
            f"{split}:build",
            "--sets",
            str(data / "probe_b_citizen_messages.tsv"),
            "--calibrate-on",
            "probe_b_citizen_messages",
            "--out",
            str(out),
        ]
    )
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "real" in printed and "probe_b_citizen_messages" in printed
    table = load_weights(out)
    assert table.words and table.calibration
    # Only the build part of the real rows was used: 40 of 60, plus the probe's 150.
    written = out.read_text(encoding="utf-8")
    assert "(40 rows, weight 3.0)" in written
    assert "calibrated on probe_b_citizen_messages" in written


def test_lexicon_weights_refuses_to_calibrate_on_a_set_it_was_not_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from bot.cli import nlp as cli_nlp

    data = Path(__file__).parent / "data"
    parser = argparse.ArgumentParser(prog="minqing")
    cli_nlp.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "lexicon",
            "weights",
            "--bureau-rows",
            str(tmp_path / "none.tsv"),
            "--bureau-split",
            f"{data / 'bureau_split.tsv'}:build",
            "--sets",
            str(data / "probe_b_citizen_messages.tsv"),
            "--calibrate-on",
            "probe_z_citizen_messages",
        ]
    )
    assert args.func(args) == 1
    assert "--calibrate-on names no set: probe_z_citizen_messages" in capsys.readouterr().err


def test_room_weight_gives_the_lexicon_more_say_over_the_room_than_over_the_bureau() -> None:
    # The lexicon is sure of 城建规划服务室 but split between its two bureaus; the learnt
    # words speak for 公安分局. Without room_weight the learnt words move the answer to
    # another room; with it the room stays and the learnt words still pick inside it.
    lexicon_probs = {b: 0.01 for b in ALL_BUREAUS}
    lexicon_probs.update(construction=0.40, planning=0.47)
    learnt = [0.0] * len(ALL_BUREAUS)
    learnt[ALL_BUREAUS.index("police")] = 2.0
    learnt[ALL_BUREAUS.index("construction")] = 0.5

    def top(room_weight: float) -> str:
        model = {"lexicon_weight": 0.5, "learnt_weight": 2.0, "room_weight": room_weight}
        probs = parse_weights({"model": model}, "t").combine(lexicon_probs, learnt)
        return ALL_BUREAUS[max(range(len(probs)), key=probs.__getitem__)]

    assert top(0.0) == "police"
    assert top(1.5) == "construction"
    assert load_weights().room_weight > 0


def test_leave_one_writer_out_gives_each_probe_writer_a_fold_of_its_own() -> None:
    # Stop 33: with own_fold every probe's writer is its own fold (its figures are then
    # leave-one-writer-out); other sets stay dealt into the five folds, real rows by text.
    stems = [f"probe_{c}_citizen_messages" for c in "abcdefg"] + ["probe_e_warnings"]
    stems += ["blind13a_warnings", "blind13b_warnings", "citizen_messages"]
    rows = [TrainRow("路灯坏了", "construction", s, group=set_group(s)) for s in stems]
    rows += [TrainRow(f"第{i}条真实留言", "police", "real") for i in range(40)]
    folds = _folds(rows, 5, own=lambda g: g.startswith("probe_"))
    probe_folds = {folds[i] for i, s in enumerate(stems) if s.startswith("probe_")}
    assert len(probe_folds) == 7 and min(probe_folds) >= 5
    assert folds[stems.index("probe_e_warnings")] == folds[stems.index("probe_e_citizen_messages")]
    others = [folds[i] for i, s in enumerate(stems) if not s.startswith("probe_")]
    assert all(k < 5 for k in others + folds[len(stems) :])


def _cli_args(tmp_path: Path, *extra: str) -> list[str]:
    import csv

    data = Path(__file__).parent / "data"
    with (data / "probe_a_citizen_messages.tsv").open(encoding="utf-8") as f:
        probe = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows, split = tmp_path / "real.tsv", tmp_path / "split.tsv"
    with rows.open("w", encoding="utf-8") as r, split.open("w", encoding="utf-8") as s:
        r.write("id\tbureau\ttitle\tbody\n")
        s.write("id\tbureau\tpart\n")
        for i, row in enumerate(probe[:45]):
            r.write(f"{i}\t{row['bureau']}\t\t{row['text']}\n")
            s.write(f"{i}\t{row['bureau']}\tbuild\n")
    sets = [str(data / f"probe_{c}_citizen_messages.tsv") for c in "bc"]
    return [
        "lexicon",
        "weights",
        "--bureau-rows",
        str(rows),
        "--bureau-split",
        f"{split}:build",
        "--sets",
        *sets,
        *extra,
        "--out",
        str(tmp_path / "weights.toml"),
    ]


def test_a_scored_only_set_never_trains_and_check_finds_the_table_as_trained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn")
    import argparse

    from bot.cli import nlp as cli_nlp

    parser = argparse.ArgumentParser(prog="minqing")
    cli_nlp.register(parser.add_subparsers(dest="command"))
    data = Path(__file__).parent / "data"
    scored = ["--score-sets", str(data / "probe_d_citizen_messages.tsv")]
    args = parser.parse_args(_cli_args(tmp_path, *scored, "--leave-one-writer-out"))
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "probe_d_citizen_messages (not trained)  150" in printed
    assert "probes' citizen messages, pooled" in printed
    with_d = (tmp_path / "weights.toml").read_text(encoding="utf-8")
    assert "leave-one-writer-out" in with_d and "scored only" in with_d
    # Probe D only scored: the words are the table trained without it.
    args = parser.parse_args(_cli_args(tmp_path))
    assert args.func(args) == 0
    plain = (tmp_path / "weights.toml").read_text(encoding="utf-8")
    assert with_d.split("[words]")[1] == plain.split("[words]")[1]
    # Retraining is deterministic: --check finds the written table as trained and writes nothing.
    args = parser.parse_args(_cli_args(tmp_path, "--check"))
    assert args.func(args) == 0
    assert "as trained" in capsys.readouterr().out
    (tmp_path / "weights.toml").write_text(plain.replace("C = 30.0", "C = 3.0"), encoding="utf-8")
    args = parser.parse_args(_cli_args(tmp_path, "--check"))
    assert args.func(args) == 1
    assert "differs" in capsys.readouterr().out
    assert "C = 3.0" in (tmp_path / "weights.toml").read_text(encoding="utf-8")
