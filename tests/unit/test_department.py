"""The department's maths: ratios of sums across teams, shares, and each team's exact part of a missed target."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from statbotic.department import build_department, contributions, gap_of
from statbotic.metrics import COMPONENT_KEYS, Direction, Goal, range_metric
from statbotic.records import RangeTotals

START, END = date(2026, 11, 1), date(2026, 11, 30)
CSAT = range_metric("csat_percent")
AT_LEAST_95 = Goal(Direction.AT_LEAST, Fraction(95))


def totals(days: int, **sums) -> RangeTotals:
    named = {key: sums.get(key, 0) for key in COMPONENT_KEYS}
    # Built-in days have every metric: a wait's items are the chats, CSAT's base the ratings.
    named.update({"wait_seconds.items": named["chats"], "csat_percent.base": named["csat_ratings"]})
    return RangeTotals(START, END, named, tuple(START + timedelta(n) for n in range(days)))


TEAMS = {
    "billing": totals(10, csat_good=800, csat_ratings=900, chats=1000, comments=300, solves=100),
    "support": totals(20, csat_good=1920, csat_ratings=2000, chats=3000, comments=500, solves=400),
}


def test_the_department_figure_is_a_ratio_of_sums_not_an_average_of_team_figures():
    department = build_department(START, END, TEAMS, {})
    csat = department.total.figure("csat_percent")
    assert csat.value == Fraction(100 * 2720, 2900)  # 93.79 %; the mean of 88.9 % and 96 % would be 92.4 %
    assert department.total.figure("comments_per_solve").value == Fraction(800, 500)
    assert department.team_days == 30 and department.total.days_with_data == 20  # dates: the union


def test_each_team_has_its_share_of_every_sum():
    department = build_department(START, END, TEAMS, {})
    billing = department.rows[0]
    assert billing.team == "billing"
    assert billing.shares["chats"] == Fraction(1, 4) and billing.shares["csat_ratings"] == Fraction(900, 2900)
    assert billing.shares["wait_tenths_total"] is None  # the department's sum is 0


def test_the_contributions_to_a_missed_csat_add_up_to_the_gap_exactly():
    check = build_department(START, END, TEAMS, {"csat_percent": AT_LEAST_95}).checks["csat_percent"]
    assert check.met is False
    assert check.gap == 95 - Fraction(272000, 2900)
    parts = dict(check.contributions)
    assert parts == {"billing": Fraction(5500, 2900), "support": Fraction(-2000, 2900)}
    assert sum(parts.values()) == check.gap
    assert check.mover == ("billing", Fraction(5500, 2900))
    assert check.teams_met == {"billing": False, "support": True}


def test_a_count_target_judges_the_sum_per_team_day():
    goal = Goal(Direction.AT_LEAST, Fraction(140))
    check = build_department(START, END, TEAMS, {"chats": goal}).checks["chats"]
    assert check.value == Fraction(4000, 30)  # 133.3 chats in the average team's day
    assert dict(check.contributions) == {"billing": Fraction(400, 30), "support": Fraction(-200, 30)}
    assert check.gap == Fraction(200, 30)


def test_an_at_most_target_counts_the_excess():
    goal = Goal(Direction.AT_MOST, Fraction(1))
    check = build_department(START, END, TEAMS, {"comments_per_solve": goal}).checks["comments_per_solve"]
    assert check.gap == Fraction(800, 500) - 1
    assert dict(check.contributions) == {"billing": Fraction(200, 500), "support": Fraction(100, 500)}


def test_a_team_chosen_without_data_is_a_row_without_data_and_moves_nothing():
    chosen = {"billing": TEAMS["billing"]}  # what the store reads for the teams chosen
    department = build_department(START, END, chosen, {"csat_percent": AT_LEAST_95}, teams=["billing", "quiet"])
    quiet = department.rows[-1]
    assert quiet.team == "quiet" and not quiet.summary.has_data
    check = department.checks["csat_percent"]
    assert dict(check.contributions)["quiet"] == 0 and check.teams_met["quiet"] is None


def test_no_data_no_figure_no_contributions():
    check = build_department(START, END, {}, {"csat_percent": AT_LEAST_95}).checks["csat_percent"]
    assert check.value is None and check.gap is None and check.met is None and check.mover is None


def test_a_met_target_has_no_mover_and_a_gap_of_at_most_zero():
    goal = Goal(Direction.AT_LEAST, Fraction(90))
    check = build_department(START, END, TEAMS, {"csat_percent": goal}).checks["csat_percent"]
    assert check.met is True and check.gap < 0 and check.mover is None


@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12),
    st.sampled_from(list(Direction)),
    st.integers(0, 1000),
)
def test_contributions_always_add_up_to_the_gap(parts, direction, target):
    goal = Goal(direction, Fraction(target, 10))
    named = {f"team-{n}": (min(good, rated), rated) for n, (good, rated) in enumerate(parts)}
    shares = contributions(CSAT, goal, named)
    rated = sum(d for _, d in named.values())
    if not rated:
        assert shares == {}
        return
    value = CSAT.scale * Fraction(sum(n for n, _ in named.values()), rated)
    assert sum(shares.values()) == gap_of(goal, value)


# --- metrics a team tracks (issue 12): a metric is summed over the teams that track it -----------------


def test_a_metric_is_summed_over_the_teams_tracking_it_and_the_others_are_named():
    from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
    from statbotic.metric_kinds import Kind, MetricDefinition
    from statbotic.metrics import Metrics

    calls = MetricDefinition("calls", "Calls", Kind.COUNT, target=Fraction(30), order=8, teams=("support",))
    metrics = Metrics((*BUILTIN_DEFINITIONS, calls))
    support = TEAMS["support"]
    # support has calls on 8 of its 20 days (added mid-range); billing keeps old calls it no longer tracks
    by_team = {
        "billing": RangeTotals(START, END, {**TEAMS["billing"].sums, "calls": 999}, TEAMS["billing"].days_with_data),
        "support": RangeTotals(
            START, END, {**support.sums, "calls": 400}, support.days_with_data, {"calls": 8, "comments": 20}
        ),
    }
    goal = Goal(Direction.AT_LEAST, Fraction(30))
    department = build_department(START, END, by_team, {"calls": goal}, metrics=metrics)
    assert department.untracked == {"calls": ("billing",)}
    assert department.total.figure("calls").value == 400  # billing's 999 are not the department's
    assert department.team_days_of("calls") == 8 and department.team_days_of("comments") == 30
    assert department.total.figure("calls").per_day is None  # its dates within support's days aren't known
    assert department.rows[0].shares["calls"] is None and department.rows[1].shares["calls"] == 1
    check = department.checks["calls"]
    assert check.value == Fraction(400, 8) and check.teams_met == {"support": True}
    assert not department.tracks("billing", "calls") and department.tracks("billing", "chats")
