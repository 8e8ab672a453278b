"""`statbotic view`'s answers to the lead's questions, as a script sees them: the comparison's basis in
JSON, and the daily breakdown in either order, as a table and as JSON."""

import json
from datetime import timedelta

import pytest

from tests.cli.test_commands import cli_env, run  # noqa: F401 - cli_env is a fixture
from tests.flows.test_lead_screens import WEEK_46, WEEK_47, seed

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def weeks(cli_env, store):  # noqa: F811 - cli_env is the fixture imported above
    """Week 46 with data on 7 days, week 47 on 6 (through the store the CLI opens)."""
    for offset in range(7):
        seed(store, WEEK_46 + timedelta(days=offset))
    for offset in range(6):
        seed(store, WEEK_47 + timedelta(days=offset), solves=11)
    return store


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
