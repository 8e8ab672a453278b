"""Viewing a 1-year range on the MongoDB store, against the FerretDB wire server of the tests (needs
Go) or any server given with --mongodb-uri.  The store holds 10 years of one team, seeded through the
store.  Prints the median of in-process report times (services.view_report: sums, dates, every day)
and of whole `statbotic view PERIOD --json` processes, the latter as a ratio to `python -c pass`.

    python benchmarks/mongo_view.py [--runs 9] [--mongodb-uri URI]
"""

from __future__ import annotations

import argparse
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
from statbotic.periods import Period  # noqa: E402
from statbotic.storage.mongo import MongoStore  # noqa: E402


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--mongodb-uri")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        uri = args.mongodb_uri
        if not uri:
            from tests.support.wireserver import WireServer, ensure_binary

            server = WireServer(ensure_binary(), Path(tmp) / "wire").start()
            uri = server.uri.rstrip("/") + "/bench_view"
        try:
            store = MongoStore.connect(uri)
            end = date.today() - timedelta(days=1)
            started = time.perf_counter()
            count = seed_days(store, ["default"], end, 3653)
            print(f"seeded {count:,} days (10 years, 1 team) in {time.perf_counter() - started:.1f} s")
            user = people.register(store, "bench", "benchmark-password", default_team="default")
            token = services.issue_token(store, user)
            year = Period(end - timedelta(days=364), end, "1 year")
            month = Period(end - timedelta(days=29), end, "30 days")
            for period in (month, year):
                seconds = median_seconds(
                    lambda p=period: services.view_report(store, "default", p, {}, user=user), args.runs
                )
                print(f"in-process report, {period.label:<8}: {seconds * 1000:7.1f} ms (median of {args.runs})")
            store.close()
            env = {"PATH": os.environ["PATH"], "HOME": tmp, "MONGODB_URI": uri, "STATBOTIC_TOKEN": token}
            view = [sys.executable, str(ROOT / "run.py"), "view", f"{year.start}..{year.end}", "--json"]
            base = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), args.runs)
            run = median_seconds(
                lambda: subprocess.run(view, env=env, check=True, stdout=subprocess.DEVNULL), args.runs
            )
            print(
                f"statbotic view (1 year) --json: {run * 1000:.1f} ms; python -c pass {base * 1000:.1f} ms; "
                f"ratio {run / base:.2f}x"
            )
        finally:
            if server:
                server.close()


if __name__ == "__main__":
    main()
