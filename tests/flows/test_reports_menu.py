"""Issue 5's views in the menus: periods, targets, comparison, small samples, daily breakdown, trend chart,
and the export formats."""

import csv
import io
from fractions import Fraction

import pytest

from statbotic.frozen import replace
from tests.transcript import EXIT, LOGIN, answers, menu, period, play


def test_view_a_named_period_with_targets_comparison_and_small_sample_flag(november, as_alice):
    console = as_alice(
        menu("2"),
        answers("Start date or period", "next week", "2026-W47"),
        ("View more", "y"),
        period("2026-11-10", "0"),
        ("View more", "n"),
    )
    text = console.text
    assert "not a period Statbotic knows. Try today, yesterday, this week" in text
    assert "Stats for 2026-W47 (2026-11-16 to 2026-11-22)" in text
    assert "Days with data: 5 of 7." in text
    # CSAT: 24 + 23 + 25 + 24 + 20 = 116 positive of 125 ratings = 92.8 %, below 95: missed.
    # Each day is judged by its own positive of rated (96, 92, 100, 96, 80 %): 3 of 5 meet 95.
    assert "✗  Chat CSAT 92.8 %: target >= 95.0 % missed; met on 3 of 5 days" in text
    # 100 comments / 50 solves = 2.00 <= 2: met on every day
    assert "✓  Public comments per solve 2.00: target <= 2.00 met; met on 5 of 5 days" in text
    assert "Compared with the previous week (2026-11-09 to 2026-11-15)" in text
    assert "-1.00" in text  # comments per solve 3.00 -> 2.00
    # a single day: 25 ratings is fewer than 30
    assert "Low confidence: Chat CSAT rests on only 25 ratings (fewer than 30)." in text
    assert "The previous period has no data to compare with." in text


def test_targets_come_from_settings_and_can_be_turned_off(november, settings):
    relaxed = replace(settings, targets={"csat_percent": Fraction(90)})
    console = play(november, relaxed, LOGIN, menu("2"), period("2026-W47"), ("View more", "n"), EXIT)
    assert "✓  Chat CSAT 92.8 %: target >= 90.0 % met; met on 4 of 5 days" in console.text
    assert "Public comments per solve 2.00: target" not in console.text


def test_daily_breakdown_shows_every_day_and_marks_missing_ones(november, settings):
    console = play(november, settings, LOGIN, menu("4"), period("2026-11-16..2026-11-19"), ("Order", "1"), EXIT)
    rows = [line for line in console.text.splitlines() if "2026-11-1" in line and "│" in line]
    dates = ["Mon 2026-11-16", "Tue 2026-11-17", "Wed 2026-11-18", "Thu 2026-11-19"]
    assert [row.split("│")[1].strip() for row in rows] == dates
    assert "missing" in rows[3]
    assert "│ ✗ 92.0 (25) " in rows[1] and "│ 40.0 " in rows[1]  # 23 positive of 25 ratings


def test_trend_chart_draws_the_chosen_metric_with_its_target(november, as_alice):
    console = as_alice(
        menu("5"),
        answers("Choose a metric", "9", "5"),
        period("2026-W47"),
        menu("5"),
        ("Choose a metric", "1"),
        period("2026-11-10", "0"),
    )
    text = console.text
    assert "Chat CSAT per day" in text
    assert "┌" in text and "└" in text  # plotext drew a frame
    assert "Target line: >= 95." in text
    assert "\x1b[" not in text  # a console without colour gets no escape codes
    assert "A trend needs at least two days with data; 2026-11-10 has 1." in text


@pytest.mark.parametrize(
    "choice,name", [("2", "stats-2026-11-16-2026-11-22.csv"), ("3", "stats-summary-2026-11-16-2026-11-22.csv")]
)
def test_export_csv_formats(november, settings, choice, name, as_alice):
    console = as_alice(
        menu("3"),
        period("2026-W47"),
        answers("format", "0", choice),
        ("Export more", "n"),
    )
    assert "Please choose one of: 1, 2, 3." in console.text
    rows = list(csv.DictReader(io.StringIO((settings.export_dir / name).read_text(encoding="utf-8"))))
    if choice == "2":
        assert [r["date"] for r in rows] == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-20", "2026-11-21"]
        assert rows[1]["csat_ratings"] == "25" and rows[1]["csat_good"] == "23"
        assert rows[0]["wait_tenths"] == "400" and rows[0]["wait_tenths_total"] == "20000"
    else:
        by_metric = {r["metric"]: r for r in rows}
        assert float(by_metric["csat_percent"]["value"]) == 92.8
        assert by_metric["csat_percent"]["numerator_sum"] == "116"
        assert by_metric["comments"]["per_day"] == "20"
