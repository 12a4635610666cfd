"""The inline SVG charts: accessible, escaped, drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from campaign.admin.charts import bar_chart, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314  (our own output, well-formed or the test fails)


def test_bar_chart_is_labelled_and_to_scale() -> None:
    svg = _parse(bar_chart(title="Tasks", bars=[("Open", 4), ("Done", 2), ("Blocked", 0)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Tasks: Open 4, Done 2, Blocked 0"
    assert svg.findtext(f"{SVG}title") == "Tasks"
    widths = [int(rect.get("width", "")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert [rect.findtext(f"{SVG}title") for rect in svg.iter(f"{SVG}rect")] == [
        "Open: 4",
        "Done: 2",
        "Blocked: 0",
    ]


def test_text_is_escaped() -> None:
    markup = bar_chart(title='<script>"x"</script>', bars=[("<b>&amp;", 1)])
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;b&gt;&amp;amp;" in markup
    svg = _parse(markup)
    assert svg.findtext(f"{SVG}title") == '<script>"x"</script>'


def test_bar_chart_of_nothing_is_still_valid() -> None:
    svg = _parse(bar_chart(title="Tasks", bars=[]))
    assert svg.get("aria-label") == "Tasks: "


def test_sparkline_has_a_point_per_value() -> None:
    values = [0, 1, 3, 0, 2]
    svg = _parse(sparkline(title="Pledges", values=values))
    assert svg.get("role") == "img"
    label = svg.get("aria-label", "")
    assert "6 in all over 5 days" in label and "at most 3 a day" in label
    assert "2 on the last day" in label
    polyline = svg.find(f"{SVG}polyline")
    assert polyline is not None
    points = polyline.get("points", "").split()
    assert len(points) == 5
    heights = [float(point.split(",")[1]) for point in points]
    assert heights[2] == min(heights)  # the highest value is drawn highest


def test_sparkline_without_values() -> None:
    markup = sparkline(title="Pledges", values=[])
    assert re.search(r'aria-label="Pledges: no data"', markup)
    _parse(markup)
