"""Plausibility checks, rule by rule: what is doubted, what is not, and what each message says."""

from datetime import date, timedelta
from fractions import Fraction

import pytest

from statbotic.plausibility import MIN_DAYS, WEEKS, history_window, median, warnings

TUESDAY = date(2026, 11, 24)
USUAL = dict(comments=100, solves=50, chats=180, wait_tenths=385, csat_ratings=40, csat_good=37)


def figures(**changes) -> dict[str, int]:
    return {**USUAL, **changes}


def tuesdays_before(day: date, values: list[dict[str, int]]) -> dict[date, dict[str, int]]:
    """History with the given figures on the Tuesdays before ``day``, the latest first."""
    return {day - timedelta(weeks=n): entered for n, entered in enumerate(values, start=1)}


def messages(entered, history=None, percents=None) -> list[str]:
    return [doubt.message for doubt in warnings(TUESDAY, entered, history, percents)]


def keys(entered, history=None, percents=None) -> list[str]:
    return [doubt.key for doubt in warnings(TUESDAY, entered, history, percents)]


@pytest.mark.parametrize(
    "changes,percents,expected",
    [
        ({}, None, []),
        (
            dict(csat_ratings=0, csat_good=0),
            {"csat_good": Fraction(96)},
            "Positive CSAT ratings typed as 96 % with CSAT ratings 0: 0 would be saved, "
            "so the day would have no Chat CSAT.",
        ),
        (dict(csat_ratings=0, csat_good=0), {"csat_good": Fraction(0)}, []),  # 0 % of nothing is consistent
        (dict(csat_ratings=0, csat_good=0), None, []),  # counts of 0 and 0: a day without ratings
        (
            dict(csat_ratings=50, csat_good=0),
            {"csat_good": Fraction("0.96")},
            "Positive CSAT ratings typed as 0.96 %: a Chat CSAT of 1 % or less. "
            "A fraction typed as a percentage (96 %)?",
        ),
        (
            dict(csat_ratings=50, csat_good=1),
            {"csat_good": Fraction(1)},
            "Positive CSAT ratings typed as 1 %: a Chat CSAT of 1 % or less. A fraction typed as a percentage (100 %)?",
        ),
        (dict(csat_ratings=50, csat_good=1), {"csat_good": Fraction("1.5")}, []),
        (dict(csat_ratings=50, csat_good=48), {"csat_good": Fraction(96)}, []),
        (
            dict(chats=45, csat_ratings=60, csat_good=50),
            None,
            "CSAT ratings 60 is more than Live chats 45, of which they are usually a part.",
        ),
        (dict(chats=45, csat_ratings=45, csat_good=40), None, []),
        (
            dict(chats=0, csat_ratings=0, csat_good=0),
            None,
            "Average chat wait 38.5 s with Live chats 0: an average over none counts in no figure.",
        ),
        (
            dict(wait_tenths=0),
            None,
            "Average chat wait 0.0 s with Live chats 180: an average of exactly 0 is unlikely. Left at 0?",
        ),
        (dict(chats=0, wait_tenths=0, csat_ratings=0, csat_good=0), None, []),
    ],
)
def test_figures_that_contradict_each_other_are_doubted(changes, percents, expected):
    assert messages(figures(**changes), percents=percents) == ([expected] if isinstance(expected, str) else expected)


def test_each_reason_is_its_own_warning_naming_its_figure():
    entered = figures(chats=0, csat_ratings=3, csat_good=0)
    assert keys(entered, percents={"csat_good": Fraction("0.5")}) == ["wait_tenths", "csat_ratings", "csat_good"]


@pytest.mark.parametrize(
    "values,expected",
    [
        ([7], Fraction(7)),
        ([3, 1, 2], Fraction(2)),
        ([4, 1, 3, 2], Fraction(5, 2)),  # an even count: the mean of the two middle values
        ([180, 181], Fraction(361, 2)),
        ([100, 100, 200, 200], Fraction(150)),
        ([Fraction(1, 3), Fraction(1, 2)], Fraction(5, 12)),
        ([0, 0, 0, 9], Fraction(0)),
    ],
)
def test_the_median_is_exact(values, expected):
    assert median(values) == expected
    assert isinstance(median(values), Fraction)


def test_the_history_is_the_eight_weeks_before_the_day():
    assert history_window(TUESDAY) == (date(2026, 9, 29), date(2026, 11, 23))
    assert (TUESDAY - history_window(TUESDAY)[0]).days == 7 * WEEKS


EIGHT = tuesdays_before(TUESDAY, [figures()] * 8)


