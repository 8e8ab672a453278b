"""Targets: how they are typed, which one applies, and what they are compared with."""

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from statbotic.errors import InvalidInput
from statbotic.exact import plain_decimal
from statbotic.metrics import RANGE_METRICS, Direction, Goal, metric_named, range_metric
from statbotic.parsing import parse_goal, parse_metric
from statbotic.records import DayRecord, Target
from statbotic.reports import build_report, summarise
from statbotic.targets import TargetSource, effective_targets, goals_of
from tests.unit.test_reports import day, totals_of

AT_LEAST, AT_MOST = Direction.AT_LEAST, Direction.AT_MOST
CSAT, WAIT, CHATS = range_metric("csat_percent"), range_metric("wait_seconds"), range_metric("chats")
PER_SOLVE = range_metric("comments_per_solve")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "metric,text,expected",
    [
        (CSAT, ">=95", Goal(AT_LEAST, Fraction(95))),
        (CSAT, ">= 95.5 %", Goal(AT_LEAST, Fraction(191, 2))),
        (CSAT, "≥ 96", Goal(AT_LEAST, Fraction(96))),
        (CSAT, "<= 45.5", Goal(AT_MOST, Fraction(91, 2))),  # either direction may be chosen
        (CSAT, "95", Goal(AT_LEAST, Fraction(95))),  # a number alone: higher CSAT is better
        (WAIT, "45.5", Goal(AT_MOST, Fraction(91, 2))),  # lower wait is better
        (WAIT, "<= 45.5s", Goal(AT_MOST, Fraction(91, 2))),
        (CHATS, " >= 40 ", Goal(AT_LEAST, Fraction(40))),
        (PER_SOLVE, "<=2", Goal(AT_MOST, Fraction(2))),
        (PER_SOLVE, "1.25", Goal(AT_MOST, Fraction(5, 4))),
        (CSAT, "0", Goal(AT_LEAST, Fraction(0))),
        (CSAT, "none", None),
        (CSAT, "Off", None),
    ],
)
def test_good_targets(metric, text, expected):
    assert parse_goal(text, metric) == expected


@pytest.mark.parametrize(
    "metric,text,message",
    [
        (CSAT, "", "Please enter a target"),
        (CSAT, "> 95", "use >= or <="),
        (CSAT, "=95", "use >= or <="),
        (CSAT, ">=", "is not a target"),
        (CSAT, "abc", "is not a target"),
        (CSAT, "95,5", "is not a target"),
        (CSAT, "1e2", "is not a target"),
        (CSAT, ">= -5", "below zero"),
        (CSAT, "101", "A Chat CSAT target is a number from 0 to 100."),
        (WAIT, "86401", "from 0 to 86,400"),
        (CSAT, "95.25", "at most 1 decimal, as the figure is shown (e.g. 95.3)"),
        (CHATS, "40.25", "at most 1 decimal"),
        (PER_SOLVE, "1.255", "at most 2 decimals"),
    ],
)
def test_bad_targets_say_why(metric, text, message):
    with pytest.raises(InvalidInput) as problem:
        parse_goal(text, metric)
    assert message in problem.value.message


def test_metrics_are_named_by_key_or_short_name_in_any_case():
    assert [metric_named(m.alias) for m in RANGE_METRICS] == list(RANGE_METRICS)
    assert [metric_named(m.key) for m in RANGE_METRICS] == list(RANGE_METRICS)
    assert metric_named(" CSAT ") is CSAT and metric_named("Comments_Per_Solve") is PER_SOLVE
    assert sorted(m.alias for m in RANGE_METRICS) == sorted(
        ["csat", "wait", "comments-per-solve", "chats", "solves", "comments"]
    )
    with pytest.raises(InvalidInput, match="Use one of: comments, solves, chats, wait, csat, comments-per-solve"):
        parse_metric("nps")


def test_a_stored_target_keeps_its_exact_decimal():
    assert plain_decimal(Fraction(91, 2)) == "45.5" and plain_decimal(Fraction(95)) == "95"
    with pytest.raises(ValueError):
        plain_decimal(Fraction(1, 3))
    target = Target("wait_seconds", Goal(AT_MOST, Fraction(91, 2)), "dana", NOW)
    assert target.stored() == ("<=", "45.5")
    assert Target.from_stored("wait_seconds", "<=", "45.5", "dana", NOW) == target
    off = Target("csat_percent", None, "dana", NOW)
    assert off.stored() == ("none", None) and Target.from_stored("csat_percent", "none", None, "dana", NOW) == off


def test_the_app_s_target_wins_over_the_default_and_may_turn_it_off():
    defaults = {"csat_percent": Fraction(95), "comments_per_solve": Fraction(2)}
    stored = {
        "csat_percent": Target("csat_percent", Goal(AT_LEAST, Fraction(97)), "dana", NOW),
        "comments_per_solve": Target("comments_per_solve", None, "dana", NOW),
        "chats": Target("chats", Goal(AT_LEAST, Fraction(40)), "lee", NOW),
    }
    effective = {t.metric.key: t for t in effective_targets(stored, defaults)}
    assert list(effective) == [m.key for m in RANGE_METRICS]
    assert (effective["csat_percent"].goal.value, effective["csat_percent"].source) == (97, TargetSource.APP)
    assert (effective["comments_per_solve"].goal, effective["comments_per_solve"].source) == (None, TargetSource.APP)
    assert effective["wait_seconds"].source is TargetSource.NONE
    assert goals_of(tuple(effective.values())) == {"csat_percent": Goal(AT_LEAST, 97), "chats": Goal(AT_LEAST, 40)}

    from_settings = {t.metric.key: t for t in effective_targets({}, defaults)}
    assert from_settings["comments_per_solve"].goal == Goal(AT_MOST, Fraction(2))  # the metric's own direction
    assert from_settings["comments_per_solve"].source is TargetSource.ENVIRONMENT


def test_a_count_s_target_applies_per_day_and_each_day_is_judged_alone():
    d1, d2, d3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)
    days = {d1: day(chats=30), d3: day(chats=60)}  # 90 chats over 2 days with data: 45 per day
    summary = summarise(totals_of(days, d1, d3))
    records = [DayRecord("t", d, entered, "dana", NOW) for d, entered in days.items()]
    previous = summarise(totals_of({}, d2, d2))
    report = build_report(summary, previous, records, {"chats": Goal(AT_LEAST, Fraction(40))})
    check = report.targets["chats"]
    assert (check.value, check.met, check.days_met, check.days_judged) == (45, True, 1, 2)
    higher = build_report(summary, previous, iter(records), {"chats": Goal(AT_LEAST, Fraction(91, 2))}, False)
    assert (higher.targets["chats"].met, higher.targets["chats"].days_met, higher.daily) == (False, 1, ())


def test_a_metric_an_admin_defined_takes_its_definitions_default_target():
    from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
    from statbotic.metric_kinds import Kind, MetricDefinition
    from statbotic.metrics import Metrics

    calls = MetricDefinition("calls", "Calls", Kind.COUNT, target=Fraction(30), order=8)
    metrics = Metrics((*BUILTIN_DEFINITIONS, calls))
    effective = {t.metric.key: t for t in effective_targets({}, {}, metrics)}
    assert effective["calls"].source is TargetSource.DEFINITION
    assert effective["calls"].goal == Goal(AT_LEAST, Fraction(30))
    assert effective["csat_percent"].source is TargetSource.NONE  # a built-in's default is its setting's
    stored = {"calls": Target("calls", None, "dana", NOW)}
    assert effective_targets(stored, {}, metrics)[-1].goal is None  # turned off in the app
