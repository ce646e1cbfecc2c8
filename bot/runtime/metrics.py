"""A small in-process metrics registry rendered in Prometheus text format.

One :class:`Metrics` per running service (tests run several side by side, so
there is no global registry). Gauges that come from the database (cases by
state, outbox backlog) are added at scrape time by the web layer.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

LabelValues = tuple[str, ...]

DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    parts = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


@dataclass
class Counter:
    """A monotonically increasing count, optionally by labels."""

    name: str
    help: str
    label_names: tuple[str, ...] = ()
    _values: dict[LabelValues, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def inc(self, amount: float = 1.0, *labels: str) -> None:
        """Add ``amount`` for the given label values."""
        if amount < 0:
            raise ValueError("counters only go up")
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.name} takes labels {self.label_names}")
        with self._lock:
            self._values[labels] = self._values.get(labels, 0.0) + amount

    def value(self, *labels: str) -> float:
        """The current count for the given label values."""
        return self._values.get(labels, 0.0)

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        values = dict(self._values) or ({(): 0.0} if not self.label_names else {})
        for labels, value in sorted(values.items()):
            yield f"{self.name}{_labels(self.label_names, labels)} {_number(value)}"


@dataclass
class Histogram:
    """Observed durations (seconds) in cumulative buckets."""

    name: str
    help: str
    buckets: tuple[float, ...] = DEFAULT_BUCKETS
    _counts: list[int] = field(default_factory=list)
    _sum: float = 0.0
    _count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._counts = [0] * len(self.buckets)

    def observe(self, value: float) -> None:
        """Record one observation."""
        with self._lock:
            self._sum += value
            self._count += 1
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    self._counts[i] += 1

    @property
    def count(self) -> int:
        """How many observations were made."""
        return self._count

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        for bound, n in zip(self.buckets, self._counts, strict=True):
            yield f'{self.name}_bucket{{le="{_number(bound)}"}} {n}'
        yield f'{self.name}_bucket{{le="+Inf"}} {self._count}'
        yield f"{self.name}_sum {_number(self._sum)}"
        yield f"{self.name}_count {self._count}"


@dataclass(frozen=True)
class GaugeSample:
    """One value computed at scrape time (a gauge, or a counter kept elsewhere)."""

    name: str
    help: str
    value: float
    label_names: tuple[str, ...] = ()
    label_values: tuple[str, ...] = ()
    kind: str = "gauge"


#: Something that yields samples at scrape time (e.g. the delivery worker's counters).
Collector = Callable[[], Iterable[GaugeSample]]


class Metrics:
    """The service's counters and histograms."""

    def __init__(self) -> None:
        self.updates = Counter("minqing_updates_total", "Telegram updates taken in", ("source",))
        self.classifications = Counter(
            "minqing_classifications_total", "Messages classified, by room", ("room",)
        )
        self.cases_filed = Counter("minqing_cases_filed_total", "Cases filed", ("kind", "channel"))
        self.webhook_rejected = Counter(
            "minqing_webhook_rejected_total", "Webhook requests refused", ("reason",)
        )
        self.update_latency = Histogram(
            "minqing_update_seconds", "Time to handle one update, arrival to handler done"
        )
        self.collectors: list[Collector] = []
        self.classify_latency = Histogram(
            "minqing_classify_seconds", "Time to classify one message"
        )

    def _all(self) -> list[Counter | Histogram]:
        return [v for v in vars(self).values() if isinstance(v, Counter | Histogram)]

    def render(self, gauges: Iterable[GaugeSample] = ()) -> str:
        """Everything in Prometheus text exposition format."""
        lines: list[str] = []
        for metric in self._all():
            lines.extend(metric.render())
        seen: set[str] = set()
        collected = [sample for collect in self.collectors for sample in collect()]
        for g in [*gauges, *collected]:
            if g.name not in seen:
                lines.append(f"# HELP {g.name} {g.help}")
                lines.append(f"# TYPE {g.name} {g.kind}")
                seen.add(g.name)
            lines.append(f"{g.name}{_labels(g.label_names, g.label_values)} {_number(g.value)}")
        return "\n".join(lines) + "\n"
