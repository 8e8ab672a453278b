"""`statbotic view`'s answers to the lead's questions, as a script sees them: the comparison's basis in
JSON, and the daily breakdown in either order, as a table and as JSON."""

import json

import pytest

from tests.cli.test_commands import run
from tests.flows.test_lead_screens import daily_rows, seed_six_and_seven, seed_uneven_week

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def weeks(cli_env, store):
    return seed_six_and_seven(store)


def test_view_json_says_counts_compare_per_day_when_the_days_with_data_differ(weeks, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--json")
    assert status == 0
    previous = json.loads(out)["previous"]
    assert (previous["start"], previous["days_with_data"]) == ("2026-11-09", 7)
    assert previous["changes"]["solves"] == {
        "basis": "per day",
        "current": 11,
        "previous": 10,
        "change": 1,
        "change_percent": 10,
    }
    assert previous["changes"]["csat_percent"]["basis"] == "rate"


@pytest.fixture
def uneven(cli_env, store):
    return seed_uneven_week(store)


def test_view_daily_sort_worst_lists_the_days_missing_their_targets_by_most_first(uneven, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--daily", "--sort", "worst")
    assert status == 0
    assert "Worst days first: by the sum of each target's miss as a share of the target." in out
    assert [row[0] for row in daily_rows(out)[-7:]] == [
        "Thu 2026-11-19",
        "Sat 2026-11-21",
        "Tue 2026-11-17",
        "Mon 2026-11-16",
        "Fri 2026-11-20",
        "Wed 2026-11-18",
        "Sun 2026-11-22",
    ]
    by_date = run(capsys, "view", "2026-W47", "--daily")[1]
    assert [row[0] for row in daily_rows(by_date)[-7:]][:3] == ["Mon 2026-11-16", "Tue 2026-11-17", "Wed 2026-11-18"]


def test_view_json_daily_gives_each_day_its_figures_target_checks_and_shortfall_in_the_order_asked(uneven, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--json", "--daily", "--sort", "worst")
    assert status == 0
    document = json.loads(out)
    assert document["days_order"] == "worst"
    days = document["days"]
    assert [d["date"] for d in days] == ["2026-11-19", "2026-11-21", "2026-11-17", "2026-11-16", "2026-11-20"]
    thursday = days[0]
    assert thursday["weekday"] == "Thu"
    assert thursday["entered"]["comments"] == 30
    assert thursday["figures"]["comments_per_solve"] == 3 and thursday["figures"]["csat_percent"] == 95
    assert thursday["targets"] == {"csat_percent": True, "comments_per_solve": False}
    assert thursday["shortfall"] == 0.5
    friday = days[4]
    assert (friday["figures"]["csat_percent"], friday["targets"]["csat_percent"], friday["shortfall"]) == (
        None,
        None,
        0,
    )
    by_date = json.loads(run(capsys, "view", "2026-W47", "--json", "--daily")[1])
    assert by_date["days_order"] == "date" and by_date["days"][0]["date"] == "2026-11-16"


def test_sort_without_daily_is_a_usage_error(cli_env, capsys):
    status, _, err = run(capsys, "view", "2026-W47", "--sort", "worst")
    assert status == 2 and "--sort orders the days of --daily: add --daily." in err
    status, _, err = run(capsys, "view", "2026-W47", "--daily", "--sort", "best")
    assert status == 2 and "invalid choice: 'best'" in err
