"""The menus follow the team's metrics (issue 12): an admin's metric of each kind -- calls answered (a
count), the average handle time (a duration of the calls), the calls within SLA (a share of the calls) and
calls per solve (a ratio of two counts) -- is asked by the add form in the admin's order, checked and
doubted like the built-ins, and shown by the view, the comparison, the daily breakdown, the trend chart,
the targets and the history of a day.  A day from before a metric existed is no data for it (never a 0);
a retired metric is not asked, and a day entered again keeps its value.

Definitions are saved with store.save_metric_definition, as the admin's Metrics screen does; on both
stores."""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic.frozen import replace
from statbotic.goals import Direction
from statbotic.metric_kinds import Kind, MetricDefinition, check_change
from statbotic.records import DayRecord
from tests.transcript import menu, period

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "mongo"])

TEAM = "default"
NOW = datetime(2026, 11, 26, tzinfo=UTC)
BUILTINS = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=25, csat_good=24)

CALLS = MetricDefinition(
    "calls_answered",
    "Calls answered",
    Kind.COUNT,
    prompt="Calls answered",
    source="Phone",
    maximum=5_000,
    noun="calls",
    column="Calls",
    order=8,
)
HANDLE = MetricDefinition(
    "handle_seconds",
    "Average handle time",
    Kind.DURATION,
    prompt="Average handle time (e.g. 65, 1:05 or 1m 5s)",
    source="Phone",
    maximum=3_600,
    places=1,
    direction=Direction.AT_MOST,
    bases=("calls_answered",),
    column="AHT",
    order=9,
)
SLA = MetricDefinition(
    "sla_met",
    "SLA met",
    Kind.SHARE,
    prompt="Calls within SLA (or a %, e.g. 90%)",
    source="Phone",
    places=1,
    bases=("calls_answered",),
    min_sample=20,
    noun="within SLA",
    column="SLA",
    target=Fraction(90),
    order=10,
)
CALLS_PER_SOLVE = MetricDefinition(
    "calls_per_solve",
    "Calls per solve",
    Kind.RATIO,
    places=2,
    bases=("calls_answered", "solves"),
    column="Calls/S",
    order=11,
)
CUSTOM = (CALLS, HANDLE, SLA, CALLS_PER_SOLVE)
BUILTIN_PROMPTS = (
    "Ticket public comments",
    "Ticket solves",
    "Live chats",
    "Average chat wait",
    "CSAT ratings",
    "Positive",
)
CUSTOM_PROMPTS = ("Calls answered", "Average handle time", "Calls within SLA")


def define(store, *definitions) -> None:
    for definition in definitions:
        store.save_metric_definition(definition, "alice", NOW)


def seed(store, day: date, **figures) -> None:
    store.upsert_day(DayRecord(TEAM, day, {**BUILTINS, **figures}, "lee", NOW))


def form(builtins=("20", "10", "50", "40", "25", "24"), custom=("120", "1:05", "90%")) -> list:
    """The add form's answers: the six built-in figures, then the team's own (calls, handle time, SLA)."""
    return [*zip(BUILTIN_PROMPTS, builtins, strict=True), *zip(CUSTOM_PROMPTS, custom, strict=True)]


def add(day: str, *answers, overwrite: str | None = None, save: str = "Save?") -> list:
    return [
        *menu("1"),
        ("Date", day),
        *([("Overwrite", overwrite)] if overwrite else []),
        *answers,
        (save, "y"),
        ("Enter more stats", "n"),
    ]


@pytest.fixture
def phones(store, alice):
    """Monday and Tuesday of week 47 with the built-ins only; then the admin defines the team's metrics."""
    seed(store, date(2026, 11, 16))
    seed(store, date(2026, 11, 17))
    define(store, *CUSTOM)
    return store


