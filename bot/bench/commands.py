"""``minqing bench commands``: cold starts of CLI commands beside what their libraries need.

Each command runs in a fresh process (``python -m bot.cli …``), alternating with
its *anchor* — a bare ``python -c`` doing only what the command's own libraries
must do — so that both see the same machine load. CPU seconds (user + system,
from the kernel's accounting of the finished child) are the figure to compare
on a shared machine: wall time mostly measures waiting for a core.

* ``--help`` against argparse answering ``--help`` for a parser of its own
  (``python -c "import argparse; argparse.ArgumentParser().parse_args(['--help'])"``):
  argparse and what it loads to print help (gettext, locale, shutil, textwrap)
  are the library ``--help`` needs; listing minqing's twelve commands is its own
  work. Bare ``python -c pass`` is timed beside both as a reference (its ratio
  is printed, not the target: argparse alone is about 1.3x bare Python);
* ``classify TEXT`` against ``import jieba; jieba.lcut(TEXT)`` (jieba's own
  dictionary: minqing's larger one is loaded from its own cache);
* ``units`` on a SQLite database ``minqing init`` made, against SQLAlchemy's
  asyncio extension (which loads the ORM) on aiosqlite running one query on the
  same file, ``SELECT count(*) FROM units``. What ``units`` adds beyond that is
  its own: the district's TOML, the work-day calendar, the schema check, the
  coverage report (read through two light Core tables: no mapped class).

Each command runs as users run it: through the ``minqing`` script that pip
installed beside the interpreter (``from bot.cli import main``), or, when there
is none, ``python -m bot.cli`` — which also loads :mod:`runpy` (about 4 ms of
CPU that ``minqing`` itself does not spend; the figures say which entry ran).

Before measuring, the project's own modules are byte-compiled (``compileall``,
into their ``__pycache__``), as the libraries of the anchors were by pip when
they were installed: otherwise, with ``PYTHONDONTWRITEBYTECODE`` set (as on the
shared machine), every measured run of a command compiled the project's modules
from source (tens of milliseconds) while its anchor loaded bytecode.
``--no-compile`` measures without that step.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import REPO_ROOT

TEXT = "楼道灯坏了好几天没人修"

_UNITS_ANCHOR = """
import asyncio, os
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

async def main():
    engine = create_async_engine(os.environ["DATABASE_URL"])
    async with engine.connect() as conn:
        (await conn.execute(text("SELECT count(*) FROM units"))).all()
    await engine.dispose()

asyncio.run(main())
"""


@dataclass
class ColdStarts:
    """CPU and wall seconds of repeated cold starts of one command line."""

    label: str
    cpu_s: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """Medians (and the spread) in seconds."""
        return {
            "cpu_s": round(statistics.median(self.cpu_s), 3),
            "cpu_min_s": round(min(self.cpu_s), 3),
            "cpu_max_s": round(max(self.cpu_s), 3),
            "wall_s": round(statistics.median(self.wall_s), 3),
            "runs": len(self.cpu_s),
        }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], env: dict[str, str], into: ColdStarts) -> None:
    """Run ``argv`` to completion and add its CPU and wall seconds to ``into``."""
    cpu_before, started = _children_cpu(), time.perf_counter()
    subprocess.run(
        argv,
        env=env,
        cwd=str(REPO_ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=300,
    )
    into.wall_s.append(time.perf_counter() - started)
    into.cpu_s.append(_children_cpu() - cpu_before)


#: What ``minqing --help`` needs of its library: argparse answering ``--help``.
_HELP_ANCHOR = "import argparse; argparse.ArgumentParser(prog='minqing').parse_args(['--help'])"


def entry_point() -> list[str]:
    """How to start ``minqing``: the installed script beside the interpreter, else ``-m``."""
    script = Path(sys.executable).with_name("minqing")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "bot.cli"]


def _pairs(database_url: str) -> dict[str, tuple[list[str], list[str]]]:
    py, minqing = sys.executable, entry_point()
    return {
        "help": ([*minqing, "--help"], [py, "-c", _HELP_ANCHOR]),
        "classify": (
            [*minqing, "classify", TEXT],
            [py, "-c", f"import jieba; jieba.setLogLevel(60); jieba.lcut({TEXT!r})"],
        ),
        "units": ([*minqing, "units"], [py, "-c", _UNITS_ANCHOR]),
    }


#: Timed beside a command and its anchor as a reference (a ratio printed, not the target).
_REFERENCES = {"help": ("bare python -c pass", [sys.executable, "-c", "pass"])}


#: The project's packages (byte-compiled before measuring, see the module's docstring).
PACKAGES = ("bot", "config", "handlers", "nlp", "storage")


def compile_project() -> bool:
    """Byte-compile the project's modules into their ``__pycache__``; True if all compiled."""
    return all(compileall.compile_dir(str(REPO_ROOT / package), quiet=2) for package in PACKAGES)


def measure(
    database_url: str,
    runs: int = 7,
    only: tuple[str, ...] = ("help", "classify", "units"),
    compile_first: bool = True,
) -> dict[str, Any]:
    """Cold starts of each command and its anchor, alternating; figures per command."""
    compiled = compile_project() if compile_first else False
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    out: dict[str, Any] = {}
    for name, (command, anchor) in _pairs(database_url).items():
        if name not in only:
            continue
        mine, bare = ColdStarts(name), ColdStarts(f"{name} anchor")
        reference = _REFERENCES.get(name)
        other = ColdStarts(reference[0]) if reference else None
        warm = ColdStarts("warm-up")  # the file cache (unmeasured)
        run_once(command, env, warm)
        run_once(anchor, env, warm)
        for _ in range(max(1, runs)):
            run_once(command, env, mine)
            run_once(anchor, env, bare)
            if reference and other:
                run_once(reference[1], env, other)
        m, a = mine.figures(), bare.figures()
        out[name] = {
            "bytecode": compiled,
            "entry": " ".join(Path(part).name for part in entry_point()),
            "command": m,
            "anchor": a,
            "cpu_ratio": round(m["cpu_s"] / a["cpu_s"], 2) if a["cpu_s"] else None,
        }
        if reference and other:
            r = other.figures()
            out[name]["reference"] = {"label": reference[0], **r}
            out[name]["reference_cpu_ratio"] = (
                round(m["cpu_s"] / r["cpu_s"], 2) if r["cpu_s"] else None
            )
    return out


def format_figures(figures: dict[str, Any]) -> list[str]:
    """One line per command: its CPU and wall beside its anchor's, and the ratio."""
    lines = []
    for name, f in figures.items():
        m, a = f["command"], f["anchor"]
        lines.append(
            f"{name}: {m['cpu_s']:.3f} s CPU ({m['cpu_min_s']:.3f}-{m['cpu_max_s']:.3f}), "
            f"{m['wall_s']:.3f} s wall; anchor {a['cpu_s']:.3f} s CPU, {a['wall_s']:.3f} s wall; "
            f"CPU ratio {f['cpu_ratio']} (median of {m['runs']}, as `{f.get('entry')}`"
            f"{'' if f.get('bytecode') else '; project modules compiled from source'})"
        )
        if "reference" in f:
            r = f["reference"]
            lines.append(
                f"  {name} beside {r['label']} (a reference, not the target): "
                f"{r['cpu_s']:.3f} s CPU, ratio {f['reference_cpu_ratio']}"
            )
    return lines
