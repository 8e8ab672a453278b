"""Opening a share link: a live token, a revoked one and an unknown one, timed the same way in the same
run.  A visitor must not tell "revoked" (or "expired") from "never existed" by the time the answer takes:
both hash the token and make the same one indexed read (shares.open_share).  Prints the median time of
each and the ratios revoked / unknown and live / unknown; a ratio near 1.00 is no difference worth
measuring.  The store holds --shares shares (one team), so the index is not trivially small.

Then the whole `run.py share-page` process (what the web server runs for /share/TOKEN), --runs times
each: a live token makes the report page, so it costs more by design; revoked and unknown must match.

    python benchmarks/share_lookup.py [--lookups 3000] [--shares 2000] [--runs 9] [--mongo | --mongodb-uri URI]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from statbotic import auth, shares  # noqa: E402
from statbotic.periods import span  # noqa: E402
from statbotic.records import Share, Team, User  # noqa: E402

THEN = datetime(2026, 11, 1, tzinfo=UTC)


def seed(store, count: int) -> dict[str, str]:
    """A team, its lead, ``count`` filler shares, and the live and the revoked one: their tokens."""
    store.add_team(Team("alpha", "Alpha", THEN), None)
    store.add_user(User("ann", "x", THEN, False, {"alpha": "lead"}), audit=False)
    ann, period = store.get_user("ann"), span(date(2026, 11, 2), date(2026, 11, 4))
    for number in range(count):
        token = shares.new_token()
        filler = Share(f"F{number:07d}", auth.token_hash(token), "alpha", period.start, period.end, "", "days",
                       "ann", THEN, THEN + timedelta(days=90))  # fmt: skip
        store.add_share(filler)
    live, _ = shares.create_share(store, ann, "alpha", period, timedelta(days=7))
    revoked, made = shares.create_share(store, ann, "alpha", period, timedelta(days=7))
    shares.revoke_share(store, ann, made.id)
    return {"live": live, "revoked": revoked, "unknown": shares.new_token()}


def time_lookups(store, tokens: dict[str, str], rounds: int) -> dict[str, float]:
    """Median seconds of shares.open_share per kind, the kinds interleaved (drift hits all alike)."""
    now = datetime.now(UTC)
    found: dict[str, list[float]] = {kind: [] for kind in tokens}
    for _ in range(rounds):
        for kind, token in tokens.items():
            started = time.perf_counter()
            shares.open_share(store, token, now)
            found[kind].append(time.perf_counter() - started)
    assert shares.open_share(store, tokens["live"], now) is not None
    assert shares.open_share(store, tokens["revoked"], now) is None
    assert shares.open_share(store, tokens["unknown"], now) is None
    return {kind: statistics.median(times) for kind, times in found.items()}


def time_processes(env: dict[str, str], tokens: dict[str, str], runs: int) -> dict[str, float]:
    found: dict[str, list[float]] = {kind: [] for kind in tokens}
    for _ in range(runs):
        for kind, token in tokens.items():
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "run.py", "share-page"],
                cwd=ROOT,
                env=env,
                input=token + "\n",
                capture_output=True,
                text=True,
            )
            found[kind].append(time.perf_counter() - started)
            assert done.returncode == (0 if kind == "live" else 4), (kind, done.returncode, done.stderr[-300:])
    return {kind: statistics.median(times) for kind, times in found.items()}


def report(title: str, medians: dict[str, float], unit: str, scale: float) -> None:
    print(title)
    for kind, seconds in medians.items():
        print(f"  {kind:8} median {seconds * scale:9.1f} {unit}")
    print(f"  revoked / unknown = {medians['revoked'] / medians['unknown']:.2f}")
    print(f"  live / unknown    = {medians['live'] / medians['unknown']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--shares", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--mongodb-uri", help="a MongoDB-wire server to measure too (a new database in it)")
    parser.add_argument(
        "--mongo", action="store_true", help="measure MongoDB too, on a FerretDB wire server started here"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        from statbotic.storage.sqlite import SQLiteStore

        store = SQLiteStore(Path(folder) / "statbotic.sqlite3")
        tokens = seed(store, args.shares)
        report(f"SQLite, {args.shares} shares: shares.open_share", time_lookups(store, tokens, args.lookups), "µs", 1e6)
        store.close()
        env = {"PATH": os.environ["PATH"], "HOME": folder, "LANG": "C.UTF-8", "STATBOTIC_DATA_DIR": folder}
        report("SQLite: the whole `run.py share-page` process", time_processes(env, tokens, args.runs), "ms", 1e3)
        uri, server = args.mongodb_uri, None
        if args.mongo and not uri:
            from tests.support.wireserver import WireServer, ensure_binary

            server = WireServer(ensure_binary(), Path(folder) / "wire").start()
            uri = server.uri
        if uri:
            from statbotic.storage.mongo import MongoStore

            database = f"share_bench_{os.getpid()}"
            store = MongoStore.connect(uri, database)
            try:
                tokens = seed(store, args.shares)
                medians = time_lookups(store, tokens, max(args.lookups // 10, 50))
                report(f"MongoDB, {args.shares} shares: shares.open_share", medians, "µs", 1e6)
            finally:
                store._client.drop_database(database)
                store.close()
                if server is not None:
                    server.stop()


if __name__ == "__main__":
    main()
