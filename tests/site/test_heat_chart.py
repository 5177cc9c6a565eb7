"""The heat chart: inline SVG that parses, one bar per day, labelled for
screen readers, scaled by its viewBox, no script."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from lxml import etree

from topicwire.site.charts import heat_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def series(values: list[int], end: date = date(2026, 11, 28)) -> list[tuple[date, int]]:
    first = end - timedelta(days=len(values) - 1)
    return [(first + timedelta(days=i), v) for i, v in enumerate(values)]


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.mark.parametrize("days", [1, 7, 30])
def test_one_bar_per_day_and_an_accessible_name(days):
    values = [(i * 7) % 11 for i in range(days)]
    root = parse(heat_chart_svg(series(values), title="Heat of AI Hardware"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox") == "0 0 600 180" and root.get("width") is None
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == days
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Heat of AI Hardware"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "2026" in desc.text
    # each bar says its day and value; taller bars for higher values
    tips = [bar.find(f"{SVG}title").text for bar in bars]
    assert tips[-1] == f"28 Nov 2026: heat {values[-1]}"
    heights = [float(bar.get("height")) for bar in bars]
    # bar heights are proportional to the values (zero days get a sliver)
    ratios = {round(h / v, 1) for v, h in zip(values, heights, strict=True) if v > 0}
    assert len(ratios) <= 1
    assert all(h <= 1 for v, h in zip(values, heights, strict=True) if v == 0)
    assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("script")]


def test_axis_labels_show_the_peak_and_the_dates():
    svg = heat_chart_svg(series([0, 3, 12, 5]), title="t")
    labels = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "12" in labels and "0" in labels
    assert "25 Nov" in labels and "28 Nov" in labels
    desc = parse(svg).find(f"{SVG}desc").text
    assert "highest 12 on 27 Nov 2026" in desc and "5 on the last day" in desc


def test_a_series_without_heat_and_an_empty_series_still_draw():
    quiet = parse(heat_chart_svg(series([0] * 30), title="quiet"))
    assert len(quiet.findall(f".//{SVG}rect")) == 30
    assert "No heat" in quiet.find(f"{SVG}desc").text
    empty = parse(heat_chart_svg([], title="nothing"))
    assert empty.findall(f".//{SVG}rect") == []
    assert "No heat" in empty.find(f"{SVG}desc").text


def test_negative_heat_counts_as_none():
    root = parse(heat_chart_svg(series([-1, 4]), title="t"))
    assert [b.find(f"{SVG}title").text.endswith("heat 0") for b in root.iter(f"{SVG}rect")] == [True, False]


def test_the_title_is_text_and_the_drawing_is_stable():
    hostile = "<script>alert(1)</script> & \x01 Ünïcode"
    svg = heat_chart_svg(series([1, 2]), title=hostile, id_prefix="c2")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script> &  Ünïcode"
    assert root.find(f"{SVG}title").get("id") == "c2-title"
    assert "<script" not in svg
    assert heat_chart_svg(series([1, 2]), title=hostile, id_prefix="c2") == svg
