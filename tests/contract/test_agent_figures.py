"""Figures per agent (issue 13), on every backend: a day saved with its agents' figures keeps them beside
the team's, whose figure of each metric the agents carry is their sum; a save writes each metric it
enters whole (team value and agent rows) and keeps the others; sources are replaced by name; each
agent's range sums add up to the team's to the digit.  Every expectation is computed here, in plain
Python, from the figures the test saved (never with the app's roll-up code).

Entered keys are the built-ins' (comments, solves, chats, wait_tenths: the average wait in tenths of a
second, csat_ratings, csat_good); agent names hold "." and "$" (free text: a MongoDB field name can't)."""

import random
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic import records
from statbotic.errors import InvalidInput
from statbotic.records import UNASSIGNED, DayRecord, RangeTotals

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
TEAM = "support"
DAY = date(2026, 11, 20)
ENTRY_KEYS = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")
TICKETS, CHATS = ("comments", "solves"), ("chats", "wait_tenths", "csat_ratings", "csat_good")
AGENTS = ("ana", "j.doe", "$ara", "a.b.$c", UNASSIGNED)
# Each entered key's metric, as RangeTotals.metric_days names them.
METRIC_OF = dict(
    comments="comments",
    solves="solves",
    chats="chats",
    wait_tenths="wait_seconds",
    csat_ratings="csat_ratings",
    csat_good="csat_percent",
)
ZENDESK = {"files": "tickets.csv", "sha256": "a1" * 32, "rows": 120, "row_keys": "3f9c"}
INTERCOM = {"files": "conversations.json", "sha256": "b2" * 32, "rows": 4_310, "row_keys": "77aa"}


def figures(rng: random.Random, keys=ENTRY_KEYS) -> dict[str, int]:
    """One agent's day: positive ratings never above the ratings, every chat agent with chats."""
    chats = rng.randint(1, 60)
    ratings = rng.randint(0, chats)
    day = dict(
        comments=rng.randint(0, 90),
        solves=rng.randint(0, 30),
        chats=chats,
        wait_tenths=rng.randint(0, 9_000),
        csat_ratings=ratings,
        csat_good=rng.randint(0, ratings),
    )
    return {key: day[key] for key in keys}


def team_of(agents: dict[str, dict[str, int]]) -> dict[str, int]:
    """The team's entered figures from its agents': counts summed; the wait weighted by chats (sum of
    wait x chats over the sum of chats), rounded half up to a tenth."""
    team = {}
    for key in ("comments", "solves", "chats", "csat_ratings", "csat_good"):
        having = [f[key] for f in agents.values() if key in f]
        if having:
            team[key] = sum(having)
    waits = [(f["wait_tenths"], f["chats"]) for f in agents.values() if "wait_tenths" in f]
    if waits:
        total, items = sum(w * c for w, c in waits), sum(c for _, c in waits)
        team["wait_tenths"] = int(Fraction(total, items) + Fraction(1, 2)) if items else 0
    return team


def reference_sums(days) -> dict[str, int]:
    """A range's sums (as RangeTotals names them) from days' figures: the wait's total is each day's wait
    x that day's chats, its items those chats; the CSAT's base the ratings of days with a CSAT."""
    sums = dict.fromkeys(
        ("comments", "solves", "chats", "wait_tenths_total", "wait_seconds.items", "csat_ratings", "csat_good"), 0
    )
    sums["csat_percent.base"] = 0
    for f in days:
        for key in ("comments", "solves", "chats", "csat_ratings", "csat_good"):
            sums[key] += f.get(key, 0)
        if "wait_tenths" in f:
            sums["wait_tenths_total"] += f["wait_tenths"] * f["chats"]
            sums["wait_seconds.items"] += f["chats"]
        if "csat_good" in f:
            sums["csat_percent.base"] += f["csat_ratings"]
    return sums


def metric_days(days) -> dict[str, int]:
    return {metric: sum(1 for f in days if key in f) for key, metric in METRIC_OF.items()}


def saved(day: date, agents: dict, entered: dict | None = None, sources=None, by="alice", at=NOW) -> DayRecord:
    """A record of ``agents``' figures whose team figures are off by one: the store makes them the sums."""
    if entered is None:
        entered = {key: value + 1 for key, value in team_of(agents).items()}
    return DayRecord(TEAM, day, entered, by, at, agents, sources or {})


def expected(day: date, agents: dict, typed: dict | None = None, sources=None, by="alice", at=NOW) -> DayRecord:
    """The day as the store should give it back: the typed team figures, then the agents' sums."""
    return DayRecord(TEAM, day, {**(typed or {}), **team_of(agents)}, by, at, agents, sources or {})


