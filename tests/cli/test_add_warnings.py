"""`statbotic add` with figures that look wrong: each warning on stderr, exit 1 and nothing saved,
unless --force (then saved, the warnings still printed)."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic.records import DayRecord
from tests.cli.test_commands import run

pytestmark = pytest.mark.usefixtures("cli_env")

TUESDAY = date(2026, 11, 24)
USUAL = dict(comments=100, solves=50, chats=180, wait_tenths=385, csat_ratings=40, csat_good=37)
LOOKS_WRONG = ["--comments", "100", "--solves", "50", "--chats", "45", "--wait", "38.5", "--ratings", "60"]


def days_saved(capsys) -> list[str]:
    status, out, _ = run(capsys, "view", TUESDAY.isoformat(), "--json", "--daily")
    assert status == 0
    return [day["date"] for day in json.loads(out)["days"]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_warning_stops_the_save_with_exit_1_and_force_saves_anyway(capsys, backend):
    warning = "statbotic: warning: CSAT ratings 60 is more than Live chats 45, of which they are usually a part.\n"
    status, out, err = run(capsys, "add", TUESDAY.isoformat(), *LOOKS_WRONG, "--positive", "55")
    assert status == 1 and out == ""
    assert err == warning + (
        "statbotic: Nothing was saved: check the figures warned about, or add --force to save them anyway.\n"
    )
    assert days_saved(capsys) == []

    status, out, err = run(capsys, "add", TUESDAY.isoformat(), *LOOKS_WRONG, "--positive", "55", "--force")
    assert (status, out, err) == (0, "Saved the stats for 2026-11-24.\n", warning)
    assert days_saved(capsys) == [TUESDAY.isoformat()]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_percentage_of_no_ratings_is_warned_about_as_typed(capsys, backend):
    argv = ["add", TUESDAY.isoformat(), "--comments", "5", "--solves", "5", "--chats", "30", "--wait", "40"]
    status, _, err = run(capsys, *argv, "--ratings", "0", "--positive", "96%")
    assert status == 1
    assert "statbotic: warning: Positive CSAT ratings typed as 96 % with CSAT ratings 0" in err


def test_the_usual_for_the_weekday_comes_from_the_store_on_every_backend(capsys, store):
    for weeks in range(1, 9):
        day = TUESDAY - timedelta(weeks=weeks)
        store.upsert_day(DayRecord("default", day, USUAL, "lee", datetime(2026, 11, 1, tzinfo=UTC)))
    typo = ["--comments", "100", "--solves", "50", "--chats", "1800", "--wait", "38.5", "--ratings", "40"]
    status, _, err = run(capsys, "add", TUESDAY.isoformat(), *typo, "--positive", "37")
    assert status == 1
    assert (
        "statbotic: warning: Live chats 1,800 is more than 5 times the usual 180 for a Tuesday "
        "(median of the last 8 Tuesdays).\n"
    ) in err
    assert run(capsys, "add", TUESDAY.isoformat(), *typo, "--positive", "37", "--force")[0] == 0
    assert store.get_day("default", TUESDAY).entered["chats"] == 1800


@pytest.mark.parametrize("backend", ["sqlite"])
def test_add_help_shows_force_with_an_example(capsys, backend):
    status, out, _ = run(capsys, "add", "--help")
    assert status == 0
    assert "--force" in out and "--positive 4 --force" in out
