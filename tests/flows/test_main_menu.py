import json
import sqlite3
from datetime import date

import pytest

from statbotic.frozen import replace
from statbotic.storage.sqlite import SQLiteStore
from tests.transcript import EXIT, LOGIN, add_day, answers, figures, menu, period, play

TEAM = "default"


def test_add_a_day_with_every_kind_of_bad_answer_asked_again(store, as_alice):
    console = as_alice(
        menu("1"),
        answers("Date", "25/11/2026", "2026-11-27", "yesterday"),
        answers("Ticket public comments", "", "-3", "12.5", "120"),
        answers("Ticket solves", "sixty", "60"),
        ("Live chats", "10"),
        answers("Average chat wait", "abc", "30.5"),
        answers("CSAT ratings (conversations", "two", "2"),
        answers("Positive CSAT ratings", "101%", "3", "50%"),
        answers("Save?", "perhaps", "y"),
        answers("Enter more stats", "maybe", "n"),
    )
    for message in [
        "not a date",
        "in the future",
        "can't be blank",
        "below zero",
        "not a whole number",
        "not a number",
        "not a wait",
        "not a percentage from 0 to 100",
        "more than the 2 ratings",
        "50 % of 2 ratings = 1 positive (50.0 %)",
        "Please answer y (yes) or n (no).",
    ]:
        assert message in console.text, message
    saved = store.get_day(TEAM, date(2026, 11, 25))
    assert saved.entered == dict(comments=120, solves=60, chats=10, wait_tenths=305, csat_ratings=2, csat_good=1)
    assert saved.updated_by == "alice"
    assert "Saved the stats for 2026-11-25." in console.text


def test_re_entering_a_day_shows_it_and_overwrites_only_when_asked(store, as_alice):
    console = as_alice(
        menu("1"),
        add_day("2026-11-20", "1", "1", "1", "1", "1", "1", more="y"),
        ("Date", "2026-11-20"),
        ("Overwrite", "n"),
        ("Enter more stats", "y"),
        add_day("2026-11-20", "9", "3", "4", "5", "2", "1", overwrite="y"),
    )
    assert "Figures for 2026-11-20" in console.text
    assert "Kept the figures for 2026-11-20 as they were." in console.text
    assert "Updated the stats for 2026-11-20." in console.text
    days = list(store.iter_days(TEAM, date(2026, 11, 1), date(2026, 11, 30)))
    assert len(days) == 1 and days[0].entered["comments"] == 9


def test_ctrl_c_in_the_form_saves_nothing_and_returns_to_the_main_menu(store, as_alice):
    console = as_alice(
        menu("1"),
        ("Date", "today"),
        ("Ticket public comments", "5"),
        ("Ticket solves", KeyboardInterrupt),
        menu("2"),
        period("today"),
        ("View more", "n"),
    )
    assert "Cancelled. Nothing was saved." in console.text
    assert store.get_day(TEAM, date(2026, 11, 26)) is None
    assert "No stats were entered for today (2026-11-26)." in console.text


def test_view_shows_weighted_figures_days_covered_and_missing_dates(as_alice):
    console = as_alice(
        menu("1"),
        add_day("2026-11-01", "2", "2", "10", "30", "2", "2", more="y"),
        add_day("2026-11-03", "50", "10", "100", "120", "50", "45"),
        menu("2"),
        period("2026-11-01"),
        answers("extra days", "x", "3"),
        ("View more", "y"),
        period("2026-10-01", "5"),
        ("View more", "n"),
    )
    assert "Stats for 2026-11-01 to 2026-11-04" in console.text
    assert "90.4 %" in console.text and "47 positive of 52 ratings" in console.text
    assert "111.8 s" in console.text
    assert "4.33" in console.text  # 52 comments / 12 solves
    assert "Days with data: 2 of 4." in console.text
    assert "Missing dates (not counted as zeros): 2026-11-02, 2026-11-04" in console.text
    assert "No stats were entered for 2026-10-01 to 2026-10-06." in console.text