def state(store, day: date = DAY) -> tuple:
    """Everything a refused save must leave as it was."""
    return (
        store.get_day(TEAM, day),
        store.day_history(TEAM, day),
        store.agent_range_totals(TEAM, day, day),
        store.range_totals(TEAM, day, day),
    )


@pytest.fixture
def rng():
    return random.Random(13)


# --- a day with agents --------------------------------------------------------------------------------


def test_a_day_saved_with_agents_gives_them_back_and_the_team_figures_are_their_sums(store, rng):
    agents = {name: figures(rng) for name in AGENTS}
    store.upsert_day(saved(DAY, agents, sources={"intercom": INTERCOM}))
    assert store.get_day(TEAM, DAY) == expected(DAY, agents, sources={"intercom": INTERCOM})
    totals = store.range_totals(TEAM, DAY, DAY)
    assert dict(totals.sums) == reference_sums(agents.values())  # the wait's total: each agent's wait x chats


def test_the_team_wait_is_the_chats_weighted_mean_of_its_agents_rounded_half_up(store):
    agents = {"ana": dict(chats=1, wait_tenths=10), "ben": dict(chats=1, wait_tenths=11)}  # 10.5 tenths
    store.upsert_day(saved(DAY, agents, entered=dict(chats=2, wait_tenths=999)))
    day = store.get_day(TEAM, DAY)
    assert (day.entered["chats"], day.entered["wait_tenths"]) == (2, 11)
    assert store.range_totals(TEAM, DAY, DAY).sums["wait_tenths_total"] == 21


def test_a_save_of_some_metrics_keeps_the_others_team_values_and_agent_rows(store, rng):
    first = {name: figures(rng) for name in AGENTS[:3]}
    store.upsert_day(saved(DAY, first))
    tickets = {"ana": figures(rng, TICKETS), "cy": figures(rng, TICKETS)}  # j.doe and $ara have none now
    store.upsert_day(saved(DAY, tickets, by="bob", at=LATER))
    agents = {name: {k: v for k, v in f.items() if k in CHATS} for name, f in first.items()}
    agents["ana"].update(tickets["ana"])
    agents["cy"] = tickets["cy"]
    assert store.get_day(TEAM, DAY) == expected(DAY, agents, by="bob", at=LATER)
    assert {k: store.get_day(TEAM, DAY).entered[k] for k in CHATS} == {k: team_of(first)[k] for k in CHATS}


def test_a_metric_entered_without_agent_rows_loses_them_and_its_typed_total_stands(store, rng):
    agents = {name: figures(rng) for name in AGENTS[:3]}
    store.upsert_day(saved(DAY, agents))
    typed = dict(comments=500, csat_ratings=70, csat_good=66)
    store.upsert_day(DayRecord(TEAM, DAY, typed, "bob", LATER))
    left = {name: {k: v for k, v in f.items() if k not in typed} for name, f in agents.items()}
    assert store.get_day(TEAM, DAY) == expected(DAY, left, typed, by="bob", at=LATER)
    for name, totals in store.agent_range_totals(TEAM, DAY, DAY).items():
        assert (totals.sums["comments"], totals.sums["csat_good"], totals.sums["csat_percent.base"]) == (0, 0, 0)
        assert (totals.metric_days["comments"], totals.metric_days["csat_percent"]) == (0, 0)
        assert totals.sums["solves"] == agents[name]["solves"]


def test_sources_are_replaced_by_name_and_cleared_by_a_typed_save(store, rng):
    chats = {name: figures(rng, CHATS) for name in AGENTS[:2]}
    store.upsert_day(saved(DAY, chats, sources={"intercom": INTERCOM}))
    tickets = {name: figures(rng, TICKETS) for name in AGENTS[:2]}
    store.upsert_day(saved(DAY, tickets, sources={"zendesk": ZENDESK}))
    assert store.get_day(TEAM, DAY).sources == {"intercom": INTERCOM, "zendesk": ZENDESK}
    corrected = {**ZENDESK, "sha256": "c3" * 32, "rows": 121}
    store.upsert_day(saved(DAY, tickets, sources={"zendesk": corrected}))
    assert store.get_day(TEAM, DAY).sources == {"intercom": INTERCOM, "zendesk": corrected}
    store.upsert_day(DayRecord(TEAM, DAY, dict(comments=3), "bob", LATER))  # typed: no sources
    assert store.get_day(TEAM, DAY).sources == {}


# --- a range per agent --------------------------------------------------------------------------------


