"""The shared store: MongoDB (or Atlas, FerretDB...) through pymongo.

Imported only when MONGODB_URI is set (see storage/__init__.py).  Uses the portable subset
that MongoDB, Atlas and FerretDB v1 all run: single-document atomic upserts, unique indexes and
indexed range finds; sums and divisions happen in Python (see days.py and reports.py).
No transactions.  Messages name the hosts, never the URI (it may hold a password).

MongoStore (store.py) is one class over one client, made of a part for each kind of record, like the
SQLite store's: each part is a mixin whose methods use the store's database ``_db``, run through
``_guard`` (errors.py) and, except the lookups that bring the start-up marker themselves, check the
start-up work first (``_after_start``, schema.py).

- store.py       the client: connecting (the URI parsed, TLS via certifi), closing without waiting
- schema.py      the start-up work: indexes and migrations, once per schema version, and its marker
- documents.py   the kinds of documents in ``users`` and their ids, and the shapes of people's
- read_ahead.py  what a session's first find brings along (marker, department, targets) and serves
- users.py       users, passwords and access tokens
- logins.py      login throttling: the failed-login state of each username
- people.py      the first user, access changes (admin, roles, disabled), reset codes
- invites.py     invites: issued, read, redeemed
- department.py  the department document: teams, the registration setting and the metric definitions
- days.py        days (their values by metric; deleted ones kept as tombstones), and ranges summed
- targets.py     targets
- audit.py       the audit log, kept in each document's ``history`` (the same update as the change)
- errors.py      pymongo's failures turned into StoreUnavailable, duplicates, lost races
"""

from .store import MongoStore

__all__ = ["MongoStore"]
