"""The start-up work: the indexes and the documents' migrations, done once per schema version.

Round trips cost tens of milliseconds on a remote cluster, so a session spends few: the start-up work
(indexes, migration) is done once per schema version and recorded in a marker that the first login
brings back with the user (see Startup._start and read_ahead.py); ``_after_start`` makes every other
method check the marker first, with one find, when no user lookup brought it already.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime

import pymongo
from pymongo.errors import OperationFailure

from ...errors import StoreUnavailable
from ...records import LEAD
from .documents import MARKER_ID, TARGETS_KIND, USER
from .errors import T, _is_duplicate

# 3: every figure an exact integer (the same change as the SQLite store's schema v3).  Stores made
# before there was a version are 2.  4: people (admin, teams and roles), team records, registration.
SCHEMA_VERSION = 4


INDEXES = {
    "users": (
        pymongo.IndexModel([("username_key", pymongo.ASCENDING)], unique=True, name="username_key_unique"),
        pymongo.IndexModel([("token_hash", pymongo.ASCENDING)], name="token_hash"),
        pymongo.IndexModel([("audited_at", pymongo.ASCENDING)], name="audited_at"),
    ),
    "stats": (
        pymongo.IndexModel(
            [("team", pymongo.ASCENDING), ("date", pymongo.ASCENDING)], unique=True, name="team_date_unique"
        ),
        pymongo.IndexModel([("audited_at", pymongo.ASCENDING)], name="audited_at"),
    ),
}
# What the marker says was made: a new index here makes every store create its indexes once more.
INDEX_NAMES = sorted(f"{name}.{index.document['name']}" for name, indexes in INDEXES.items() for index in indexes)


def _after_start(method: Callable[..., T]) -> Callable[..., T]:
    """A store method that needs the start-up work done first (one find of the marker, once per session,
    when no user lookup brought it already; see MongoStore._start)."""

    @functools.wraps(method)
    def run(self: "Startup", *args, **kwargs) -> T:
        if not self._started:
            self._start(self._guard(lambda: self._db.users.find_one({"_id": MARKER_ID})))
        return method(self, *args, **kwargs)

    return run


def _exact_integers(document: dict) -> dict:
    """A day written before schema 3, converted: the wait in tenths of a second (its shortest decimal
    rounded half up), the stored count of positive ratings kept."""
    from ...exact import fraction_of, round_half_up

    tenths = int(round_half_up(fraction_of(repr(float(document["wait_seconds"]))) * 10))
    ratings = int(document["csat_ratings"])
    return {
        "wait_tenths": tenths,
        "wait_tenths_total": tenths * int(document["chats"]),
        "csat_good": min(int(document["csat_good"]), ratings),
    }


class Startup:
    """MongoStore's start-up work and migrations (see store.py)."""

    def _start(self, marker: dict | None) -> bool:
        """Check the start-up marker, read with the session's first user lookup (or alone, by _after_start).

        When it names this schema version and these indexes there is nothing to do.  Otherwise create the
        indexes, migrate the documents, then record the marker: each step is idempotent, so two processes
        starting at once on a new or older store are both safe, and a process stopped half-way leaves no
        marker, so the next start does it all again.  A store whose index was dropped by hand afterwards
        is caught when a read finds one day twice (see _duplicate_day).  True when documents were migrated
        (what was read with the marker may be of the old shape).
        """
        migrated = False
        version = (marker or {}).get("version", 0)
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        if version != SCHEMA_VERSION or marker.get("indexes") != INDEX_NAMES:
            self._guard(self._ensure_indexes)
            migrated = self._guard(self._migrate)
            self._department_ahead = None  # read before the migration: it may have made it
            record = {"$set": {"version": SCHEMA_VERSION, "indexes": INDEX_NAMES}}
            self._upsert(lambda: self._db.users.update_one({"_id": MARKER_ID}, record, upsert=True))
        self._started = True
        return migrated

    def _ensure_indexes(self) -> None:
        # createIndexes is idempotent: an index that exists with the same keys and options is left alone.
        # One index a command: FerretDB v1 drops the connection when several of them exist already.
        for collection, index in ((name, index) for name, indexes in INDEXES.items() for index in indexes):
            try:
                self._db[collection].create_indexes([index])
            except OperationFailure as failure:
                if not _is_duplicate(failure):
                    raise
                raise StoreUnavailable(
                    f"{self.description} can't make its unique index on {collection}: two documents there "
                    f"share a key ({(failure.details or {}).get('errmsg', 'duplicate key')}). "
                    "Delete one of them, then start Statbotic again."
                ) from None

    def _migrate(self) -> bool:
        """Bring the documents up to SCHEMA_VERSION (recorded in ``meta``); safe to run from several
        processes at once: each document is converted at most once (its filter needs the old shape).
        True when there was something to migrate."""
        schema = self._db.meta.find_one({"_id": "schema"}) or {}  # read by every Statbotic before the marker
        version = schema.get("version", 2)
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        if version == SCHEMA_VERSION:
            return False
        if version < 3:
            for document in self._db.stats.find({"wait_tenths": {"$exists": False}}):
                converted = _exact_integers(document)
                self._db.stats.update_one(
                    {"_id": document["_id"], "wait_tenths": {"$exists": False}},
                    {"$set": converted, "$unset": {"wait_seconds": "", "csat_percent": "", "wait_seconds_total": ""}},
                )
        self._migrate_people()
        self._upsert(
            lambda: self._db.meta.update_one({"_id": "schema"}, {"$set": {"version": SCHEMA_VERSION}}, upsert=True)
        )
        return True

    def _migrate_people(self) -> None:
        """Schema 4: a team record for each team with days or targets, the oldest user admin and first
        user, every user a lead of every team; no registration saved (it reads as invite only).  Not
        audited (nobody changed anything).  Each step is idempotent: teams are added only when missing
        (a compare-and-set on the department), a user is converted only while it has no ``teams``."""
        names = set(self._db.stats.distinct("team"))
        names |= {d["team"] for d in self._db.users.find({"kind": TARGETS_KIND}, {"team": 1})}
        users = list(
            self._db.users.find(USER, {"_id": 1, "username": 1}, sort=[("created_at", 1), ("username_key", 1)])
        )
        now = datetime.now(UTC).replace(microsecond=0)

        def add_missing(department: dict) -> dict | None:
            have = {team["name"] for team in department.get("teams", ())}
            missing = [{"name": n, "display_name": n, "created_at": now} for n in sorted(names - have)]
            change: dict = {"$set": {}}
            if missing:
                change["$set"]["teams"] = sorted([*department.get("teams", ()), *missing], key=lambda t: t["name"])
            if users and "first_user" not in department:
                change["$set"]["first_user"] = users[0]["username"]
            return change if change["$set"] else None

        self._change_department(add_missing)
        leads = [{"team": name, "role": LEAD} for name in sorted(names)]
        for number, user in enumerate(users):
            self._db.users.update_one(
                {"_id": user["_id"], "teams": {"$exists": False}},
                {"$set": {"teams": leads, "admin": number == 0, "disabled": False}},
            )

    def _newer(self, version: int) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.description} was written by a newer Statbotic (schema {version}); please upgrade."
        )
