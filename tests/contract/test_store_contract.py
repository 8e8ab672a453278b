"""Every backend keeps the same promises.  The ``store`` fixture runs each test on each backend."""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic.errors import DuplicateUser
from statbotic.exact import fraction_of
from statbotic.metrics import BUILTIN, COMPONENT_KEYS, Direction, Goal
from statbotic.records import DayRecord, Target, Team, User

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
TEAM = "support"


def user(name: str) -> User:
    return User(name, "pbkdf2_sha256$1000$c2FsdA$aGFzaA", NOW)


def record(day: date, team: str = TEAM, by: str = "alice", **figures) -> DayRecord:
    entered = dict(comments=10, solves=5, chats=20, wait_tenths=300, csat_ratings=10, csat_good=9)
    entered.update(figures)
    return DayRecord(team, day, entered, by, NOW)


def test_a_user_round_trips(store):
    store.add_user(user("Alice"))
    found = store.get_user("Alice")
    assert found == user("Alice")


def test_usernames_are_unique_case_insensitively(store):
    store.add_user(user("Alice"))
    with pytest.raises(DuplicateUser):
        store.add_user(user("aLiCe"))
    assert store.get_user("ALICE").username == "Alice"
    assert [u.username for u in store.iter_users()] == ["Alice"]


def test_unknown_user_is_none(store):
    assert store.get_user("nobody") is None


def test_password_hash_can_be_replaced(store):
    store.add_user(user("bob"))
    store.set_password_hash("BOB", "pbkdf2_sha256$2000$bmV3$bmV3")
    assert store.get_user("bob").password_hash == "pbkdf2_sha256$2000$bmV3$bmV3"


def test_upsert_keeps_one_record_per_day_and_updates_it_in_place(store):
    day = date(2026, 11, 20)
    store.upsert_day(record(day, comments=1))
    store.upsert_day(record(day, comments=7, by="bob"))
    days = list(store.iter_days(TEAM, day, day))
    assert len(days) == 1
    assert days[0].entered["comments"] == 7
    assert days[0].updated_by == "bob"
    assert store.range_totals(TEAM, day, day).sums["comments"] == 7


def test_a_day_round_trips_exactly_as_entered(store):
    day = date(2026, 11, 21)
    original = record(day, wait_tenths=123, csat_ratings=3, csat_good=2)
    store.upsert_day(original)
    assert store.get_day(TEAM, day) == original
    assert store.get_day(TEAM, day + timedelta(days=1)) is None


def test_range_sums_every_component(store):
    days = [
        record(date(2026, 11, 1), chats=10, wait_tenths=300, csat_good=2, csat_ratings=2),
        record(date(2026, 11, 2), chats=100, wait_tenths=1200, csat_good=45, csat_ratings=50),
    ]
    for day in days:
        store.upsert_day(day)
    totals = store.range_totals(TEAM, date(2026, 11, 1), date(2026, 11, 2))
    expected = {key: sum(BUILTIN.components_of(d.entered)[key] for d in days) for key in COMPONENT_KEYS}
    assert totals.sums == expected
    assert all(type(value) is int for value in totals.sums.values())
    assert totals.sums["wait_tenths_total"] == 123000
    assert totals.sums["csat_good"] == 47
    assert totals.days_with_data == (date(2026, 11, 1), date(2026, 11, 2))


def test_an_empty_range_sums_to_zero_with_no_days(store):
    totals = store.range_totals(TEAM, date(2026, 1, 1), date(2026, 1, 31))
    assert totals.days_with_data == ()
    assert all(totals.sums[key] == 0 for key in COMPONENT_KEYS)
    assert list(store.iter_days(TEAM, date(2026, 1, 1), date(2026, 1, 31))) == []


def test_range_edges_are_included_and_neighbours_excluded(store):
    for offset in range(5):
        store.upsert_day(record(date(2026, 3, 1) + timedelta(days=offset), comments=offset + 1))
    start, end = date(2026, 3, 2), date(2026, 3, 4)
    assert [d.day for d in store.iter_days(TEAM, start, end)] == [start, date(2026, 3, 3), end]
    assert store.range_totals(TEAM, start, end).sums["comments"] == 2 + 3 + 4


