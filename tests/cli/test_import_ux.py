"""`statbotic import --explain` and the progress bar, on both stores.

Files are generated into tmp_path; what each row should become is worked out here independently
(zoneinfo for the local day, the seconds typed for a wait).  The bar is checked in a real
pseudo-terminal (pexpect): shown there with rows/s and an ETA, never in a pipe or under --json.
"""

import json
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from statbotic.ui import progress
from tests.cli.conftest import snapshot
from tests.cli.test_import import ok, run, write
from tests.cli.test_import import split as split_fixture  # noqa: F401 (the fixture `split`)
from tests.conftest import ROOT

PARIS = ZoneInfo("Europe/Paris")
SPLIT = pytest.mark.usefixtures("split_fixture")  # billing tracks Zendesk's counts, support Intercom's


def conversation(moment: datetime, assignee, wait, rating, state="closed") -> dict:
    return {
        "created_at": int(moment.timestamp()),
        "admin_assignee_id": assignee,
        "state": state,
        "statistics": {"time_to_admin_reply": wait},
        "conversation_rating": None if rating is None else {"rating": rating},
    }


CONVERSATIONS = [
    conversation(datetime(2026, 11, 2, 10, 0, tzinfo=UTC), 7, 60, 5),
    conversation(datetime(2026, 11, 2, 23, 30, tzinfo=UTC), None, 30, None),  # the 3rd in Paris
    conversation(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), 8, "soon", 2),  # a bad wait: left out
    conversation(datetime(2026, 11, 3, 9, 0, tzinfo=UTC), 8, 41, 4),
    conversation(datetime(2026, 11, 3, 9, 30, tzinfo=UTC), 8, 12, 1),
    conversation(datetime(2026, 11, 4, 9, 30, tzinfo=UTC), 9, 5, 5),  # the sixth: not explained
]


def explain_json(capsys, path, *argv) -> dict:
    return json.loads(ok(capsys, "import", "--explain", path, *argv, "--json"))


@SPLIT
def test_explain_shows_each_rows_local_day_agent_and_figures_and_writes_nothing(store, capsys, tmp_path):
    page = write(tmp_path, "page1.json", json.dumps({"type": "conversation.list", "conversations": CONVERSATIONS}))
    argv = ["--preset", "intercom-conversations", "--team", "support", "--timezone", "Europe/Paris"]
    before = snapshot(store)
    document = explain_json(capsys, page, *argv)
    assert snapshot(store) == before
    rows = document["rows"]
    assert len(rows) == 5  # the first five only
    assert document["ignored"] == ["state"]
    for row, item in zip(rows, CONVERSATIONS, strict=False):
        local = datetime.fromtimestamp(item["created_at"], UTC).astimezone(PARIS).date()
        assert row["day"] == local.isoformat()
        assert row["agent"] == ("(unassigned)" if item["admin_assignee_id"] is None else str(item["admin_assignee_id"]))
        wait = item["statistics"]["time_to_admin_reply"]
        figures = row["figures"]
        if isinstance(wait, str):
            assert not row["imported"] and "not a duration" in figures["wait_tenths"]["problem"]
            continue
        rating = (item["conversation_rating"] or {}).get("rating")
        assert row["imported"]
        assert figures["chats"]["value"] == 1
        assert figures["wait_tenths"]["value"] == wait * 10
        assert figures["csat_ratings"]["value"] == (rating is not None)
        assert figures["csat_good"]["value"] == (rating is not None and rating >= 4)
    text = ok(capsys, "import", "--explain", page, *argv)
    assert "its local date in Europe/Paris" in text and "Ignored (not read): 'state'." in text
    assert "page1.json, line 2: imported" in text and "-> 2026-11-03" in text
    assert "page1.json, line 3: left out of the import (a bad cell)" in text
    assert "'soon' -> 'soon' is not a duration" in text
    assert "Average chat wait      '60' -> 60.0 s" in text
    assert "Explained only: nothing was written." in text
    assert snapshot(store) == before


@SPLIT
def test_explain_shows_filters_kept_and_dropped_and_a_bad_cell_of_daily_rows(store, capsys, tmp_path):
    mapping = write(
        tmp_path,
        "mine.toml",
        '[rows]\nkind = "daily"\ndate = "Day"\ndate_format = "%d/%m/%Y"\n\n'
        '[[filter]]\ncolumn = "Queue"\nequals = "billing"\n\n'
        '[metrics.comments]\ncolumn = "Replies"\n\n[metrics.solves]\ncolumn = "Solved"\n',
    )
    report = write(
        tmp_path,
        "report.csv",
        "Day,Queue,Replies,Solved,Notes\n05/11/2026,billing,7,3,x\n05/11/2026,sales,9,9,y\n06/11/2026,billing,1x,2,z\n",
    )
    document = explain_json(capsys, report, "--mapping", mapping, "--team", "billing")
    kept = [row["kept"] for row in document["rows"]]
    assert kept == [True, False, True]
    assert document["rows"][1]["filters"] == [{"filter": "'Queue' is 'billing'", "holds": False}]
    assert document["rows"][0]["figures"]["comments"]["value"] == 7 and document["rows"][0]["day"] == "2026-11-05"
    assert "not a number" in document["rows"][2]["figures"]["comments"]["problem"]
    assert document["ignored"] == ["Notes"]
    text = ok(capsys, "import", "--explain", report, "--mapping", mapping, "--team", "billing")
    assert "report.csv, line 3: dropped (not 'Queue' is 'billing')." in text
    assert "keep   rows where 'Queue' is 'billing'" in text
    assert "Ticket solves           '2' -> (the row is left out)" in text


