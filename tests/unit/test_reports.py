"""The maths of range figures: ratios of sums, never averages of daily averages."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from statbotic.metrics import COMPONENT_KEYS, ENTRY_FIELDS, RANGE_METRICS, Direction, Goal, components_of
from statbotic.records import DayRecord, RangeTotals
from statbotic.reports import (
    BY_DATE,
    PER_DAY,
    RATE,
    TOTAL,
    WORST_FIRST,
    Summary,
    build_report,
    compare,
    counts_per_day,
    date_runs,
    day_lines,
    missing_dates,
    shortfall,
    summarise,
)


def day(comments=0, solves=0, chats=0, wait_seconds=0, csat_ratings=0, csat_good=0):
    return dict(
        comments=comments,
        solves=solves,
        chats=chats,
        wait_tenths=int(Decimal(str(wait_seconds)) * 10),
        csat_ratings=csat_ratings,
        csat_good=csat_good,
    )


def totals_of(days: dict[date, dict], start: date, end: date) -> RangeTotals:
    """Sum components the way a store does, from entered figures."""
    sums = dict.fromkeys(COMPONENT_KEYS, 0)
    for entered in days.values():
        for key, value in components_of(entered).items():
            sums[key] += value
    return RangeTotals(start, end, sums, tuple(sorted(days)))


D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def test_csat_is_good_ratings_over_all_ratings_not_a_mean_of_daily_percentages():
    summary = summarise(
        totals_of({D1: day(csat_good=2, csat_ratings=2), D2: day(csat_good=45, csat_ratings=50)}, D1, D2)
    )
    csat = summary.figure("csat_percent")
    assert csat.value == Fraction(4700, 52)  # 90.38...: shown as 90.4 %
    assert (csat.numerator, csat.denominator) == (47, 52)


def test_average_wait_is_weighted_by_chats():
    summary = summarise(totals_of({D1: day(chats=10, wait_seconds=30), D2: day(chats=100, wait_seconds=120)}, D1, D2))
    assert summary.figure("wait_seconds").value == Fraction(12300, 110)  # 111.818...: shown as 111.8 s


def test_comments_per_solve_is_a_ratio_of_sums_not_a_mean_of_daily_ratios():
    # Daily ratios 1.0 and 5.0 average 3.0; the range's figure is 52 comments / 12 solves = 4.33.
    summary = summarise(totals_of({D1: day(comments=2, solves=2), D2: day(comments=50, solves=10)}, D1, D2))
    assert summary.figure("comments_per_solve").value == Fraction(52, 12)


def test_zero_solves_and_zero_ratings_and_zero_chats_give_no_ratio_instead_of_an_error():
    summary = summarise(totals_of({D1: day(comments=5)}, D1, D1))
    assert summary.figure("comments_per_solve").value is None
    assert summary.figure("csat_percent").value is None
    assert summary.figure("wait_seconds").value is None
    assert summary.figure("comments").value == 5


def test_per_day_averages_divide_by_days_with_data_and_missing_days_are_listed():
    summary = summarise(totals_of({D1: day(solves=10), D3: day(solves=20)}, D1, D3))
    assert summary.days_in_range == 3
    assert summary.days_with_data == 2
    assert summary.missing == (D2,)
    assert summary.figure("solves").per_day == 15


def test_single_day_range():
    summary = summarise(
        totals_of({D2: day(comments=3, solves=3, chats=4, wait_seconds=10, csat_good=3, csat_ratings=4)}, D2, D2)
    )
    assert summary.days_in_range == 1 and summary.missing == ()
    assert summary.figure("csat_percent").value == 75
    assert summary.figure("comments_per_solve").value == 1


def test_a_range_without_data_has_no_figures_and_every_date_missing():
    summary = summarise(totals_of({}, D1, D3))
    assert not summary.has_data
    assert summary.missing == (D1, D2, D3)
    assert all(f.value is None for f in summary.figures)


def test_components_are_integers_the_wait_in_tenths_of_a_second_times_chats():
    parts = components_of(day(chats=3, wait_seconds=12.5, csat_good=2, csat_ratings=3))
    assert parts["wait_tenths_total"] == 375
    assert parts["csat_good"] == 2
    assert all(type(value) is int for value in parts.values())


def test_every_range_metric_uses_only_declared_components():
    for metric in RANGE_METRICS:
        assert metric.numerator in COMPONENT_KEYS
        assert metric.denominator is None or metric.denominator in COMPONENT_KEYS
    assert len({f.key for f in ENTRY_FIELDS}) == len(ENTRY_FIELDS)


def test_missing_dates_and_runs():
    dates = list(missing_dates(D1, date(2026, 11, 6), {D2, date(2026, 11, 5)}))
    assert dates == [D1, D3, date(2026, 11, 4), date(2026, 11, 6)]
    assert date_runs(dates) == [(D1, D1), (D3, date(2026, 11, 4)), (date(2026, 11, 6), date(2026, 11, 6))]


def test_a_day_is_judged_by_the_figure_a_range_of_that_day_shows():
    from statbotic.metrics import Direction, Goal
    from statbotic.records import DayRecord
    from statbotic.reports import build_report

    entered = day(csat_good=36, csat_ratings=38)
    record = DayRecord("t", D1, entered, "alice", None)
    summary = summarise(totals_of({D1: entered}, D1, D1))
    goals = {"csat_percent": Goal(Direction.AT_LEAST, Fraction(95))}
    report = build_report(summary, summarise(totals_of({}, D2, D2)), [record], goals)
    assert summary.figure("csat_percent").value == Fraction(3600, 38)  # 94.7 %
    assert report.targets["csat_percent"].met is False
    assert report.targets["csat_percent"].days_met == 0


def week_of(first: date, days: int, **figures) -> Summary:
    """A week from ``first`` with the same figures on its first ``days`` days."""
    dates = {first + timedelta(days=n): day(**figures) for n in range(days)}
    return summarise(totals_of(dates, first, first + timedelta(days=6)))


LAST_WEEK, WEEK_BEFORE = date(2026, 11, 16), date(2026, 11, 9)


def test_counts_compare_per_day_when_the_days_with_data_differ_and_rates_as_they_are():
    # 6 days of 60 solves (360) against 7 days of 60 (420): the same pace, not a drop of a seventh.
    this = week_of(LAST_WEEK, 6, solves=60, comments=120, csat_ratings=10, csat_good=9)
    before = week_of(WEEK_BEFORE, 7, solves=60, comments=60, csat_ratings=10, csat_good=10)
    changes = compare(this, before)
    solves = changes["solves"]
    assert (solves.basis, solves.current, solves.previous, solves.delta, solves.percent) == (PER_DAY, 60, 60, 0, 0)
    assert changes["comments"].current == 120 and changes["comments"].percent == 100
    csat = changes["csat_percent"]
    assert (csat.basis, csat.current, csat.previous, csat.delta) == (RATE, 90, 100, -10)
    assert changes["comments_per_solve"].basis == RATE


def test_counts_compare_as_totals_when_both_periods_have_data_on_as_many_days():
    this, before = week_of(LAST_WEEK, 6, solves=70), week_of(WEEK_BEFORE, 6, solves=60)
    assert not counts_per_day(this, before)
    solves = compare(this, before)["solves"]
    assert (solves.basis, solves.current, solves.previous, solves.delta) == (TOTAL, 420, 360, 60)


def test_a_previous_period_without_data_gives_no_change_on_any_basis():
    changes = compare(week_of(LAST_WEEK, 6, solves=70), week_of(WEEK_BEFORE, 0))
    assert changes["solves"].basis == TOTAL
    assert all(c.previous is None and c.delta is None and c.percent is None for c in changes.values())


AT_LEAST_95, AT_MOST_2 = Goal(Direction.AT_LEAST, Fraction(95)), Goal(Direction.AT_MOST, Fraction(2))
TARGETS = {"csat_percent": AT_LEAST_95, "comments_per_solve": AT_MOST_2}


@pytest.mark.parametrize(
    "value,goal,expected",
    [
        (Fraction(76), AT_LEAST_95, Fraction(1, 5)),  # 19 points short of 95: a fifth of the target
        (Fraction(95), AT_LEAST_95, 0),  # met exactly
        (Fraction(99), AT_LEAST_95, 0),  # beating a target earns nothing
        (Fraction(3), AT_MOST_2, Fraction(1, 2)),  # at most 2: 3 is half the target over
        (Fraction(3, 2), Goal(Direction.AT_MOST, Fraction(0)), Fraction(3, 2)),  # a target of 0: the plain distance
        (None, AT_LEAST_95, 0),  # no figure: nothing to judge
    ],
)
def test_a_shortfall_is_the_miss_as_a_share_of_the_target(value, goal, expected):
    assert shortfall(value, goal) == expected


def report_of(days: dict[date, dict], start: date, end: date, targets=TARGETS):
    records = [DayRecord("t", d, entered, "alice", None) for d, entered in sorted(days.items())]
    return build_report(summarise(totals_of(days, start, end)), summarise(totals_of({}, D1, D1)), records, targets)


def test_worst_days_first_by_summed_shortfall_then_days_meeting_every_target_then_days_without_data():
    days = {
        date(2026, 11, 2): day(comments=20, solves=10, csat_ratings=40, csat_good=39),  # meets both: 0
        date(2026, 11, 3): day(comments=20, solves=10, csat_ratings=40, csat_good=30),  # 75 %: 20/95
        date(2026, 11, 5): day(comments=30, solves=10, csat_ratings=40, csat_good=38),  # 3.00: 1/2
        date(2026, 11, 6): day(comments=20, solves=10),  # no ratings: meets the one it has a figure for
        date(2026, 11, 7): day(comments=25, solves=10, csat_ratings=40, csat_good=36),  # 5/95 + 1/4
    }
    lines = day_lines(report_of(days, D1, date(2026, 11, 8)), WORST_FIRST)
    assert [line.day.day for line in lines] == [5, 7, 3, 2, 6, 1, 4, 8]
    assert [line.shortfall for line in lines[:5]] == [
        Fraction(1, 2),
        Fraction(5, 95) + Fraction(1, 4),
        Fraction(20, 95),
        0,
        0,
    ]
    assert lines[4].marks == {"csat_percent": None, "comments_per_solve": True}
    assert lines[1].marks == {"csat_percent": False, "comments_per_solve": False}
    assert (lines[5].record, lines[5].shortfall, lines[5].marks) == (None, None, {})


def test_by_date_every_day_in_its_place_and_without_targets_nothing_is_judged():
    days = {D1: day(solves=1), D3: day(solves=3)}
    lines = day_lines(report_of(days, D1, D3, targets={}), BY_DATE)
    assert [(line.day, line.record is None) for line in lines] == [(D1, False), (D2, True), (D3, False)]
    assert lines[0].marks == {} and lines[0].shortfall == 0
    assert day_lines(report_of(days, D1, D3, targets={}), WORST_FIRST) == lines
