"""Server-side SVG charts: valid XML, escaped text, series and labels, determinism."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.web.chart_svg import FONT_FAMILY, NO_DATA, text_width, truncate
from bot.web.charts import Bar, Series, bar_chart, line_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
EVIL = '<script>alert("x")</script>&'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def check_accessible(root: ET.Element) -> None:
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    labelled = (root.get("aria-labelledby") or "").split()
    assert root.get("role") == "img" and len(labelled) == 2 and set(labelled) <= ids
    assert root.find("svg:title", NS) is not None and root.find("svg:desc", NS) is not None
    assert root.get("font-family") == FONT_FAMILY
    assert "Noto Sans CJK SC" in FONT_FAMILY and "Microsoft YaHei" in FONT_FAMILY
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


def trend() -> list[Series]:
    return [
        Series("响应率", [0.9, 0.92, None, 0.95, 0.97, 1.0, 0.99, 0.93, 0.9, 0.91, 0.95, 0.96]),
        Series("解决率", [0.5 + i * 0.03 for i in range(12)]),
        Series("满意率", [0.8] * 12),
    ]


def test_line_chart_is_valid_svg_with_series_labels_and_axes() -> None:
    svg = line_chart("近12个月趋势", MONTHS, trend())
    root = parse(svg)
    check_accessible(root)
    assert root.find("svg:title", NS) is not None
    assert root.findtext("svg:title", namespaces=NS) == "近12个月趋势"
    shown = texts(root)
    assert "近12个月趋势" in shown
    assert {"0%", "20%", "40%", "60%", "80%", "100%"} <= set(shown)
    assert {"响应率", "解决率", "满意率"} <= set(shown)  # the legend
    assert "2024-01" in shown and "2024-12" in shown
    groups = root.findall(".//svg:g[@class='series']", NS)
    assert len(groups) == 3
    # The gap in March splits the first line in two; points carry their value.
    first_path = groups[0].find("svg:path", NS)
    assert first_path is not None and first_path.get("d", "").count("M") == 2
    assert len(groups[0].findall("svg:circle", NS)) == 11
    tips = ["".join(t.itertext()) for t in groups[1].iter("{http://www.w3.org/2000/svg}title")]
    assert "解决率 2024-01：50.0%" in tips
    # Series differ by colour and by dash pattern.
    paths = [g.find("svg:path", NS) for g in groups]
    assert len({p.get("stroke") for p in paths if p is not None}) == 3
    assert len({p.get("stroke-dasharray") for p in paths if p is not None}) == 3


def test_line_chart_escapes_text() -> None:
    svg = line_chart(EVIL, ["<b>一月</b>", "二月"], [Series(EVIL, [0.5, 0.6])], desc=EVIL)
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    check_accessible(root)
    assert root.findtext("svg:title", namespaces=NS) == EVIL
    assert root.findtext("svg:desc", namespaces=NS) == EVIL
    assert EVIL in texts(root) and "<b>一月</b>" in texts(root)


def test_line_chart_clamps_and_tolerates_bad_values() -> None:
    root = parse(
        line_chart("t", ["a", "b", "c", "d"], [Series("s", [1.7, -0.2, float("nan"), None])])
    )
    circles = root.findall(".//svg:circle", NS)
    assert len(circles) == 2  # NaN and None are gaps
    ys = [float(c.get("cy", "0")) for c in circles]
    assert ys[0] < ys[1]  # 1.7 drawn at the top, -0.2 at the bottom
    tip = "".join(circles[0].itertext())
    assert "170.0%" in tip  # the tooltip shows the real value


def test_line_chart_without_data_and_many_labels() -> None:
    empty = parse(line_chart("空", MONTHS, [Series("响应率", [None] * 12)]))
    assert NO_DATA in texts(empty)
    nothing = parse(line_chart("空", [], []))
    assert NO_DATA in texts(nothing)
    days = [f"2024年{m}月{d}日" for m in range(1, 4) for d in range(1, 29)]
    crowded = parse(line_chart("每日", days, [Series("x", [0.5] * len(days))]))
    shown = [t for t in texts(crowded) if t.startswith("2024年")]
    assert 3 <= len(shown) < len(days) and shown[0] == days[0]


def test_line_chart_refuses_mismatched_series() -> None:
    with pytest.raises(ValueError, match="3 values for 12 labels"):
        line_chart("t", MONTHS, [Series("s", [0.1, 0.2, 0.3])])
    with pytest.raises(ValueError, match="chart id"):
        line_chart("t", [], [], chart_id="1 bad id")


def test_charts_are_deterministic_with_content_derived_ids() -> None:
    a = line_chart("趋势", MONTHS, trend())
    assert a == line_chart("趋势", MONTHS, trend())
    other = line_chart("趋势", MONTHS, trend()[:2])
    ids_a = {el.get("id") for el in parse(a).iter() if el.get("id")}
    ids_other = {el.get("id") for el in parse(other).iter() if el.get("id")}
    assert ids_a and not ids_a & ids_other  # two charts on one page do not clash
    fixed = parse(line_chart("趋势", MONTHS, trend(), chart_id="trend"))
    assert fixed.get("aria-labelledby") == "trend-title trend-desc"
    bars = [("东城", 80.0), ("西湖", 90.0)]
    assert bar_chart("排名", bars) == bar_chart("排名", bars)


def test_bar_chart_ranks_stations() -> None:
    svg = bar_chart(
        "工作站综合得分",
        [
            Bar("东城街道群众工作站", 88.5),
            ("西湖街道群众工作站", 92.25),
            ("高新园区群众工作站", 71.0),
            ("区劳动局群众工作站", 71.0),
        ],
    )
    root = parse(svg)
    check_accessible(root)
    bars = root.findall(".//svg:g[@class='bar']", NS)
    assert [b.get("data-rank") for b in bars] == ["1", "2", "3", "4"]
    labels = ["".join(b.find("svg:text", NS).itertext()) for b in bars]  # type: ignore[union-attr]
    # Highest first; equal scores keep their given order.
    assert labels == [
        "1. 西湖街道群众工作站",
        "2. 东城街道群众工作站",
        "3. 高新园区群众工作站",
        "4. 区劳动局群众工作站",
    ]
    widths = [float(b.find("svg:rect", NS).get("width", "0")) for b in bars]  # type: ignore[union-attr]
    assert widths[0] > widths[1] > widths[2] == widths[3] > 0
    shown = texts(root)
    assert "88.5分" in shown and {"0", "20", "40", "60", "80", "100"} <= set(shown)
    assert "西湖街道群众工作站" in (root.findtext("svg:desc", namespaces=NS) or "")


def test_bar_chart_escapes_truncates_and_scales() -> None:
    long_label = EVIL + "一个名字非常非常非常非常非常长的区直部门群众工作站"
    root = parse(bar_chart(EVIL, [(long_label, 40.0), ("短", 250.0)], sort=False, ranked=False))
    svg_text = ET.tostring(root, encoding="unicode")
    assert "<script" not in svg_text
    first = root.findall(".//svg:g[@class='bar']", NS)[0]
    label = "".join(first.find("svg:text", NS).itertext())  # type: ignore[union-attr]
    assert label.endswith("…") and label.startswith("<script>")
    assert long_label in "".join(first.find("svg:title", NS).itertext())  # type: ignore[union-attr]
    # 250 exceeds 100, so the axis goes to a round number above it.
    assert {"0", "50", "100", "150", "200", "250"} <= set(texts(root))
    with pytest.raises(ValueError, match="finite"):
        bar_chart("t", [("x", float("inf"))])
    with pytest.raises(ValueError, match="max_value"):
        bar_chart("t", [("x", 1.0)], max_value=0)
    assert NO_DATA in texts(parse(bar_chart("空", [])))


def test_text_helpers() -> None:
    assert text_width("工作站", 12) == 36
    assert text_width("ab", 10) == 12
    assert truncate("短", 12, 100) == "短"
    cut = truncate("非常长的名字" * 5, 12, 60)
    assert cut.endswith("…") and text_width(cut, 12) <= 60
