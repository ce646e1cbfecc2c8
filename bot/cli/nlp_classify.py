"""``minqing classify``: one message, one text per line (``--jsonl``), or ``--eval`` on a file.

Registered by :mod:`bot.cli.nlp`; heavy imports stay inside the functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["cmd_classify"]


def _names() -> tuple[dict[str, str], dict[str, str]]:
    """Display names of rooms and bureaus: district config, else lexicon, else ids."""
    rooms: dict[str, str] = {}
    bureaus: dict[str, str] = {}
    try:
        from config.district import load_district  # type: ignore[import-not-found,unused-ignore]

        district: Any = load_district()
        for rid, room in district.rooms.items():
            rooms[rid] = str(room.name)
            for bid, bureau in room.bureaus.items():
                bureaus[bid] = str(bureau.name)
        return rooms, bureaus
    except Exception:
        pass
    try:
        from nlp.lexicon import default_lexicon

        raw: Any = default_lexicon().raw.get("rooms", {})
        for rid, room in raw.items():
            if isinstance(room, dict):
                rooms[rid] = str(room.get("name", rid))
                for bid, bureau in room.get("bureaus", {}).items():
                    if isinstance(bureau, dict):
                        bureaus[bid] = str(bureau.get("name", bid))
    except Exception:
        pass
    return rooms, bureaus


def _human(result: Any) -> str:
    from nlp import UNSURE_BELOW

    rooms, bureaus = _names()

    def label(names: dict[str, str], key: str) -> str:
        if key == "unknown":
            return "未能确定 (unknown) → 转区群工办调度"
        name = names.get(key)
        return f"{name} ({key})" if name and name != key else key

    lines = [
        f"服务室 room:     {label(rooms, result.room)}",
        f"部门 bureau:     {label(bureaus, result.bureau)}",
        f"置信度 confidence: {result.confidence:.2f}"
        + ("  (不确定 unsure)" if result.confidence < UNSURE_BELOW else ""),
        f"关键词 keywords:  {'、'.join(result.keywords) if result.keywords else '—'}",
        f"严重程度 severity: {result.severity}",
    ]
    detail = result.severity_detail
    if detail is not None and (detail.cues or detail.head_count):
        extra = "、".join(detail.cues)
        if detail.head_count:
            extra += f"{'；' if extra else ''}人数 ≈ {detail.head_count}"
        lines[-1] += f"  ({extra})"
    lines.append("备选 alternatives:")
    for alt in result.alternatives:
        lines.append(
            f"  {label(rooms, alt.room)} / {label(bureaus, alt.bureau)}  {alt.confidence:.2f}"
        )
    if result.truncated:
        lines.append("(消息过长，只分析了前面部分 — text truncated)")
    return "\n".join(lines)


def cmd_classify(args: argparse.Namespace) -> int:
    """Run ``minqing classify``."""
    from bot.cli.common import load_config
    from nlp import EmptyTextError, LexiconError, classify, load_lexicon

    # The same configuration as the service: a broken MINQING_CONFIG is an error here too.
    if load_config() is None:
        return 2
    try:
        lexicon = load_lexicon(args.lexicon) if args.lexicon else None
    except LexiconError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.eval is not None:
        return _evaluate(args, lexicon)
    if args.jsonl:
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            try:
                obj = classify(text, lexicon).to_dict()
            except EmptyTextError:
                obj = {"error": "nothing to classify: empty line"}
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        return 0
    text = " ".join(args.text)
    try:
        result = classify(text, lexicon)
    except EmptyTextError:
        print(
            "没有可分类的内容 — nothing to classify (give a non-empty TEXT, or use --jsonl)",
            file=sys.stderr,
        )
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_human(result))
    return 0


def _evaluate(args: argparse.Namespace, lexicon: Any) -> int:
    from nlp.dataset import load_label_map, read_labelled
    from nlp.evaluate import evaluate, format_report, read_hand_set

    path: Path = args.eval
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    if "bureau" in header and "label" not in header and "text" not in header:
        return _evaluate_bureaus(args, lexicon)
    try:
        if "text" in header:
            items: Any = read_hand_set(path)
            title = f"{path.name} (hand-written set, all rows)"
        else:
            items = read_labelled(path, load_label_map(args.label_map), args.split)
            title = f"{path.name} split={args.split} label-map={args.label_map}"
        report = evaluate(items, lexicon, keep_errors=args.errors)
    except (ValueError, KeyError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    print(format_report(report, title))
    return 0


def _evaluate_bureaus(args: argparse.Namespace, lexicon: Any) -> int:
    """``--eval`` on a bureau-level file, optionally one part of a split file."""
    from nlp.evaluate import evaluate_bureaus, format_bureau_report, read_bureau_set, read_split

    split_file, _, part = str(args.split).rpartition(":")
    try:
        parts = read_split(Path(split_file)) if split_file else None
        only = {i for i, p in parts.items() if p == part} if parts is not None else None
        cases = read_bureau_set(args.eval, only)
        report = evaluate_bureaus(cases, lexicon)
    except (ValueError, KeyError, OSError) as exc:
        print(f"error: {args.eval}: {exc}", file=sys.stderr)
        return 1
    shown = f"{split_file}:{part}" if parts is not None else "all rows"
    print(format_bureau_report(report, f"{args.eval.name} ({shown})"))
    if args.reference and parts is not None:
        from nlp.reference import reference_report

        build = read_bureau_set(args.eval, {i for i, p in parts.items() if p == "build"})
        try:
            reference = reference_report(build, cases)
        except ImportError:
            print(
                "error: --reference needs scikit-learn (pip install -e '.[bench]')", file=sys.stderr
            )
            return 1
        print()
        print(
            format_bureau_report(
                reference,
                "reference: TF-IDF + LinearSVC trained on the build part",
                calibration=False,
            )
        )
    return 0