def test_export_writes_the_range_as_json_and_nothing_for_an_empty_range(settings, as_alice):
    console = as_alice(
        menu("1"),
        add_day("2026-11-02", "4", "2", "10", "30", "10", "9"),
        menu("3"),
        period("2026-11-01", "2"),
        ("format", "1"),
        ("Export more", "y"),
        period("2025-01-01", "0"),
        ("format", "1"),
        ("Export more", "n"),
    )
    path = settings.export_dir / "stats-2026-11-01-2026-11-03.json"
    assert f"Exported 1 day to {path.resolve()}" in console.text
    document = json.loads(path.read_text())
    assert [d["date"] for d in document["days"]] == ["2026-11-02"]
    assert document["days"][0]["entered"]["csat_good"] == 9
    assert document["days"][0]["components"]["csat_good"] == 9
    assert document["summary"]["missing_dates"] == ["2026-11-01", "2026-11-03"]
    assert document["summary"]["figures"]["comments_per_solve"]["value"] == 2
    assert "No stats were entered for 2025-01-01." in console.text
    assert sorted(p.name for p in settings.export_dir.iterdir()) == [path.name]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_in_the_web_page_an_export_names_the_download_not_a_server_path(store, settings, alice):
    web = replace(settings, web_session=True)
    console = play(
        store,
        web,
        LOGIN,
        menu("1"),
        add_day("2026-11-02", "4", "2", "10", "30", "10", "9"),
        menu("3"),
        period("2026-11-02", "0"),
        ("format", "2"),
        ("Export more", "n"),
        EXIT,
    )
    assert "Exported 1 day to stats-2026-11-02-2026-11-02.csv: download it from Downloads, beside the terminal." in (
        console.text
    )
    assert str(settings.export_dir) not in console.text
    assert (settings.export_dir / "stats-2026-11-02-2026-11-02.csv").is_file()


def test_end_of_input_anywhere_leaves_the_app(store, settings, alice):
    play(store, settings, LOGIN, menu("1"), ("Date", "today"), ("Ticket public", EOFError), leaving=EOFError)
    assert store.get_day(TEAM, date(2026, 11, 26)) is None


def test_ctrl_c_at_a_menu_leaves_the_app(store, settings, alice):
    play(store, settings, LOGIN, menu(KeyboardInterrupt), leaving=KeyboardInterrupt)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_locked_data_file_is_explained_and_the_save_can_be_retried(settings, alice_on_locked_store):
    store, locker = alice_on_locked_store

    def unlock_then_yes() -> str:
        locker.execute("ROLLBACK")
        return "y"

    console = play(
        store,
        settings,
        LOGIN,
        menu("1"),
        ("Date", "2026-11-24"),
        figures("1", "1", "1", "1", "1", "1"),
        ("Save?", "y"),
        ("Try again", "n"),
        menu("1"),
        ("Date", "2026-11-24"),
        figures("2", "2", "2", "2", "2", "2"),
        ("Save?", "y"),
        ("Try again", unlock_then_yes),
        ("Enter more stats", "n"),
        EXIT,
    )
    assert "is busy (locked by another program)" in console.text
    assert f"Details: {settings.log_path}" in console.text
    assert "sqlite3.OperationalError: database is locked" in settings.log_path.read_text()
    assert "Cancelled. Nothing was saved." in console.text
    assert store.get_day(TEAM, date(2026, 11, 24)).entered["comments"] == 2


