"""The maths of range figures: ratios of sums, never averages of daily averages."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from statbotic.metrics import COMPONENT_KEYS, ENTRY_FIELDS, RANGE_METRICS, components_of
from statbotic.records import RangeTotals
from statbotic.reports import date_runs, missing_dates, summarise


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
