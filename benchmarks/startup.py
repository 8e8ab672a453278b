"""Start-up time: launch of `python run.py` to its first prompt, as a ratio to `python -c pass`.

Both are measured in the same run, interleaved, median of N runs.  Target: <= 3x on the SQLite
default.  The store and the screens load on the first menu choice, so the time from launch to the
"Username:" prompt after choosing 1 is printed too.  With --mongodb-uri URI (or --wire-server,
which starts the FerretDB test server) it also measures start-up on the MongoDB store.

    python benchmarks/startup.py [--runs 21] [--wire-server | --mongodb-uri URI]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPT = b"Choose an option: "
LOGIN_PROMPT = b"Username: "


def time_baseline() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def read_until(child: subprocess.Popen, marker: bytes, seen: bytes) -> bytes:
    while marker not in seen:
        chunk = os.read(child.stdout.fileno(), 65536)
        if not chunk:
            raise SystemExit(f"the app exited before {marker!r}: {seen[-300:]!r}")
        seen += chunk
    return seen


def time_to_prompt(env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Seconds from launch to the first prompt, and to the login prompt after choosing 1."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    seen = read_until(child, PROMPT, b"")
    first = time.perf_counter() - started
    child.stdin.write(b"1\n")
    child.stdin.flush()
    read_until(child, LOGIN_PROMPT, seen)
    login = time.perf_counter() - started
    child.communicate(b"", timeout=30)
    return first, login


def measure(label: str, env: dict[str, str], cwd: str, runs: int) -> None:
    time_to_prompt(env, cwd)  # warm-up: first run renders and caches the logo, creates the data file
    base, first, login = [], [], []
    for _ in range(runs):
        base.append(time_baseline())
        f, g = time_to_prompt(env, cwd)
        first.append(f)
        login.append(g)
    b, a, c = statistics.median(base), statistics.median(first), statistics.median(login)
    print(
        f"{label:<28} python -c pass {b * 1000:6.1f} ms | first prompt {a * 1000:6.1f} ms, ratio {a / b:4.2f}x | "
        f"login prompt after '1' {c * 1000:6.1f} ms, ratio {c / b:4.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--mongodb-uri")
    parser.add_argument("--wire-server", action="store_true", help="start the FerretDB test server (needs Go)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": tmp,
            "NO_COLOR": "1",
            "PYTHONPATH": str(ROOT),
            "STATBOTIC_DATA_DIR": str(Path(tmp) / "data"),
        }
        print(f"median of {args.runs} runs, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        measure("SQLite (default)", env, tmp, args.runs)
        uri, server = args.mongodb_uri, None
        if args.wire_server:
            sys.path.insert(0, str(ROOT))
            from tests.support.wireserver import WireServer, ensure_binary

            server = WireServer(ensure_binary(), Path(tmp) / "wire").start()
            uri = server.uri.rstrip("/") + "/bench"
        if uri:
            try:
                measure("MongoDB (MONGODB_URI set)", {**env, "MONGODB_URI": uri}, tmp, args.runs)
            finally:
                if server:
                    server.close()


if __name__ == "__main__":
    main()
