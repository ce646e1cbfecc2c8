"""The service's metrics on ``prometheus-client``, one registry per running service.

One :class:`Metrics` per running service, each with its own
:class:`prometheus_client.CollectorRegistry` (tests run several services side
by side in one process, so nothing goes to the library's global registry).
Counters and the latency histograms live in that registry; values that come
from elsewhere — the database (cases by state, outbox backlog), or the delivery
worker's own counters — are handed over as :class:`GaugeSample` at scrape time
and rendered with the registry in one exposition (:meth:`Metrics.render`).

The thin :class:`Counter` and :class:`Histogram` wrappers keep the call sites
short (``metrics.updates.inc(1, "webhook")``) and fix the label names per metric.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import prometheus_client
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

# No ``*_created`` series: they would carry wall-clock times (the service keeps time through
# its own clock) and double the exposition; the metric names stay those of earlier releases.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]

#: Histogram buckets in seconds (the +Inf bucket is added by the library).
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: The ``Content-Type`` of :meth:`Metrics.render`'s text (Prometheus text format 0.0.4).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


class Counter:
    """A monotonically increasing count, optionally by labels."""

    def __init__(
        self,
        registry: CollectorRegistry,
        name: str,
        help: str,
        label_names: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.label_names = tuple(label_names)
        self._counter = prometheus_client.Counter(
            name, help, labelnames=self.label_names, registry=registry
        )
        self._registry = registry

    def inc(self, amount: float = 1.0, *labels: str) -> None:
        """Add ``amount`` for the given label values.

        Raises:
            ValueError: a negative amount, or the wrong number of label values.
        """
        if amount < 0:
            raise ValueError("counters only go up")
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.name} takes labels {self.label_names}")
        target = self._counter.labels(*labels) if labels else self._counter
        target.inc(amount)

    def value(self, *labels: str) -> float:
        """The current count for the given label values (0 when never counted)."""
        sample = self.name if self.name.endswith("_total") else f"{self.name}_total"
        found = self._registry.get_sample_value(
            sample, dict(zip(self.label_names, labels, strict=True))
        )
        return found or 0.0


class Histogram:
    """Observed durations (seconds) in cumulative buckets."""

    def __init__(
        self,
        registry: CollectorRegistry,
        name: str,
        help: str,
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> None:
        self.name = name
        self._histogram = prometheus_client.Histogram(
            name, help, buckets=tuple(buckets), registry=registry
        )
        self._registry = registry

    def observe(self, value: float) -> None:
        """Record one observation."""
        self._histogram.observe(value)

    @property
    def count(self) -> int:
        """How many observations were made."""
        return int(self._registry.get_sample_value(f"{self.name}_count") or 0)


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


def _families(samples: Iterable[GaugeSample]) -> list[Metric]:
    """Samples grouped into metric families, in order of first appearance."""
    families: dict[str, GaugeMetricFamily | CounterMetricFamily] = {}
    for s in samples:
        family = families.get(s.name)
        if family is None:
            kind = CounterMetricFamily if s.kind == "counter" else GaugeMetricFamily
            family = kind(s.name, s.help, labels=list(s.label_names))
            families[s.name] = family
        family.add_metric(list(s.label_values), s.value)
    return list(families.values())


class _Exposition:
    """The registry and one scrape's samples, as one collector for ``generate_latest``."""

    def __init__(self, registry: CollectorRegistry, extra: Sequence[Metric]) -> None:
        self._registry = registry
        self._extra = extra

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()
        yield from self._extra


class Metrics:
    """The service's counters and histograms, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(r, "minqing_updates_total", "Telegram updates taken in", ("source",))
        self.classifications = Counter(
            r, "minqing_classifications_total", "Messages classified, by room", ("room",)
        )
        self.cases_filed = Counter(
            r, "minqing_cases_filed_total", "Cases filed", ("kind", "channel")
        )
        self.webhook_rejected = Counter(
            r, "minqing_webhook_rejected_total", "Webhook requests refused", ("reason",)
        )
        self.update_latency = Histogram(
            r, "minqing_update_seconds", "Time to handle one update, arrival to handler done"
        )
        self.classify_latency = Histogram(
            r, "minqing_classify_seconds", "Time to classify one message"
        )
        self.collectors: list[Collector] = []

    def render(self, gauges: Iterable[GaugeSample] = ()) -> str:
        """Everything in Prometheus text exposition format (see :data:`CONTENT_TYPE`).

        Args:
            gauges: Values computed for this scrape (added after the registry's
                metrics, together with what :attr:`collectors` yield now).
        """
        collected = [sample for collect in self.collectors for sample in collect()]
        extra = _families([*gauges, *collected])
        return generate_latest(_Exposition(self.registry, extra)).decode("utf-8")
