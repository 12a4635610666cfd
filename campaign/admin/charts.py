"""Small charts as inline SVG, built on the server: pure functions that return markup."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup

INK, BAR, MUTED = "#1b1b1b", "#0b5394", "#6b6b6b"

# Markup.format escapes every argument that is not itself Markup: labels and titles are text.
SVG = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
    'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
    "<title>{title}</title>{body}</svg>"
)
BAR_ROW = Markup(
    '<g><text x="0" y="{text_y}" fill="{ink}" font-size="13">{label}</text>'
    '<rect x="{x}" y="{y}" width="{length}" height="{height}" fill="{fill}">'
    "<title>{label}: {value}</title></rect>"
    '<text x="{value_x}" y="{text_y}" fill="{ink}" font-size="13">{value}</text></g>'
)
LINE = Markup(
    '<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="2" '
    'stroke-linejoin="round"/>'
    '<circle cx="{last_x}" cy="{last_y}" r="3" fill="{stroke}"/>'
    '<line x1="{pad}" y1="{base}" x2="{end}" y2="{base}" stroke="{muted}" stroke-width="1"/>'
)


def _svg(width: int, height: int, title: str, label: str, body: Markup) -> Markup:
    return SVG.format(width=width, height=height, title=title, label=label, body=body)


def bar_chart(
    *,
    title: str,
    bars: Sequence[tuple[str, int]],
    width: int = 360,
    label_width: int = 110,
    bar_height: int = 18,
    gap: int = 6,
) -> Markup:
    """Horizontal bars, one per (label, value), each with its value written beside it."""
    longest = max((value for _label, value in bars), default=0) or 1
    room = width - label_width - 40  # leave space for the value after the longest bar
    rows = []
    for index, (label, value) in enumerate(bars):
        y = index * (bar_height + gap)
        length = round(room * value / longest) if value > 0 else 0
        rows.append(
            BAR_ROW.format(
                label=label,
                value=value,
                x=label_width,
                y=y,
                length=length,
                height=bar_height,
                text_y=f"{y + bar_height * 0.75:g}",
                value_x=label_width + length + 4,
                ink=INK,
                fill=BAR,
            )
        )
    height = max(len(bars) * (bar_height + gap) - gap, bar_height)
    summary = ", ".join(f"{label} {value}" for label, value in bars)
    label = _("%(title)s: %(summary)s", title=title, summary=summary)
    return _svg(width, height, title, label, Markup("").join(rows))


def sparkline(
    *, title: str, values: Sequence[int], width: int = 280, height: int = 48, pad: int = 3
) -> Markup:
    """A line through *values* (oldest first), the last point marked."""
    if not values:
        return _svg(width, height, title, _("%(title)s: no data", title=title), Markup(""))
    highest = max(values) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [
        (pad + index * step, height - pad - (height - 2 * pad) * value / highest)
        for index, value in enumerate(values)
    ]
    body = LINE.format(
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        last_x=f"{points[-1][0]:.1f}",
        last_y=f"{points[-1][1]:.1f}",
        pad=pad,
        base=height - pad,
        end=width - pad,
        stroke=BAR,
        muted=MUTED,
    )
    label = _(
        "%(title)s: %(total)s in all over %(days)s days, "
        "at most %(most)s a day, %(last)s on the last day",
        title=title,
        total=sum(values),
        days=len(values),
        most=max(values),
        last=values[-1],
    )
    return _svg(width, height, title, label, body)
