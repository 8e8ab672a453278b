"""The scriptable CLI: real processes for the end-to-end truth, main(argv) in-process for the many cases."""

import csv
import io
import json
import subprocess
import sys

import pytest

from statbotic.cli import main
from tests.conftest import ROOT

FIGURES = [
    "--comments",
    "52",
    "--solves",
    "12",
    "--chats",
    "110",
    "--wait",
    "111.8",
    "--ratings",
    "52",
    "--positive",
    "47",
]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def test_add_then_view_as_json(cli_env, capsys):
    assert run(capsys, "add", "2026-11-02", *FIGURES)[0] == 0
    assert (
        run(
            capsys,
            "add",
            "2026-11-04",
            "--comments",
            "8",
            "--solves",
            "4",
            "--chats",
            "0",
            "--wait",
            "0",
            "--ratings",
            "0",
            "--positive",
            "0",
        )[0]
        == 0
    )
    status, out, _ = run(capsys, "view", "2026-11-01..2026-11-07", "--json", "--daily")
    assert status == 0
    report = json.loads(out)
    figures = report["summary"]["figures"]
    assert figures["comments"]["value"] == 60 and figures["comments"]["per_day"] == 30
    assert figures["csat_percent"]["value"] == 90.3846  # 47 / 52, rounded half up to 4 decimals
    assert figures["csat_percent"]["numerator"] == {"component": "csat_good", "sum": 47}
    assert figures["comments_per_solve"]["value"] == 3.75  # 60 / 16
    assert report["summary"]["days_with_data"] == 2
    assert report["targets"]["csat_percent"]["met"] is False
    assert [d["date"] for d in report["days"]] == ["2026-11-02", "2026-11-04"]