@SPLIT
def test_explain_refuses_a_mapping_the_team_cant_fill_as_the_import_does(capsys, tmp_path):
    report = write(tmp_path, "e.csv", "Date,Public comments,Solved tickets\n2026-11-05,1,1\n")
    status, _, err = run(
        capsys, "import", "--explain", report, "--preset", "zendesk-explore-daily", "--team", "support"
    )
    assert status == 1 and "preset zendesk-explore-daily" in err and "not a metric this team tracks" in err


@SPLIT
def test_explain_names_the_agents_the_mappings_agents_table_names(capsys, tmp_path):
    mapping = write(
        tmp_path,
        "agents.toml",
        '[rows]\nkind = "items"\ndate = "solved"\nagent = "who"\n\n[agents]\n7 = "Bo Chen"\n\n'
        '[metrics.solves]\naggregate = "count"\n',
    )
    rows = "solved,who\n2026-11-02T10:00:00Z,7\n2026-11-02T11:00:00Z,9\n2026-11-02T12:00:00Z,\n"
    document = explain_json(capsys, write(tmp_path, "t.csv", rows), "--mapping", mapping, "--team", "billing")
    agents = [row["agent"] for row in document["rows"]]
    assert agents[0] == "7 -> Bo Chen" and agents[2] == "(unassigned)"
    assert agents[1].startswith("9: not in the mapping's [agents]")


# --- the progress bar ---------------------------------------------------------------------------------

TICKETS = 150_000


def tickets_file(tmp_path) -> tuple[str, int]:
    """A Zendesk ticket export as CSV (the preset's columns): TICKETS solved tickets, one every 9 s."""
    start = datetime(2026, 10, 1, tzinfo=UTC)
    lines = ["id,status,metric_set.solved_at,metric_set.replies,assignee_id"]
    for n in range(TICKETS):
        moment = (start + timedelta(seconds=9 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"{n},solved,{moment},{n % 5},{n % 7}")
    path = tmp_path / "tickets.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    days = len({(start + timedelta(seconds=9 * n)).date() for n in range(TICKETS)})
    return str(path), days


@SPLIT
def test_no_bar_when_stderr_is_not_a_terminal(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)  # only the terminal decides, not the time taken
    path, days = tickets_file(tmp_path)
    status, out, err = run(capsys, "import", path, "--preset", "zendesk-tickets", "--team", "billing", "--dry-run")
    assert status == 0, err
    assert f"{days} days in the file" in out
    assert "rows/s" not in err and "Reading" not in err and "\r" not in err


def spawn(cli_env, tmp_path, *argv):
    pexpect = pytest.importorskip("pexpect")
    env = {
        **cli_env,
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "PYTHONPATH": str(ROOT),
    }
    return pexpect.spawn(
        sys.executable,
        [str(ROOT / "run.py"), *argv],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )


@pytest.mark.pty
@pytest.mark.parametrize("backend", ["sqlite"])
@SPLIT
def test_a_terminal_shows_the_bar_with_rows_per_second_and_an_eta_then_clears_it(cli_env, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    path, days = tickets_file(tmp_path)
    child = spawn(cli_env, tmp_path, "import", path, "--preset", "zendesk-tickets", "--team", "billing", "--dry-run")
    child.expect(r"Reading +\d+%\|.*\| [\d.]+[kM]?B of [\d.]+[kM]?B, ETA [\d:]+, ([\d,]+) rows, ([\d,]+) rows/s")
    assert 0 < int(child.match.group(1).replace(",", "")) <= TICKETS
    assert int(child.match.group(2).replace(",", "")) > 0
    child.expect_exact(f"{days} days in the file")
    child.expect_exact("Dry run: nothing was written.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before


@pytest.mark.pty
@pytest.mark.parametrize("backend", ["sqlite"])
@SPLIT
def test_json_in_a_terminal_shows_no_bar(cli_env, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    path, _ = tickets_file(tmp_path)
    argv = ["import", path, "--preset", "zendesk-tickets", "--team", "billing", "--dry-run", "--json"]
    child = spawn(cli_env, tmp_path, *argv)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "rows/s" not in child.before and '"dry_run": true' in child.before


# --- the README's examples ---------------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_example(preset: str) -> str:
    """The three-line example file README shows for a preset."""
    after = re.split(f"\nAn? `{preset}` (?:file|page)", README.split("## Importing", 1)[1], maxsplit=1)[1]
    return after.split("```text\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(
    ("preset", "name"),
    [
        ("statbotic-daily", "week.csv"),
        ("zendesk-explore-daily", "explore.csv"),
        ("intercom-conversations", "page1.json"),
        ("zendesk-tickets", "tickets.json"),
    ],
)
def test_each_presets_readme_example_has_three_lines_and_every_row_is_imported(cli_env, capsys, tmp_path, preset, name):
    text = readme_example(preset)
    assert len(text.splitlines()) == 3
    document = explain_json(capsys, write(tmp_path, name, text), "--preset", preset)
    assert len(document["rows"]) == 2 and all(row["imported"] for row in document["rows"]), document["rows"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_readme_explain_example_is_what_the_command_prints(cli_env, capsys, tmp_path):
    shown = README.split("$ statbotic import --explain page1.json", 1)[1].split("```", 1)[0]
    argv = shown.splitlines()[0].split()
    page = write(tmp_path, "page1.json", readme_example("intercom-conversations"))
    out = ok(capsys, "import", "--explain", page, *argv)
    expected = [line for line in shown.splitlines()[1:] if line != "…"]
    assert out.splitlines()[: len(expected)] == expected