def november(store, rng) -> dict[date, dict[str, dict[str, int]]]:
    """Days 1-6 with every metric by agents (not every agent every day); day 7 with the tickets typed and
    the chats by agents; day 8 typed only; day 9 without data; day 12 by agents (after the range read).
    Returns each day's agents' figures."""
    by_day = {}
    for n in range(1, 7):
        by_day[date(2026, 11, n)] = {name: figures(rng) for name in AGENTS if rng.random() < 0.8 or name == "ana"}
    store.upsert_days(saved(day, agents) for day, agents in by_day.items())
    seventh = date(2026, 11, 7)
    by_day[seventh] = {name: figures(rng, CHATS) for name in AGENTS}
    store.upsert_day(saved(seventh, by_day[seventh], {**dict(comments=40, solves=9), **team_of(by_day[seventh])}))
    store.upsert_day(DayRecord(TEAM, date(2026, 11, 8), figures(rng), "alice", NOW))
    by_day[date(2026, 11, 12)] = {name: figures(rng) for name in AGENTS}
    store.upsert_day(saved(date(2026, 11, 12), by_day[date(2026, 11, 12)]))
    return by_day


def test_each_agent_s_range_totals_are_the_sums_of_its_days(store, rng):
    by_day = november(store, rng)
    start, end = date(2026, 11, 1), date(2026, 11, 10)
    found = store.agent_range_totals(TEAM, start, end)
    assert list(found) == sorted(found) and set(found) == set(AGENTS)
    for name in AGENTS:
        days = {day: agents[name] for day, agents in by_day.items() if start <= day <= end and name in agents}
        want = RangeTotals(start, end, reference_sums(days.values()), tuple(sorted(days)), metric_days(days.values()))
        assert found[name] == want, name
        assert all(type(value) is int for value in found[name].sums.values())


def test_the_agents_sums_add_up_to_the_team_s_to_the_digit(store, rng):
    november(store, rng)
    start, end = date(2026, 11, 1), date(2026, 11, 7)  # the chats by agents every day; the tickets not on the 7th
    team = store.range_totals(TEAM, start, end).sums
    agents = store.agent_range_totals(TEAM, start, end).values()
    chat_sums = ("chats", "wait_tenths_total", "wait_seconds.items", "csat_ratings", "csat_good", "csat_percent.base")
    assert {key: sum(a.sums[key] for a in agents) for key in chat_sums} == {key: team[key] for key in chat_sums}
    assert sum(a.sums["comments"] for a in agents) == team["comments"] - 40  # the 7th's typed comments
    start = date(2026, 11, 1)
    for end in (date(2026, 11, 1), date(2026, 11, 6)):  # every metric by agents every day
        team = store.range_totals(TEAM, start, end).sums
        agents = store.agent_range_totals(TEAM, start, end).values()
        assert {key: sum(a.sums[key] for a in agents) for key in team} == dict(team)


def test_a_range_without_agent_rows_has_no_agents(store, rng):
    november(store, rng)
    assert store.agent_range_totals(TEAM, date(2026, 11, 8), date(2026, 11, 9)) == {}
    assert store.agent_range_totals("phones", date(2026, 11, 1), date(2026, 11, 30)) == {}


# --- refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agents, entered",
    [
        ({"ana": dict(csat_ratings=3, csat_good=5)}, None),  # a share above its base
        ({"ana": dict(csat_good=2)}, dict(csat_ratings=9, csat_good=2)),  # a share without its base
        ({"ana": dict(wait_tenths=300)}, dict(chats=4, wait_tenths=300)),  # a duration without its items
        ({"ana": dict(chats=4, comments=3)}, dict(chats=4)),  # a metric the record doesn't enter
    ],
    ids=["share-above-base", "share-without-base", "duration-without-items", "metric-not-entered"],
)
@pytest.mark.parametrize("existing", [False, True], ids=["new-day", "existing-day"])
def test_an_agent_figure_that_can_t_be_true_is_refused_and_nothing_is_written(store, rng, agents, entered, existing):
    if existing:
        store.upsert_day(saved(DAY, {name: figures(rng) for name in AGENTS[:2]}, sources={"intercom": INTERCOM}))
    before = state(store)
    fine = dict(chats=5, wait_tenths=200, csat_ratings=2, csat_good=2, comments=1)
    good = {"ben": {key: value for key, value in fine.items() if entered is None or key in entered}}
    record = saved(DAY, {**good, **agents}, entered=entered)
    with pytest.raises(InvalidInput):
        store.upsert_day(record)
    assert state(store) == before
    with pytest.raises(InvalidInput):
        store.upsert_days([saved(DAY + timedelta(days=1), good), replace_day(record, DAY - timedelta(days=1))])
    assert store.get_day(TEAM, DAY + timedelta(days=1)) is None  # the whole load refused
    assert store.get_day(TEAM, DAY - timedelta(days=1)) is None


