"""Pacing (issue 14): what the rest of a running period needs for each target, worked by hand here;
every figure exact, from sums only."""

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statbotic.goals import Direction, Goal
from statbotic.metrics import BUILTIN, range_metric
from statbotic.pacing import PaceStatus, bounds_of, pace, paces_of, running
from statbotic.periods import Period, parse_period, whole_period
from statbotic.records import DayRecord
from statbotic.ui.pacing_words import pace_document, pace_text

TODAY = date(2026, 11, 28)  # a Saturday; "this month" runs to the 30th
MONTH = whole_period(parse_period("this month", TODAY))
CSAT, WAIT, CHATS, PER_SOLVE = (
    range_metric(k) for k in ("csat_percent", "wait_seconds", "chats", "comments_per_solve")
)
AT_LEAST_95, AT_MOST_45 = Goal(Direction.AT_LEAST, Fraction(95)), Goal(Direction.AT_MOST, Fraction(45))


def bounds(metric):
    return bounds_of(BUILTIN.by_key[metric.key], metric)


def csat(good: int, rated: int, days_left: int = 3, usual: Fraction | None = Fraction(40), goal=AT_LEAST_95):
    return pace(CSAT, goal, MONTH, good, rated, days_left, usual, bounds(CSAT))


def test_this_month_to_date_runs_to_the_end_of_the_month():
    assert parse_period("this month", TODAY).end == TODAY  # cut at today, to date
    assert (MONTH.start, MONTH.end, MONTH.label) == (date(2026, 11, 1), date(2026, 11, 30), "this month")
    assert running(parse_period("this week", TODAY), TODAY).end == date(2026, 11, 29)
    assert running(parse_period("2026-Q4", TODAY), TODAY).end == date(2026, 12, 31)
    assert running(parse_period("today", TODAY), TODAY) == Period(TODAY, TODAY, "today")


@pytest.mark.parametrize("text", ["last month", "last 7 days", "yesterday", "2026-10", "2026-11-01..2026-11-27"])
def test_a_period_that_has_ended_is_not_running(text):
    assert running(parse_period(text, TODAY), TODAY) is None


def test_a_future_period_is_not_running():
    assert running(parse_period("2026-12", TODAY), TODAY) is None


def test_csat_needs_what_the_remaining_ratings_must_bring():
    # 225 of 240 positive (93.75 %); 3 days at 40 ratings: (95 x 360 - 100 x 225) / 120 = 97.5 %
    paced = csat(225, 240)
    assert paced.status is PaceStatus.NEEDS and paced.needed == Fraction(195, 2) and paced.value == Fraction(375, 4)
    assert pace_text(paced) == (
        "Chat CSAT 93.8 % so far this month; at the usual ~40 ratings a day, "
        "the remaining 3 days need 97.5 % positive to reach 95.0 %."
    )


def test_a_target_met_so_far_is_on_track_with_what_may_still_be_lost():
    # 390 of 400 (97.5 %); 2 days at 50 ratings: (95 x 500 - 39000) / 100 = 85 %
    paced = csat(390, 400, days_left=2, usual=Fraction(50))
    assert paced.status is PaceStatus.ON_TRACK and paced.needed == 85
    assert pace_text(paced).endswith("the remaining 2 days need 85.0 % positive to stay at 95.0 % or better.")


def test_more_than_every_rating_positive_is_out_of_reach():
    # 296 of 320; 3 days at 40: (95 x 440 - 29600) / 120 = 101.7 % > 100 %
    paced = csat(296, 320)
    assert paced.status is PaceStatus.OUT_OF_REACH and paced.needed == Fraction(305, 3)
    assert pace_text(paced) == (
        "Chat CSAT 92.5 % so far this month; at the usual ~40 ratings a day, "
        "95.0 % is out of reach in the remaining 3 days."
    )
    assert pace_document(paced)["needed"] == "101.7" and pace_document(paced)["status"] == "out_of_reach"


def test_exactly_every_rating_positive_is_still_within_reach():
    # 90 of 100; 1 day at 100 ratings: (95 x 200 - 9000) / 100 = 100 %
    paced = csat(90, 100, days_left=1, usual=Fraction(100))
    assert paced.needed == 100 and paced.status is PaceStatus.NEEDS
    assert "the remaining day needs 100.0 % positive" in pace_text(paced)


def test_a_target_met_whatever_comes_is_secured():
    # 400 of 400; 3 days at 1 rating: (95 x 403 - 40000) / 3 < 0
    paced = csat(400, 400, usual=Fraction(1))
    assert paced.status is PaceStatus.SECURED and paced.needed < 0
    assert pace_text(paced).endswith("95.0 % is secured whatever the remaining 3 days bring.")


