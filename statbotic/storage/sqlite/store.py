"""SQLiteStore: one connection to one SQLite file, and the parts that work on it (see __init__.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ... import private
from ..base import Store
from .audit import AuditLog
from .days import Days
from .definitions import Definitions
from .errors import _guard
from .invites import Invites
from .logins import Logins
from .people import People
from .schema import _migrate
from .shares import Shares
from .targets import Targets
from .teams import Teams
from .users import Users

BUSY_TIMEOUT_SECONDS = 5.0


class SQLiteStore(Users, Logins, People, Invites, Shares, Teams, Definitions, Days, Targets, AuditLog, Store):
    """Store on one SQLite file.  Each write is one transaction, with its audit entry when it has one.

    The folder is created 0700 and the file 0600 (so are its -wal and -shm: SQLite gives them the
    file's mode); ``warnings`` names those that existed already readable by other users."""

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.description = f"the data file {path}"
        self._conn = _guard(self, lambda: self._connect())

    def _connect(self) -> sqlite3.Connection:
        private.make_folder(self.path.parent)
        self.warnings = self._readable_by_others()
        private.create_file(self.path)
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            _migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _readable_by_others(self) -> tuple[str, ...]:
        """What other users can read of the folder, the file and its -wal and -shm, before we open them."""
        found = [private.readable_by_others(self.path.parent, "The data folder")]
        found += [
            private.readable_by_others(Path(f"{self.path}{end}"), "The data file") for end in ("", "-wal", "-shm")
        ]
        return tuple(sentence for sentence in found if sentence)

    def close(self) -> None:
        self._conn.close()
