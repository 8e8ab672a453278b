"""The report a manager reads, for a year of one team: `report_page.build_document` (the period's figures,
the previous year's, six pygal charts of 365 days, the daily table) in-process, median of 5 runs, against
a baseline measured in the same run: the same year's `view --json --daily` document (services.view_report
and export.report_document), in-process too.  Then the commands end to end (a process each, logged in
with a token): `statbotic report PERIOD -o FILE` against `statbotic view PERIOD --json --daily`.
Target: the report in ≤ 1 s (issue 14).

    python benchmarks/report_speed.py [--runs 5] [--days 365]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._seed import seed_days  # noqa: E402
from statbotic import people, services  # noqa: E402
from statbotic.config import Settings  # noqa: E402
from statbotic.periods import span  # noqa: E402
from statbotic.storage.sqlite import SQLiteStore  # noqa: E402

TEAM = "default"
TARGET_SECONDS = 1.0


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def command(env: dict[str, str], argv: list[str]) -> None:
    result = subprocess.run([sys.executable, "run.py", *argv], env=env, cwd=ROOT, capture_output=True)
    if result.returncode:
        raise SystemExit(f"{argv} failed: {result.stderr.decode()}")


RUNS = iter(range(1_000_000))


def unused(folder: Path, counter=RUNS) -> Path:
    """A new file name in ``folder`` for each run (the report never overwrites a file)."""
    return folder / f"report-{next(counter)}.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "statbotic.sqlite3")
        last = date.today() - timedelta(days=1)
        seed_days(store, [TEAM], last, 2 * args.days)  # the year, and the year before it to compare with
        user = people.register(store, "bench", "benchmark-password", default_team=TEAM)
        settings = Settings(data_dir=Path(folder), export_dir=Path(folder) / "exports")
        period = span(last - timedelta(days=args.days - 1), last)

        def view_json() -> str:
            from statbotic.export import report_document

            metrics = services.team_metrics(store, TEAM)
            report = services.view_report(store, TEAM, period, settings.targets, user=user, metrics=metrics)
            return json.dumps(report_document(TEAM, period.describe(), report, True, metrics=metrics))

        def report() -> str:
            from statbotic.report_page import build_document

            return build_document(store, TEAM, period, settings, user=user, today=date.today()).html

        report()  # imports (pygal's included) and the first read, outside the timed runs
        view_json()
        baseline = median_time(view_json, args.runs)
        made = median_time(report, args.runs)
        size = len(report().encode("utf-8"))
        env = {
            "PATH": os.environ["PATH"],
            "HOME": folder,
            "STATBOTIC_DATA_DIR": folder,
            "STATBOTIC_TOKEN": services.issue_token(store, user),
        }
        store.close()
        text = f"{period.start}..{period.end}"
        out = Path(folder) / "out"
        view_command = median_time(lambda: command(env, ["view", text, "--json", "--daily"]), args.runs)
        report_command = median_time(lambda: command(env, ["report", text, "-o", str(unused(out))]), args.runs)
    print(f"a year of one team: {args.days} days, {period.start} to {period.end}; median of {args.runs} runs")
    print(f"  view --json --daily (baseline, in-process): {baseline * 1000:7.1f} ms")
    print(f"  report (build_document, in-process):        {made * 1000:7.1f} ms  ({made / baseline:.1f}x)")
    print(f"  report page: {size / 1024:.0f} KiB")
    print(f"  statbotic view --json --daily (a process):  {view_command * 1000:7.1f} ms")
    ratio = report_command / view_command
    print(f"  statbotic report -o FILE (a process):       {report_command * 1000:7.1f} ms  ({ratio:.1f}x)")
    verdict = "within" if max(made, report_command) <= TARGET_SECONDS else "OVER"
    print(f"  target: report <= {TARGET_SECONDS:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
