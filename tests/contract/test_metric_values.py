"""Metrics as data (issue 12), on every backend: the store keeps metric definitions (seeded with the
built-ins, versioned in the audit log) and each day's value per metric; a metric added later has no
data on the days before it (never zeros); range sums and figures are exact to the digit, checked here
against a reference computed in the test from the days it entered.

A custom metric of each kind: calls_answered and replies (counts), handle_seconds (a duration averaged
per call), sla_met (a share of the calls), replies_per_call (a ratio of the two counts)."""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic import records, reports, services
from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
from statbotic.errors import InvalidInput
from statbotic.frozen import replace
from statbotic.goals import Direction
from statbotic.metric_kinds import Kind, MetricDefinition, definition_values
from statbotic.records import DayRecord

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
TEAM, OTHER = "support", "phones"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
ADDED_ON = date(2026, 11, 11)  # the custom metrics are defined after the days before this one exist

CALLS = MetricDefinition("calls_answered", "Calls answered", Kind.COUNT, source="Phone", noun="calls", order=8)
REPLIES = MetricDefinition("replies", "Replies", Kind.COUNT, source="Phone", order=9)
HANDLE = MetricDefinition(
    "handle_seconds",
    "Average handle time",
    Kind.DURATION,
    maximum=86_400,
    places=1,
    bases=("calls_answered",),
    order=10,
)
SLA = MetricDefinition("sla_met", "SLA met", Kind.SHARE, places=1, bases=("calls_answered",), min_sample=20, order=11)
REPLIES_PER_CALL = MetricDefinition(
    "replies_per_call", "Replies per call", Kind.RATIO, places=2, bases=("replies", "calls_answered"), order=12
)
CUSTOM = (CALLS, REPLIES, HANDLE, SLA, REPLIES_PER_CALL)


def builtins(day_number: int) -> dict[str, int]:
    """Built-in figures that differ from day to day (the entered keys: today's columns)."""
    n = day_number
    return dict(
        comments=10 + 3 * n, solves=4 + n, chats=20 + n, wait_tenths=300 + 7 * n, csat_ratings=10 + n, csat_good=9 + n
    )


def customs(day_number: int) -> dict[str, int]:
    """Custom figures (by metric key, which is also their entry key); handle time in tenths of a second."""
    n = day_number
    return dict(calls_answered=40 + 5 * n, replies=55 + 2 * n, handle_seconds=1_805 + 13 * n, sla_met=33 + 3 * n)


def day(number: int, team: str = TEAM, by: str = "alice", **figures) -> DayRecord:
    return DayRecord(team, date(2026, 11, number), figures, by, NOW)


def add_customs(store) -> None:
    for definition in CUSTOM:
        store.save_metric_definition(definition, "alice", NOW)


def by_order(definitions) -> tuple:
    return tuple(sorted(definitions, key=lambda d: (d.order, d.key)))


def entered_data(store) -> dict[int, dict[str, int]]:
    """Days 1-10 with the built-ins only; the custom metrics added; days 11-20 with both, but day 13
    without the SLA and day 14 without any custom figure; day 25 with calls and replies only."""
    data = {n: builtins(n) for n in range(1, 11)}
    store.upsert_days(day(n, **figures) for n, figures in data.items())
    add_customs(store)
    for n in range(11, 21):
        data[n] = {**builtins(n), **customs(n)}
    del data[13]["sla_met"]
    data[14] = builtins(14)
    data[25] = {**builtins(25), "calls_answered": 70, "replies": 91}
    for n in range(11, 21):
        store.upsert_day(day(n, **data[n]))
    store.upsert_day(day(25, **data[25]))
    return data


# --- the reference: figures computed here from the days entered, with none of the app's code --------


