"""Metrics as data (metric_kinds.py): each kind's roll-up, bad definitions refused, and the built-in
definitions giving exactly today's figures (reports.summarise), answers and labels."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from statbotic.builtin_metrics import BUILTIN_DEFINITIONS, LEGACY_COLUMNS, from_legacy
from statbotic.errors import InvalidInput
from statbotic.frozen import replace
from statbotic.goals import Direction
from statbotic.metric_kinds import (
    Kind,
    MetricDefinition,
    add_components,
    check_change,
    check_day,
    check_definitions,
    day_components,
    formula,
    read_answer,
    read_day,
    roll_up,
    roll_up_all,
    terms,
    typed_percent,
)
from statbotic.metrics import COMPONENT_KEYS, ENTRY_FIELDS, RANGE_METRICS, Unit, components_of
from statbotic.parsing import parse_field
from statbotic.records import RangeTotals
from statbotic.reports import entry_figures, summarise
from tests.conftest import ROOT

CALLS = MetricDefinition("calls", "Calls answered", Kind.COUNT, noun="calls")
HANDLE = MetricDefinition("handle", "Average handle time", Kind.DURATION, maximum=3600, bases=("calls",))
FCR = MetricDefinition("fcr", "First-contact resolution", Kind.SHARE, bases=("calls",), min_sample=30, noun="resolved")
TICKETS = MetricDefinition("tickets", "Tickets", Kind.COUNT)
PER_TICKET = MetricDefinition("calls_per_ticket", "Calls per ticket", Kind.RATIO, places=2, bases=("calls", "tickets"))
CUSTOM = (CALLS, HANDLE, FCR, TICKETS, PER_TICKET)


def over_days(definitions, days: list[dict[str, int]]) -> dict:
    """Each listed metric over the days, as a store would sum them."""
    sums = add_components(day_components(definitions, day) for day in days)
    with_data = {d.key: sum(d.key in day for day in days) for d in definitions}
    return roll_up_all(definitions, sums, with_data)


# --- each kind, with weighting -----------------------------------------------------------------------------


def test_a_count_is_summed_and_averaged_over_its_days_with_data():
    figures = over_days(CUSTOM, [{"calls": 10}, {"tickets": 4}, {"calls": 25}])
    assert figures["calls"].value == 35 and figures["calls"].per_day == Fraction(35, 2)
    assert figures["calls"].denominator is None


def test_a_duration_is_weighted_by_its_count():
    """10 calls at 30 s and 30 at 70 s wait 60 s on average, not (30 + 70) / 2 = 50 s."""
    handle = over_days(CUSTOM, [{"calls": 10, "handle": 300}, {"calls": 30, "handle": 700}])["handle"]
    assert handle.value == 60 and (handle.numerator, handle.denominator) == (10 * 300 + 30 * 700, 40)


def test_a_duration_ignores_the_items_of_days_before_it_existed():
    """Calls of a day without a handle time are not averaged in as 0 s: that day has no data for it."""
    assert over_days(CUSTOM, [{"calls": 90}, {"calls": 10, "handle": 300}])["handle"].value == 30


def test_the_readme_wait_example():
    """10 chats waiting 30 s and 100 waiting 120 s make 111.8 s, not 75 s (exactly 111 9/11)."""
    wait = over_days(BUILTIN_DEFINITIONS, [_legacy(chats=10, wait_tenths=300), _legacy(chats=100, wait_tenths=1200)])
    assert wait["wait_seconds"].value == Fraction(1230, 11)


def test_a_share_is_a_ratio_of_sums_with_its_small_sample_flag():
    """2 of 2 and 45 of 50 make 90.4 % (47 of 52), not 95 %; 52 ratings are enough, 2 are not."""
    days = [_legacy(csat_ratings=2, csat_good=2), _legacy(csat_ratings=50, csat_good=45)]
    csat = over_days(BUILTIN_DEFINITIONS, days)["csat_percent"]
    assert csat.value == Fraction(4700, 52) and not csat.small_sample
    assert over_days(BUILTIN_DEFINITIONS, days[:1])["csat_percent"].small_sample


def test_a_share_of_a_count_metric_keeps_its_own_base():
    fcr = over_days(CUSTOM, [{"calls": 100}, {"calls": 40, "fcr": 30}])["fcr"]
    assert fcr.value == 75 and fcr.denominator == 40 and fcr.small_sample is False


def test_a_ratio_divides_the_sums_not_the_daily_ratios():
    """3 calls for 1 ticket and 1 for 3 make 4 for 4 = 1, not the mean of 3 and 1/3."""
    figures = over_days(CUSTOM, [{"calls": 3, "tickets": 1}, {"calls": 1, "tickets": 3}])
    assert figures["calls_per_ticket"].value == 1


@pytest.mark.parametrize("definition", CUSTOM)
def test_no_data_is_no_figure(definition):
    assert roll_up(definition, {}, 0).value is None


def test_a_ratio_is_never_entered():
    with pytest.raises(InvalidInput, match="nothing is entered"):
        read_answer(PER_TICKET, "3", {})


def test_a_share_typed_as_a_percentage_converts_exactly_and_says_so():
    entered, notes = read_day(CUSTOM, {"fcr": "96%", "calls": "38"})
    assert entered == {"calls": 38, "fcr": 36}  # 36.48 rounds half up to 36
    assert notes == {"fcr": "96 % of 38 calls = 36 resolved (94.7 %)"}
    assert typed_percent(FCR, "96 %") == 96 and typed_percent(CALLS, "96%") is None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ({"fcr": 41, "calls": 40}, "First-contact resolution (41) can't be more than Calls answered (40)."),
        ({"handle": 300}, "Average handle time needs calls for the same day."),
        ({"fcr": 3}, "First-contact resolution needs calls for the same day."),
    ],
)
def test_a_day_that_cant_be_true_is_refused(day, message):
    with pytest.raises(InvalidInput) as refused:
        check_day(CUSTOM, day)
    assert refused.value.message == message


def test_the_builtin_definitions_refuse_a_day_as_today():
    """services.record_day's message for more positive ratings than ratings."""
    with pytest.raises(InvalidInput) as refused:
        check_day(BUILTIN_DEFINITIONS, _legacy(csat_ratings=38, csat_good=40))
    assert refused.value.message == "Positive CSAT ratings (40) can't be more than CSAT ratings (38)."
    check_day(BUILTIN_DEFINITIONS, _legacy(csat_ratings=38, csat_good=38))


