"""`statbotic targets`: list, set and clear the team's targets; exports carrying them; usage errors exit 2."""

import csv
import io
import json
import subprocess
import sys

import pytest

from tests.cli.test_commands import FIGURES, run
from tests.conftest import ROOT

PREVIOUS = [
    "--comments",
    "40",
    "--solves",
    "16",
    "--chats",
    "80",
    "--wait",
    "100",
    "--ratings",
    "40",
    "--positive",
    "38",
]


def listed(capsys) -> dict:
    status, out, _ = run(capsys, "targets", "list", "--json")
    assert status == 0
    return json.loads(out)["targets"]


def test_set_list_and_clear_targets_which_override_the_environment_defaults(cli_env, capsys):
    before = listed(capsys)
    assert before["csat_percent"] == {
        "name": "csat",
        "label": "Chat CSAT",
        "target": 95,
        "direction": ">=",
        "applies_to": "value",
        "source": "environment",
        "setting": "STATBOTIC_TARGET_CSAT",
        "set_by": None,
        "set_at": None,
    }
    assert (before["chats"]["target"], before["chats"]["source"]) == (None, "none")

    assert run(capsys, "targets", "set", "csat", ">= 96.5")[1] == "Team default: Chat CSAT target set to >= 96.5 %.\n"
    assert "Live chats target set to >= 40.0 per day." in run(capsys, "targets", "set", "CHATS", "40")[1]
    assert "Average chat wait target set to <= 45.5 s." in run(capsys, "targets", "set", "wait", "<=45.5")[1]
    assert "target turned off" in run(capsys, "targets", "set", "comments-per-solve", "none")[1]

    after = listed(capsys)
    assert (after["csat_percent"]["target"], after["csat_percent"]["source"]) == (96.5, "app")
    assert after["csat_percent"]["set_by"] == "lead" and after["csat_percent"]["set_at"]
    assert (after["chats"]["target"], after["chats"]["direction"], after["chats"]["applies_to"]) == (
        40,
        ">=",
        "per_day",
    )
    assert (after["comments_per_solve"]["target"], after["comments_per_solve"]["source"]) == (None, "app")

    status, out, _ = run(capsys, "targets", "list")
    assert status == 0 and "Targets for team default" in out
    assert "│ csat               │ >= 96.5 %       │ app (lead, " in out
    assert "│ comments-per-solve │ off " in out and "│ comments           │ none " in out

    run(capsys, "add", "2026-11-02", *FIGURES)
    report = json.loads(run(capsys, "view", "2026-11-02", "--json")[1])
    assert set(report["targets"]) == {"chats", "wait_seconds", "csat_percent"}  # comments per solve is off
    assert report["targets"]["chats"] == {
        "target": 40,
        "direction": ">=",
        "applies_to": "per_day",
        "met": True,
        "days_met": 1,
        "days_judged": 1,
    }

    out = run(capsys, "targets", "clear", "comments_per_solve")[1]
    assert (
        out == "Team default: Cleared the app's Public comments per solve target: now <= 2.00 (environment default).\n"
    )
    out = run(capsys, "targets", "clear", "comments-per-solve")[1]
    assert "No Public comments per solve target was set in the app: it stays <= 2.00 (environment default)." in out
    assert "Cleared the app's Live chats target: now none." in run(capsys, "targets", "clear", "chats")[1]
    assert sorted(k for k, t in listed(capsys).items() if t["source"] == "app") == ["csat_percent", "wait_seconds"]


def test_exports_carry_each_target_met_or_missed_and_the_comparison(cli_env, capsys):
    run(capsys, "add", "2026-11-02", *FIGURES)  # 52 comments, 12 solves, 110 chats, 47 positive of 52 ratings
    run(capsys, "add", "2026-10-27", *PREVIOUS)  # the week before
    run(capsys, "targets", "set", "csat", ">= 90")
    run(capsys, "targets", "set", "chats", ">= 100")

    status, out, _ = run(capsys, "export", "2026-11-02..2026-11-08", "--format", "summary-csv", "-o", "-")
    assert status == 0
    rows = {row["metric"]: row for row in csv.DictReader(io.StringIO(out))}
    columns = ("target", "target_direction", "target_applies_to", "met", "previous", "change", "change_percent")

    def cells(metric):
        return tuple(rows[metric][c] for c in columns)

    # 47 / 52 = 90.38 % against 90 %: met; 95 % the week before (38 / 40), so -60/13 pp, -4.8583 %.
    assert cells("csat_percent") == ("90", ">=", "value", "true", "95", "-4.6154", "-4.8583")
    assert cells("chats") == ("100", ">=", "per_day", "true", "80", "30", "37.5")  # 110 chats in 1 day
    assert cells("comments_per_solve") == ("2", "<=", "value", "false", "2.5", "1.8333", "73.3333")  # the default
    assert cells("comments") == ("", "", "", "", "40", "12", "30")

    status, out, _ = run(capsys, "export", "2026-11-02..2026-11-08", "--format", "json", "-o", "-")
    summary = json.loads(out)["summary"]
    assert json.loads(out)["version"] == 5
    assert summary["targets"]["csat_percent"] == {
        "target": 90,
        "direction": ">=",
        "applies_to": "value",
        "met": True,
        "days_met": 1,
        "days_judged": 1,
    }
    assert summary["targets"]["comments_per_solve"]["met"] is False
    assert (summary["previous"]["start"], summary["previous"]["end"]) == ("2026-10-26", "2026-11-01")
    assert summary["previous"]["changes"]["csat_percent"] == {
        "basis": "rate",
        "current": 90.3846,
        "previous": 95,
        "change": -4.6154,
        "change_percent": -4.8583,
    }

    # A previous period without data: the comparison cells are empty, not zero.
    out = run(capsys, "export", "2026-10-27", "--format", "summary-csv", "-o", "-")[1]
    rows = {row["metric"]: row for row in csv.DictReader(io.StringIO(out))}
    assert cells("csat_percent") == ("90", ">=", "value", "true", "", "", "")


@pytest.mark.parametrize(
    "argv,message",
    [
        (["targets", "set", "nps", ">= 5"], "'nps' is not a metric. Use one of: comments, solves, chats, wait, csat"),
        (["targets", "set", "csat", "> 95"], "use >= or <="),
        (["targets", "set", "csat", "101"], "A Chat CSAT target is a number from 0 to 100."),
        (["targets", "set", "csat", "ninety"], "'ninety' is not a target. Write >= or <= and a number"),
        (["targets", "set", "comments-per-solve", "1.234"], "at most 2 decimals"),
        (["targets", "set", "csat"], "the following arguments are required: TARGET"),
        (["targets", "clear", "speed"], "'speed' is not a metric"),
        (["targets"], "the following arguments are required: COMMAND"),
        (["targets", "show"], "invalid choice: 'show'"),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_targets_and_metrics_exit_2_with_a_message(cli_env, capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert message in err


@pytest.mark.parametrize("command", ["targets", "targets list", "targets set", "targets clear"])
def test_every_targets_command_has_help_with_an_example(command):
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *command.split(), "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert "example" in result.stdout and "statbotic targets" in result.stdout
