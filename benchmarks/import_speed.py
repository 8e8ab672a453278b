"""Import speed: a conversations file into daily figures, as a ratio to reading it with `csv` alone.

Generates an Intercom-conversations-shaped CSV of N rows (one conversation every 3 seconds from
2024-01-01 UTC: created_at in Unix seconds, time to first reply, a rating on a third of them, one of 12
assignees, state) in a temporary directory, then measures, interleaved, median of --runs runs:

- (a) `csv.reader` alone, iterating every row of the file;
- (b) `read_rows` + `aggregate` with the intercom-conversations preset (time zone Europe/Paris).

Prints both times, rows/s, the ratio b/a (issue 13's target: <= 3x), the file's size and the peak
memory: Python's (tracemalloc, one more untimed run of (b)) and the whole process's (peak resident set,
VmHWM, of a child process doing (b), beside one doing (a)).

    python benchmarks/import_speed.py [--rows 1000000] [--runs 3] [--closed-only]

--closed-only adds the preset's documented filter (state = "closed": 9 rows in 10 are).
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "state",
    "admin_assignee_id",
    "statistics.time_to_admin_reply",
    "conversation_rating.rating",
    "source.subject",
)


def generate(path: Path, rows: int) -> None:
    start = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            created = start + n * 3
            writer.writerow(
                [
                    1_000_000 + n,
                    created,
                    created + 600 + n % 3000,
                    "closed" if n % 10 else "open",
                    5_000_000 + n % 12,
                    30 + n % 900 if n % 8 else "",
                    "" if n % 3 else 1 + n % 5,
                    f"Question about order {n % 9973}",
                ]
            )


CLOSED_ONLY = False  # --closed-only: the preset with its documented filter, state = "closed"


def mapping():
    from statbotic.frozen import replace
    from statbotic.importing.mapping import Filter, preset

    filters = (Filter("state", equals="closed"),) if CLOSED_ONLY else ()
    return replace(preset("intercom-conversations"), timezone="Europe/Paris", filters=filters)


def read_csv_alone(path: Path) -> int:
    count = 0
    with open(path, encoding="utf-8", newline="") as source:
        for _ in csv.reader(source):
            count += 1
    return count


def import_file(path: Path) -> int:
    from statbotic.importing.aggregate import aggregate
    from statbotic.importing.readers import read_rows
    from statbotic.metrics import BUILTIN

    days, problems = aggregate(read_rows(path), mapping(), BUILTIN, path.name)
    if problems:
        raise SystemExit(f"unexpected problems: {problems[:3]}")
    return sum(d.rows for d in days if d.agent is None)


def timed(run, path: Path) -> float:
    started = time.perf_counter()
    run(path)
    return time.perf_counter() - started


def child_maxrss(path: Path, which: str) -> int:
    """The peak resident set (bytes) of a child process doing only (a) or (b)."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, str(path), "closed" if CLOSED_ONLY else "all"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip())


def child(which: str, path: Path) -> None:
    (read_csv_alone if which == "csv" else import_file)(path)
    try:  # Linux: the peak of this process's own memory (ru_maxrss carries the parent's over exec)
        status = Path("/proc/self/status").read_text()
        kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    print(kib * 1024)


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--closed-only", action="store_true", help="add the filter state = closed")
    parser.add_argument("--child", nargs=3, metavar=("WHICH", "PATH", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CLOSED_ONLY
    if args.child:
        CLOSED_ONLY = args.child[2] == "closed"
        child(args.child[0], Path(args.child[1]))
        return
    CLOSED_ONLY = args.closed_only

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conversations.csv"
        generate(path, args.rows)
        size = path.stat().st_size
        print(f"file: {args.rows:,} rows, {mib(size)} ({path.name})")
        imported = import_file(path)  # warm: imports, zoneinfo
        expected = args.rows - len(range(0, args.rows, 10)) if CLOSED_ONLY else args.rows  # every 10th is open
        if imported != expected:
            raise SystemExit(f"imported {imported:,} rows, not {expected:,}")
        alone, full = [], []
        for _ in range(args.runs):
            alone.append(timed(read_csv_alone, path))
            full.append(timed(import_file, path))
        a, b = statistics.median(alone), statistics.median(full)
        print(f"(a) csv.reader alone:        {a:7.3f} s  ({args.rows / a:,.0f} rows/s)")
        print(f"(b) read_rows + aggregate:   {b:7.3f} s  ({args.rows / b:,.0f} rows/s)")
        print(f"ratio b/a: {b / a:.2f}x (target <= 3x), median of {args.runs} runs")

        tracemalloc.start()
        try:
            import_file(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        print(f"peak Python memory of (b) (tracemalloc): {mib(peak)} for a {mib(size)} file")
        rss_a, rss_b = child_maxrss(path, "csv"), child_maxrss(path, "import")
        print(f"peak resident set of a process doing (a): {mib(rss_a)}, (b): {mib(rss_b)}")


if __name__ == "__main__":
    main()
