"""The metrics registry: one per service, Prometheus text a scraper can parse."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.runtime.metrics import GaugeSample, Metrics


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, by name and sorted labels (parsed as Prometheus does)."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _types(text: str) -> dict[str, str]:
    return {f.name: f.type for f in text_string_to_metric_families(text)}


def test_two_services_in_one_process_count_apart() -> None:
    a, b = Metrics(), Metrics()
    a.updates.inc(1, "webhook")
    a.updates.inc(2, "webhook")
    b.updates.inc(1, "polling")
    assert a.updates.value("webhook") == 3 and a.updates.value("polling") == 0
    assert b.updates.value("webhook") == 0 and b.updates.value("polling") == 1
    parsed = _samples(a.render())
    assert parsed[("minqing_updates_total", (("source", "webhook"),))] == 3
    assert ("minqing_updates_total", (("source", "polling"),)) not in parsed


def test_latencies_are_histograms_with_cumulative_buckets() -> None:
    m = Metrics()
    for seconds in (0.003, 0.02, 0.02, 0.7, 30.0):
        m.update_latency.observe(seconds)
    m.classify_latency.observe(0.001)
    text = m.render()
    types = _types(text)
    assert types["minqing_update_seconds"] == "histogram"
    assert types["minqing_classify_seconds"] == "histogram"
    parsed = _samples(text)

    def bucket(le: str) -> float:
        return parsed[("minqing_update_seconds_bucket", (("le", le),))]

    assert bucket("0.005") == 1 and bucket("0.025") == 3 and bucket("1.0") == 4
    assert bucket("10.0") == 4 and bucket("+Inf") == 5
    assert parsed[("minqing_update_seconds_count", ())] == 5
    assert parsed[("minqing_update_seconds_sum", ())] == pytest.approx(30.743)
    assert m.update_latency.count == 5 and m.classify_latency.count == 1
    assert "_created" not in text


def test_the_metric_names_of_earlier_releases_are_kept() -> None:
    m = Metrics()
    m.classifications.inc(1, "urban")
    m.cases_filed.inc(1, "request", "web")
    m.webhook_rejected.inc(1, "secret")
    types = _types(m.render())
    # The parser names counter families without the ``_total`` suffix.
    for name in ("minqing_updates", "minqing_classifications", "minqing_cases_filed"):
        assert types[name] == "counter"
    assert types["minqing_webhook_rejected"] == "counter"
    text = m.render()
    assert 'minqing_classifications_total{room="urban"} 1.0' in text
    assert 'minqing_cases_filed_total{channel="web",kind="request"} 1.0' in text


def test_scrape_time_samples_join_the_exposition() -> None:
    m = Metrics()
    m.collectors.append(
        lambda: [
            GaugeSample(
                "minqing_deliveries_total", "by result", 4, ("result",), ("sent",), kind="counter"
            ),
            GaugeSample(
                "minqing_deliveries_total", "by result", 1, ("result",), ("failed",), kind="counter"
            ),
        ]
    )
    gauges = [
        GaugeSample("minqing_cases", "by state", 2, ("kind", "status"), ("request", "dispatched")),
        GaugeSample("minqing_up", "Database reachable", 1),
    ]
    text = m.render(gauges)
    parsed = _samples(text)
    assert parsed[("minqing_deliveries_total", (("result", "sent"),))] == 4
    assert parsed[("minqing_deliveries_total", (("result", "failed"),))] == 1
    assert parsed[("minqing_cases", (("kind", "request"), ("status", "dispatched")))] == 2
    assert parsed[("minqing_up", ())] == 1
    assert text.count("# TYPE minqing_deliveries_total counter") == 1
    types = _types(text)
    assert types["minqing_deliveries"] == "counter" and types["minqing_cases"] == "gauge"


def test_label_values_with_quotes_and_newlines_are_escaped() -> None:
    m = Metrics()
    m.classifications.inc(1, 'a"b\nc\\d')
    parsed = _samples(m.render())
    assert parsed[("minqing_classifications_total", (("room", 'a"b\nc\\d'),))] == 1


def test_wrong_use_is_refused() -> None:
    m = Metrics()
    with pytest.raises(ValueError):
        m.updates.inc(-1, "webhook")
    with pytest.raises(ValueError):
        m.cases_filed.inc(1, "request")