def test_add_refuses_to_overwrite_unless_asked(cli_env, capsys):
    assert run(capsys, "add", "2026-11-02", *FIGURES)[0] == 0
    status, _, err = run(capsys, "add", "2026-11-02", *FIGURES[:-1], "50")  # other figures (the same: test_retries)
    assert status == 1 and "has figures already; add --overwrite" in err
    status, out, _ = run(capsys, "add", "2026-11-02", *FIGURES[:-1], "50", "--overwrite")
    assert status == 0 and "Updated the stats for 2026-11-02." in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["add", "2026-11-02", *FIGURES[:-2]], "the following arguments are required: --positive"),
        (["add", "2026-11-02", *FIGURES[:-1], "53"], "more than the 52 ratings"),
        (["add", "2026-11-02", *FIGURES[:-1], "101%"], "not a percentage from 0 to 100"),
        (["add", "2026-11-02", *FIGURES[:7], "1:75", *FIGURES[8:]], "not a wait"),
        (["add", "2026-11-02", *FIGURES[:-1], "-3"], "below zero"),
        (["add", "2999-01-01", *FIGURES], "in the future"),
        (["view", "next year"], "not a period Statbotic knows"),
        (["export", "2026-11"], "the following arguments are required: --format"),
        (["export", "2026-11", "--format", "xml"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["users"], "the following arguments are required: COMMAND"),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_usage_errors_exit_2_with_a_message(cli_env, capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert message in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_authentication_failures_exit_1(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("STATBOTIC_PASSWORD", "not-the-password")
    assert run(capsys, "view", "2026-11")[0:3:2] == (1, "statbotic: Username or password is incorrect.\n")
    monkeypatch.delenv("STATBOTIC_PASSWORD")
    status, _, err = run(capsys, "view", "2026-11")
    assert status == 1 and "set STATBOTIC_PASSWORD" in err
    monkeypatch.delenv("STATBOTIC_USER")
    status, _, err = run(capsys, "view", "2026-11")
    assert status == 2 and "--user NAME or STATBOTIC_USER" in err


def test_export_to_stdout_a_file_and_the_export_folder(cli_env, capsys, settings, tmp_path):
    run(capsys, "add", "2026-10-02", *FIGURES)
    status, out, _ = run(capsys, "export", "2026-10", "--format", "csv", "-o", "-")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["date"], r["comments"], r["csat_good"]) for r in rows] == [("2026-10-02", "52", "47")]

    target = tmp_path / "october.json"
    assert run(capsys, "export", "2026-10", "--format", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text())["days"][0]["entered"]["chats"] == 110
    status, _, err = run(capsys, "export", "2026-10", "--format", "json", "-o", str(target))
    assert status == 1 and "exists already" in err

    status, out, _ = run(capsys, "export", "2026-10", "--format", "summary-csv")
    assert status == 0
    assert (settings.export_dir / "stats-summary-2026-10-01-2026-10-31.csv").is_file()
    status, _, err = run(capsys, "export", "2025-11", "--format", "csv")
    assert status == 1 and "No stats were entered for 2025-11" in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_users_add_refuses_a_taken_name_and_needs_a_terminal_or_stdin(cli_env, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("another-password\n"))
    status, _, err = run(capsys, "users", "add", "LEAD", "--password-stdin")
    assert status == 1 and "The username 'LEAD' is taken" in err
    status, _, err = run(capsys, "users", "add", "newbie")
    assert status == 2 and "--password-stdin" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    status, _, err = run(capsys, "users", "add", "newbie", "--password-stdin")
    assert status == 1 and "at least 8 characters" in err


@pytest.mark.parametrize(
    "command", ["view", "export", "add", "users", "users add", "users token", "users unlock", "copy-data"]
)
def test_every_command_has_help_with_an_example(command):
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *command.split(), "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert "example" in result.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_real_process_reports_and_exits_with_meaningful_statuses(cli_env):
    def statbotic(*argv):
        return subprocess.run(
            [sys.executable, str(ROOT / "run.py"), *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **cli_env},
            stdin=subprocess.DEVNULL,
        )

    assert statbotic("add", "yesterday", *FIGURES).returncode == 0
    shown = statbotic("view", "last 7 days")
    assert shown.returncode == 0
    assert "Average chat wait" in shown.stdout and "111.8 s" in shown.stdout
    assert statbotic("view", "someday").returncode == 2
    wrong = statbotic("view", "today", "--user", "nobody")
    assert wrong.returncode == 1 and wrong.stderr == "statbotic: Username or password is incorrect.\n"


def test_an_access_token_logs_in_scripts_and_a_new_one_replaces_it(cli_env, capsys, monkeypatch):
    status, first, _ = run(capsys, "users", "token")
    assert status == 0 and first.startswith("sbt_") and len(first.strip()) > 40
    monkeypatch.delenv("STATBOTIC_PASSWORD")
    monkeypatch.delenv("STATBOTIC_USER")
    monkeypatch.setenv("STATBOTIC_TOKEN", first.strip())
    assert run(capsys, "add", "2026-11-02", *FIGURES)[0] == 0
    status, out, _ = run(capsys, "view", "2026-11-02", "--json")
    assert status == 0 and json.loads(out)["summary"]["sums"]["comments"] == 52
    status, _, err = run(capsys, "view", "2026-11", "--user", "someone-else")
    assert status == 1 and "belongs to lead, not someone-else" in err

    second = run(capsys, "users", "token")[1].strip()
    status, _, err = run(capsys, "view", "2026-11")
    assert status == 1 and "That access token is not valid" in err
    monkeypatch.setenv("STATBOTIC_TOKEN", second)
    assert run(capsys, "view", "2026-11")[0] == 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_targets_are_refused_naming_the_setting(cli_env, capsys, monkeypatch):
    for value in ("NaN", "inf", "150", "-5", "abc"):
        monkeypatch.setenv("STATBOTIC_TARGET_CSAT", value)
        status, _, err = run(capsys, "view", "2026-10")
        assert status == 1 and "STATBOTIC_TARGET_CSAT must be a number from 0 to 100" in err, value
    monkeypatch.setenv("STATBOTIC_TARGET_CSAT", "none")
    monkeypatch.setenv("STATBOTIC_TARGET_COMMENTS_PER_SOLVE", "-1")
    status, _, err = run(capsys, "view", "2026-10")
    assert status == 1 and "STATBOTIC_TARGET_COMMENTS_PER_SOLVE must be a number of 0 or more" in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_exporting_an_empty_range_to_stdout_fails_like_to_a_file(cli_env, capsys):
    status, out, err = run(capsys, "export", "2025-11", "--format", "csv", "-o", "-")
    assert (status, out) == (1, "")
    assert "No stats were entered for 2025-11" in err