def test_ranges_cross_month_and_year_boundaries_in_date_order(store):
    dates = [date(2026, 1, 1), date(2025, 12, 31), date(2025, 12, 9), date(2025, 11, 30)]
    for day in dates:
        store.upsert_day(record(day))
    assert [d.day for d in store.iter_days(TEAM, date(2025, 12, 1), date(2026, 1, 1))] == sorted(dates[:3])


def test_teams_are_kept_apart(store):
    day = date(2026, 11, 3)
    store.upsert_day(record(day, team="alpha", comments=3))
    store.upsert_day(record(day, team="beta", comments=4))
    assert store.range_totals("alpha", day, day).sums["comments"] == 3
    assert [(d.team, d.day) for d in store.iter_all_days()] == [("alpha", day), ("beta", day)]


def test_an_access_token_finds_its_user_and_a_new_one_replaces_it(store):
    store.add_user(user("Dana"))
    store.add_user(user("lee"))
    store.set_token_hash("dana", "a" * 64)
    assert store.get_user_by_token_hash("a" * 64).username == "Dana"
    store.set_token_hash("DANA", "b" * 64)
    assert store.get_user_by_token_hash("a" * 64) is None
    assert store.get_user_by_token_hash("b" * 64).username == "Dana"
    assert store.get_user_by_token_hash("c" * 64) is None


def test_many_days_upsert_in_bulk_and_update_in_place(store):
    # Small enough for FerretDB v1, whose upserts scan the collection (no secondary-index pushdown).
    first = [record(date(2026, 1, 1) + timedelta(days=n), comments=n) for n in range(300)]
    assert store.upsert_days(first) == 300
    again = [record(date(2026, 1, 1) + timedelta(days=n), comments=2 * n) for n in range(0, 300, 3)]
    assert store.upsert_days(iter(again)) == 100
    days = list(store.iter_days(TEAM, date(2026, 1, 1), date(2026, 12, 31)))
    assert len(days) == 300
    assert [d.entered["comments"] for d in days[:4]] == [0, 1, 2, 6]
    assert store.upsert_days([]) == 0


def test_every_backend_implements_the_whole_store_interface(store):
    from statbotic.storage.base import Store

    missing = [
        name
        for name, member in vars(Store).items()
        if callable(member) and not name.startswith("_") and getattr(type(store), name) is member
    ]
    assert isinstance(store, Store) and missing == []


def target(metric: str, direction: str | None = ">=", value: str = "95", by: str = "alice") -> Target:
    goal = None if direction is None else Goal(Direction(direction), fraction_of(value))
    return Target(metric, goal, by, NOW)


def test_a_team_without_targets_has_none(store):
    assert store.get_targets(TEAM) == {}
    assert store.clear_target(TEAM, "csat_percent") is False


def test_targets_round_trip_exactly_with_who_set_them_and_when(store):
    store.set_target(TEAM, target("csat_percent", ">=", "95.5"))
    store.set_target(TEAM, target("wait_seconds", "<=", "45.5", by="bob"))
    store.set_target(TEAM, target("comments_per_solve", None))  # turned off in the app
    assert store.get_targets(TEAM) == {
        "csat_percent": target("csat_percent", ">=", "95.5"),
        "wait_seconds": target("wait_seconds", "<=", "45.5", by="bob"),
        "comments_per_solve": target("comments_per_solve", None),
    }
    assert store.get_targets(TEAM)["csat_percent"].goal.value == Fraction(191, 2)


def test_setting_a_target_again_replaces_it_in_place(store):
    store.set_target(TEAM, target("chats", ">=", "40"))
    store.set_target(TEAM, target("chats", "<=", "60", by="bob"))
    store.set_target(TEAM, target("chats", None, by="carol"))
    store.set_target(TEAM, target("chats", ">=", "41.5", by="dana"))
    assert store.get_targets(TEAM) == {"chats": target("chats", ">=", "41.5", by="dana")}