def replace_day(record: DayRecord, day: date) -> DayRecord:
    return DayRecord(record.team, day, record.entered, record.updated_by, record.updated_at, record.agents)


# --- delete, audit, reads -----------------------------------------------------------------------------


def test_a_deleted_day_loses_its_agent_rows_and_sources_and_comes_back_without_them(store, rng):
    store.upsert_day(saved(DAY, {name: figures(rng) for name in AGENTS}, sources={"zendesk": ZENDESK}))
    assert store.delete_day(TEAM, DAY, "bob", LATER)
    assert store.get_day(TEAM, DAY) is None and store.agent_range_totals(TEAM, DAY, DAY) == {}
    store.upsert_day(DayRecord(TEAM, DAY, dict(comments=4), "bob", LATER))  # some metrics: nothing kept
    assert store.get_day(TEAM, DAY) == DayRecord(TEAM, DAY, dict(comments=4), "bob", LATER)
    assert store.agent_range_totals(TEAM, DAY, DAY) == {}


def test_the_audit_log_keeps_each_version_of_the_day_with_its_agents_and_sources(store, rng):
    store.upsert_day(saved(DAY, {name: figures(rng) for name in AGENTS}, sources={"intercom": INTERCOM}))
    first = store.get_day(TEAM, DAY)
    store.upsert_day(saved(DAY, {"ana": figures(rng, TICKETS)}, sources={"zendesk": ZENDESK}, by="bob", at=LATER))
    second = store.get_day(TEAM, DAY)
    store.delete_day(TEAM, DAY, "carol", LATER + timedelta(hours=1))
    history = store.day_history(TEAM, DAY)
    assert [(e.action, e.actor) for e in history] == [
        (records.DAY_ADDED, "alice"),
        (records.DAY_CHANGED, "bob"),
        (records.DAY_DELETED, "carol"),
    ]
    versions = [(None, first), (first, second), (second, None)]
    assert [(e.before, e.after) for e in history] == [
        (records.day_values(before), records.day_values(after)) for before, after in versions
    ]
    assert set(history[1].after["agents"]) == set(AGENTS)  # names with "." and "$" kept as they are
    assert history[1].after["sources"] == {"intercom": INTERCOM, "zendesk": ZENDESK}


def test_iter_days_and_iter_all_days_carry_agents_and_sources(store, rng):
    by_day = november(store, rng)
    read = list(store.iter_days(TEAM, date(2026, 11, 1), date(2026, 11, 30)))
    assert read == [store.get_day(TEAM, day.day) for day in read]
    assert {day.day: dict(day.agents) for day in read if day.agents} == by_day
    assert list(store.iter_all_days()) == read
    store.upsert_day(saved(DAY, {"ana": figures(rng)}, sources={"zendesk": ZENDESK}))
    assert [d.sources for d in store.iter_days(TEAM, DAY, DAY)] == [{"zendesk": ZENDESK}]


def test_a_bulk_load_saves_agents_unaudited_and_merges_into_days_it_finds_with_its_own_sources(store, rng):
    days = {date(2026, 11, n): {name: figures(rng) for name in AGENTS} for n in (1, 2, 3)}
    loaded = [saved(day, agents, sources={"intercom": INTERCOM}) for day, agents in days.items()]
    assert store.upsert_days(loaded) == 3
    for day, agents in days.items():
        assert store.get_day(TEAM, day) == expected(day, agents, sources={"intercom": INTERCOM})
        assert store.day_history(TEAM, day) == []
    tickets = {"ana": figures(rng, TICKETS), "zed": figures(rng, TICKETS)}
    assert store.upsert_days([saved(date(2026, 11, 2), tickets, sources={"zendesk": ZENDESK})]) == 1
    kept = {name: {k: v for k, v in f.items() if k in CHATS} for name, f in days[date(2026, 11, 2)].items()}
    kept["ana"].update(tickets["ana"])
    kept["zed"] = tickets["zed"]
    copied = {"zendesk": ZENDESK}  # a load's sources are its records', as copied
    assert store.get_day(TEAM, date(2026, 11, 2)) == expected(date(2026, 11, 2), kept, sources=copied)
    assert store.day_history(TEAM, date(2026, 11, 2)) == []
    store.upsert_days([DayRecord(TEAM, date(2026, 11, 3), dict(comments=5), "alice", NOW)])
    assert store.get_day(TEAM, date(2026, 11, 3)).sources == {}