def test_a_minimum_is_kept():
    with pytest.raises(InvalidInput, match="at least 5"):
        read_answer(replace(HANDLE, minimum=5), "4.9", {"calls": 1})
    assert read_answer(replace(HANDLE, minimum=5), "5", {"calls": 1}) == (50, None)


# --- bad definitions ---------------------------------------------------------------------------------------

BAD = {
    "duplicate key": ((CALLS, replace(TICKETS, key="calls")), "Two metrics have the key 'calls'"),
    "unknown base": ((replace(HANDLE, bases=("chats",)),), "built on 'chats', which is not a metric"),
    "ratio of itself": ((CALLS, replace(PER_TICKET, bases=("calls_per_ticket", "calls"))), "built on itself"),
    "ratio of one count by itself": ((CALLS, replace(PER_TICKET, bases=("calls", "calls"))), "always 1"),
    "share of a ratio": ((*CUSTOM, replace(FCR, key="share", bases=("calls_per_ticket",))), "it needs a count"),
    "duration over a duration": ((*CUSTOM, replace(HANDLE, key="h2", bases=("handle",))), "it needs a count"),
    "bounds reversed": ((replace(CALLS, minimum=10, maximum=5),), "the lowest value 10 is above the highest 5"),
    "bounds too wide": ((replace(HANDLE, maximum=100_000), CALLS), "from 0 to at most 86,400"),
    "key with capitals": ((replace(CALLS, key="Calls"),), "'Calls' is not a metric key"),
    "key with a dash": ((replace(CALLS, key="calls-answered"),), "is not a metric key"),
    "key with a dot": ((replace(CALLS, key="calls.total"),), "is not a metric key"),
    "key starting with a digit": ((replace(CALLS, key="1calls"),), "is not a metric key"),
    "blank label": ((replace(CALLS, label=" "),), "needs a label"),
    "count with a base": ((replace(CALLS, bases=("tickets",)), TICKETS), "a count: it names 0 base metrics"),
    "ratio with one base": ((CALLS, replace(PER_TICKET, bases=("calls",))), "it names 2 base metrics"),
    "unlisted share": ((CALLS, replace(FCR, listed=False)), "only a count can be entered without a figure"),
    "too many places": ((replace(CALLS, places=5),), "from 0 to 4 decimals"),
    "share target above 100": ((CALLS, replace(FCR, target=Fraction(101))), "target is outside"),
    "usually within a ratio": ((*CUSTOM, replace(TICKETS, key="t2", usually_within="fcr")), "it needs a count"),
    "built on a retired count": ((replace(CALLS, retired=True), HANDLE), "which is retired"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_definition_is_refused(case):
    definitions, message = BAD[case]
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        check_definitions(definitions)


def test_good_definitions_pass():
    check_definitions(CUSTOM)
    check_definitions(BUILTIN_DEFINITIONS)
    check_definitions((replace(CALLS, retired=True), replace(HANDLE, retired=True)))


def test_a_kind_stays_once_there_is_data():
    with pytest.raises(InvalidInput, match="has data, so it stays a count"):
        check_change(TICKETS, replace(TICKETS, kind=Kind.RATIO, bases=("calls", "calls")), has_data=True)
    with pytest.raises(InvalidInput, match="key never changes"):
        check_change(TICKETS, replace(TICKETS, key="tix"), has_data=False)
    changed = check_change(HANDLE, replace(HANDLE, label="AHT", bases=("tickets",)), has_data=False)
    assert (changed.label, changed.version) == ("AHT", 2)


# --- the built-in definitions are today's metrics ------------------------------------------------------------

ENTERED = tuple(LEGACY_COLUMNS)
TIE_FRIENDLY = (0, 1, 2, 3, 4, 5, 8, 16, 20, 32, 40, 64, 80, 128, 160)
counts = st.one_of(st.sampled_from(TIE_FRIENDLY), st.integers(0, 2_000), st.sampled_from((999_999, 1_000_000)))
waits = st.one_of(st.sampled_from((0, 1, 5, 15, 25, 864_000)), st.integers(0, 864_000))


def _legacy(**figures: int) -> dict[str, int]:
    """A day as entered today (metrics.ENTRY_KEYS), zero unless given, as built-in definitions' values."""
    return from_legacy({key: figures.get(key, 0) for key in ENTERED})


@st.composite
def legacy_days(draw) -> dict[str, int]:
    ratings = draw(counts)
    good = draw(st.one_of(st.sampled_from((0, 1, ratings // 8, ratings // 2, ratings)), st.integers(0, ratings)))
    day = {key: draw(counts) for key in ("comments", "solves", "chats")}
    return day | {"wait_tenths": draw(waits), "csat_ratings": ratings, "csat_good": good}


def _as_today(figure) -> tuple:
    return (figure.value, figure.numerator, figure.denominator, figure.per_day, figure.low_confidence)


def _as_defined(rollup) -> tuple:
    return (rollup.value, rollup.numerator, rollup.denominator, rollup.per_day, rollup.small_sample)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(legacy_days(), max_size=40))
def test_the_builtin_definitions_give_todays_range_figures_exactly(days):
    start = date(2028, 2, 10)
    dates = tuple(start + timedelta(days=n) for n in range(len(days)))
    today_sums = {key: sum(components_of(day)[key] for day in days) for key in COMPONENT_KEYS}
    today = summarise(RangeTotals(start, start + timedelta(days=45), today_sums, dates))
    defined = over_days(BUILTIN_DEFINITIONS, [from_legacy(day) for day in days])
    assert list(defined) == [m.key for m in RANGE_METRICS]
    for key, rollup in defined.items():
        assert _as_defined(rollup) == _as_today(today.figure(key)), key


@hypothesis_settings(max_examples=300, deadline=None)
@given(legacy_days())
def test_the_builtin_definitions_give_each_days_own_figures_exactly(day):
    today = entry_figures(day)
    defined = over_days(BUILTIN_DEFINITIONS, [from_legacy(day)])
    assert {key: _as_defined(r) for key, r in defined.items()} == {k: _as_today(f) for k, f in today.items()}


ANSWERS = [  # comments, solves, chats, wait, ratings, positive: typed as people type them
    ("12", "5", "40", "65", "38", "36"),
    ("1,234", "0", "10", "1:05.5", "38", "96%"),
    ("0", "0", "0", "0", "0", "0%"),
    ("3", "2", "100", "1m 5s", "50", "12.5 %"),
    ("3", "2", "100", "111.86", "7", "100%"),
    ("3", "2", "100", "1h 2m 5s", "1,000,000", "83.6%"),
]
BAD_ANSWERS = [
    ("-1", "comments"),
    ("2.5", "solves"),
    ("1,000,001", "chats"),
    ("96,2", "chats"),
    ("", "wait_tenths"),
    ("1:75", "wait_tenths"),
    ("1,5", "wait_tenths"),
    ("86401", "wait_tenths"),
    ("-3", "csat_ratings"),
    ("39", "csat_good"),
    ("101%", "csat_good"),
    ("-1%", "csat_good"),
    ("", "csat_good"),
]


def _today(answers: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    entered, notes = {}, {}
    for field in ENTRY_FIELDS:
        entered[field.key], note = parse_field(field, answers[field.key], entered)
        if note:
            notes[LEGACY_COLUMNS[field.key]] = note
    return from_legacy(entered), notes


@pytest.mark.parametrize("typed", ANSWERS)
def test_the_builtin_definitions_read_answers_as_today(typed):
    answers = dict(zip(ENTERED, typed, strict=True))
    assert read_day(BUILTIN_DEFINITIONS, {LEGACY_COLUMNS[k]: v for k, v in answers.items()}) == _today(answers)


@pytest.mark.parametrize(("text", "column"), BAD_ANSWERS)
def test_the_builtin_definitions_refuse_answers_as_today(text, column):
    answers = dict(zip(ENTERED, ANSWERS[0], strict=True)) | {column: text}
    with pytest.raises(InvalidInput) as today:
        _today(answers)
    with pytest.raises(InvalidInput) as defined:
        read_day(BUILTIN_DEFINITIONS, {LEGACY_COLUMNS[k]: v for k, v in answers.items()})
    assert defined.value.message == today.value.message


UNITS = {Kind.COUNT: Unit.COUNT, Kind.DURATION: Unit.SECONDS, Kind.SHARE: Unit.PERCENT, Kind.RATIO: Unit.RATIO}


def test_the_builtin_definitions_describe_todays_entry_fields():
    by_key = {d.key: d for d in BUILTIN_DEFINITIONS}
    for field in ENTRY_FIELDS:
        d = by_key[LEGACY_COLUMNS[field.key]]
        assert (d.typed_label, d.prompt, d.source, d.maximum) == (
            field.label,
            field.prompt,
            field.source,
            field.maximum,
        )
        assert (d.entry_column or d.column, d.add_option) == (field.column, field.option)
        assert (d.kind is Kind.DURATION) == field.tenths
        assert d.usually_within == field.usually_part_of
        assert (d.bases[0] if d.kind is Kind.DURATION else None) == field.average_over
        assert (LEGACY_COLUMNS[field.part_of] if field.part_of else None) == (
            d.bases[0] if d.kind is Kind.SHARE else None
        )


def test_the_builtin_definitions_describe_todays_range_metrics():
    listed = [d for d in sorted(BUILTIN_DEFINITIONS, key=lambda d: d.order) if d.listed]
    assert [d.key for d in listed] == [m.key for m in RANGE_METRICS]
    for d, metric in zip(listed, RANGE_METRICS, strict=True):
        assert (d.label, d.command_name, d.direction, d.places, d.column) == (
            metric.label,
            metric.alias,
            metric.direction,
            metric.places,
            metric.column,
        )
        assert (UNITS[d.kind], d.min_sample) == (metric.unit, metric.min_sample)
        assert (d.target, d.target_setting) == (metric.target_default, metric.target_setting)


def test_directions_are_the_apps():
    assert {d.direction for d in BUILTIN_DEFINITIONS} == set(Direction)


def test_definitions_load_nothing_that_lists_metrics():
    """Pure and light: importing the kinds (and the seed) loads neither metrics.py nor reports.py."""
    probe = "import sys, statbotic.builtin_metrics; print(sorted(m for m in sys.modules if m.startswith('statbotic.')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "statbotic.metrics'" not in loaded.stdout and "statbotic.reports" not in loaded.stdout, loaded.stdout


def test_a_days_components_are_those_each_definition_declares():
    day = day_components(CUSTOM, {"calls": 40, "handle": 300, "fcr": 30, "tickets": 8})
    assert set(day) == {key for d in CUSTOM for key in d.components}
    assert day == {"calls": 40, "handle.total": 12_000, "handle.items": 40, "fcr": 30, "fcr.base": 40, "tickets": 8}


def test_each_kind_says_its_formula():
    assert formula(HANDLE) == "sum of (handle in tenths of a second x calls) / sum of calls / 10"
    assert formula(FCR) == "100 x sum of fcr / sum of calls"
    assert formula(PER_TICKET) == "sum of calls / sum of tickets"
    assert formula(CALLS) == "sum of calls"
    assert formula(replace(CALLS, formula_text="sum of calls answered")) == "sum of calls answered"


def test_each_kind_names_the_terms_of_its_figure():
    assert terms(CALLS) == ("calls", None, 1)
    assert terms(HANDLE) == ("handle.total", "handle.items", Fraction(1, 10))
    assert terms(FCR) == ("fcr", "fcr.base", 100)
    assert terms(PER_TICKET) == ("calls", "tickets", 1)
