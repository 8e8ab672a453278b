"""The start-up work: the indexes and the documents' migrations, done once per schema version.

Round trips cost tens of milliseconds on a remote cluster, so a session spends few: the start-up work
(indexes, migration) is done once per schema version and recorded in a marker that the first login
brings back with the user (see Startup._start and read_ahead.py); ``_after_start`` makes every other
method check the marker first, with one find (which brings the department document too: the metric
definitions a day or a range needs), when no user lookup brought it already.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pymongo
from pymongo.errors import BulkWriteError, OperationFailure

from ...builtin_metrics import BUILTIN_DEFINITIONS, from_legacy
from ...errors import StoreUnavailable
from ...metric_kinds import definition_values, stored_values
from ...metrics import named_sums
from ...records import LEAD
from .documents import DEPARTMENT_ID, LIVE, MARKER_ID, METRICS, NO_HISTORY, TARGETS_KIND, USER, VALUES, value_row
from .errors import T, _is_duplicate

# 3: every figure an exact integer (the same change as the SQLite store's schema v3).  Stores made
# before there was a version are 2.  4: people (admin, teams and roles), team records, registration.
# 5: metrics as data: the definitions in the department document, a day's values by metric.
# 6: a day's agents and sources (day_documents.py).  New optional fields, so nothing is migrated; the
# version is raised so that an older Statbotic refuses the store rather than save a day's team figures
# without its agent rows (the team's figure would no longer be the sum of its agents').
# 7: share links (documents of ``users``, documents.share_id).  Nothing to migrate; raised so that an older
# Statbotic refuses the store rather than copy or serve it without knowing its shares.
SCHEMA_VERSION = 7

# Schema 4's figures of a day (the entered ones, and the wait's total), which schema 5 keeps in ``values``.
LEGACY_FIELDS = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good", "wait_tenths_total")
MIGRATION_BATCH = 1000  # day documents converted per bulk write


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
            self._start_alone()
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


def builtin_definitions() -> dict[str, dict]:
    """The built-in definitions as the department document keeps them (``metrics``): schema 5's seed."""
    return {d.key: definition_values(d) for d in BUILTIN_DEFINITIONS}


def _legacy_values(document: dict) -> dict:
    """A schema-4 day's figures as schema 5's ``values`` (every built-in has a value that day)."""
    rows = stored_values(BUILTIN_DEFINITIONS, from_legacy(document))
    return {key: value_row(*row) for key, row in rows.items()}


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

    def _start_alone(self) -> None:
        """The start-up check of a session whose first operation is no user lookup: one find of the marker,
        which brings the department document along (the definitions a day or a range needs)."""
        query = {"_id": {"$in": [MARKER_ID, DEPARTMENT_ID]}}
        found = {d["_id"]: d for d in self._guard(lambda: list(self._db.users.find(query, NO_HISTORY)))}
        self._department_ahead = (time.monotonic(), found.get(DEPARTMENT_ID))
        self._start(found.get(MARKER_ID))

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
        if version < 4:
            self._migrate_people()
        if version < 5:
            self._migrate_metrics()
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

    def _migrate_metrics(self) -> None:
        """Schema 5: the built-in definitions seeded into the department document (when there is one);
        each day's figures (schema 4's fields) copied into ``values`` (builtin_metrics.from_legacy,
        metric_kinds.stored_values) by bulk writes of MIGRATION_BATCH; each team's sums checked against the
        old fields; then the old fields unset.  Not audited.  Idempotent, and safe to stop and run again:
        the seed is written only when there is none, a document that has ``values`` is not converted again,
        and the old fields go only after every team's sums were found equal."""

        def seed(department: dict) -> dict | None:
            # A store without a department document (a new one) gets none here: its first user's claim
            # must insert it (the one write two first registrations can't both win, on every server; see
            # People.add_first_user), and a department without definitions reads as the built-ins.
            if not department or METRICS in department:
                return None
            return {"$set": {METRICS: builtin_definitions()}}

        self._change_department(seed)
        old = {"comments": {"$exists": True}}  # a live day of schema 4 (a tombstone has no figures)
        projection = {"_id": 1, **dict.fromkeys(LEGACY_FIELDS, 1)}
        cursor = self._db.stats.find({**old, VALUES: {"$exists": False}}, projection, batch_size=MIGRATION_BATCH)
        batch = []
        for document in cursor:
            batch.append(
                pymongo.UpdateOne(
                    {"_id": document["_id"], VALUES: {"$exists": False}}, {"$set": {VALUES: _legacy_values(document)}}
                )
            )
            if len(batch) == MIGRATION_BATCH:
                self._converted(batch)
                batch = []
        if batch:
            self._converted(batch)
        self._check_converted_sums({**old, **LIVE})
        self._db.stats.update_many({**old, VALUES: {"$exists": True}}, {"$unset": dict.fromkeys(LEGACY_FIELDS, "")})

    def _converted(self, batch: list) -> None:
        try:
            self._db.stats.bulk_write(batch, ordered=False)
        except BulkWriteError as failure:  # a refusal by the server (a day converted meanwhile just matches nothing)
            raise self._unavailable(failure) from failure

    def _check_converted_sums(self, query: dict) -> None:
        """Every team's sums of the converted days, from ``values`` as a range reads them, equal to the sums
        of their old fields; else StoreUnavailable (nothing unset: the next start tries again)."""
        projection = {"_id": 0, "team": 1, VALUES: 1, **dict.fromkeys(LEGACY_FIELDS, 1)}
        old: dict[str, dict[str, int]] = {}
        new: dict[str, dict[str, list[int]]] = {}
        for document in self._db.stats.find(query, projection, batch_size=MIGRATION_BATCH):
            sums = old.setdefault(document["team"], dict.fromkeys(LEGACY_FIELDS, 0))
            for field in LEGACY_FIELDS:
                sums[field] += int(document[field])
            rows = new.setdefault(document["team"], {})
            for key, row in document.get(VALUES, {}).items():
                summed = rows.setdefault(key, [0, 0, 0])
                summed[0] += int(row["value"])
                summed[1] += int(row.get("total", 0))
                summed[2] += int(row.get("base", 0))
        for team, sums in old.items():
            expected = {field: sums[field] for field in LEGACY_FIELDS if field != "wait_tenths"}
            expected.update({"wait_seconds.items": sums["chats"], "csat_percent.base": sums["csat_ratings"]})
            found = named_sums(BUILTIN_DEFINITIONS, {k: tuple(v) for k, v in new.get(team, {}).items()})
            if found != expected:
                raise StoreUnavailable(
                    f"{self.description}: the figures of team {team!r} did not come out the same when Statbotic "
                    "moved them to the metrics of schema 5, so it changed nothing more. Please report this."
                )

    def _newer(self, version: int) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.description} was written by a newer Statbotic (schema {version}); please upgrade."
        )
