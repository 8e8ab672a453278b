"""`statbotic view "last month" --json` on the MongoDB store behind a network with added latency, this
code against earlier commits' (default: 89419f9, the first to write MongoDB schema 5), in the same run.
An earlier commit has to read the store this code seeds: commits before 89419f9 (schema 4, such as
3da9d64, from before round trips were cut) refuse a schema-4 store as written by a newer Statbotic.

A small TCP proxy stands between the app and the test's FerretDB wire server (or --mongodb-uri): it
holds each new connection for LATENCY (the TCP handshake a remote server costs) and delivers every
chunk LATENCY/2 late in each direction, so each request/reply round trip costs LATENCY more, as on a
remote cluster.  The store (3 years x 1 team, seeded through the store) and the token login are the
same for both versions.  Prints the round trips of one run (pymongo's command monitoring) and the
median wall time of whole processes, direct and through the proxy, with the ratios earlier / this.

    python benchmarks/mongo_latency.py [--runs 9] [--latency-ms 50] [--base REV]... [--mongodb-uri URI]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._seed import seed_days  # noqa: E402
from statbotic import people, services  # noqa: E402
from statbotic.storage.mongo import MongoStore  # noqa: E402

VIEW = ["view", "last month", "--json"]
# Runs the CLI of the code in CODE with a command listener; prints the commands it saw, as JSON, on stderr.
COUNTING = """
import json, sys
sys.path.insert(0, sys.argv.pop(1))
from pymongo import monitoring
seen = []
class Listener(monitoring.CommandListener):
    def started(self, event): seen.append(event.command_name)
    def succeeded(self, event): pass
    def failed(self, event): pass
monitoring.register(Listener())
from statbotic.cli import main
status = main(sys.argv[1:])
print("COMMANDS " + json.dumps(seen), file=sys.stderr)
raise SystemExit(status)
"""


class LatencyProxy:
    """A TCP proxy on 127.0.0.1 adding ``latency`` seconds to every round trip (see the module's text)."""

    def __init__(self, host: str, port: int, latency: float) -> None:
        self.upstream, self.latency = (host, port), latency
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def __enter__(self) -> "LatencyProxy":
        self.thread.start()
        self.ready.wait()
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()

    async def _serve(self, client_reader, client_writer) -> None:
        await asyncio.sleep(self.latency)  # the TCP handshake with a remote server: one round trip
        server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        await asyncio.gather(
            self._relay(client_reader, server_writer), self._relay(server_reader, client_writer), return_exceptions=True
        )

    async def _relay(self, reader, writer) -> None:
        """Copy one direction, each chunk delivered latency/2 after it arrived, in order."""
        chunks: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while (item := await chunks.get()) is not None:
                due, data = item
                await asyncio.sleep(max(0.0, due - self.loop.time()))
                writer.write(data)
                await writer.drain()
            writer.close()

        delivering = asyncio.ensure_future(deliver())
        try:
            while data := await reader.read(65536):
                chunks.put_nowait((self.loop.time() + self.latency / 2, data))
        finally:
            chunks.put_nowait(None)
            await delivering


def checkout(revision: str, folder: Path) -> Path:
    """The app's code at ``revision`` (statbotic/ and run.py), unpacked into ``folder``."""
    folder.mkdir()
    command = ["git", "archive", revision, "statbotic", "run.py"]
    archive = subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def with_port(uri: str, port: int) -> str:
    scheme, _, rest = uri.partition("://")
    hosts, _, path = rest.partition("/")
    return f"{scheme}://127.0.0.1:{port}/{path}"


def round_trips(code: Path, env: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", COUNTING, str(code), *VIEW], env=env, capture_output=True, text=True, check=True
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("COMMANDS "))
    return json.loads(line.removeprefix("COMMANDS "))


def median_ms(code: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(code / "run.py"), *VIEW], env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--base", action="append", help="an earlier commit to compare with (default: 89419f9)")
    parser.add_argument("--mongodb-uri")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server, uri = None, args.mongodb_uri
        if not uri:
            from tests.support.wireserver import WireServer, ensure_binary

            server = WireServer(ensure_binary(), Path(tmp) / "wire").start()
            uri = server.uri.rstrip("/") + "/bench_latency"
        try:
            store = MongoStore.connect(uri)
            count = seed_days(store, ["default"], date.today() - timedelta(days=1), 1096)
            user = people.register(store, "bench", "benchmark-password", default_team="default")
            token = services.issue_token(store, user)
            store.close()
            print(f"seeded {count:,} days (3 years, 1 team); {args.runs} runs each, medians")
            bases = args.base or ["89419f9"]
            versions = {rev: checkout(rev, Path(tmp) / f"base{n}") for n, rev in enumerate(bases)}
            versions["this code"] = ROOT
            host, port = uri.split("://")[1].split("/")[0].rsplit(":", 1)
            with LatencyProxy(host, int(port), args.latency_ms / 1000) as proxy:
                networks = {"direct": uri, f"+{args.latency_ms:g} ms": with_port(uri, proxy.port)}
                for network, address in networks.items():
                    env = {"PATH": os.environ["PATH"], "HOME": tmp, "MONGODB_URI": address, "STATBOTIC_TOKEN": token}
                    figures = {}
                    for name, code in versions.items():
                        trips = round_trips(code, env)
                        figures[name] = median_ms(code, env, args.runs)
                        print(f"{network:>9} | {name:<9} | {len(trips):2} round trips | {figures[name]:7.1f} ms")
                    for name in bases:
                        ratio = figures[name] / figures["this code"]
                        print(f"{network:>9} | ratio {name} / this code: {ratio:.2f}x")
        finally:
            if server:
                server.close()


if __name__ == "__main__":
    main()