def reference(data: dict[int, dict[str, int]], first: int = 1, last: int = 30) -> dict[str, tuple]:
    """Each listed figure over days first..last: (value, numerator, denominator, days with data)."""
    days = [figures for n, figures in data.items() if first <= n <= last]

    def total(key: str, among=None) -> int:
        return sum(f[key] for f in days if key in f and (among is None or among in f))

    def having(key: str) -> int:
        return sum(1 for f in days if key in f)

    def count(key: str) -> tuple:
        n = having(key)
        return (Fraction(total(key)) if n else None, total(key), None, n)

    def ratio(top: int, bottom: int, scale: Fraction, n: int) -> tuple:
        return (scale * Fraction(top, bottom) if bottom else None, top, bottom, n)

    handle_total = sum(f["handle_seconds"] * f["calls_answered"] for f in days if "handle_seconds" in f)
    wait_total = sum(f["wait_tenths"] * f["chats"] for f in days if "wait_tenths" in f)
    return {
        "comments": count("comments"),
        "solves": count("solves"),
        "chats": count("chats"),
        "wait_seconds": ratio(wait_total, total("chats", "wait_tenths"), Fraction(1, 10), having("wait_tenths")),
        "csat_percent": ratio(
            total("csat_good"), total("csat_ratings", "csat_good"), Fraction(100), having("csat_good")
        ),
        "comments_per_solve": ratio(
            total("comments"), total("solves"), Fraction(1), min(having("comments"), having("solves"))
        ),
        "calls_answered": count("calls_answered"),
        "replies": count("replies"),
        "handle_seconds": ratio(
            handle_total, total("calls_answered", "handle_seconds"), Fraction(1, 10), having("handle_seconds")
        ),
        "sla_met": ratio(total("sla_met"), total("calls_answered", "sla_met"), Fraction(100), having("sla_met")),
        "replies_per_call": ratio(
            total("replies"), total("calls_answered"), Fraction(1), min(having("replies"), having("calls_answered"))
        ),
    }


def figures_of(summary) -> dict[str, tuple]:
    return {f.metric.key: (f.value, f.numerator, f.denominator, summary.days_of(f.metric.key)) for f in summary.figures}


# --- definitions --------------------------------------------------------------------------------------


def test_a_new_store_holds_the_builtin_definitions(store):
    assert store.metric_definitions() == by_order(BUILTIN_DEFINITIONS)
    assert [d.key for d in services.team_metrics(store, TEAM).definitions] == [
        d.key for d in by_order(BUILTIN_DEFINITIONS)
    ]
    assert store.audit_since(LONG_AGO) == []  # the seed is no one's change


def test_a_definition_added_then_changed_is_audited_with_its_values_before_and_after(store):
    store.save_metric_definition(CALLS, "alice", NOW)
    assert store.metric_definitions() == by_order((*BUILTIN_DEFINITIONS, CALLS))
    relabelled = replace(CALLS, label="Phone calls answered", order=0, version=2)
    store.save_metric_definition(relabelled, "bob", NOW + timedelta(minutes=1))
    assert store.metric_definitions()[0] == relabelled  # order 0: first
    assert store.metric_definitions() == by_order((*BUILTIN_DEFINITIONS, relabelled))
    added, changed = store.audit_since(LONG_AGO)
    assert (added.action, added.actor, added.team, added.subject) == (records.METRIC_ADDED, "alice", "", CALLS.key)
    assert (added.before, added.after) == (None, definition_values(CALLS))
    assert (changed.action, changed.actor, changed.at) == (records.METRIC_CHANGED, "bob", NOW + timedelta(minutes=1))
    assert (changed.before, changed.after) == (definition_values(CALLS), definition_values(relabelled))


def test_saving_a_definition_unchanged_writes_nothing_and_audits_nothing(store):
    store.save_metric_definition(CALLS, "alice", NOW)
    store.save_metric_definition(CALLS, "bob", NOW + timedelta(hours=1))
    builtin = BUILTIN_DEFINITIONS[0]
    store.save_metric_definition(builtin, "bob", NOW + timedelta(hours=1))
    assert [e.action for e in store.audit_since(LONG_AGO)] == [records.METRIC_ADDED]
    assert store.metric_definitions() == by_order((*BUILTIN_DEFINITIONS, CALLS))


def test_every_field_of_a_definition_round_trips(store):
    full = MetricDefinition(
        "first_reply",
        "First reply time",
        Kind.DURATION,
        prompt="Median first reply (seconds)",
        source="Zendesk",
        minimum=1,
        maximum=3_600,
        places=2,
        direction=Direction.AT_MOST,
        target=Fraction(120),
        bases=("solves",),
        noun="replies",
        alias="frt",
        column="FRT",
        entry_label="First reply",
        entry_column="FRT typed",
        option="--frt",
        formula_text="sum of reply time / sum of solves",
        order=3,
        retired=True,
        version=4,
        teams=("phones", "support"),
    )
    store.save_metric_definition(full, "alice", NOW)
    assert {d.key: d for d in store.metric_definitions()}["first_reply"] == full


def test_metric_has_data_once_a_day_has_a_value_for_it(store):
    add_customs(store)
    assert not store.metric_has_data("calls_answered") and not store.metric_has_data("sla_met")
    store.upsert_day(day(3, **builtins(3), calls_answered=12))
    assert store.metric_has_data("calls_answered") and store.metric_has_data("comments")
    assert not store.metric_has_data("sla_met") and not store.metric_has_data("handle_seconds")
    assert not store.metric_has_data("replies_per_call")  # derived: nothing is kept for it


