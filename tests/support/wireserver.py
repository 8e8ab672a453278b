"""A real MongoDB-wire test server for the test suite.

The server is our own tiny Go program in ``tests/wireserver`` that embeds
FerretDB v1.24.2 (package ``github.com/FerretDB/FerretDB/ferretdb``) with its
SQLite backend.  :func:`ensure_binary` builds it once with ``go build`` into a
cache directory and :class:`WireServer` runs it::

    binary = ensure_binary()               # raises WireServerUnavailable
    with WireServer(binary, tmp_path / "db") as server:
        client = pymongo.MongoClient(server.uri)
        ...
        server.restart()                   # same port, same data directory

Only the standard library is used at import time; pymongo is imported lazily
by :func:`ping` (and so by :meth:`WireServer.start`).  POSIX only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pathlib
import platform
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from typing import IO, NoReturn

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX; atomic rename still protects
    fcntl = None  # type: ignore[assignment]

__all__ = ["WireServerUnavailable", "ensure_binary", "ping", "WireServer", "SOURCE_DIR"]

SOURCE_DIR = pathlib.Path(__file__).resolve().parent.parent / "wireserver"
SOURCE_FILES = ("go.mod", "go.sum", "main.go")

# The postgresql backend is compiled out: smaller and faster build.
BUILD_FLAGS = ("-tags", "ferretdb_no_postgresql", "-trimpath", "-buildvcs=false")

# The first build downloads FerretDB's modules and compiles a pure-Go SQLite
# (modernc.org/sqlite): about 1.5-2 minutes on 2 cores with a warm module cache.
BUILD_TIMEOUT = float(os.environ.get("STATBOTIC_WIRESERVER_BUILD_TIMEOUT", "1800"))

_TAIL_LINES = 25


class WireServerUnavailable(Exception):
    """The wire server cannot be built or started; ``str()`` is the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _tail(text: str, lines: int = _TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def cache_dir() -> pathlib.Path:
    env = os.environ.get("STATBOTIC_TEST_CACHE")
    return pathlib.Path(env) if env else pathlib.Path.home() / ".cache" / "statbotic-tests"


def _source_digest() -> str:
    h = hashlib.sha256()
    for name in SOURCE_FILES:
        path = SOURCE_DIR / name
        try:
            data = path.read_bytes()
        except OSError as e:
            raise WireServerUnavailable(f"cannot read {path}: {e}") from e
        h.update(name.encode() + b"\0" + data + b"\0")
    h.update(" ".join(BUILD_FLAGS).encode())
    h.update(f"{sys.platform}-{platform.machine()}".encode())
    return h.hexdigest()[:16]


def _is_executable(path: pathlib.Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _build_env(cache: pathlib.Path) -> dict[str, str]:
    env = dict(os.environ)
    # Pure-Go build: no C compiler needed, static binary.
    env["CGO_ENABLED"] = "0"
    # Without HOME (and no explicit settings) the go command has no GOPATH or
    # GOCACHE and refuses to build; keep them in our cache directory then.
    if not env.get("HOME"):
        env.setdefault("GOPATH", str(cache / "gopath"))
        env.setdefault("GOCACHE", str(cache / "gocache"))
    return env


def _run_build(go: str, output: pathlib.Path, cache: pathlib.Path) -> None:
    cmd = [go, "build", *BUILD_FLAGS, "-o", str(output), "."]
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=SOURCE_DIR,
            env=_build_env(cache),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a timeout can kill go and its compilers
        )
    except OSError as e:
        raise WireServerUnavailable(f"cannot run {go}: {e}") from e
    try:
        out, _ = proc.communicate(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise WireServerUnavailable(
            f"go build timed out after {BUILD_TIMEOUT:.0f}s:\n" + _tail(out.decode(errors="replace"))
        ) from None
    if proc.returncode != 0:
        raise WireServerUnavailable(
            f"go build failed (exit {proc.returncode}):\n" + _tail(out.decode(errors="replace"))
        )
    if not _is_executable(output):
        raise WireServerUnavailable(f"go build succeeded but {output} is missing")


def ensure_binary() -> pathlib.Path:
    """Return the path of the built wire server, building it if needed.

    The file name holds a hash of go.mod, go.sum and main.go (and the build
    flags), so editing them makes a new build.  Concurrent callers are
    serialised by a lock file and the binary is moved into place atomically.
    """
    binary_name = f"wireserver-{_source_digest()}"
    cache = cache_dir()
    target = cache / binary_name
    if _is_executable(target):
        return target

    go = shutil.which("go")
    if go is None:
        raise WireServerUnavailable("go not found on PATH")

    try:
        cache.mkdir(parents=True, exist_ok=True)
        lock = open(cache / f"{binary_name}.lock", "w")  # noqa: SIM115  (held until the build ends)
    except OSError as e:
        raise WireServerUnavailable(f"cannot use cache directory {cache}: {e}") from e

    with lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it
        if _is_executable(target):
            return target
        tmp = cache / f"{binary_name}.tmp-{os.getpid()}"
        try:
            _run_build(go, tmp, cache)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return target


def ping(uri: str, timeout: float = 1.0) -> bool:
    """Return True if a MongoDB ``ping`` to *uri* succeeds within *timeout* seconds."""
    try:
        import pymongo
        from pymongo.errors import PyMongoError
    except ImportError as e:
        raise WireServerUnavailable(f"pymongo is not installed: {e}") from e

    ms = max(1, int(timeout * 1000))
    client = pymongo.MongoClient(
        uri,
        directConnection=True,
        serverSelectionTimeoutMS=ms,
        connectTimeoutMS=ms,
        socketTimeoutMS=ms,
    )
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


class WireServer:
    """One wire server process serving *data_dir* (created if missing).

    :meth:`start` picks a free port the first time; later starts (for
    example :meth:`restart`) reuse that port, so a client's URI stays valid.

    On :meth:`stop` the server closes its listening socket at once and then
    waits at most *stop_grace* seconds for open client connections (FerretDB
    alone would wait 3 s whenever any pymongo client is connected) before
    exiting and dropping them, much like a server that went away.  Committed
    data survives; the same *data_dir* is used again on the next start.
    """

    def __init__(
        self,
        binary: os.PathLike[str] | str,
        data_dir: os.PathLike[str] | str,
        *,
        host: str = "127.0.0.1",
        start_timeout: float = 30.0,
        stop_grace: float = 0.5,
        stop_timeout: float = 10.0,
    ) -> None:
        self.binary = pathlib.Path(binary)
        self.data_dir = pathlib.Path(data_dir)
        self.host = host
        self.start_timeout = start_timeout
        self.stop_grace = stop_grace
        self.stop_timeout = stop_timeout
        self.port: int | None = None
        self.uri: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    # -- state -------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stderr_text(self) -> str:
        """What the current (or last) process wrote to stderr."""
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> "WireServer":
        if self.running:
            raise RuntimeError("wire server is already running")
        self._cleanup()
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                self._launch(deadline)
                break
            except _AddressInUse as e:
                # On restart the old port may be briefly unavailable; retry it.
                if time.monotonic() + 0.2 >= deadline:
                    raise WireServerUnavailable(str(e)) from None
                time.sleep(0.2)

        assert self.uri is not None
        while not self._ping_once(deadline):
            if not self.running:
                self._fail("wire server exited before answering ping")
            if time.monotonic() >= deadline:
                self._fail(f"wire server at {self.uri} did not answer ping within {self.start_timeout:.0f}s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGTERM the server process, wait, SIGKILL if it does not exit."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=self.stop_grace + self.stop_timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()

    def restart(self) -> "WireServer":
        """Stop and start again on the same port with the same data directory."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop the server and release its stderr buffer."""
        self.stop()
        self._cleanup()

    def __enter__(self) -> "WireServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------

    def _cleanup(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._proc = None

    def _fail(self, message: str) -> NoReturn:
        err = _tail(self.stderr_text())
        self.stop()
        raise WireServerUnavailable(message + (f":\n{err}" if err else ""))

    def _ping_once(self, deadline: float) -> bool:
        assert self.uri is not None
        try:
            return ping(self.uri, timeout=min(1.0, max(0.1, deadline - time.monotonic())))
        except WireServerUnavailable:  # pymongo missing: do not leave the server running
            self.stop()
            raise

    def _launch(self, deadline: float) -> None:
        listen = f"{self.host}:{self.port or 0}"
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the server)
        try:
            self._proc = subprocess.Popen(
                [
                    str(self.binary),
                    "-dir",
                    str(self.data_dir),
                    "-listen",
                    listen,
                    "-stop-grace",
                    f"{max(0, int(self.stop_grace * 1000))}ms",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                bufsize=0,
                start_new_session=True,  # own process group: no terminal signals
            )
        except OSError as e:
            self._cleanup()
            raise WireServerUnavailable(f"cannot run {self.binary}: {e}") from e

        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        buf = b""
        while b"\n" not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail(f"wire server printed no URI within {self.start_timeout:.0f}s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:  # EOF: the process exited
                self._proc.wait()
                err = self.stderr_text()
                if "address already in use" in err:
                    self.stop()
                    self._cleanup()
                    raise _AddressInUse(f"port {listen} is in use:\n{_tail(err)}")
                self._fail(f"wire server exited with code {self._proc.returncode}")
            buf += chunk

        uri = buf.split(b"\n", 1)[0].decode().strip()
        port = urllib.parse.urlsplit(uri).port
        if not uri.startswith("mongodb://") or port is None:
            self._fail(f"wire server printed an unexpected line: {uri!r}")
        self.uri = uri
        self.port = port


class _AddressInUse(Exception):
    pass
