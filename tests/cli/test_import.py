"""`statbotic import` on both stores: presets, the preview, conflicts, idempotence and refusals.

Every file is generated into tmp_path.  ``org`` (conftest) gives teams billing and support and billing's
figures for DAY; ``split`` makes billing track Zendesk's counts only and support Intercom's figures.
"""

import io
import json
import sys
from datetime import UTC, date, datetime

import pytest

from statbotic.cli import main
from statbotic.records import UNASSIGNED
from tests.cli.conftest import DAY, FIGURES, snapshot

EXPLORE = (
    "\ufeffDate;Public comments;Solved tickets\r\n2026-11-02;1,204;310\r\n2026-11-03;30;10\r\n2026-11-04;85;41\r\n"
)


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def ok(capsys, *argv) -> str:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return out


def days_of(store, team: str) -> dict:
    return {record.day: dict(record.entered) for record in store.iter_all_days() if record.team == team}


@pytest.fixture
def split(org, capsys):
    """billing tracks comments and solves; support chats, the wait and CSAT."""
    for key in ("chats", "wait_seconds", "csat_ratings", "csat_percent"):
        ok(capsys, "metrics", "edit", key, "--team", "support")
    for key in ("comments", "solves", "comments_per_solve"):
        ok(capsys, "metrics", "edit", key, "--team", "billing")


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_a_zendesk_explore_csv_is_imported_and_a_second_time_changes_nothing(split, store, capsys, tmp_path):
    explore = write(tmp_path, "explore.csv", EXPLORE)
    out = ok(capsys, "import", explore, "--preset", "zendesk-explore-daily", "--team", "billing")
    assert "2 saved, 1 unchanged" in out  # DAY has 30 and 10 already
    days = days_of(store, "billing")
    assert days[date(2026, 11, 2)]["comments"] == 1204 and days[date(2026, 11, 2)]["solves"] == 310
    assert days[date(2026, 11, 4)] == {"comments": 85, "solves": 41}
    assert days[date.fromisoformat(DAY)] == FIGURES  # the figures the file doesn't carry are kept
    before = snapshot(store)
    out = ok(capsys, "import", explore, "--preset", "zendesk-explore-daily", "--team", "billing")
    assert "0 saved, 3 unchanged" in out
    assert snapshot(store) == before


def figures_of(text: str) -> dict:
    """A view --json without when each day was saved (the import saves them again, later)."""
    document = json.loads(text)
    for day in document["days"]:
        day.pop("updated_at")
    return document


def test_the_apps_own_daily_csv_round_trips_into_an_empty_store(cli_env, store, capsys, tmp_path):
    figures = ["--comments", "52", "--solves", "12", "--chats", "110", "--wait", "111.8"]
    ok(capsys, "add", "2026-10-05", *figures, "--ratings", "52", "--positive", "47")
    ok(capsys, "add", "2026-10-06", *figures, "--ratings", "3", "--positive", "96%", "--force")
    view = figures_of(ok(capsys, "view", "2026-10", "--daily", "--json"))
    export = tmp_path / "october.csv"
    ok(capsys, "export", "2026-10", "--format", "csv", "-o", str(export))
    for day in ("2026-10-05", "2026-10-06"):
        ok(capsys, "delete", day, "--yes")
    assert days_of(store, "default") == {}
    out = ok(capsys, "import", str(export), "--preset", "statbotic-daily", "--on-conflict", "skip")
    assert "2 saved, 0 unchanged" in out
    assert figures_of(ok(capsys, "view", "2026-10", "--daily", "--json")) == view
    assert "0 saved, 2 unchanged" in ok(capsys, "import", str(export), "--preset", "statbotic-daily")


def conflicting(tmp_path) -> str:
    return write(tmp_path, "explore.csv", f"Date,Public comments,Solved tickets\n{DAY},31,10\n2026-11-04,85,41\n")


def test_a_conflict_is_kept_with_skip_and_replaced_with_replace(split, store, capsys, tmp_path):
    explore = conflicting(tmp_path)
    argv = ["import", explore, "--preset", "zendesk-explore-daily", "--team", "billing"]
    out = ok(capsys, *argv, "--on-conflict", "skip")
    assert "1 saved, 0 unchanged, 1 kept as stored" in out
    assert f"{DAY}: Ticket public comments 30 -> 31" in out  # saved -> imported
    assert days_of(store, "billing")[date.fromisoformat(DAY)] == FIGURES
    out = ok(capsys, *argv, "--on-conflict", "replace")
    assert "1 saved, 1 unchanged" in out
    assert days_of(store, "billing")[date.fromisoformat(DAY)] == {**FIGURES, "comments": 31}
    history = json.loads(ok(capsys, "history", DAY, "--team", "billing", "--json"))
    assert "lead" in json.dumps(history)  # saved through record_day: audited, by the user