def test_the_form_asks_the_teams_metrics_in_the_admins_order_and_reads_each_kind(phones, as_alice):
    console = as_alice(add("2026-11-18", *form(custom=("120", "1:05", "90%"))))

    prompts = [
        p for p in console.prompts if not p.startswith(("Choose", "Username", "Password", "Date", "Save", "Enter"))
    ]
    assert [p.split(" (")[0].split(":")[0] for p in prompts] == [
        "Ticket public comments",
        "Ticket solves",
        "Live chats",
        "Average chat wait",
        "CSAT ratings",
        "Positive CSAT ratings",
        "Calls answered",
        "Average handle time",
        "Calls within SLA",
    ]
    text = console.text
    assert text.index("From Intercom:") < text.index("From Phone:") < text.index("Calls answered: 120")
    assert "90 % of 120 calls = 108 within SLA (90.0 %)" in text
    assert "│ Phone    │ Average handle time    │ 65.0 s  │" in text
    assert "Average handle time 65.0 s, SLA met 90.0 %, Calls per solve 12.00." in text
    entered = phones.get_day(TEAM, date(2026, 11, 18)).entered
    assert (entered["calls_answered"], entered["handle_seconds"], entered["sla_met"]) == (120, 650, 108)
    assert entered["csat_good"] == 24


def test_a_custom_duration_takes_each_form_and_a_custom_count_its_bounds(phones, as_alice):
    console = as_alice(
        add(
            "2026-11-18",
            *form(custom=("6000", "1m 5s", "70"))[:6],
            ("Calls answered", "6000"),
            ("Calls answered", "80"),
            ("Average handle time", "2:00:00"),
            ("Average handle time", "1m 5s"),
            ("Calls within SLA", "81"),
            ("Calls within SLA", "70"),
        )
    )
    text = console.text
    assert "'6000' is too large. Calls answered is a whole number from 0 to 5,000." in text
    assert (
        "'2:00:00' is too long. Average handle time is in seconds (65, 38.5, 1:05 or 1m 5s), from 0 to 3,600." in text
    )
    assert "81 SLA met is more than the 80 calls. SLA met is a whole number from 0 to 80, or a percentage" in text
    assert phones.get_day(TEAM, date(2026, 11, 18)).entered["handle_seconds"] == 650


def test_a_day_before_the_metrics_existed_is_no_data_for_them_in_the_view(phones, as_alice):
    seed(phones, date(2026, 11, 18), calls_answered=120, handle_seconds=650, sla_met=108)
    seed(phones, date(2026, 11, 19), calls_answered=80, handle_seconds=450, sla_met=70)

    console = as_alice(menu("2"), period("2026-W47"), ("View more", "n"))

    text = console.text
    assert "│ Calls answered            │ 200    │ 100.0   │ 200 over 2 days             │" in text
    assert "│ Average handle time       │ 57.0 s │         │ weighted by 200 calls       │" in text
    assert "│ SLA met                   │ 89.0 % │         │ 178 within SLA of 200 calls │" in text
    assert "│ Calls per solve           │ 5.00   │         │ 200 / 40                    │" in text
    assert "│ Ticket solves             │ 40     │ 10.0    │ 40 over 4 days              │" in text
    lines = text.splitlines()
    below = lines[lines.index("Days with data: 4 of 7. Per-day figures divide by the days with data.") + 1 :][:4]
    assert below == [
        "Calls answered: 2 of 4 days with data.",
        "Average handle time: 2 of 4 days with data.",
        "SLA met: 2 of 4 days with data.",
        "Calls per solve: 2 of 4 days with data.",
    ]
    assert "✗  SLA met 89.0 %: target >= 90.0 % missed; met on 1 of 2 days" in text


def test_the_daily_breakdown_has_a_column_per_metric_and_a_dash_where_a_day_has_none(phones, as_alice):
    seed(phones, date(2026, 11, 18), calls_answered=120, handle_seconds=650, sla_met=108)

    console = as_alice(menu("4"), period("2026-W47"), ("Order", "1"))

    text = console.text
    assert "│ Calls │ AHT s │ SLA % (n)    │ Calls/S │" in text
    assert "│ Mon 2026-11-16 │ 20       │ 10     │ 50    │ 40.0   │ ✓ 96.0 (25) │ ✓ 2.00 │ –     │ –     │ –" in text
    assert "│ 120   │ 65.0  │ ✓ 90.0 (120) │ 12.00   │" in text
    assert "–: no data that day (not a 0)." in text
    assert "(n): CSAT ratings (CSAT), Calls answered (SLA)." in text.replace("\n", " ")
    mondays = [line for line in text.splitlines() if "Mon 2026-11-16" in line]
    assert mondays and " 0 " not in mondays[0].split("✓ 2.00")[1]


