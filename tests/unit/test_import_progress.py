"""The progress bar's arithmetic: a file's position in bytes as it is read, and one bar over several
files ending at their total (a real tqdm writing into a buffer; the terminal itself: tests/cli)."""

import io
import json

import pytest

from statbotic.importing.readers import read_all, read_rows
from statbotic.ui import progress
from statbotic.ui.console import ScriptedConsole


def csv_file(tmp_path, name: str, rows: int) -> object:
    path = tmp_path / name
    path.write_text("date,n\n" + "".join(f"2026-11-{1 + i % 28:02d},{i}\n" for i in range(rows)), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_files_position_grows_with_the_rows_read_and_ends_at_its_size(tmp_path, kind):
    if kind == "csv":
        path = csv_file(tmp_path, "a.csv", 50_000)
    else:
        path = tmp_path / "a.json"
        path.write_text(json.dumps([{"date": "2026-11-02", "n": i} for i in range(50_000)]), encoding="utf-8")
    size = path.stat().st_size
    rows = read_rows(path)
    assert rows.position == 0
    seen = []
    for count, _ in enumerate(rows, start=1):
        if count % 10_000 == 0:
            seen.append(rows.position)
    assert seen == sorted(seen) and 0 < seen[0] < size
    assert rows.position == size


def test_one_bar_over_several_files_gives_every_row_and_ends_at_their_total(tmp_path):
    from tqdm import tqdm

    paths = [csv_file(tmp_path, "p1.csv", 3_000), csv_file(tmp_path, "p2.csv", 5_000)]
    total = sum(path.stat().st_size for path in paths)
    bar = tqdm(total=total, file=io.StringIO(), mininterval=0)
    rows = [(row.file, row.line, dict(row.cells)) for row in progress._rows(paths, bar)]
    assert rows == [(row.file, row.line, dict(row.cells)) for row in read_all(paths)]
    assert bar.n == total
    assert bar.postfix.startswith("8,000 rows, ") and bar.postfix.endswith(" rows/s")


def test_without_a_terminal_the_rows_are_read_as_they_are(tmp_path):
    console = ScriptedConsole([])
    with progress.watched(console, show=True) as reading:
        assert reading is read_all
    assert console.text == ""
