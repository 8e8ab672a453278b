"""The shared store: MongoDB (or Atlas, FerretDB...) through pymongo.

Imported only when MONGODB_URI is set (see storage/__init__.py).  Uses the portable subset
that MongoDB, Atlas and FerretDB v1 all run: single-document atomic upserts, unique indexes and
indexed range finds; sums and divisions happen in Python (see range_totals and reports.py).
No transactions.  Messages name the hosts, never the URI (it may hold a password).

The audit log lives in the documents it is about: each audited change $push-es its entry onto the
changed document's ``history`` array (and sets ``audited_at``) in the same single-document update as
the change itself.  A single document's update is atomic on every one of those servers, so that is the
transaction here: the change and its entry are written together or not at all.  An entry keeps the
values after the change; the values before are the previous entry's (see _day_entries, _target_entries).
Reads of days, users and targets leave ``history`` out (projection), so it costs them nothing.
A deleted day stays as a tombstone (``deleted_at``, no figures) so that its history stays with it;
every read of days leaves tombstones out.

People (schema 4).  A user's document holds ``admin``, ``teams`` (a list of {team, role}: team names
are free text, and a "." or a leading "$" in a field name is not portable), ``disabled``, ``email``,
``reset`` ({hash, expires_at}) and ``access_version`` (a counter for update_user's compare-and-set).
The ``department`` document (see DEPARTMENT_ID) holds the teams (a list of {name, display_name,
created_at}), the registration setting, the first user and a ``version`` counter: every change to it
reads it and writes it only if the version is still the one read (a compare-and-set, retried).
Each invite is a document ``invite:<code hash>``.  An entry of these newer kinds names its own team,
subject, before and after (see _entries).

Round trips cost tens of milliseconds on a remote cluster, so a session spends few: the start-up work
(indexes, migration) is done once per schema version and recorded in a marker that the first login
brings back with the user (see _start), and every read is one find answered in one batch.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pymongo
from pymongo.errors import (
    BulkWriteError,
    ConfigurationError,
    ConnectionFailure,
    DuplicateKeyError,
    InvalidURI,
    OperationFailure,
    PyMongoError,
)

from .. import records
from ..auth import username_key
from ..environment import check_db_name
from ..errors import ConfigError, DuplicateTeam, DuplicateUser, InvalidInput, LastAdmin, StoreUnavailable
from ..frozen import replace
from ..metrics import COMPONENT_KEYS, ENTRY_KEYS, typed_entry
from ..records import (
    LEAD,
    AuditEntry,
    DayRecord,
    Invite,
    LoginState,
    RangeTotals,
    Registration,
    Target,
    Team,
    User,
    invite_values,
    registration_values,
    target_values,
    user_values,
)
from ..throttle import quiet_after
from .base import Store

TIMEOUT_MS = 5000  # a dead server is reported in seconds, not minutes
DUPLICATE_KEY_CODES = {11000, 11001}
FERRETDB_V1_DUPLICATE_CODE = 1  # FerretDB v1 reports an update that collides with a unique index as code 1
AUTH_FAILED_CODES = {18, 8000}
# 3: every figure an exact integer (the same change as the SQLite store's schema v3).  Stores made
# before there was a version are 2.  4: people (admin, teams and roles), team records, registration.
SCHEMA_VERSION = 4
# The start-up marker: a document of ``users`` (every session's first read is a user), never a user.
MARKER_ID = "schema"
# Each team's targets: one document of ``users`` too, so the login's find brings the configured team's
# targets along (a view is then two round trips: that find and the range read).  Its username_key is
# its _id, which no username can be (":" is not allowed in one), so the unique index keeps working.
TARGETS_KIND = "targets"
DEPARTMENT_BATCH = 100_000  # documents in a department read's first reply (the server caps a reply at 16 MiB)
READ_AHEAD_SECONDS = 10  # targets read with the login serve the next get_targets this soon after it
# The department: teams, registration and the first user, in one document of ``users`` read ahead by the
# login's find too.  A username may be "department", so its username_key carries the ":" no username has.
DEPARTMENT_ID = "department"
DEPARTMENT_KEY = "department:"
INVITE_KIND = "invite"
CAS_ATTEMPTS = 20  # a compare-and-set lost this many times in a row means something is wrong: say so


def targets_id(team: str) -> str:
    return f"{TARGETS_KIND}:{team}"


# Login throttling (throttle.py): a user's LoginState is the ``login`` field of the user's document, so the
# login's find brings it; an unknown name's is a small document of ``users`` of its own, found by the same
# find, keyed like a targets document (its username_key is its _id; ":" is in no username).  A failure
# deletes the unknown names' documents that no longer matter (quiet_after passed): their number stays
# bounded by the names tried in the last throttle.MAX_LOCK + throttle.WINDOW minutes.
LOGIN_KIND = "login"


def login_id(key: str) -> str:
    return f"{LOGIN_KIND}:{key}"


def invite_id(code_hash: str) -> str:
    return f"{INVITE_KIND}:{code_hash}"


USER = {"password_hash": {"$exists": True}}  # a user's document, never another kind
LIVE = {"deleted_at": {"$exists": False}}  # a day's document that is not a tombstone


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
T = TypeVar("T")
NO_HISTORY = {"history": 0}  # what every read but the audit log's leaves out


def _after_start(method: Callable[..., T]) -> Callable[..., T]:
    """A store method that needs the start-up work done first (one find of the marker, once per session,
    when no user lookup brought it already; see MongoStore._start)."""

    @functools.wraps(method)
    def run(self: "MongoStore", *args, **kwargs) -> T:
        if not self._started:
            self._start(self._guard(lambda: self._db.users.find_one({"_id": MARKER_ID})))
        return method(self, *args, **kwargs)

    return run


class MongoStore(Store):
    """Store on a MongoDB database: collections ``users`` (users, the start-up marker and each team's
    targets) and ``stats``.  ``team``: the team this session works for, whose targets the first user
    lookup reads ahead."""

    def __init__(self, client: pymongo.MongoClient, database: str, hosts: str, team: str | None = None) -> None:
        self._team = team
        self._read_ahead: tuple[float, dict | None] | None = None  # (when, the team's targets document)
        self._department_ahead: tuple[float, dict | None] | None = None  # (when, the department document)
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

    # users
    @_after_start
    def add_user(self, user: User, audit: bool = True, by: str | None = None) -> None:
        entries = []
        if audit:  # the entry is inside the user's document: inserted with it
            action = records.USER_REGISTERED if by is None else records.USER_ADDED
            entries.append(_entry(user.created_at, by or user.username, action, after=user_values(user)))
        self._insert_user(user, entries)

    def _insert_user(self, user: User, entries: list[dict]) -> None:
        """Insert the user's document with every field of User and these history entries."""
        document = {
            "username_key": username_key(user.username),
            "username": user.username,
            "password_hash": user.password_hash,
            "created_at": user.created_at,
            **_access(user.admin, user.teams, user.disabled),
            "email": user.email,
        }
        if entries:
            document.update(audited_at=max(e["at"] for e in entries), history=entries)
        try:
            self._guard(lambda: self._db.users.insert_one(document))
        except OperationFailure as failure:
            if _is_duplicate(failure):
                raise DuplicateUser(f"The username {user.username!r} is taken.") from None
            raise self._unavailable(failure) from failure

    @_after_start
    def add_first_user(self, user: User, team: Team) -> bool:
        """Claims the department's ``first_user`` (a compare-and-set: of two first registrations one
        wins), adding the team with its entry in the same write, then inserts the user.  A plain add_user
        racing with it is not held back (it claims nothing): only first registrations are serialised.  A
        process stopped between the two writes leaves the claim without its user; the same name may
        then claim again."""
        if self.has_users():
            return False
        name = user.username

        def claim(department: dict) -> dict | None:
            if department.get("first_user", name) != name:
                return None
            change: dict = {"$set": {"first_user": name}}
            if all(t["name"] != team.name for t in department.get("teams", ())):
                change["$set"]["teams"] = _with_team(department, team)
                after = {"display_name": team.display_name}
                change = _audited(
                    change, _entry(team.created_at, name, records.TEAM_CREATED, team.name, team.name, after=after)
                )
            return change

        if not self._change_department(claim):
            return False
        entry = _entry(user.created_at, name, records.USER_REGISTERED, after=user_values(user))
        self._insert_user(user, [entry])
        return True

    @_after_start
    def has_users(self) -> bool:
        return self._guard(lambda: self._db.users.find_one(USER, {"_id": 1})) is not None

    @_after_start
    def update_user(
        self,
        username: str,
        *,
        by: str,
        at: datetime,
        admin: bool | None = None,
        teams: Mapping[str, str] | None = None,
        disabled: bool | None = None,
    ) -> User | None:
        """A compare-and-set on the user's ``access_version``.  LastAdmin is checked by a find of another
        enabled admin just before the write (no transactions): two admins demoting each other at the same
        moment could both pass it -- the one race left, and an admin can always be made again by hand."""
        key = username_key(username)
        for _ in range(CAS_ATTEMPTS):
            document = self._guard(lambda: self._db.users.find_one({"username_key": key, **USER}, NO_HISTORY))
            if document is None:
                return None
            before = _user(document)
            after = replace(
                before,
                admin=before.admin if admin is None else admin,
                teams=before.teams if teams is None else dict(teams),
                disabled=before.disabled if disabled is None else disabled,
            )
            if user_values(after) == user_values(before):
                return before
            if _enabled_admin(before) and not _enabled_admin(after) and not self._another_admin(key):
                raise LastAdmin()
            version = document.get("access_version")
            query = {"_id": document["_id"], "access_version": version if version else {"$exists": False}}
            entry = _entry(at, by, records.USER_CHANGED, "", before.username, user_values(before), user_values(after))
            fields = {**_access(after.admin, after.teams, after.disabled), "access_version": (version or 0) + 1}
            change = _audited({"$set": fields}, entry)
            if self._guard(lambda: self._db.users.update_one(query, change)).matched_count:
                return after
        raise self._contended("the user")

    def _another_admin(self, key: str) -> bool:
        query = {**USER, "admin": True, "disabled": {"$ne": True}, "username_key": {"$ne": key}}
        return self._guard(lambda: self._db.users.find_one(query, {"_id": 1})) is not None

    @_after_start
    def set_reset_code(self, username: str, code_hash: str, expires_at: datetime, by: str, at: datetime) -> bool:
        # No team or subject: an entry of a user's document is about its user, as named there (see _entries).
        entry = _entry(at, by, records.RESET_ISSUED, after={"expires_at": expires_at.isoformat()})
        change = _audited({"$set": {"reset": {"hash": code_hash, "expires_at": expires_at}}}, entry)
        result = self._guard(
            lambda: self._db.users.update_one({"username_key": username_key(username), **USER}, change)
        )
        return result.matched_count == 1

    @_after_start
    def use_reset_code(self, username: str, code_hash: str, password_hash: str, now: datetime) -> bool:
        """One update whose filter needs the unexpired code: a code works once, even raced."""
        key = username_key(username)
        query = {"username_key": key, **USER, "reset.hash": code_hash, "reset.expires_at": {"$gt": now}}
        document = self._guard(lambda: self._db.users.find_one({"username_key": key, **USER}, {"username": 1}))
        if document is None:
            return False
        entry = _entry(now, document["username"], records.PASSWORD_RESET, "", document["username"])
        change = _audited({"$set": {"password_hash": password_hash}, "$unset": {"reset": "", "token_hash": ""}}, entry)
        return self._guard(lambda: self._db.users.update_one(query, change)).modified_count == 1

    def get_user(self, username: str) -> User | None:
        document, _ = self._find_user({"username_key": username_key(username)})
        return _user(document) if document else None

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        key = username_key(username)
        document, other = self._find_user({"username_key": key}, login_id(key))
        if document is not None:
            return _user(document), _login_state(document.get("login"))
        return None, _login_state((other or {}).get("login"))

    def _find_user(self, query: dict, also: str | None = None) -> tuple[dict | None, dict | None]:
        """The user document matching ``query`` and the document whose _id is ``also`` (None when not
        found), in one find.  A session's first lookup (a login, or a name checked before registering)
        brings the start-up marker and the session's team's targets in the same find."""
        query = {**query, **USER}  # a user, never the marker or targets
        extra = [] if also is None else [{"_id": also}]
        if not self._started:
            extra += [{"_id": MARKER_ID}, {"_id": DEPARTMENT_ID}]
            extra += [{"_id": targets_id(self._team)}] if self._team is not None else []
        if extra:
            found = {
                d["_id"]: d
                for d in self._guard(lambda: list(self._db.users.find({"$or": [query, *extra]}, NO_HISTORY)))
            }
        else:
            found = {
                d["_id"]: d for d in filter(None, [self._guard(lambda: self._db.users.find_one(query, NO_HISTORY))])
            }
        if not self._started:
            self._department_ahead = (time.monotonic(), found.pop(DEPARTMENT_ID, None))
            if self._start(found.pop(MARKER_ID, None)):  # once per schema version: read the converted ones
                return self._find_user(query, also)
            if self._team is not None:
                self._read_ahead = (time.monotonic(), found.pop(targets_id(self._team), None))
        other = found.pop(also, None) if also is not None else None
        return next(iter(found.values()), None), other

    @_after_start
    def save_login_state(self, username: str, known: bool, expected: LoginState, state: LoginState) -> bool:
        key = username_key(username)
        document = _login_document(state, expected.version + 1)
        unchanged = {"login": {"$exists": False}} if expected.version == 0 else {"login.version": expected.version}
        quiet = quiet_after(state)
        if quiet is not None:  # a failure: delete the unknown names' documents that no longer matter
            moment = state.failures[-1] if state.failures else quiet
            self._guard(
                lambda: self._db.users.delete_many(
                    {
                        "kind": LOGIN_KIND,
                        "$or": [{"quiet_after": {"$lt": moment}}, {"quiet_after": None}],  # None: unlocked
                        "_id": {"$ne": login_id(key)},
                    }
                )
            )
        if known:
            query = {"username_key": key, "password_hash": {"$exists": True}, **unchanged}
            result = self._guard(lambda: self._db.users.update_one(query, {"$set": {"login": document}}))
            return result.matched_count == 1
        own = login_id(key)
        change = {"$set": {"kind": LOGIN_KIND, "username_key": own, "quiet_after": quiet, "login": document}}
        try:
            result = self._guard(
                lambda: self._db.users.update_one({"_id": own, **unchanged}, change, upsert=expected.version == 0)
            )
        except OperationFailure as failure:
            if _is_duplicate(failure):
                return False  # another process wrote the name's first record meanwhile
            raise self._unavailable(failure) from failure
        return result.matched_count == 1 or result.upserted_id is not None

    @_after_start
    def set_password_hash(self, username: str, password_hash: str) -> None:
        self._guard(
            lambda: self._db.users.update_one(
                {"username_key": username_key(username)}, {"$set": {"password_hash": password_hash}}
            )
        )

    @_after_start
    def set_token_hash(self, username: str, token_hash: str, at: datetime | None = None) -> None:
        change: dict = {"$set": {"token_hash": token_hash}}
        if at is not None:  # the entry names the user, never the token or its hash
            change["$set"]["audited_at"] = at
            change["$push"] = {"history": {"at": at, "by": username, "action": records.TOKEN_ISSUED}}
        self._guard(lambda: self._db.users.update_one({"username_key": username_key(username)}, change))

    def get_user_by_token_hash(self, token_hash: str) -> User | None:
        document, _ = self._find_user({"token_hash": token_hash})
        return _user(document) if document else None

    @_after_start
    def iter_users(self) -> Iterator[User]:
        cursor = self._db.users.find(USER, NO_HISTORY, sort=[("created_at", 1), ("username_key", 1)])
        return (_user(d) for d in self._iterate(cursor))

    # days
    @_after_start
    def upsert_day(self, record: DayRecord) -> None:
        self._save_day(record, audit=True)

    def _save_day(self, record: DayRecord, audit: bool) -> None:
        """One update of the day's document; audited, the same update pushes the new version onto its
        history (and a new day's document records created_at, so its first version reads as added)."""
        key, fields = _day_document(record)
        change: dict = {"$set": fields}
        if audit:
            at = record.updated_at
            change["$set"] = {**fields, "audited_at": at}
            change["$push"] = {"history": {"at": at, "by": record.updated_by, "after": dict(record.entered)}}
            change["$setOnInsert"] = {"created_at": at}
        change["$unset"] = {"deleted_at": ""}  # a deleted day's tombstone comes back to life
        self._upsert(lambda: self._db.stats.update_one(key, change, upsert=True))

    @_after_start
    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        """The day's document becomes a tombstone (no figures, ``deleted_at``) keeping its history, in one
        update whose filter needs the figures just read (a compare-and-set: the entry's before is exact)."""
        key = {"team": team, "date": day.isoformat(), **LIVE}
        for _ in range(CAS_ATTEMPTS):
            document = self._guard(lambda: self._db.stats.find_one(key, NO_HISTORY))
            if document is None:
                return False
            entered = typed_entry(document)
            query = {**key, **entered, "updated_at": document["updated_at"]}
            gone = dict.fromkeys({*ENTRY_KEYS, *COMPONENT_KEYS, "updated_by", "updated_at"}, "")
            entry = {"at": at, "by": by, "action": records.DAY_DELETED, "before": entered, "after": None}
            change = {"$set": {"deleted_at": at, "audited_at": at}, "$unset": gone, "$push": {"history": entry}}
            if self._guard(lambda: self._db.stats.update_one(query, change)).matched_count:
                return True
        raise self._contended(f"the day {day}")

    def _upsert(self, upsert: Callable[[], object]) -> None:
        try:
            self._guard(upsert)
        except OperationFailure as failure:
            if not _is_duplicate(failure):
                raise self._unavailable(failure) from failure
            # Two upserts of a new key raced and the other inserted first: now it exists, so update it.
            self._guard(upsert)

    @_after_start
    def upsert_days(self, records: Iterable[DayRecord], batch: int = 1000) -> int:
        """Many days at once: new days in unordered insert_many batches, existing ones updated one by one.

        Inserting is what bulk loads (copy-data, seeding) mostly do, and it is far cheaper than upserts on
        servers without secondary-index pushdown (FerretDB v1 scans the collection for every upsert).
        """
        count, chunk = 0, []
        for record in records:
            chunk.append(record)
            if len(chunk) == batch:
                count += self._upsert_chunk(chunk)
                chunk = []
        return count + (self._upsert_chunk(chunk) if chunk else 0)

    def _upsert_chunk(self, chunk: list[DayRecord]) -> int:
        present = self._guard(lambda: self._present_keys(chunk))
        fresh = [r for r in chunk if (r.team, r.day.isoformat()) not in present]
        if fresh:
            documents = [{**key, **fields} for key, fields in map(_day_document, fresh)]
            try:
                self._guard(lambda: self._db.stats.insert_many(documents, ordered=False))
            except BulkWriteError as failure:  # someone inserted some of these days meanwhile: update those
                raced = {
                    error["index"]
                    for error in failure.details.get("writeErrors", [])
                    if error.get("code") in DUPLICATE_KEY_CODES
                }
                if len(raced) != len(failure.details.get("writeErrors", [])):
                    raise self._unavailable(failure) from failure
                for index in sorted(raced):
                    self._save_day(fresh[index], audit=False)
        for record in chunk:
            if (record.team, record.day.isoformat()) in present:
                self._save_day(record, audit=False)
        return len(chunk)

    def _present_keys(self, chunk: list[DayRecord]) -> set[tuple[str, str]]:
        present = set()
        for team in {r.team for r in chunk}:
            days = [r.day for r in chunk if r.team == team]
            query = {"team": team, "date": {"$gte": min(days).isoformat(), "$lte": max(days).isoformat()}}
            for document in self._db.stats.find(query, {"date": 1, "_id": 0}):  # tombstones too: updated
                present.add((team, document["date"]))
        return present

    @_after_start
    def get_day(self, team: str, day: date) -> DayRecord | None:
        query = {"team": team, "date": day.isoformat(), **LIVE}
        document = self._guard(lambda: self._db.stats.find_one(query, NO_HISTORY))
        return _day(document) if document else None

    @_after_start
    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        return (_day(d) for d in self._each_day_once(self._iterate(self._range_find(team, start, end))))

    @_after_start
    def iter_all_days(self) -> Iterator[DayRecord]:
        cursor = self._db.stats.find(LIVE, NO_HISTORY, sort=[("team", 1), ("date", 1)], batch_size=1000)
        return (_day(d) for d in self._each_day_once(self._iterate(cursor)))

    def _range_find(self, team: str, start: date, end: date, projection: dict | None = None):
        """The range's documents by date, in one reply: a range holds at most one document a day, and one
        more in the batch size lets the server close the cursor at once (no getMore round trip)."""
        batch = (end - start).days + 2
        projection = projection or NO_HISTORY
        return self._db.stats.find(_range(team, start, end), projection, sort=[("date", 1)], batch_size=batch)

    def _each_day_once(self, documents: Iterable[dict]) -> Iterator[dict]:
        """The documents (sorted by team and date), stopping at a day found twice (see _duplicate_day)."""
        last = None
        for document in documents:
            key = (document["team"], document["date"])
            if key == last:
                raise self._duplicate_day(*key)
            last = key
            yield document

    def _duplicate_day(self, team: str, day: str) -> StoreUnavailable:
        """Two records of one day: the unique index on (team, date) is gone, though the marker says it was
        made (dropped by hand, or the collection dropped and written again).  Rather than count the day
        twice: say so, and take the indexes off the marker, so the next start makes them again."""
        self._guard(lambda: self._db.users.update_one({"_id": MARKER_ID}, {"$unset": {"indexes": ""}}))
        self._started = False
        return StoreUnavailable(
            f"{self.description} holds two records of team {team!r} for {day}: its unique index on "
            "(team, date) is missing. Delete one of them; Statbotic makes the index again at its next start."
        )

    @_after_start
    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        """One indexed find of the range's components, summed here.

        Not `$group`: FerretDB v1 fills only the first accumulator of a `$group` (FerretDB/FerretDB#4616),
        and one `$group` per component would scan the range six times on servers without filter pushdown
        (FerretDB v1 scans the whole collection for every query).  A range is at most ~3,700 small
        documents, so summing them here costs less than the extra round trips everywhere.
        """
        projection = {"_id": 0, "team": 1, "date": 1, **dict.fromkeys(COMPONENT_KEYS, 1)}
        documents = self._guard(lambda: list(self._each_day_once(self._range_find(team, start, end, projection))))
        sums = {key: sum(d[key] for d in documents) for key in COMPONENT_KEYS}  # integers: exact
        return RangeTotals(start, end, sums, tuple(date.fromisoformat(d["date"]) for d in documents))

    @_after_start
    def teams(self) -> tuple[Team, ...]:
        """The department document's teams: read with the login a moment ago, else one find."""
        return tuple(Team(t["name"], t["display_name"], t["created_at"]) for t in self._department().get("teams", ()))

    @_after_start
    def add_team(self, team: Team, by: str | None) -> None:
        def add(department: dict) -> dict:
            if any(t["name"] == team.name for t in department.get("teams", ())):
                raise DuplicateTeam(f"The team name {team.name!r} is taken.")
            change = {"$set": {"teams": _with_team(department, team)}}
            if by is None:
                return change
            after = {"display_name": team.display_name}
            return _audited(
                change, _entry(team.created_at, by, records.TEAM_CREATED, team.name, team.name, after=after)
            )

        self._change_department(add)

    @_after_start
    def rename_team(self, name: str, display_name: str, by: str, at: datetime) -> bool:
        def rename(department: dict) -> dict | None:
            teams = [dict(t) for t in department.get("teams", ())]
            found = [t for t in teams if t["name"] == name]
            if not found:
                return None
            before, found[0]["display_name"] = {"display_name": found[0]["display_name"]}, display_name
            entry = _entry(at, by, records.TEAM_RENAMED, name, name, before, {"display_name": display_name})
            return _audited({"$set": {"teams": teams}}, entry)

        return self._change_department(rename)

    # registration
    @_after_start
    def get_registration(self) -> Registration:
        return _registration(self._department().get("registration"))

    @_after_start
    def set_registration(self, registration: Registration, by: str, at: datetime) -> None:
        def save(department: dict) -> dict:
            before = registration_values(_registration(department.get("registration")))
            entry = _entry(
                at, by, records.REGISTRATION_SET, "", "registration", before, registration_values(registration)
            )
            return _audited({"$set": {"registration": registration_values(registration)}}, entry)

        self._change_department(save)

    def _department(self) -> dict:
        """The department document ({} when there is none yet): the one the login read ahead, if recent."""
        ahead = self._department_ahead
        if ahead is not None and time.monotonic() - ahead[0] <= READ_AHEAD_SECONDS:
            return ahead[1] or {}
        document = self._guard(lambda: self._db.users.find_one({"_id": DEPARTMENT_ID}, NO_HISTORY)) or {}
        self._department_ahead = (time.monotonic(), document)
        return document

    def _change_department(self, change_of: Callable[[dict], dict | None]) -> bool:
        """Read the department document, let ``change_of`` make the update (None: nothing to do, False),
        and write it only if nobody wrote it since the read (its ``version``); lost races are retried.
        A store with no department document gets it, inserted by the same upsert."""
        self._department_ahead = None
        for _ in range(CAS_ATTEMPTS):
            department = self._guard(lambda: self._db.users.find_one({"_id": DEPARTMENT_ID}, NO_HISTORY)) or {}
            change = change_of(department)
            if change is None:
                return False
            version = department.get("version")
            query = {"_id": DEPARTMENT_ID, "version": version if version else {"$exists": False}}
            fields = {"kind": DEPARTMENT_ID, "username_key": DEPARTMENT_KEY, "version": (version or 0) + 1}
            change = {**change, "$set": {**change.get("$set", {}), **fields}}
            try:
                result = self._guard(lambda: self._db.users.update_one(query, change, upsert=not version))
            except OperationFailure as failure:
                if not _is_duplicate(failure):
                    raise self._unavailable(failure) from failure
                continue  # another process inserted the department meanwhile: read it again
            if result.matched_count or result.upserted_id is not None:
                return True
        raise self._contended("the department's settings")

    def _contended(self, what: str) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.description} kept changing {what} while Statbotic was saving; nothing was saved. Try again."
        )

    # invites
    @_after_start
    def add_invite(self, invite: Invite) -> None:
        entry = _entry(invite.created_at, invite.created_by, records.INVITE_ISSUED, invite.team, "invite")
        entry["after"] = invite_values(invite)
        own = invite_id(invite.code_hash)
        document = {
            "_id": own,
            "kind": INVITE_KIND,
            "username_key": own,
            "code_hash": invite.code_hash,
            "team": invite.team,
            "role": invite.role,
            "created_by": invite.created_by,
            "created_at": invite.created_at,
            "expires_at": invite.expires_at,
            "audited_at": invite.created_at,
            "history": [entry],
        }
        try:
            self._guard(lambda: self._db.users.insert_one(document))
        except OperationFailure as failure:
            if _is_duplicate(failure):
                raise InvalidInput("That invite code exists already: make another.") from None
            raise self._unavailable(failure) from failure

    @_after_start
    def get_invite(self, code_hash: str) -> Invite | None:
        document = self._guard(lambda: self._db.users.find_one({"_id": invite_id(code_hash)}, NO_HISTORY))
        return _invite(document) if document else None

    @_after_start
    def redeem_invite(self, user: User, code_hash: str, now: datetime) -> Invite | None:
        """Two writes, no transaction: the invite is taken (used_by, used_at) by a find-and-modify whose
        filter needs it unused and unexpired, so two redemptions can't both win; then the user is inserted
        with both entries (USER_REGISTERED and INVITE_USED) in the user's document.  On DuplicateUser the
        invite is given back (a compensating update, filtered on this taking) and no entry was written.
        A process stopped between the two writes leaves the invite spent without a user: issue another."""
        own = invite_id(code_hash)
        query = {"_id": own, "used_by": {"$exists": False}, "expires_at": {"$gt": now}}
        taking = {"used_by": user.username, "used_at": now}
        # The whole document (an invite's history is one entry): FerretDB v1's findAndModify takes no projection.
        document = self._guard(lambda: self._db.users.find_one_and_update(query, {"$set": taking}))
        if document is None:
            return None
        invite = _invite(document)
        member = replace(user, admin=False, teams={invite.team: invite.role})
        used = {**invite_values(invite), "used_by": user.username}
        entries = [
            _entry(user.created_at, user.username, records.USER_REGISTERED, after=user_values(member)),
            _entry(now, user.username, records.INVITE_USED, invite.team, "invite", after=used),
        ]
        try:
            self._insert_user(member, entries)
        except DuplicateUser:
            self._guard(
                lambda: self._db.users.update_one({"_id": own, **taking}, {"$unset": {"used_by": "", "used_at": ""}})
            )
            raise
        return invite

    @_after_start
    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        """One find of every team's components over the range, summed here (not `$group`: see range_totals),
        in one reply (the batch holds a range of every team: no getMore round trip)."""
        query: dict = {"date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}
        if teams is not None:
            query["team"] = {"$in": list(teams)}
        projection = {"_id": 0, "team": 1, "date": 1, **dict.fromkeys(COMPONENT_KEYS, 1)}
        cursor = self._db.stats.find(query, projection, sort=[("team", 1), ("date", 1)], batch_size=DEPARTMENT_BATCH)
        by_team: dict[str, list[dict]] = {}
        for document in self._guard(lambda: list(self._each_day_once(cursor))):
            by_team.setdefault(document["team"], []).append(document)
        return {
            team: RangeTotals(
                start,
                end,
                {key: sum(d[key] for d in documents) for key in COMPONENT_KEYS},  # integers: exact
                tuple(date.fromisoformat(d["date"]) for d in documents),
            )
            for team, documents in by_team.items()
        }

    # targets
    @_after_start
    def get_targets(self, team: str) -> dict[str, Target]:
        ahead, self._read_ahead = self._read_ahead, None
        if team == self._team and ahead is not None and time.monotonic() - ahead[0] <= READ_AHEAD_SECONDS:
            document = ahead[1]  # read with the login a moment ago: no second round trip
        else:
            document = self._guard(lambda: self._db.users.find_one({"_id": targets_id(team)}, NO_HISTORY))
        return _targets(document)

    @_after_start
    def set_target(self, team: str, target: Target, audit: bool = True) -> None:
        direction, value = target.stored()
        fields = {"direction": direction, "value": value, "set_by": target.set_by, "set_at": target.set_at}
        key = targets_id(team)
        change: dict = {
            "$set": {"kind": TARGETS_KIND, "team": team, "username_key": key, f"goals.{target.metric}": fields}
        }
        if audit:
            at = target.set_at
            change["$set"]["audited_at"] = at
            entry = {"at": at, "by": target.set_by, "action": records.TARGET_SET, "metric": target.metric}
            change["$push"] = {"history": {**entry, "after": target_values(target)}}
        self._read_ahead = None
        self._upsert(lambda: self._db.users.update_one({"_id": key}, change, upsert=True))

    @_after_start
    def iter_all_targets(self) -> Iterator[tuple[str, Target]]:
        cursor = self._db.users.find({"kind": TARGETS_KIND}, NO_HISTORY, sort=[("team", 1)])
        return ((d["team"], target) for d in self._iterate(cursor) for target in _targets(d).values())

    @_after_start
    def clear_target(self, team: str, metric: str, by: str | None = None, at: datetime | None = None) -> bool:
        self._read_ahead = None
        goal = f"goals.{metric}"
        change: dict = {"$unset": {goal: ""}}
        if by is not None and at is not None:  # only when there was one: the filter needs it
            change["$set"] = {"audited_at": at}
            change["$push"] = {"history": {"at": at, "by": by, "action": records.TARGET_CLEARED, "metric": metric}}
        result = self._guard(
            lambda: self._db.users.update_one({"_id": targets_id(team), goal: {"$exists": True}}, change)
        )
        return result.modified_count > 0

    # the audit log
    @_after_start
    def audit_since(self, since: datetime) -> list[AuditEntry]:
        """One find in each collection of the documents changed since then; their entries, merged."""
        query = {"audited_at": {"$gte": since}}
        days = self._guard(lambda: list(self._db.stats.find(query, AUDIT_FIELDS)))
        others = self._guard(lambda: list(self._db.users.find(query, AUDIT_FIELDS)))
        entries = [e for d in days for e in _day_entries(d)] + [e for d in others for e in _entries(d)]
        return sorted((e for e in entries if e.at >= since), key=lambda e: e.at)  # stable: per document in order

    @_after_start
    def day_history(self, team: str, day: date) -> list[AuditEntry]:
        document = self._guard(lambda: self._db.stats.find_one({"team": team, "date": day.isoformat()}, AUDIT_FIELDS))
        return _day_entries(document) if document else []

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

    # failures
    def _guard(self, operation: Callable[[], T]) -> T:
        """Run an operation; a lost or refused connection becomes StoreUnavailable with advice.

        OperationFailure (a server's "no") is left to the caller when it may mean a duplicate.
        """
        try:
            return operation()
        except ConnectionFailure as failure:
            raise self._unavailable(failure) from failure
        except OperationFailure as failure:
            if _is_duplicate(failure) or isinstance(failure, BulkWriteError):
                raise  # the caller decides what a duplicate means
            raise self._unavailable(failure) from failure
        except PyMongoError as failure:
            raise self._unavailable(failure) from failure

    def _iterate(self, cursor) -> Iterator[dict]:
        iterator = iter(cursor)
        while True:
            try:
                document = self._guard(lambda: next(iterator, None))
            except BaseException:
                cursor.close()
                raise
            if document is None:
                return
            yield document

    def _unavailable(self, failure: PyMongoError) -> StoreUnavailable:
        if isinstance(failure, OperationFailure) and failure.code in AUTH_FAILED_CODES:
            return StoreUnavailable(
                f"The database at {self.hosts} refused the login. Check the user name and password in MONGODB_URI."
            )
        if isinstance(failure, ConnectionFailure):
            return StoreUnavailable(f"Can't reach the database at {self.hosts} — check MONGODB_URI or your network.")
        return StoreUnavailable(
            f"The database at {self.hosts} refused the request "
            f"({type(failure).__name__}, code {getattr(failure, 'code', None)})."
        )


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


def _is_duplicate(failure: OperationFailure) -> bool:
    if isinstance(failure, DuplicateKeyError) or failure.code in DUPLICATE_KEY_CODES:
        return True
    text = str(failure).lower()
    return failure.code == FERRETDB_V1_DUPLICATE_CODE and ("unique constraint failed" in text or "duplicate" in text)


def _day_document(record: DayRecord) -> tuple[dict, dict]:
    key = {"team": record.team, "date": record.day.isoformat()}
    fields = {**record.entered, **record.components, "updated_by": record.updated_by, "updated_at": record.updated_at}
    return key, fields


def _exact_integers(document: dict) -> dict:
    """A day written before schema 3, converted: the wait in tenths of a second (its shortest decimal
    rounded half up), the stored count of positive ratings kept."""
    from ..exact import fraction_of, round_half_up

    tenths = int(round_half_up(fraction_of(repr(float(document["wait_seconds"]))) * 10))
    ratings = int(document["csat_ratings"])
    return {
        "wait_tenths": tenths,
        "wait_tenths_total": tenths * int(document["chats"]),
        "csat_good": min(int(document["csat_good"]), ratings),
    }


def _range(team: str, start: date, end: date) -> dict:
    return {"team": team, "date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}


def _targets(document: dict | None) -> dict[str, Target]:
    """A team's targets document as Targets by metric key, in key order (none: no document)."""
    goals = (document or {}).get("goals", {})
    return {
        metric: Target.from_stored(metric, g["direction"], g["value"], g["set_by"], g["set_at"])
        for metric, g in sorted(goals.items())
    }


AUDIT_FIELDS = {"_id": 0, "team": 1, "date": 1, "created_at": 1, "username": 1, "kind": 1, "history": 1}


def _day_entries(document: dict) -> list[AuditEntry]:
    """A day's versions as audit entries: each one's values before are the previous version's.  The first
    is an addition when the document was created by it (created_at, set on insert); a day older than the
    log (or copied in) has none, and its first audited change has no recorded before."""
    entries, before = [], None
    added = "created_at" in document
    for number, version in enumerate(document.get("history", ())):
        if version.get("action") == records.DAY_DELETED:  # its before is recorded: the day may be unaudited
            entries.append(
                AuditEntry(
                    version["at"],
                    version["by"],
                    records.DAY_DELETED,
                    document["team"],
                    document["date"],
                    version["before"],
                )
            )
            before, added = None, True  # its next version adds it again
            continue
        action = records.DAY_ADDED if (number == 0 or before is None) and added else records.DAY_CHANGED
        after = version["after"]
        entries.append(
            AuditEntry(version["at"], version["by"], action, document["team"], document["date"], before, after)
        )
        before = after
    return entries


def _entries(document: dict) -> list[AuditEntry]:
    """The entries of a document of ``users``: a user's, the department's or an invite's (each entry
    names its team, subject, before and after; a user's older entries only the user), or a team's
    targets document (each metric's before is its previous entry's after; unknown before its first
    audited change)."""
    if document.get("kind") != TARGETS_KIND:
        name = document.get("username", "")
        return [
            AuditEntry(
                e["at"], e["by"], e["action"], e.get("team", ""), e.get("subject", name),
                _values(e.get("before")), _values(e.get("after")),
            )
            for e in document.get("history", ())
        ]  # fmt: skip
    entries, last = [], {}
    for e in document.get("history", ()):
        after = e.get("after")
        entries.append(
            AuditEntry(e["at"], e["by"], e["action"], document["team"], e["metric"], last.get(e["metric"]), after)
        )
        last[e["metric"]] = after
    return entries


def _login_document(state: LoginState, version: int) -> dict:
    return {
        "version": version,
        "failures": list(state.failures),
        "locked_until": state.locked_until,
        "lock_minutes": state.lock_minutes,
        "failed_since": state.failed_since,
        "last_login": state.last_login,
    }


def _login_state(document: dict | None) -> LoginState:
    if not document:
        return LoginState()
    return LoginState(
        failures=tuple(document["failures"]),
        locked_until=document["locked_until"],
        lock_minutes=document["lock_minutes"],
        failed_since=document["failed_since"],
        last_login=document["last_login"],
        version=document["version"],
    )


def _user(document: dict) -> User:
    return User(
        document["username"],
        document["password_hash"],
        document["created_at"],
        admin=document.get("admin", False),
        teams={t["team"]: t["role"] for t in document.get("teams", ())},
        disabled=document.get("disabled", False),
        email=document.get("email"),
    )


def _access(admin: bool, teams: Mapping[str, str], disabled: bool) -> dict:
    """A user's access as its document keeps it: teams as a list (a team's name is free text, and a "."
    or a leading "$" can't be a portable field name)."""
    return {
        "admin": admin,
        "teams": [{"team": team, "role": role} for team, role in sorted(teams.items())],
        "disabled": disabled,
    }


def _enabled_admin(user: User) -> bool:
    return user.admin and not user.disabled


def _entry(
    at: datetime,
    by: str,
    action: str,
    team: str | None = None,
    subject: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> dict:
    """A history entry of a document of ``users``; team and subject left out default to "" and the user."""
    entry: dict = {"at": at, "by": by, "action": action}
    if team is not None:
        entry.update(team=team, subject=subject)
    if before is not None:
        entry["before"] = _stored(before)
    if after is not None:
        entry["after"] = _stored(after)
    return entry


def _stored(values: dict) -> dict:
    """Audit values as a document keeps them: user_values' teams as the user's document keeps them (a
    list of {team, role}: see _access; FerretDB v1 refuses nested arrays)."""
    if isinstance(values.get("teams"), dict):
        return {**values, "teams": [{"team": team, "role": role} for team, role in values["teams"].items()]}
    return values


def _values(stored: dict | None) -> dict | None:
    if stored is not None and isinstance(stored.get("teams"), list):
        return {**stored, "teams": {t["team"]: t["role"] for t in stored["teams"]}}
    return stored


def _audited(change: dict, entry: dict) -> dict:
    """The update with the entry pushed onto the document's history (and audited_at set) in it."""
    return {**change, "$set": {**change.get("$set", {}), "audited_at": entry["at"]}, "$push": {"history": entry}}


def _with_team(department: dict, team: Team) -> list[dict]:
    added = {"name": team.name, "display_name": team.display_name, "created_at": team.created_at}
    return sorted([*department.get("teams", ()), added], key=lambda t: t["name"])


def _registration(document: dict | None) -> Registration:
    if not document:
        return Registration()
    return Registration(document["mode"], tuple(document["domains"]))


def _invite(document: dict) -> Invite:
    return Invite(
        document["code_hash"],
        document["team"],
        document["role"],
        document["created_by"],
        document["created_at"],
        document["expires_at"],
        document.get("used_by"),
        document.get("used_at"),
    )


def _day(document: dict) -> DayRecord:
    return DayRecord(
        team=document["team"],
        day=date.fromisoformat(document["date"]),
        entered=typed_entry(document),
        updated_by=document["updated_by"],
        updated_at=document["updated_at"],
    )
