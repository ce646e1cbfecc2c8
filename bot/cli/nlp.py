"""``minqing classify``, ``minqing lexicon`` and ``minqing bench classify``.

``register(subparsers)`` adds the three subcommands to the top-level parser.
``bench`` has its own subcommands; other modules add theirs with
:func:`bench_subparsers` (call it after :func:`register`), e.g.::

    sub = cli_nlp.bench_subparsers().add_parser("outbox", help="...")
    sub.set_defaults(func=run_outbox_bench)

Each parser sets ``func`` to a callable taking the parsed arguments and
returning the exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.cli import learn as cli_learn
from bot.cli import weights as cli_weights

__all__ = ["bench_subparsers", "register"]

_SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"
_BENCH: list[Any] = []
_REPO = Path(__file__).resolve().parent.parent
_HAND_SET = _REPO / "tests" / "data" / "citizen_messages.tsv"


def bench_subparsers() -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Return the subparsers of ``minqing bench`` so other modules can add targets.

    Raises:
        RuntimeError: If :func:`register` has not run yet.
    """
    if not _BENCH:
        raise RuntimeError("bot.cli.nlp.register() must run before bench_subparsers()")
    result: argparse._SubParsersAction[argparse.ArgumentParser] = _BENCH[-1]
    return result


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``classify``, ``lexicon`` and ``bench`` (with ``bench classify``).

    Args:
        subparsers: The top-level subparsers action.
    """
    p = subparsers.add_parser(
        "classify",
        help="classify a message into room and bureau (or evaluate on a file)",
        description="Classify TEXT, or one text per stdin line with --jsonl, or evaluate "
        "on a labelled file with --eval.",
    )
    p.add_argument("text", nargs="*", help="the message (words are joined by spaces)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read one text per stdin line, write one JSON object per line",
    )
    p.add_argument(
        "--eval",
        metavar="FILE",
        type=Path,
        help="evaluate on a labelled TSV: teddy format (id label title body) or "
        "a hand-written set (text room bureau [severity])",
    )
    p.add_argument(
        "--label-map",
        default="teddy",
        help="label map for --eval: a built-in name (teddy, rooms) or a file "
        "with 'label<TAB>room[/bureau]' lines (default: teddy)",
    )
    p.add_argument(
        "--split",
        default="heldout",
        help="rows of a teddy-format file to evaluate on: build, heldout (default, the "
        "30%% the lexicon was not built from) or all; for a bureau-level file "
        "(id bureau title body) a split file and part, e.g. "
        "tests/data/bureau_split.tsv:heldout",
    )
    p.add_argument(
        "--reference",
        action="store_true",
        help="with a bureau-level file and a split file: also print a plain TF-IDF + "
        "LinearSVC trained on the split's build rows (needs scikit-learn)",
    )
    p.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="with --eval, list up to N misrouted rows",
    )
    p.add_argument("--lexicon", type=Path, help="lexicon TOML (default: config/lexicon.toml)")
    p.set_defaults(func=cmd_classify)

    lx = subparsers.add_parser("lexicon", help="build or check the keyword lexicon")
    lsub = lx.add_subparsers(dest="lexicon_command", metavar="ACTION")
    b = lsub.add_parser(
        "build",
        help="mine weighted keywords from labelled messages",
        description="Mine keyword weights from the build split of a labelled "
        "TSV and write a complete lexicon (hand-written part of --base plus "
        "the mined part) for review.",
    )
    b.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="FILE.tsv",
        help="labelled messages, teddy format (id label title body)",
    )
    b.add_argument("--label-map", default="teddy", help="built-in name or file (default: teddy)")
    b.add_argument(
        "--split",
        default="build",
        choices=("build", "heldout", "all"),
        help="rows to mine from (default: build, 70%% by a stable hash of the id)",
    )
    b.add_argument(
        "--base",
        type=Path,
        help="lexicon whose hand-written part is kept (default: config/lexicon.toml)",
    )
    b.add_argument(
        "--bureau-rows",
        type=Path,
        metavar="FILE.tsv",
        help="also mine real messages labelled with a bureau (id bureau title body)",
    )
    b.add_argument(
        "--bureau-split",
        metavar="SPLIT.tsv:PART",
        help="with --bureau-rows: only the rows of this part of a split file "
        "(e.g. tests/data/bureau_split.tsv:build)",
    )
    b.add_argument("--out", type=Path, help="write here instead of standard output")
    b.set_defaults(func=cmd_lexicon_build)
    c = lsub.add_parser("check", help="load and validate a lexicon file")
    c.add_argument("path", nargs="?", type=Path, help="default: config/lexicon.toml")
    c.set_defaults(func=cmd_lexicon_check)
    cli_learn.register(lsub)
    cli_weights.register(lsub)
    lx.set_defaults(func=lambda _args: _usage(lx))

    bench = subparsers.add_parser("bench", help="benchmarks")
    bsub = bench.add_subparsers(dest="bench_target", metavar="TARGET")
    _BENCH.append(bsub)
    bc = bsub.add_parser(
        "classify",
        help="classifier speed, cold start and memory",
        description="Classification rate vs bare jieba.lcut on the same "
        "300-character messages, cold start in a fresh process, and peak "
        "RSS of a process that classified 10,000 messages.",
    )
    bc.add_argument("--messages", type=int, default=200, help="distinct messages (default 200)")
    bc.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    bc.add_argument(
        "--rss-count",
        type=int,
        default=10_000,
        help="messages classified before peak RSS is read (default 10000)",
    )
    bc.add_argument(
        "--cold-starts",
        type=int,
        default=5,
        help="fresh processes timed for the cold start (default 5)",
    )
    bc.add_argument("--out", type=Path, help="also write the figures as JSON here")
    bc.set_defaults(func=cmd_bench_classify)
    bench.set_defaults(func=lambda _args: _usage(bench))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# ------------------------------------------------------------------ classify


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


# ------------------------------------------------------------------ lexicon


def cmd_lexicon_build(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon build``."""
    from nlp.dataset import load_label_map
    from nlp.lexicon import LEXICON_PATH, LexiconError, load_lexicon
    from nlp.mine import build_from_file

    base = args.base or LEXICON_PATH
    for what, path in (("--from", args.source), ("--base", base)):
        if not Path(path).is_file():
            print(f"error: {what} {path}: no such file", file=sys.stderr)
            return 1
    try:
        label_map = load_label_map(args.label_map)
        extra, extra_source = _bureau_rows(args.bureau_rows, args.bureau_split)
        text = build_from_file(
            args.source,
            label_map,
            args.split,
            base,
            progress=lambda m: print(m, file=sys.stderr),
            extra=extra,
            extra_source=extra_source,
        )
        load_lexicon_text_check(text, str(args.out or "<output>"))
    except (ValueError, OSError, LexiconError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        lex = load_lexicon(args.out)
        print(f"wrote {args.out}: {len(lex.terms)} mined terms", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _bureau_rows(path: Path | None, split: str | None) -> tuple[list[Any], str]:
    """Bureau-labelled rows for mining, and their description for ``[mined] source``."""
    from nlp.dataset import LabelledMessage
    from nlp.evaluate import read_bureau_set, read_split, room_of_bureau

    if path is None:
        return [], ""
    only: set[str] | None = None
    shown = "all rows"
    if split:
        split_file, _, part = split.rpartition(":")
        only = {i for i, p in read_split(Path(split_file)).items() if p == part}
        shown = f"{part} part"
    rows = [
        LabelledMessage(c.id, c.bureau, room_of_bureau(c.bureau), c.bureau, c.text)
        for c in read_bureau_set(path, only)
    ]
    return rows, f"{path.name} {shown}"


def load_lexicon_text_check(text: str, source: str) -> None:
    """Validate lexicon text (raises :class:`nlp.lexicon.LexiconError`)."""
    import tomllib

    from nlp.lexicon import LexiconError, parse_lexicon

    try:
        parse_lexicon(tomllib.loads(text), source)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{source}: not valid TOML: {exc}") from exc


def cmd_lexicon_check(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon check``."""
    from nlp.lexicon import LexiconError, load_lexicon

    try:
        lex = load_lexicon(args.path)
    except LexiconError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    hand = sum(len(k) for k in lex.bureau_keywords.values())
    print(
        f"{lex.source}: ok — {hand} bureau keywords, {len(lex.rules)} rules, "
        f"{len(lex.terms)} mined terms"
    )
    return 0


# ------------------------------------------------------------------ bench


def bench_messages(count: int, length: int = 300) -> list[str]:
    """Build ``count`` distinct messages of ``length`` characters from the hand set."""
    from nlp.evaluate import read_hand_set

    texts = (
        [c.text for c in read_hand_set(_HAND_SET)]
        if _HAND_SET.is_file()
        else ["小区物业费年年涨，服务却越来越差，垃圾好几天没人清"]
    )
    out: list[str] = []
    i = 0
    while len(out) < count:
        buf = ""
        while len(buf) < length:
            buf += texts[i % len(texts)] + "。"
            i += 1
        out.append(buf[:length])
        i += 7
    return out


_COLD = """
import json, time
t0 = time.perf_counter()
from nlp import classify
classify("小区物业费年年涨，服务却越来越差")
print(json.dumps({"cold_start_s": time.perf_counter() - t0}))
"""

# Peak RSS is read from /proc/self/status (VmHWM): getrusage's ru_maxrss
# survives exec on Linux and would report the parent's peak.
_RSS = """
import json, sys
from bot.cli.nlp import bench_messages
from nlp import classify
msgs = bench_messages(500)
n = int(sys.argv[1])
for i in range(n):
    classify(msgs[i % len(msgs)])
try:
    with open("/proc/self/status") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    peak_mb = int(line.split()[1]) / 1024
except OSError:
    import psutil
    peak_mb = psutil.Process().memory_info().rss / 2**20
print(json.dumps({"peak_rss_mb": peak_mb, "classified": n}))
"""


def _subprocess(code: str, *argv: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(_REPO) + os.pathsep + env.get("PYTHONPATH", "")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(_REPO),
        check=True,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = time.perf_counter() - started
    return result


def cmd_bench_classify(args: argparse.Namespace) -> int:
    """Run ``minqing bench classify``."""
    import jieba

    from nlp import classify

    msgs = bench_messages(args.messages)
    jieba.setLogLevel(60)
    for m in msgs:  # warm-up both
        jieba.lcut(m)
        classify(m)
    t_jieba = 0.0
    t_cls = 0.0
    for _ in range(args.rounds):
        start = time.perf_counter()
        for m in msgs:
            jieba.lcut(m)
        t_jieba += time.perf_counter() - start
        start = time.perf_counter()
        for m in msgs:
            classify(m)
        t_cls += time.perf_counter() - start
    total = len(msgs) * args.rounds
    jieba_rate = total / t_jieba
    cls_rate = total / t_cls
    # This process has built the dictionary and lexicon caches, so each
    # fresh process below starts as a service restart does.
    colds = [_subprocess(_COLD) for _ in range(max(args.cold_starts, 1))]
    cold_s = sorted(c["cold_start_s"] for c in colds)
    cold = {
        "cold_start_s": statistics.median(cold_s),
        "process_wall_s": statistics.median(c["process_wall_s"] for c in colds),
    }
    rss = _subprocess(_RSS, str(args.rss_count))
    figures = {
        "message_chars": 300,
        "messages": len(msgs),
        "rounds": args.rounds,
        "jieba_lcut_per_s": round(jieba_rate, 1),
        "classify_per_s": round(cls_rate, 1),
        "ratio_classify_to_jieba": round(cls_rate / jieba_rate, 3),
        "cold_start_s": round(cold["cold_start_s"], 3),
        "cold_start_max_s": round(cold_s[-1], 3),
        "cold_starts": len(cold_s),
        "cold_process_wall_s": round(cold["process_wall_s"], 3),
        "peak_rss_mb_after": rss["classified"],
        "peak_rss_mb": round(rss["peak_rss_mb"], 1),
    }
    print(
        f"classification: {cls_rate:,.0f} msg/s; bare jieba.lcut: {jieba_rate:,.0f} msg/s; "
        f"ratio {cls_rate / jieba_rate:.2f} (300-character messages, same run)"
    )
    print(
        f"cold start (import + dictionaries + lexicon + first message): median "
        f"{cold['cold_start_s']:.3f} s, max {cold_s[-1]:.3f} s over {len(cold_s)} processes "
        f"(whole process {cold['process_wall_s']:.3f} s)"
    )
    print(f"peak RSS after {rss['classified']:,} messages: {rss['peak_rss_mb']:.1f} MB")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