def test_clearing_a_target_removes_only_that_one(store):
    store.set_target(TEAM, target("csat_percent"))
    store.set_target(TEAM, target("solves", ">=", "12"))
    assert store.clear_target(TEAM, "csat_percent") is True
    assert store.clear_target(TEAM, "csat_percent") is False
    assert list(store.get_targets(TEAM)) == ["solves"]


def test_targets_of_teams_are_kept_apart(store):
    store.set_target("alpha", target("csat_percent", ">=", "90"))
    store.set_target("beta", target("csat_percent", ">=", "97"))
    store.clear_target("gamma", "csat_percent")
    assert store.get_targets("alpha")["csat_percent"].goal.value == 90
    assert store.get_targets("beta")["csat_percent"].goal.value == 97
    assert store.get_targets("gamma") == {}


def test_every_teams_targets_are_listed_by_team_then_metric_for_copying(store):
    store.set_target("tier2", target("chats", value="40"))
    store.set_target(TEAM, target("wait_seconds", "<=", "45.5"))
    store.set_target(TEAM, target("csat_percent", None))
    assert list(store.iter_all_targets()) == [
        (TEAM, target("csat_percent", None)),
        (TEAM, target("wait_seconds", "<=", "45.5")),
        ("tier2", target("chats", value="40")),
    ]


def test_a_name_shaped_like_a_stores_own_key_is_no_user(store):
    store.set_target(TEAM, target("csat_percent"))
    for name in (f"targets:{TEAM}", "schema", "targets"):
        assert store.get_user(name) is None
    assert list(store.iter_users()) == []


def test_targets_read_ahead_with_a_login_are_the_stored_ones_and_a_change_is_read_again(store, settings):
    from statbotic.frozen import replace
    from statbotic.storage import open_store

    store.set_target(TEAM, target("csat_percent", value="90"))
    session = open_store(replace(settings, team=TEAM))  # a session of this team: MongoDB reads its targets ahead
    try:
        session.get_user("alice")  # the login
        assert session.get_targets(TEAM)["csat_percent"].goal.value == 90
        session.get_user("alice")
        store.set_target(TEAM, target("csat_percent", value="97"))  # another session changes it
        assert session.get_targets(TEAM)["csat_percent"].goal.value == 97
        session.set_target(TEAM, target("wait_seconds", "<=", "45"))
        assert set(session.get_targets(TEAM)) == {"csat_percent", "wait_seconds"}
        session.clear_target(TEAM, "csat_percent")
        assert set(session.get_targets(TEAM)) == {"wait_seconds"}
    finally:
        session.close()


def test_teams_are_the_team_records_by_name_and_days_or_targets_make_none(store):
    assert store.teams() == ()
    store.add_team(Team("support", "Support", NOW), by="alice")
    store.add_team(Team("billing", "Billing & refunds", NOW), by="alice")
    day = date(2026, 11, 20)
    store.upsert_days([record(day, team="support"), record(day, team="tier2")])
    store.set_target("sales", target("csat_percent"))
    assert store.teams() == (Team("billing", "Billing & refunds", NOW), Team("support", "Support", NOW))


def test_each_teams_range_totals_in_one_read_are_its_own_range_totals(store):
    first, last = date(2026, 10, 30), date(2026, 11, 2)
    store.upsert_days(
        [record(first - timedelta(1), team="billing")]  # before the range
        + [record(first + timedelta(n), team="billing", chats=n, csat_good=n) for n in range(4)]
        + [record(last, team="support", comments=99), record(last + timedelta(1), team="support")]
        + [record(last + timedelta(1), team="sales")]  # after it: no data in the range
    )
    by_team = store.team_range_totals(first, last)
    assert list(by_team) == ["billing", "support"]
    for team, totals in by_team.items():
        assert totals == store.range_totals(team, first, last)
    assert by_team["billing"].sums["chats"] == 6 and by_team["support"].sums["comments"] == 99
    assert all(isinstance(v, int) for t in by_team.values() for v in t.sums.values())
    chosen = store.team_range_totals(first, last, ["support", "sales"])
    assert list(chosen) == ["support"] and chosen["support"] == by_team["support"]
    assert store.team_range_totals(first, last, []) == {}