def test_a_conflict_without_a_terminal_needs_a_choice_and_writes_nothing(split, store, capsys, tmp_path):
    before = snapshot(store)
    status, _, err = run(
        capsys, "import", conflicting(tmp_path), "--preset", "zendesk-explore-daily", "--team", "billing"
    )
    assert status == 1
    assert "--on-conflict skip" in err and "--on-conflict replace" in err
    assert snapshot(store) == before


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "comments"), [("n", 30), ("y", 31)])
def test_in_a_terminal_ask_asks_once(split, store, capsys, tmp_path, monkeypatch, answer, comments):
    monkeypatch.setattr(sys, "stdin", Terminal(f"{answer}\n"))
    status, out, err = run(
        capsys, "import", conflicting(tmp_path), "--preset", "zendesk-explore-daily", "--team", "billing"
    )
    assert status == 0 and err.count("Replace the 1 day that differ? (y/n)") == 1
    assert days_of(store, "billing")[date.fromisoformat(DAY)]["comments"] == comments
    assert days_of(store, "billing")[date(2026, 11, 4)] == {"comments": 85, "solves": 41}


def test_dry_run_writes_nothing_and_shows_the_plan(split, store, capsys, tmp_path):
    before = snapshot(store)
    argv = ["import", conflicting(tmp_path), "--preset", "zendesk-explore-daily", "--team", "billing", "--dry-run"]
    out = ok(capsys, *argv)
    assert "Dry run: nothing was written." in out and "2026-11-04" in out and "conflict" in out
    document = json.loads(ok(capsys, *argv, "--json"))
    assert [d["status"] for d in document["days"]] == ["conflict", "new"]
    assert document["days"][0]["differ"] == ["comments"] and document["dry_run"] is True
    assert snapshot(store) == before


def test_bad_cells_are_refused_with_file_line_and_column_and_nothing_is_written(split, store, capsys, tmp_path):
    before = snapshot(store)
    bad = write(tmp_path, "bad.csv", "Date,Public comments,Solved tickets\n2026-11-05,12a,3\n2026-11-06,4,5\n")
    status, _, err = run(capsys, "import", bad, "--preset", "zendesk-explore-daily", "--team", "billing")
    assert status == 1
    assert "bad.csv, line 2, column 'Public comments'" in err
    assert "1 of the 2 rows read are fine; nothing was written." in err
    assert snapshot(store) == before


def test_a_file_of_some_metrics_makes_new_days_of_those_alone(org, store, capsys, tmp_path):
    # billing tracks every built-in: a Zendesk file's new day has its two figures, and no data for
    # the others until an Intercom file (or a lead) brings them
    text = "Date,Public comments,Solved tickets\n2026-11-05,4,2\n"
    argv = ["import", write(tmp_path, "e.csv", text), "--preset", "zendesk-explore-daily", "--team", "billing"]
    assert "1 saved" in ok(capsys, *argv)
    assert days_of(store, "billing")[date(2026, 11, 5)] == {"comments": 4, "solves": 2}


def test_a_day_the_store_refuses_refuses_every_day(org, store, capsys, tmp_path):
    before = snapshot(store)  # DAY's positive ratings are more than the file's ratings: it can't be true
    mapping = write(
        tmp_path,
        "ratings.toml",
        '[rows]\nkind = "daily"\ndate = "Day"\ndate_format = "%Y-%m-%d"\n\n[metrics.csat_ratings]\ncolumn = "Rated"\n',
    )
    text = f"Day,Rated\n2026-11-05,4\n{DAY},{FIGURES['csat_good'] - 1}\n"
    argv = ["import", write(tmp_path, "r.csv", text), "--mapping", mapping, "--team", "billing"]
    status, _, err = run(capsys, *argv, "--on-conflict", "replace")
    assert status == 1 and f"{DAY}: " in err and "can't be more than" in err
    assert snapshot(store) == before


