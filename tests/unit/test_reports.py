"""The maths of range figures: ratios of sums, never averages of daily averages."""

from datetime import date

import pytest

from statbotic.metrics import COMPONENT_KEYS, ENTRY_FIELDS, RANGE_METRICS, components_of
from statbotic.records import RangeTotals
from statbotic.reports import date_runs, missing_dates, summarise


def day(comments=0, solves=0, chats=0, wait_seconds=0.0, csat_percent=0.0, csat_ratings=0):
    return dict(
        comments=comments,
        solves=solves,
        chats=chats,
        wait_seconds=wait_seconds,
        csat_percent=csat_percent,
        csat_ratings=csat_ratings,
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
        totals_of({D1: day(csat_percent=100, csat_ratings=2), D2: day(csat_percent=90, csat_ratings=50)}, D1, D2)
    )
    csat = summary.figure("csat_percent")
    assert round(csat.value, 1) == 90.4
    assert (csat.numerator, csat.denominator) == (47, 52)


def test_average_wait_is_weighted_by_chats():
    summary = summarise(totals_of({D1: day(chats=10, wait_seconds=30), D2: day(chats=100, wait_seconds=120)}, D1, D2))
    assert round(summary.figure("wait_seconds").value, 1) == 111.8


def test_comments_per_solve_is_a_ratio_of_sums_not_a_mean_of_daily_ratios():
    # Daily ratios 1.0 and 5.0 average 3.0; the range's figure is 52 comments / 12 solves = 4.33.
    summary = summarise(totals_of({D1: day(comments=2, solves=2), D2: day(comments=50, solves=10)}, D1, D2))
    assert summary.figure("comments_per_solve").value == pytest.approx(52 / 12)


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
        totals_of({D2: day(comments=3, solves=3, chats=4, wait_seconds=10, csat_percent=75, csat_ratings=4)}, D2, D2)
    )
    assert summary.days_in_range == 1 and summary.missing == ()
    assert summary.figure("csat_percent").value == 75
    assert summary.figure("comments_per_solve").value == 1


def test_a_range_without_data_has_no_figures_and_every_date_missing():
    summary = summarise(totals_of({}, D1, D3))
    assert not summary.has_data
    assert summary.missing == (D1, D2, D3)
    assert all(f.value is None for f in summary.figures)


def test_components_round_good_ratings_and_multiply_wait_by_chats():
    parts = components_of(day(chats=3, wait_seconds=12.5, csat_percent=66.7, csat_ratings=3))
    assert parts["wait_seconds_total"] == 37.5
    assert parts["csat_good"] == 2


def test_every_range_metric_uses_only_declared_components():
    for metric in RANGE_METRICS:
        assert metric.numerator in COMPONENT_KEYS
        assert metric.denominator is None or metric.denominator in COMPONENT_KEYS
    assert len({f.key for f in ENTRY_FIELDS}) == len(ENTRY_FIELDS)


def test_missing_dates_and_runs():
    dates = list(missing_dates(D1, date(2026, 11, 6), {D2, date(2026, 11, 5)}))
    assert dates == [D1, D3, date(2026, 11, 4), date(2026, 11, 6)]
    assert date_runs(dates) == [(D1, D1), (D3, date(2026, 11, 4)), (date(2026, 11, 6), date(2026, 11, 6))]


@pytest.mark.parametrize(
    "percent,ratings,fits",
    [
        (100, 2, True),
        (90, 50, True),
        (97, 31, True),  # 30.07 good: 30 of 31 is 96.8 %, within half a point of 97
        (99.5, 2, True),
        (0, 0, True),
        (100, 0, True),  # no ratings: nothing to check
        (95.4, 13, False),
        (90, 25, False),
        (1, 1, False),
    ],
)
def test_csat_mismatch_flags_a_percentage_that_no_whole_number_of_good_ratings_gives(percent, ratings, fits):
    from statbotic.metrics import csat_mismatch

    assert (csat_mismatch(day(csat_percent=percent, csat_ratings=ratings)) is None) is fits