@pytest.mark.parametrize("usual", [None, Fraction(0)])
def test_no_recent_volume_is_nothing_to_pace_from(usual):
    paced = csat(225, 240, usual=usual)
    assert paced.status is PaceStatus.NO_VOLUME and paced.needed is None
    assert pace_text(paced).endswith("no ratings in the last 28 days to pace the remaining 3 days from.")


@pytest.mark.parametrize(
    ("good", "status", "ending"),
    [
        (380, PaceStatus.SECURED, "95.0 % is secured: no days left."),
        (370, PaceStatus.OUT_OF_REACH, "out of reach: no days left."),
    ],
)
def test_no_days_left_the_figure_so_far_is_the_period_s(good, status, ending):
    paced = csat(good, 400, days_left=0)
    assert paced.status is status and paced.needed is None and pace_text(paced).endswith(ending)


def test_no_figure_and_no_days_left():
    assert csat(0, 0, days_left=0).status is PaceStatus.NO_VOLUME


def test_no_figure_yet_needs_the_target_itself():
    paced = csat(0, 0)
    assert paced.value is None and paced.needed == 95 and paced.status is PaceStatus.NEEDS
    assert pace_text(paced).startswith("Chat CSAT: no figure yet this month; at the usual ~40 ratings a day,")


def test_an_average_wait_is_seconds_total_over_chats():
    # 100 chats at 50.0 s (50000 tenths); 2 days at 100 chats: (45 x 300 - 5000) / 200 = 42.5 s
    paced = pace(WAIT, AT_MOST_45, MONTH, 50_000, 100, 2, Fraction(100), bounds(WAIT))
    assert paced.value == 50 and paced.needed == Fraction(85, 2) and paced.status is PaceStatus.NEEDS
    assert pace_text(paced) == (
        "Average chat wait 50.0 s so far this month; at the usual ~100 chats a day, "
        "the remaining 2 days need at most 42.5 s to reach 45.0 s."
    )


def test_a_wait_below_zero_is_out_of_reach_and_one_at_the_top_secured():
    # 100 chats at 90 s; 1 day at 10 chats: (45 x 110 - 9000) / 10 = -405 s
    assert pace(WAIT, AT_MOST_45, MONTH, 90_000, 100, 1, Fraction(10), bounds(WAIT)).status is PaceStatus.OUT_OF_REACH
    # 10,000 chats at 1 s; 1 day at 1 chat: 45 x 10001 - 10000 = 440,045 s, above the 86,400 s a wait may be
    assert bounds(WAIT) == (0, 86_400)
    secured = pace(WAIT, AT_MOST_45, MONTH, 100_000, 10_000, 1, Fraction(1), bounds(WAIT))
    assert secured.needed == 440_045 and secured.status is PaceStatus.SECURED


def test_a_ratio_without_a_top_is_never_secured_from_above():
    # 300 comments per 100 solves (3.00); 1 day at 100 solves: (2 x 200 - 300) / 100 = 1.00
    goal = Goal(Direction.AT_MOST, Fraction(2))
    paced = pace(PER_SOLVE, goal, MONTH, 300, 100, 1, Fraction(100), bounds(PER_SOLVE))
    assert bounds(PER_SOLVE) == (0, None) and paced.needed == 1 and paced.status is PaceStatus.NEEDS
    assert "the remaining day needs at most 1.00 public comments per solve to reach 2.00." in pace_text(paced)


def test_a_total_is_paced_by_days_per_day():
    # 300 chats over 10 days (30.0 per day) against >= 40 per day; 5 days left: (40 x 15 - 300) / 5 = 60 a day
    goal = Goal(Direction.AT_LEAST, Fraction(40))
    paced = pace(CHATS, goal, MONTH, 300, 10, 5, Fraction(1), bounds(CHATS))
    assert paced.value == 30 and paced.needed == 60 and paced.status is PaceStatus.NEEDS
    assert pace_text(paced) == (
        "Live chats 30.0 per day so far this month; the remaining 5 days need 60.0 chats a day to reach 40.0 per day."
    )
    secured = pace(CHATS, goal, MONTH, 700, 10, 5, Fraction(1), bounds(CHATS))
    assert secured.status is PaceStatus.SECURED and secured.needed == -20
    beyond = pace(CHATS, Goal(Direction.AT_LEAST, Fraction(1000)), MONTH, 0, 1000, 1, Fraction(1), bounds(CHATS))
    assert beyond.needed == 1_001_000 and beyond.status is PaceStatus.OUT_OF_REACH  # above 1,000,000 a day


