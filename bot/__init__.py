"""minqing's service side: domain services, the running service, web, CLI and benchmarks."""

from pathlib import Path

#: The repository's root (a source checkout): where ``tests/data`` and ``config`` live.
#: One definition, so that no module counts its own ``parent`` steps (two did, wrongly).
REPO_ROOT = Path(__file__).resolve().parent.parent
