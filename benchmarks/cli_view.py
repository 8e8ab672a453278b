"""`statbotic view "last month" --json`: median wall time as a ratio to `python -c pass`, on a small
store (10 years x 1 team) and a large one (100 teams x 3 years, about 110,000 records), both seeded
through the store.  Target: under 4x, and the same on both stores (the range query uses the
(team, date) key, so its cost follows the range, not the store).  Also the department view of the
large store (`view "last month" --all-teams --json`: 100 teams summed in one read), target under 5x.

Scripts log in with an access token (STATBOTIC_TOKEN); the password path is measured too, for
reference: its PBKDF2 check takes ~0.3 s by design.

``--metrics 12`` defines 12 metrics (the 7 built-ins and 5 custom ones of mixed kinds: two counts, a
duration, a share, a ratio), with a value for each on every seeded day (issue 12: still under 4x);
``--large-only`` measures only the 100-team store.

    python benchmarks/cli_view.py [--runs 15] [--metrics 12] [--large-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._seed import define_custom, seed_days  # noqa: E402
from statbotic import people, services  # noqa: E402
from statbotic.records import Team  # noqa: E402
from statbotic.storage.sqlite import SQLiteStore  # noqa: E402

PASSWORD = "benchmark-password"


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"{argv} failed: {result.stderr.decode()}")
    return elapsed


def prepare(folder: Path, teams: list[str], days: int, custom: bool = False) -> str:
    started = time.perf_counter()
    store = SQLiteStore(folder / "statbotic.sqlite3")
    if custom:
        define_custom(store)
    count = seed_days(store, teams, date.today(), days, custom=custom)
    user = people.register(store, "bench", PASSWORD, default_team=teams[len(teams) // 2])  # the admin
    for name in teams[: len(teams) // 2] + teams[len(teams) // 2 + 1 :]:
        store.add_team(Team(name, name, user.created_at), by=None)
    token = services.issue_token(store, user)
    store_metrics = store.metric_definitions()
    store.close()
    size = (folder / "statbotic.sqlite3").stat().st_size / 2**20
    print(
        f"seeded {count:,} records ({len(teams)} team(s) x {days} days, {len(store_metrics)} metrics) "
        f"in {time.perf_counter() - started:.1f} s, "
        f"{size:.1f} MiB"
    )
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--metrics", type=int, choices=(7, 12), default=7, help="metrics defined (12: 5 custom)")
    parser.add_argument("--large-only", action="store_true", help="only the 100 teams x 3 years store")
    args = parser.parse_args()
    custom = args.metrics == 12
    view = [sys.executable, str(ROOT / "run.py"), "view", "last month", "--json"]
    baseline = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        stores = [
            ("10 years x 1 team", ["default"], 3653),
            ("100 teams x 3 years", [f"team-{n:03d}" for n in range(100)], 1096),
        ]
        for name, teams, days in stores[1:] if args.large_only else stores:
            folder = Path(tmp) / name.replace(" ", "")
            token = prepare(folder, teams, days, custom)
            name = f"{name}, {args.metrics} metrics"
            env = {
                "PATH": os.environ["PATH"],
                "HOME": tmp,
                "STATBOTIC_DATA_DIR": str(folder),
                "STATBOTIC_TEAM": teams[len(teams) // 2],
            }
            cases.append((f"{name}, token", view, {**env, "STATBOTIC_TOKEN": token}))
            password = {**env, "STATBOTIC_USER": "bench", "STATBOTIC_PASSWORD": PASSWORD}
            cases.append((f"{name}, password", view, password))
            if len(teams) > 1:
                cases.append((f"{name}, department, token", [*view, "--all-teams"], {**env, "STATBOTIC_TOKEN": token}))
        for label, view, env in cases:
            timed(view, env)  # warm-up
            base, run = [], []
            for _ in range(args.runs):
                base.append(timed(baseline, env))
                run.append(timed(view, env))
            b, r = statistics.median(base), statistics.median(run)
            print(f"{label:<46} python -c pass {b * 1000:6.1f} ms | view {r * 1000:6.1f} ms | ratio {r / b:5.2f}x")


if __name__ == "__main__":
    main()