def test_a_viewer_is_refused(org, store, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("STATBOTIC_USER", "vic")
    before = snapshot(store)
    status, _, err = run(
        capsys, "import", conflicting(tmp_path), "--preset", "zendesk-explore-daily", "--team", "billing"
    )
    assert status == 1 and "viewer" in err
    assert snapshot(store) == before


def unix(moment: str) -> int:
    return int(datetime.fromisoformat(moment).astimezone(UTC).timestamp())


def test_intercom_conversations_are_counted_into_local_days(split, store, capsys, tmp_path):
    conversations = [  # Paris is UTC+1 in November: 23:30 UTC on the 2nd is the 3rd there
        {
            "created_at": unix("2026-11-02T10:00:00+00:00"),
            "admin_assignee_id": 7,
            "statistics": {"time_to_admin_reply": 60},
            "conversation_rating": {"rating": 5},
        },
        {
            "created_at": unix("2026-11-02T23:30:00+00:00"),
            "admin_assignee_id": 7,
            "statistics": {"time_to_admin_reply": 30},
            "conversation_rating": {"rating": 2},
        },
        {
            "created_at": unix("2026-11-03T08:00:00+00:00"),
            "admin_assignee_id": None,
            "statistics": {"time_to_admin_reply": 41},
            "conversation_rating": None,
        },
    ]
    page = write(tmp_path, "page1.json", json.dumps({"type": "conversation.list", "conversations": conversations}))
    argv = ["import", page, "--preset", "intercom-conversations", "--team", "support", "--timezone", "Europe/Paris"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert "with figures of 2 agents" in out
    days = days_of(store, "support")
    assert days[date(2026, 11, 2)] == {"chats": 1, "wait_tenths": 600, "csat_ratings": 1, "csat_good": 1}
    assert days[date(2026, 11, 3)] == {"chats": 2, "wait_tenths": 355, "csat_ratings": 1, "csat_good": 0}
    # per agent: assignee 7's conversation of 23:30 UTC on the 2nd is on the 3rd in Paris; the one
    # without an assignee is the unassigned agent's row, so the team is exactly the sum of its rows
    third = store.get_day("support", date(2026, 11, 3))
    assert third.agents == {
        "7": {"chats": 1, "wait_tenths": 300, "csat_ratings": 1, "csat_good": 0},
        UNASSIGNED: {"chats": 1, "wait_tenths": 410, "csat_ratings": 0, "csat_good": 0},
    }
    assert store.get_day("support", date(2026, 11, 2)).agents == {"7": days[date(2026, 11, 2)]}
    assert set(third.sources) == {"preset intercom-conversations"}
    assert third.sources["preset intercom-conversations"]["files"] == "page1.json"


def test_a_mapping_of_ones_own_is_read_and_a_bad_one_refused(split, store, capsys, tmp_path):
    mapping = write(
        tmp_path,
        "mine.toml",
        '[rows]\nkind = "daily"\ndate = "Day"\ndate_format = "%d/%m/%Y"\n\n'
        '[metrics.comments]\ncolumn = "Replies"\n\n[metrics.solves]\ncolumn = "Solved"\n',
    )
    report = write(tmp_path, "report.csv", "Day|Replies|Solved\n05/11/2026|7|3\n")
    out = ok(capsys, "import", report, "--mapping", mapping, "--team", "billing", "--json")
    document = json.loads(out)
    assert (document["saved"], document["days"][0]["figures"]) == (1, {"comments": 7, "solves": 3})
    before = snapshot(store)
    bad = write(tmp_path, "bad.toml", '[rows]\nkind = "daily"\ndate = "Day"\n\n[metrics.comments]\naggregate = "avg"\n')
    status, _, err = run(capsys, "import", report, "--mapping", bad, "--team", "billing")
    assert status == 1 and "bad.toml" in err
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "--preset NAME"),
        (["--preset", "statbotic-daily", "--mapping", "m.toml"], "not allowed with argument"),
        (["--preset", "nope"], "invalid choice"),
        (["--preset", "statbotic-daily", "--on-conflict", "maybe"], "invalid choice"),
    ],
)
def test_usage_errors(cli_env, capsys, tmp_path, argv, message):
    status, _, err = run(capsys, "import", write(tmp_path, "x.csv", "date\n"), *argv)
    assert status == 2 and message in err


def test_a_bad_timezone_is_refused(split, capsys, tmp_path):
    page = write(tmp_path, "p.json", "[]")
    argv = ["import", page, "--preset", "intercom-conversations", "--team", "support", "--timezone", "Mars/Olympus"]
    status, _, err = run(capsys, *argv)
    assert status == 1 and "--timezone" in err and "Mars/Olympus" in err


def test_a_problem_in_one_of_several_files_names_that_file(split, store, capsys, tmp_path):
    before = snapshot(store)
    first = write(tmp_path, "p1.csv", "Date,Public comments,Solved tickets\n2026-11-05,1,1\n")
    second = write(tmp_path, "p2.csv", "Date,Public comments,Solved tickets\n2026-11-06,x,1\n")
    status, _, err = run(capsys, "import", first, second, "--preset", "zendesk-explore-daily", "--team", "billing")
    assert status == 1 and "p2.csv, line 2, column 'Public comments'" in err
    assert "1 of the 2 rows read are fine" in err
    assert snapshot(store) == before