def test_the_comparison_is_per_day_for_a_metric_with_other_days_with_data_and_says_so(phones, as_alice):
    # Week 46 on all seven days, calls on two; week 47 on seven days too, calls on four.
    for offset in range(7):
        calls = dict(calls_answered=100, handle_seconds=600, sla_met=90) if offset < 2 else {}
        seed(phones, date(2026, 11, 9) + timedelta(days=offset), **calls)
    for offset in range(2, 7):
        calls = dict(calls_answered=50, handle_seconds=600, sla_met=45) if offset < 6 else {}
        seed(phones, date(2026, 11, 16) + timedelta(days=offset), **calls)

    console = as_alice(menu("2"), period("2026-W47"), ("View more", "n"))

    text = console.text
    assert "7 vs 7 days with data; counts compare per day where their own days with data" in text
    assert "differ (labelled), else as totals; rates as they are." in text
    assert "│ Ticket solves             │ 70      │ 70       │ 0      │ +0.0 %   │" in text  # 7 days each: totals
    assert "│ Calls answered per day    │ 50.0    │ 100.0    │ -50.0  │ -50.0 %  │" in text  # 4 days against 2
    assert "│ Average handle time       │ 60.0 s  │ 60.0 s   │ 0.0 s  │ +0.0 %   │" in text


def test_the_trend_chart_draws_a_custom_metric_and_counts_the_days_without_it(phones, as_alice):
    seed(phones, date(2026, 11, 18), calls_answered=120, handle_seconds=650, sla_met=108)
    seed(phones, date(2026, 11, 19), calls_answered=80, handle_seconds=450, sla_met=70)

    console = as_alice(menu("5"), ("metric", "9"), period("2026-W47"))

    text = console.text
    assert "   9  SLA met" in text and "  10  Calls per solve" in text
    assert "SLA met per day" in text
    assert "2 days with data but no SLA met figure are not drawn either." in text
    assert "Target line: >= 90.0 %." in text


def test_a_target_on_a_custom_metric_is_set_in_the_targets_screen_and_judged_in_the_view(phones, as_alice):
    seed(phones, date(2026, 11, 18), calls_answered=120, handle_seconds=650, sla_met=108)

    console = as_alice(
        menu("6"),
        *menu("1"),
        ("metric", "8"),
        ("target", "60"),
        menu("0"),
        menu("2"),
        period("2026-W47"),
        ("View more", "n"),
    )
    text = console.text
    assert "Average handle time target set to <= 60.0 s." in text
    assert "✗  Average handle time 65.0 s: target <= 60.0 s missed; met on 0 of 1 day" in text


def test_the_history_of_a_day_names_a_custom_metrics_values_by_their_labels(phones, as_alice):
    console = as_alice(
        add("2026-11-17", *form(builtins=("",) * 6, custom=("80", "65", "70")), overwrite="y"),
        menu("8"),
        ("Date", "2026-11-17"),
    )
    text = " ".join(console.text.split())
    assert "day changed: Calls answered none → 80, Average handle time none → 65.0 s, SLA met none → 70" in text


def test_a_retired_metric_is_not_asked_and_a_day_entered_again_keeps_its_value(store, alice, as_alice):
    emails = MetricDefinition("emails", "Emails", Kind.COUNT, prompt="Emails answered", source="Email", order=8)
    define(store, emails)
    seed(store, date(2026, 11, 17), emails=30)
    define(store, check_change(emails, replace(emails, retired=True), has_data=True))

    console = as_alice(
        add("2026-11-17", *zip(BUILTIN_PROMPTS, ("21", "", "", "", "", ""), strict=True), overwrite="y"),
        menu("2"),
        period("2026-11-17", "0"),
        ("View more", "n"),
        menu("8"),
        ("Date", "2026-11-17"),
    )

    assert not any("Emails" in prompt for prompt in console.prompts)
    entered = store.get_day(TEAM, date(2026, 11, 17)).entered
    assert (entered["comments"], entered["emails"]) == (21, 30)
    text = console.text
    assert "Updated the stats for 2026-11-17." in text
    assert "│ Emails" not in text  # neither in the form's table nor in the view
    assert "Emails 30" in " ".join(text.split())  # the history names it still


def test_a_metric_another_team_tracks_is_not_asked(store, alice, as_alice):
    define(store, replace(CALLS, teams=("billing",)))
    console = as_alice(add("2026-11-18", *zip(BUILTIN_PROMPTS, ("20", "10", "50", "40", "25", "24"), strict=True)))
    assert "From Phone:" not in console.text
    assert "calls_answered" not in store.get_day(TEAM, date(2026, 11, 18)).entered


