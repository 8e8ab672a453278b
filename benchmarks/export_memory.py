"""Export memory stays flat as the range grows: peak Python memory (tracemalloc) while exporting
30 days, 1 year, 3 years and 10 years of one team, from a store of about 110,000 records
(100 teams x 3 years plus one team with 10 years), in each format.  The ratio is each peak
against the 30-day export's peak in the same run; flat means it stays near 1, not near the
ratio of the record counts.

    python benchmarks/export_memory.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._seed import seed_days  # noqa: E402
from statbotic import services  # noqa: E402
from statbotic.periods import Period  # noqa: E402
from statbotic.records import VIEWER, User  # noqa: E402
from statbotic.storage.sqlite import SQLiteStore  # noqa: E402

READER = User("reader", "-", datetime.now(UTC), teams={"default": VIEWER})  # views and exports


def main() -> None:
    end = date.today() - timedelta(days=1)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "statbotic.sqlite3")
        count = seed_days(store, [f"team-{n:03d}" for n in range(100)], end, 1096)
        count += seed_days(store, ["default"], end, 3653)
        print(f"store: {count:,} records")
        for fmt in ("json", "csv", "summary-csv"):
            base = None
            for days in (30, 365, 1096, 3653):
                period = Period(end - timedelta(days=days - 1), end, f"{days} days")
                tracemalloc.start()
                started = time.perf_counter()
                folder = Path(tmp) / fmt
                path, _ = services.export_range(store, "default", period, folder, fmt, defaults={}, user=READER)
                elapsed = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                base = base or peak
                size = path.stat().st_size / 1024
                print(
                    f"{fmt:<12} {days:>5} days: peak {peak / 1024:8.1f} KiB ({peak / base:4.2f}x the 30-day peak "
                    f"for {days / 30:5.1f}x the days), {elapsed * 1000:7.1f} ms, file {size:8.1f} KiB"
                )
        store.close()


if __name__ == "__main__":
    main()