# --- days and ranges with custom metrics -----------------------------------------------------------------


def test_days_before_a_metric_existed_have_no_data_for_it_never_zeros(store):
    data = entered_data(store)
    assert store.get_day(TEAM, date(2026, 11, 5)).entered == builtins(5)
    assert store.get_day(TEAM, date(2026, 11, 12)).entered == data[12]
    assert store.get_day(TEAM, date(2026, 11, 13)).entered == data[13]  # no SLA that day
    assert [d.entered for d in store.iter_days(TEAM, *NOVEMBER)] == [data[n] for n in sorted(data)]

    before = store.range_totals(TEAM, date(2026, 11, 1), date(2026, 11, 10))
    assert len(before.days_with_data) == 10
    assert before.metric_days == {
        **dict.fromkeys(("comments", "solves", "chats", "wait_seconds", "csat_ratings", "csat_percent"), 10),
        **dict.fromkeys(("calls_answered", "replies", "handle_seconds", "sla_met"), 0),
    }
    for component in (
        "calls_answered",
        "replies",
        "handle_seconds.total",
        "handle_seconds.items",
        "sla_met",
        "sla_met.base",
    ):
        assert before.sums[component] == 0

    month = store.range_totals(TEAM, *NOVEMBER)
    assert len(month.days_with_data) == 21
    assert month.metric_days == {
        **dict.fromkeys(("comments", "solves", "chats", "wait_seconds", "csat_ratings", "csat_percent"), 21),
        "calls_answered": 10,  # days 11-20 but 14, and 25
        "replies": 10,
        "handle_seconds": 9,
        "sla_met": 8,  # nor 13
    }
    assert all(type(value) is int for value in month.sums.values())


def test_range_sums_of_every_component_are_exact(store):
    data = entered_data(store)
    sums = store.range_totals(TEAM, *NOVEMBER).sums
    days = list(data.values())
    assert sums == {
        "comments": sum(d["comments"] for d in days),
        "solves": sum(d["solves"] for d in days),
        "chats": sum(d["chats"] for d in days),
        "wait_tenths_total": sum(d["wait_tenths"] * d["chats"] for d in days),
        "wait_seconds.items": sum(d["chats"] for d in days),
        "csat_ratings": sum(d["csat_ratings"] for d in days),
        "csat_good": sum(d["csat_good"] for d in days),
        "csat_percent.base": sum(d["csat_ratings"] for d in days),
        "calls_answered": sum(d.get("calls_answered", 0) for d in days),
        "replies": sum(d.get("replies", 0) for d in days),
        "handle_seconds.total": sum(d["handle_seconds"] * d["calls_answered"] for d in days if "handle_seconds" in d),
        "handle_seconds.items": sum(d["calls_answered"] for d in days if "handle_seconds" in d),
        "sla_met": sum(d.get("sla_met", 0) for d in days),
        "sla_met.base": sum(d["calls_answered"] for d in days if "sla_met" in d),
    }


@pytest.mark.parametrize("first,last", [(1, 30), (1, 10), (9, 14), (13, 13), (14, 25), (21, 24), (11, 20)])
def test_range_figures_equal_an_independent_reference_to_the_digit(store, first, last):
    data = entered_data(store)
    totals = store.range_totals(TEAM, date(2026, 11, first), date(2026, 11, last))
    summary = reports.summarise(totals, services.team_metrics(store, TEAM))
    assert figures_of(summary) == reference(data, first, last)
    assert summary.days_with_data == sum(1 for n in data if first <= n <= last)


def test_re_entering_a_day_without_a_retired_metric_keeps_its_value(store):
    data = entered_data(store)
    store.save_metric_definition(replace(SLA, retired=True, version=2), "alice", NOW)
    assert "sla_met" not in services.team_metrics(store, TEAM).by_key
    new_calls = {**builtins(12), "calls_answered": 80, "replies": 70, "handle_seconds": 900}
    store.upsert_day(day(12, by="bob", **new_calls))

    kept = store.get_day(TEAM, date(2026, 11, 12))
    assert kept.entered == {**new_calls, "sla_met": data[12]["sla_met"]} and kept.updated_by == "bob"
    [*_, entry] = store.day_history(TEAM, date(2026, 11, 12))
    assert (entry.action, entry.before, entry.after) == (records.DAY_CHANGED, data[12], kept.entered)

    # The kept share is now of the day's new calls; the duration is weighted by them too.
    data[12] = kept.entered
    sums = store.range_totals(TEAM, *NOVEMBER).sums
    days = list(data.values())
    assert sums["sla_met.base"] == sum(d["calls_answered"] for d in days if "sla_met" in d)
    assert sums["handle_seconds.total"] == sum(
        d["handle_seconds"] * d["calls_answered"] for d in days if "handle_seconds" in d
    )

    store.save_metric_definition(replace(SLA, version=3), "alice", NOW)  # restored: its data is all there
    summary = reports.summarise(store.range_totals(TEAM, *NOVEMBER), services.team_metrics(store, TEAM))
    assert figures_of(summary) == reference(data)