TUESDAY = date(2026, 11, 24)


def eight_tuesdays(store) -> None:
    for weeks in range(1, 9):
        seed(store, TUESDAY - timedelta(weeks=weeks), calls_answered=100, handle_seconds=300, sla_met=90)


@pytest.mark.parametrize(
    "custom,warning",
    [
        (
            ("0", "0", "90%"),
            "SLA met typed as 90 % with Calls answered 0: 0 would be saved, so the day would have no SLA met.",
        ),
        (
            ("0", "1:05", "0"),
            "Average handle time 65.0 s with Calls answered 0: an average over none counts in no figure.",
        ),
        (
            ("100", "0", "90"),
            "Average handle time 0.0 s with Calls answered 100: an average of exactly 0 is unlikely. Left at 0?",
        ),
        (
            ("100", "30", "0.9%"),
            "SLA met typed as 0.9 %: a SLA met of 1 % or less. A fraction typed as a percentage (90 %)?",
        ),
        (
            ("1000", "30", "900"),
            "Calls answered 1,000 is more than 5 times the usual 100 for a Tuesday (median of the last 8 Tuesdays).",
        ),
        (
            ("100", "3", "90"),
            "Average handle time 3.0 s is under 1/5 of the usual 30.0 s for a Tuesday (median of the last 8 Tuesdays).",
        ),
    ],
)
def test_a_custom_metric_that_looks_wrong_is_doubted_before_it_is_saved(phones, as_alice, custom, warning):
    eight_tuesdays(phones)
    console = as_alice(add(TUESDAY.isoformat(), *form(custom=custom), save="Save these figures anyway?"))
    text = " ".join(console.text.split())
    assert warning in text
    assert text.index("To save for 2026-11-24") < text.index(warning) < text.index("Save these figures anyway?")
    assert phones.get_day(TEAM, TUESDAY) is not None


def test_tuesdays_from_before_a_metric_existed_are_no_guide_for_it(store, alice, as_alice):
    for weeks in range(1, 9):  # eight Tuesdays with the built-ins only: the typo guard has nothing for calls
        seed(store, TUESDAY - timedelta(weeks=weeks))
    define(store, *CUSTOM)
    console = as_alice(add(TUESDAY.isoformat(), *form(custom=("1000", "30", "900"))))
    assert "Calls answered 1,000 is" not in console.text
    assert store.get_day(TEAM, TUESDAY).entered["calls_answered"] == 1000


def test_a_custom_count_usually_within_another_is_doubted_when_it_is_more(phones, as_alice):
    callbacks = MetricDefinition(
        "callbacks",
        "Callbacks",
        Kind.COUNT,
        prompt="Callbacks",
        source="Phone",
        usually_within="calls_answered",
        order=12,
    )
    define(phones, callbacks)
    console = as_alice(
        add("2026-11-18", *form(custom=("40", "65", "36")), ("Callbacks", "50"), save="Save these figures anyway?")
    )
    assert "Callbacks 50 is more than Calls answered 40, of which they are usually a part." in console.text
    assert phones.get_day(TEAM, date(2026, 11, 18)).entered["callbacks"] == 50


def test_a_custom_share_on_fewer_items_than_it_trusts_is_flagged_in_the_view(phones, as_alice):
    seed(phones, date(2026, 11, 18), calls_answered=12, handle_seconds=650, sla_met=11)
    console = as_alice(menu("2"), period("2026-W47"), ("View more", "n"))
    assert "Low confidence: SLA met rests on only 12 calls (fewer than 20)." in console.text


def test_a_metric_without_a_source_comes_under_other_figures_and_its_percentage_keeps_an_acronym(
    store, alice, as_alice
):
    sla = MetricDefinition("sla_met", "Solves within SLA", Kind.SHARE, bases=("solves",), places=1, order=8)
    define(store, sla)
    builtins = ("40", "20", "50", "45", "30", "29")
    console = as_alice(add("2026-11-17", *zip(BUILTIN_PROMPTS, builtins, strict=True), ("Solves within SLA", "90%")))

    text = console.text
    assert "Other figures:" in text and "From :" not in text
    assert "90 % of 20 ticket solves = 18 solves within SLA" in text
    assert store.get_day(TEAM, date(2026, 11, 17)).entered["sla_met"] == 18
    assert all(len(line) <= 80 for line in text.splitlines())  # the day's figures line wraps too
