"""`statbotic history DATE` and `statbotic audit --since 7d [--json]`, on both backends (cli_env's store)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from statbotic.cli import main

DAY = "2026-11-03"
FIGURES = ["--comments", "52", "--solves", "12", "--chats", "110", "--wait", "111.8", "--ratings", "52"]


def add(*extra: str) -> int:
    return main(["add", DAY, *FIGURES, *extra, "--force"])


def test_history_shows_every_version_of_the_day(cli_env, capsys):
    assert add("--positive", "47") == 0
    assert add("--positive", "48", "--overwrite") == 0
    capsys.readouterr()

    assert main(["history", DAY]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if " UTC  lead  " in line]
    assert len(lines) == 2
    assert "day added:" in lines[0]
    assert "day changed" in out and "47 → 48" in out

    assert main(["history", DAY, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["date"] == DAY and document["team"] == "default"
    first, second = document["entries"]
    assert (first["action"], first["before"], first["by"]) == ("day added", None, "lead")
    assert first["after"] == {
        "comments": 52, "solves": 12, "chats": 110, "wait_tenths": 1118, "csat_ratings": 52, "csat_good": 47
    }  # fmt: skip
    assert second["before"] == first["after"] and second["after"]["csat_good"] == 48
    assert all(datetime.fromisoformat(e["at"]).utcoffset() == timedelta(0) for e in document["entries"])

    assert main(["history", "2026-11-04"]) == 0
    assert "No change of this day is in the audit log." in capsys.readouterr().out


def test_audit_since_7d_as_json_holds_every_change_and_no_secret(cli_env, capsys):
    assert main(["users", "token"]) == 0
    token = capsys.readouterr().out.strip()
    assert add("--positive", "47") == 0
    assert main(["targets", "set", "csat", ">= 95"]) == 0
    assert main(["targets", "clear", "csat"]) == 0
    capsys.readouterr()

    assert main(["audit", "--since", "7d", "--json"]) == 0
    text = capsys.readouterr().out
    document = json.loads(text)
    since = datetime.fromisoformat(document["since"])
    assert timedelta(days=7) - timedelta(minutes=1) < datetime.now(UTC) - since < timedelta(days=7, minutes=1)
    entries = document["entries"]
    assert sorted(e["action"] for e in entries) == sorted(
        ["team created", "user registered", "token issued", "day added", "target set", "target cleared"]
    )
    assert {e["by"] for e in entries} == {"lead"}
    target_set = next(e for e in entries if e["action"] == "target set")
    assert (target_set["before"], target_set["after"]) == (None, {"direction": ">=", "value": "95"})
    assert token not in text and "token_hash" not in text and "pbkdf2" not in text

    assert main(["audit", "--since", "7d"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) <= 79  # wrapped for an 80-column terminal
    assert "lead target set: team default csat_percent: not set in the app → >= 95" in " ".join(out.split())

    assert main(["audit", "--since", "2999-01-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == []


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("since", ["soon", "7y", "-3d", "99999999d"])
def test_a_since_it_does_not_understand_exits_2(cli_env, capsys, since):
    assert main(["audit", f"--since={since}"]) == 2
    assert "--since takes 7d, 12h, 2w or a date" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["history"], ["audit"]])
def test_history_and_audit_have_help_with_an_example(command, capsys):
    assert main([*command, "--help"]) == 0
    assert "example" in capsys.readouterr().out
