"""Trend charts as inline SVG, drawn by pygal without a browser (and without its scripts).

Readable in greyscale and by colour-blind readers: the figure is a solid blue line with round markers,
the target a dashed orange line without markers (blue/orange from the Okabe-Ito palette), so the two
differ by dash, marker and lightness, never by red against green.  A day without a figure is a gap in
the line (None, with ``allow_interruptions``), never a zero.  Each SVG has ``role="img"``, a <title>
and a <desc> summarising the trend; its ids are made from the chart's own name, unique on the page.

pygal loads here only, when a report is drawn: start-up never imports it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from ..frozen import frozen

SVG_NS = "{http://www.w3.org/2000/svg}"
BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#555555"  # Okabe-Ito blue and vermilion-orange; text grey
# A department chart's team lines, each its own dash (named in the legend), none like the target's.
SERIES_DASHES = (("", "solid"), ("2,3", "dotted"), ("8,3,2,3", "dash-dot"), ("5,3", "short dashes"),
                 ("1,5", "sparse dots"), ("8,3,2,3,2,3", "dash-dot-dot"))  # fmt: skip
SERIES_COLOURS = (BLUE, "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000")
TARGET_DASH = "14,6"  # long dashes, no markers: the target line only
DOTS_UP_TO = 92  # days: a quarter's charts have a dot per figure; longer ones only for lone figures
DROPPED = ("script", "desc")  # pygal's elements a report leaves out
ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@frozen
class Series:
    """A line of a chart: its name and a value per day of the chart (None: no figure that day)."""

    name: str
    values: tuple[Fraction | None, ...]


def chart_style(colours: Sequence[str]):
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground=GREY,
        foreground_strong="#222222",
        foreground_subtle="#dddddd",
        opacity="1",
        opacity_hover="1",
        colors=tuple(colours),
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=16,
        stroke_width="2.5",
        stroke_width_hover="2.5",
        guide_stroke_dasharray="",  # solid, faint guides: only the target line is dashed
        major_guide_stroke_dasharray="",
        guide_stroke_color="#e3e6ea",
        major_guide_stroke_color="#c9ced4",
    )


def trend_svg(
    chart_id: str,
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    target: Fraction | None,
    target_label: str,
    description: str,
) -> str:
    """One chart: a line per series over ``days``, and the target as a dashed line when there is one;
    ``description`` is its text alternative (<desc>).  Up to DOTS_UP_TO days every figure has a dot;
    over a longer period (a year: 365 dots a line, most of the drawing time) only a figure between two
    days without one does, so that it still shows."""
    import pygal

    dotted = len(days) <= DOTS_UP_TO
    colours = [SERIES_COLOURS[n % len(SERIES_COLOURS)] for n in range(len(series))]
    if len(series) == 1:
        colours = [BLUE]
    lone = [] if dotted else [lone_points(line.values) for line in series]
    colours += [colour for colour, points in zip(colours, lone, strict=False) if points] if lone else []
    colours += [ORANGE] if target is not None else []
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        allow_interruptions=True,
        style=chart_style(colours),
        width=900,
        height=360,
        explicit_size=False,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series) + (target is not None), 4),
        x_labels=[day.isoformat() for day in days],
        x_labels_major_count=min(len(days), 8),
        show_minor_x_labels=False,
        truncate_label=-1,
        dots_size=4,
        show_dots=dotted,
        stroke_style={"width": 2.5, "linejoin": "round", "linecap": "round"},
        print_values=False,
    )
    chart.uuid = ID_SAFE.sub("-", chart_id)
    chart.add_xml_filter(lambda root: accessible(root, title, description))
    for number, line in enumerate(series):
        dash, named = SERIES_DASHES[number % len(SERIES_DASHES)]
        style = {"width": 2.5, **({"dasharray": dash} if dash else {})}
        label = (
            f"{line.name} ({named} line)"
            if len(series) > 1
            else f"{line.name} ({'line with dots' if dotted else 'line'})"
        )
        chart.add(label, floats(line.values), stroke_style=style)
    for points in lone:
        if points:  # no legend entry (title None): the dots of its line's figures that have no line
            chart.add(None, floats(points), stroke=False, show_dots=True)
    if target is not None:
        chart.add(
            f"{target_label} (long dashes)",
            [float(target)] * len(days),
            show_dots=False,
            stroke_style={"width": 2, "dasharray": TARGET_DASH},
        )
    return chart.render(is_unicode=True)


def floats(values) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def lone_points(values: Sequence[Fraction | None]) -> tuple[Fraction | None, ...] | None:
    """Only the figures with no figure the day before nor the day after (None elsewhere): a line
    without dots would not show them.  None when there are none."""
    edge = (None,)
    padded = (*edge, *values, *edge)
    lone = tuple(
        v if v is not None and padded[n] is None and padded[n + 2] is None else None for n, v in enumerate(values)
    )
    return lone if any(v is not None for v in lone) else None


def dropped(element) -> bool:
    """A comment, a script, pygal's <desc> of a point or its tooltips: what a report leaves out."""
    if not isinstance(element.tag, str):
        return True
    return element.tag.rsplit("}", 1)[-1] in DROPPED or "tooltip-overlay" in element.get("class", "")


def accessible(root, title: str, description: str):
    """The rendered tree without scripts, comments, or pygal's tooltips (the data of its scripts, a <desc>
    per point, noise to a screen reader), with role="img", a <title> and a <desc> first."""
    import xml.etree.ElementTree as ET

    for parent in list(root.iter()):
        for child in list(parent):
            if dropped(child):
                parent.remove(child)
    chart_id = root.get("id", "chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    for element in root.iter():  # pygal's own ids repeat from chart to chart: make them the chart's
        own = element.get("id")
        if own and own != chart_id:
            element.set("id", f"{chart_id}-{own}")
    heading = ET.Element("title", id=f"{chart_id}-title")
    heading.text = title
    desc = ET.Element("desc", id=f"{chart_id}-desc")
    desc.text = description
    root.insert(0, desc)
    root.insert(0, heading)
    return root
