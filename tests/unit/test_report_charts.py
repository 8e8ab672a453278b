"""The report's charts (report_page/charts.py): pygal's SVG without scripts, accessible, ids of its own,
gaps for missing days and a dot for a figure alone between two of them."""

import re
from datetime import date, timedelta
from fractions import Fraction

from statbotic.report_page.charts import Series, lone_points, trend_svg

DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(120)]


def chart(chart_id: str, values, target=Fraction(95)) -> str:
    days = DAYS[: len(values)]
    return trend_svg(chart_id, "CSAT", days, [Series("Chat CSAT", tuple(values))], target, "Target >= 95 %", "about it")


def test_a_figure_alone_between_missing_days_is_kept_for_a_dot():
    values = [Fraction(1), None, Fraction(2), None, Fraction(3), Fraction(4), None]
    assert lone_points(values) == (Fraction(1), None, Fraction(2), None, None, None, None)  # the edge too
    assert lone_points([Fraction(1), Fraction(2)]) is None
    assert lone_points([Fraction(7)]) == (Fraction(7),)


def test_the_svg_has_no_script_a_title_a_desc_and_the_role_of_an_image():
    svg = chart("trend-csat", [Fraction(90 + n % 7) for n in range(30)])
    assert "<script" not in svg and "<!--" not in svg and "<?xml" not in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="chart-trend-csat"')
    assert 'role="img"' in svg and '<title id="chart-trend-csat-title">CSAT</title>' in svg
    assert '<desc id="chart-trend-csat-desc">about it</desc>' in svg
    assert svg.count("<desc") == 1, "pygal's per-point <desc> are left out"
    assert "(line with dots)" in svg and "Target &gt;= 95 % (long dashes)" in svg


def test_missing_days_break_the_line_and_ids_differ_between_charts():
    values = [Fraction(90)] * 10 + [None] * 3 + [Fraction(92)] * 10  # one gap: two pieces of line
    first, second = chart("trend-a", values), chart("trend-b", values)
    assert first.count('class="line reactive nofill"') == 2 + 1  # two pieces, and the target line
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert len(ids) == len(set(ids))


def test_a_long_period_draws_lines_without_dots_but_a_lone_figure_keeps_one():
    values = [Fraction(90)] * 50 + [None, Fraction(80), None] + [Fraction(91)] * 60
    svg = chart("trend-long", values)
    assert svg.count("<circle") == 1 and "(line)" in svg