@pytest.fixture
def alice_on_locked_store(settings, password_hash):
    from statbotic.records import User
    from statbotic.services import utc_now

    store = SQLiteStore(settings.database_path, busy_timeout=0.05)
    store.add_user(User("alice", password_hash, utc_now(), admin=True, teams={TEAM: "lead"}))
    locker = sqlite3.connect(settings.database_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    yield store, locker
    locker.close()
    store.close()


def test_a_day_saved_by_someone_else_while_typing_is_shown_before_it_is_replaced(store, as_alice):
    from statbotic.records import DayRecord
    from statbotic.services import utc_now

    def lee_saves_first(answer):
        def act():
            entered = dict(comments=5, solves=5, chats=5, wait_tenths=50, csat_ratings=5, csat_good=2)
            store.upsert_day(DayRecord(TEAM, date(2026, 11, 21), entered, "lee", utc_now()))
            return answer

        return act

    console = as_alice(
        menu("1"),
        ("Date", "2026-11-21"),
        figures("1", "1", "1", "1", "1", lee_saves_first("1")),
        ("Save?", "y"),
        ("Replace them", "n"),
        ("Enter more stats", "y"),
        ("Date", "2026-11-21"),
        ("Overwrite", "y"),
        figures("9", "9", "9", "9", "9", "9"),
        ("Save?", "y"),
        ("Enter more stats", "n"),
    )
    assert "lee saved figures for 2026-11-21 while you were typing:" in console.text
    assert "Kept lee's figures; yours were not saved." in console.text
    assert "Updated the stats for 2026-11-21." in console.text
    assert store.get_day(TEAM, date(2026, 11, 21)).entered["comments"] == 9


def test_positive_ratings_may_be_typed_as_a_percentage_and_are_shown_back_before_saving(store, as_alice):
    console = as_alice(menu("1"), add_day("2026-11-19", "5", "5", "38", "1:05", "38", "96%"))
    assert "96 % of 38 ratings = 36 positive (94.7 %)" in console.text
    said = " ".join(console.text.split())  # wrapped to 80 columns
    assert "That day: Average chat wait 65.0 s, Chat CSAT 94.7 %, Public comments per solve 1.00." in said
    entered = store.get_day(TEAM, date(2026, 11, 19)).entered
    assert (entered["csat_ratings"], entered["csat_good"], entered["wait_tenths"]) == (38, 36, 650)


def test_more_positive_ratings_than_ratings_are_refused_and_asked_again(store, as_alice):
    console = as_alice(
        menu("1"),
        ("Date", "2026-11-19"),
        figures("5", "5", "13", "60", "13", "14"),
        ("Positive CSAT ratings", "12"),
        ("Save?", "y"),
        ("Enter more stats", "n"),
    )
    assert "14 positive CSAT ratings is more than the 13 ratings." in console.text
    assert store.get_day(TEAM, date(2026, 11, 19)).entered["csat_good"] == 12


def test_correcting_a_day_enter_keeps_each_shown_value_and_no_at_save_keeps_the_day(store, as_alice):
    from statbotic.records import DayRecord
    from statbotic.services import utc_now

    entered = dict(comments=40, solves=20, chats=30, wait_tenths=455, csat_ratings=25, csat_good=24)
    store.upsert_day(DayRecord(TEAM, date(2026, 11, 20), entered, "lee", utc_now()))
    console = as_alice(
        menu("1"),
        ("Date", "2026-11-20"),
        ("Overwrite", "y"),
        ("Ticket public comments [40]", ""),
        ("Ticket solves [20]", "21"),
        ("Live chats [30]", ""),
        ("Average chat wait (e.g. 65, 1:05 or 1m 5s) [45.5]", ""),
        ("CSAT ratings (conversations rated) [25]", ""),
        ("Positive CSAT ratings (4 or 5 stars; or a %, e.g. 96%) [24]", ""),
        ("Save?", "y"),
        ("Enter more stats", "y"),
        ("Date", "2026-11-20"),
        ("Overwrite", "y"),
        *[("[", "")] * 6,
        ("Save?", "n"),
        ("Enter more stats", "n"),
    )
    assert "Enter keeps the value in [brackets]." in console.text
    assert "Updated the stats for 2026-11-20." in console.text
    assert "Nothing was saved for 2026-11-20." in console.text
    entered = store.get_day(TEAM, date(2026, 11, 20)).entered
    assert entered == dict(comments=40, solves=21, chats=30, wait_tenths=455, csat_ratings=25, csat_good=24)