@given(
    rated=st.integers(0, 10_000),
    share=st.fractions(0, 1),
    usual=st.fractions(Fraction(1, 10), 1000),
    days=st.integers(1, 366),
    goal=st.fractions(0, 100),
)
def test_the_needed_figure_at_the_usual_volume_lands_exactly_on_the_target(rated, share, usual, days, goal):
    good = int(share * rated)
    paced = pace(CSAT, Goal(Direction.AT_LEAST, goal), MONTH, good, rated, days, usual, bounds(CSAT))
    remaining = usual * days
    final = 100 * (good + paced.needed / 100 * remaining) / (rated + remaining)
    assert final == goal
    assert (paced.status is PaceStatus.OUT_OF_REACH) == (paced.needed > 100)
    assert (paced.status is PaceStatus.SECURED) == (paced.needed <= 0)


@given(total=st.integers(0, 100_000), days=st.integers(0, 366), left=st.integers(1, 366), goal=st.fractions(0, 1000))
def test_a_total_delivering_its_needed_figure_each_day_ends_on_the_target(total, days, left, goal):
    paced = pace(CHATS, Goal(Direction.AT_LEAST, goal), MONTH, total, days, left, Fraction(1), bounds(CHATS))
    assert (total + paced.needed * left) / (days + left) == goal


# --- from a team's days -------------------------------------------------------------------------------

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def record(day: date, rated: int, good: int, chats: int = 100) -> DayRecord:
    entered = dict(comments=30, solves=20, chats=chats, wait_tenths=400, csat_ratings=rated, csat_good=good)
    return DayRecord("billing", day, entered, "lead", NOW)


def test_the_team_s_days_give_the_figure_so_far_the_usual_volume_and_the_days_left():
    days = [
        record(date(2026, 10, 30), 1000, 1000),  # 29 days before today: outside the recent window
        record(date(2026, 10, 31), 10, 10),  # 28 days before: the window's first day
        record(date(2026, 11, 20), 50, 45),
        record(date(2026, 11, 27), 60, 57),
        record(date(2026, 11, 29), 40, 40),  # a day to come already entered: so far, not remaining
    ]
    csat_pace, per_solve = paces_of(
        days,
        MONTH,
        {"csat_percent": AT_LEAST_95, "comments_per_solve": Goal(Direction.AT_MOST, Fraction(2))},
        BUILTIN,
        TODAY,
    )
    # so far: 142 of 150 in November; remaining: the 28th and the 30th (the 29th has figures already;
    # the 1st to the 19th are missing, not remaining)
    assert (csat_pace.value, csat_pace.base, csat_pace.days_remaining) == (Fraction(14200, 150), 150, 2)
    # usual: ratings of 31 Oct, 20 Nov and 27 Nov (days before today, within 28 days): 120 / 3 = 40 a day
    assert csat_pace.usual == 40
    # 94.7 % so far misses 95 %: (95 x 230 - 100 x 142) / 80 = 95.625 % over the 80 ratings to come
    assert csat_pace.needed == Fraction(95625, 1000) and csat_pace.status is PaceStatus.NEEDS
    assert per_solve.metric.key == "comments_per_solve" and per_solve.usual == 20  # solves a day


def test_a_metric_without_a_target_has_no_pace():
    assert paces_of([record(date(2026, 11, 27), 10, 10)], MONTH, {}, BUILTIN, TODAY) == []


@given(
    chats=st.integers(1, 10_000),
    tenths=st.integers(0, 36_000),
    usual=st.fractions(Fraction(1, 10), 1000),
    days=st.integers(1, 92),
    goal=st.fractions(0, 3600),
)
def test_a_wait_delivering_its_needed_average_ends_on_the_target(chats, tenths, usual, days, goal):
    total = chats * tenths  # every chat so far waited ``tenths`` tenths of a second
    paced = pace(WAIT, Goal(Direction.AT_MOST, goal), MONTH, total, chats, days, usual, bounds(WAIT))
    remaining = usual * days
    assert (Fraction(total, 10) + paced.needed * remaining) / (chats + remaining) == goal
    assert (paced.status is PaceStatus.OUT_OF_REACH) == (paced.needed < 0)


def test_a_target_shows_exactly_as_typed_in_json():
    paced = csat(225, 240, goal=Goal(Direction.AT_LEAST, Fraction(191, 2)))
    assert pace_document(paced)["target"] == {"direction": ">=", "value": "95.5"}
    assert pace_text(paced).endswith("to reach 95.5 %.")


def test_one_day_left_is_said_in_the_singular():
    assert pace_text(csat(400, 400, days_left=1, usual=Fraction(1))).endswith("whatever the remaining day brings.")
    assert pace_text(csat(296, 320, days_left=1)).endswith("95.0 % is out of reach in the remaining day.")