def test_a_bulk_load_keeps_the_values_a_record_does_not_name(store):
    data = entered_data(store)
    store.upsert_days([day(15, by="loader", **builtins(15))])
    assert store.get_day(TEAM, date(2026, 11, 15)).entered == data[15]
    assert store.get_day(TEAM, date(2026, 11, 15)).updated_by == "loader"


def test_a_share_above_its_base_is_refused_and_nothing_is_written(store):
    data = entered_data(store)
    audit = store.audit_since(LONG_AGO)
    totals = store.range_totals(TEAM, *NOVEMBER)
    with pytest.raises(InvalidInput, match=r"SLA met \(61\) can't be more than Calls answered \(60\)"):
        store.upsert_day(day(12, **{**data[12], "calls_answered": 60, "sla_met": 61}))
    with pytest.raises(InvalidInput, match="SLA met"):  # the day's kept SLA (69) is above the new calls
        store.upsert_day(day(12, **builtins(12), calls_answered=50))
    with pytest.raises(InvalidInput, match="Average handle time needs calls answered"):
        store.upsert_day(day(21, **builtins(21), handle_seconds=600))
    with pytest.raises(InvalidInput):
        store.upsert_days([day(22, **builtins(22)), day(23, **builtins(23), sla_met=1)])  # all or nothing
    assert store.get_day(TEAM, date(2026, 11, 12)).entered == data[12]
    assert store.get_day(TEAM, date(2026, 11, 21)) is None and store.get_day(TEAM, date(2026, 11, 22)) is None
    assert store.audit_since(LONG_AGO) == audit
    assert store.range_totals(TEAM, *NOVEMBER) == totals


def test_deleting_a_day_removes_every_value_it_had(store):
    data = entered_data(store)
    assert store.delete_day(TEAM, date(2026, 11, 12), "bob", NOW)
    [*_, entry] = store.day_history(TEAM, date(2026, 11, 12))
    assert (entry.action, entry.before, entry.after) == (records.DAY_DELETED, data[12], None)
    del data[12]
    summary = reports.summarise(store.range_totals(TEAM, *NOVEMBER), services.team_metrics(store, TEAM))
    assert figures_of(summary) == reference(data)
    store.upsert_day(day(12, **builtins(12)))  # entered again: no custom value comes back
    assert store.get_day(TEAM, date(2026, 11, 12)).entered == builtins(12)


def test_every_teams_range_totals_in_one_read_equal_each_teams_own(store):
    entered_data(store)
    store.upsert_days(
        [day(n, team=OTHER, **builtins(n + 3), calls_answered=n, handle_seconds=10 * n) for n in (2, 11, 29)]
    )
    store.upsert_day(day(3, team="quiet", **builtins(1)))  # data outside most ranges
    for first, last in [NOVEMBER, (date(2026, 11, 10), date(2026, 11, 12)), (date(2026, 11, 4), date(2026, 11, 9))]:
        every = store.team_range_totals(first, last)
        assert every == {
            team: store.range_totals(team, first, last)
            for team in (TEAM, OTHER, "quiet")
            if store.range_totals(team, first, last).days_with_data
        }
        assert store.team_range_totals(first, last, [OTHER]) == {k: v for k, v in every.items() if k == OTHER}
    phones = store.team_range_totals(*NOVEMBER)[OTHER]
    assert phones.metric_days["calls_answered"] == 3 and phones.metric_days["sla_met"] == 0
    assert phones.sums["handle_seconds.total"] == 2 * 20 + 11 * 110 + 29 * 290


def test_a_figure_the_store_has_no_metric_for_is_refused_not_lost(store):
    with pytest.raises(InvalidInput, match="no metric for calls_answered"):
        store.upsert_days([day(1, **builtins(1), calls_answered=3)])  # e.g. a copy before the definitions
    assert store.get_day(TEAM, date(2026, 11, 1)) is None
    add_customs(store)
    store.upsert_days([day(1, **builtins(1), calls_answered=3)])
    assert store.get_day(TEAM, date(2026, 11, 1)).entered == {**builtins(1), "calls_answered": 3}