@pytest.mark.parametrize(
    "chats,doubted",
    [(900, False), (901, True), (36, False), (35, True), (180, False)],  # 5 x 180 and 180 / 5 are not doubted
)
def test_a_count_more_than_5_times_or_under_a_fifth_of_the_usual_is_doubted(chats, doubted):
    entered = figures(chats=chats, csat_ratings=min(40, chats), csat_good=min(37, chats))
    assert ("chats" in keys(entered, EIGHT)) is doubted


def test_the_message_names_the_figure_its_value_and_the_reference():
    assert messages(figures(chats=950), EIGHT) == [
        "Live chats 950 is more than 5 times the usual 180 for a Tuesday (median of the last 8 Tuesdays)."
    ]
    assert messages(figures(comments=0), EIGHT) == [
        "Ticket public comments 0 is under 1/5 of the usual 100 for a Tuesday (median of the last 8 Tuesdays)."
    ]


def test_the_guard_needs_at_least_4_same_weekdays_with_the_figure():
    few = tuesdays_before(TUESDAY, [figures()] * (MIN_DAYS - 1))
    assert messages(figures(chats=950), few) == []
    enough = tuesdays_before(TUESDAY, [figures()] * MIN_DAYS)
    assert messages(figures(chats=950), enough) == [
        "Live chats 950 is more than 5 times the usual 180 for a Tuesday (median of 4 Tuesdays in the last 8 weeks)."
    ]


def test_an_even_number_of_days_compares_with_the_mean_of_the_two_middle_values():
    history = tuesdays_before(TUESDAY, [figures(solves=n) for n in (100, 101, 200, 201)])  # median 150.5
    assert keys(figures(solves=752), history) == []
    assert messages(figures(solves=753), history) == [
        "Ticket solves 753 is more than 5 times the usual 150.5 for a Tuesday "
        "(median of 4 Tuesdays in the last 8 weeks)."
    ]
    assert keys(figures(solves=31), history) == []  # 31 x 5 = 155 > 150.5
    assert keys(figures(solves=30), history) == ["solves"]


def test_other_weekdays_days_outside_the_eight_weeks_and_the_day_itself_are_not_the_reference():
    history = {
        **{TUESDAY - timedelta(days=n): figures(chats=950) for n in range(1, 7)},  # the six days before
        **{TUESDAY - timedelta(weeks=n): figures(chats=950) for n in (9, 10, 11, 12)},  # too long ago
        TUESDAY: figures(chats=950),
        **tuesdays_before(TUESDAY, [figures()] * 5),
    }
    assert "(median of 5 Tuesdays in the last 8 weeks)" in messages(figures(chats=950), history)[0]


def test_a_usual_zero_is_no_guide():
    history = tuesdays_before(TUESDAY, [figures(solves=0)] * 8)
    assert keys(figures(solves=40), history) == []


def test_the_wait_is_compared_only_over_days_that_had_chats():
    days = [figures(wait_tenths=300)] * 3 + [figures(chats=0, wait_tenths=0, csat_ratings=0, csat_good=0)] * 5
    assert keys(figures(wait_tenths=3000), tuesdays_before(TUESDAY, days)) == []
    days = [figures(wait_tenths=300), figures(wait_tenths=301)] * 2
    assert messages(figures(wait_tenths=1600), tuesdays_before(TUESDAY, days)) == [
        "Average chat wait 160.0 s is more than 5 times the usual 30.1 s for a Tuesday "  # 30.05 s, shown half up
        "(median of 4 Tuesdays in the last 8 weeks)."
    ]


def test_csat_is_compared_only_on_days_with_enough_ratings_to_trust_it():
    history = tuesdays_before(TUESDAY, [figures(csat_ratings=40, csat_good=37)] * 8)  # 92.5 %
    assert messages(figures(csat_ratings=40, csat_good=7), history) == [
        "Positive CSAT ratings 7 is under 1/5 of the usual 37 for a Tuesday (median of the last 8 Tuesdays).",
        "Chat CSAT 17.5 % is under 1/5 of the usual 92.5 % for a Tuesday (median of the last 8 Tuesdays).",
    ]
    assert keys(figures(csat_ratings=40, csat_good=8), history) == []  # 20 % of 40 is 8, and 8 x 5 = 40 >= 37
    assert "csat_percent" not in keys(figures(csat_ratings=29, csat_good=2), history)  # 6.9 % of under 30 ratings
    small = tuesdays_before(TUESDAY, [figures(csat_ratings=20, csat_good=19)] * 8)
    assert "csat_percent" not in keys(figures(csat_ratings=40, csat_good=7), small)
