"""MongoStore: the client, its connection and its closing, and the parts that work on it (see
__init__.py)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pymongo
from pymongo.errors import ConfigurationError, InvalidURI

from ...environment import check_db_name
from ...errors import ConfigError
from ..base import Store
from .audit import AuditLog
from .days import Days
from .department import Department
from .errors import Failures
from .invites import Invites
from .logins import Logins
from .people import People
from .read_ahead import ReadAhead
from .schema import Startup
from .shares import Shares
from .targets import Targets
from .users import Users

TIMEOUT_MS = 5000  # a dead server is reported in seconds, not minutes


class MongoStore(
    Users, Logins, People, Invites, Shares, Department, Days, Targets, AuditLog, ReadAhead, Startup, Failures, Store
):
    """Store on a MongoDB database: collections ``users`` (users and, keyed by kind, the start-up marker,
    the department, each team's targets, invites and unknown names' login states: documents.py) and
    ``stats``.  ``team``: the team this session works for, whose targets the first user lookup reads
    ahead with the department (read_ahead.py)."""

    def __init__(self, client: pymongo.MongoClient, database: str, hosts: str, team: str | None = None) -> None:
        self._team = team
        self._read_ahead: tuple[float, dict | None] | None = None  # (when, the team's targets document)
        self._department_ahead: tuple[float, dict | None] | None = None  # (when, the department document)
        self._parsed_definitions: tuple[dict, tuple] | None = None  # (the department document, its definitions)
        self._day_ahead: tuple[str, str, dict | None] | None = None  # (team, date, the day get_day read)
        self._client = client
        self._db = client[database]
        self.hosts = hosts
        self.description = f"the MongoDB database {database!r} at {hosts}"
        self._started = False  # the start-up work is checked by the session's first operation
        # Wait for the driver to find the server (its own handshake, no command): a server that is down
        # is reported when the store opens, before anything is asked, not at the first operation.
        self._guard(lambda: client.is_mongos)

    @classmethod
    def connect(
        cls, uri: str, default_db_name: str = "statbotic", setting: str = "MONGODB_URI", team: str | None = None
    ) -> "MongoStore":
        """Parse the URI and connect with short timeouts (TLS via certifi where asked)."""
        parsed = parse_uri(uri, setting)
        options: dict[str, Any] = {
            "serverSelectionTimeoutMS": TIMEOUT_MS,
            "connectTimeoutMS": TIMEOUT_MS,
            "socketTimeoutMS": 4 * TIMEOUT_MS,
            "tz_aware": True,
            "tzinfo": UTC,
            "appname": "statbotic",
        }
        if uri.startswith("mongodb+srv://") or parsed["options"].get("tls") or parsed["options"].get("ssl"):
            import certifi

            options["tlsCAFile"] = certifi.where()
        client = pymongo.MongoClient(uri, **options)
        hosts = ", ".join(f"{host}:{port}" for host, port in parsed["nodelist"]) or "the configured host"
        try:
            return cls(client, parsed["database"] or default_db_name, hosts, team)
        except BaseException:
            client.close()
            raise

    def close(self) -> None:
        # pymongo's close() first sends endSessions for the sessions the client used: one more round trip
        # at every exit, for sessions the server forgets by itself after 30 idle minutes.  Taking them out
        # of the client's pool first skips it (pymongo's own step in close(); if a later pymongo lacks
        # it, close() simply ends them as before -- tests/contract/test_mongo_round_trips.py would tell).
        pop_all_sessions = getattr(getattr(self._client, "_topology", None), "pop_all_sessions", None)
        if pop_all_sessions is not None:
            pop_all_sessions()
        self._client.close()
        _no_wait_at_exit()


def _no_wait_at_exit() -> None:
    """Let the process end as soon as its work is done, once its client is closed.

    At exit pymongo joins its background threads (server monitor, cursor cleaner), and each notices it
    was stopped only at its next half-second tick: every command would wait up to 0.5 s (0.25 s on
    average) after its last line.  They are daemon threads, so the process may end without them: the
    join is dropped.  Where they are not (sub-interpreters), or if pymongo changes, its join stays.
    """
    import atexit

    from pymongo import periodic_executor
    from pymongo.synchronous import monitor

    join_at_exit = getattr(monitor, "_shutdown_resources", None)
    if join_at_exit is not None and getattr(periodic_executor, "_daemon_threads_allowed", lambda: False)():
        atexit.unregister(join_at_exit)


def parse_uri(uri: str, setting: str = "MONGODB_URI") -> dict:
    """pymongo's own URI parser; a bad URI, or a database name in it that MongoDB refuses (which pymongo
    lets through), becomes a ConfigError naming the setting (never echoing the URI)."""
    from pymongo import uri_parser

    try:
        parsed = uri_parser.parse_uri(uri, connect_timeout=TIMEOUT_MS / 1000)
    except (InvalidURI, ConfigurationError, ValueError) as problem:
        reason = str(problem).replace(uri, "<MONGODB_URI>")
        if "@" in reason or len(reason) > 200:  # never show credentials, even in part, nor a pasted essay
            reason = "it could not be parsed"
        raise ConfigError(
            f"{setting} is not a usable MongoDB connection string: {reason}. "
            "It looks like mongodb://host:27017/statbotic or mongodb+srv://user:pass@cluster/db."
        ) from None
    if parsed["database"] is not None:
        check_db_name(parsed["database"], f"The database named in {setting}")
    return parsed
