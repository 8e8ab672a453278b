"""`11` Import a file in a real terminal (pexpect): the progress bar while a large file is read (then
not written), a refusal shown and the menu back, then a file with a conflict: the preview, the
question, the write."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.e2e.test_terminal import answer, expect_clean_exit, register_and_log_in

pytestmark = pytest.mark.pty

TICKETS = 150_000
DAILY = "team,date,comments,solves,chats,wait_tenths,csat_ratings,csat_good\n"


def tickets_file(folder) -> str:
    """TICKETS solved tickets (the zendesk-tickets preset's columns as CSV), one every 9 seconds."""
    start = datetime(2026, 10, 1, tzinfo=UTC)
    lines = ["id,status,metric_set.solved_at,metric_set.replies,assignee_id"]
    for n in range(TICKETS):
        lines.append(f"{n},solved,{(start + timedelta(seconds=9 * n)).strftime('%Y-%m-%dT%H:%M:%SZ')},{n % 5},{n % 7}")
    path = folder / "tickets.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_lead_imports_in_a_terminal_with_a_progress_bar_a_refusal_and_a_conflict(spawn_app, tmp_path):
    big = tickets_file(tmp_path)
    bad = (tmp_path / "bad.csv").as_posix()
    (tmp_path / "bad.csv").write_text(DAILY + "default,2026-11-02,1O,5,20,300,8,7\n", encoding="utf-8")
    first = (tmp_path / "first.csv").as_posix()
    explore = "Date,Public comments,Solved tickets\n2026-11-02,10,5\n"  # another layout: its days conflict
    (tmp_path / "first.csv").write_text(explore, encoding="utf-8")
    week = tmp_path / "week.csv"
    week.write_text(DAILY + "default,2026-11-02,11,5,20,300,8,7\ndefault,2026-11-03,4,2,9,415,3,3\n", encoding="utf-8")
    child = spawn_app()
    register_and_log_in(child)  # the first user: an admin, and a lead of team default

    answer(child, "Choose an option: ", "11")
    answer(child, "File to import (CSV or JSON): ", big)
    answer(child, "Another page of the same export (Enter if none): ", "")
    answer(child, "Choose a layout: ", "4")
    answer(child, "Time zone of the days", "Europe/Paris")
    child.expect(r"Reading +\d+%\|.*\| [\d.]+[kM]?B of [\d.]+[kM]?B, ETA [\d:]+, [\d,]+ rows, [\d,]+ rows/s")
    child.expect(r"Team default: (\d+) days in the file")
    answer(child, f"Write {child.match.group(1)} days into team default? (y/n): ", "n")
    child.expect_exact("Nothing was written.")

    answer(child, "Choose an option: ", "11")
    answer(child, "File to import (CSV or JSON): ", bad)
    answer(child, "Another page of the same export (Enter if none): ", "")
    answer(child, "Choose a layout: ", "1")
    child.expect_exact("bad.csv, line 2, column 'comments': '1O' is not a number.")
    answer(child, "Leave out the bad rows and import the rest? (y/n): ", "n")
    child.expect_exact("Nothing was written.")

    answer(child, "Choose an option: ", "11")
    answer(child, "File to import (CSV or JSON): ", first)
    answer(child, "Another page of the same export (Enter if none): ", "")
    answer(child, "Choose a layout: ", "2")
    answer(child, "Write 1 day into team default? (y/n): ", "y")
    child.expect_exact("Team default: 1 saved, 0 unchanged.")

    answer(child, "Choose an option: ", "11")
    answer(child, "File to import (CSV or JSON): ", f'"{week}"')  # a path pasted in quotes
    answer(child, "Another page of the same export (Enter if none): ", "")
    answer(child, "Choose a layout: ", "1")
    child.expect_exact("Team default: 2 days in the file.")
    child.expect_exact(f"{date(2026, 11, 2)}: Ticket public comments 10 -> 11")
    child.expect_exact("1 day already saved with other figures")
    answer(child, "Choose an option: ", "2")
    answer(child, "Write 2 days into team default? (y/n): ", "y")
    child.expect_exact("Team default: 2 saved, 0 unchanged.")
    answer(child, "Choose an option: ", "0")
    expect_clean_exit(child)
