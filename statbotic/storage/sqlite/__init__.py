"""The embedded default store: one SQLite file, stdlib sqlite3, WAL journal.

SQLiteStore (store.py) is one class over one connection, made of a part for each kind of record.  Each
part is a mixin: its methods use the store's connection ``_conn``, run their database work through
errors._guard, and make each write one transaction holding its audit entry (audit._append).  Mixins
rather than functions taking the connection: the methods are the Store's own, unchanged, and each part
reads as the methods it implements; the helpers they share take the connection.

- store.py      the connection: the folder and file kept private, WAL, the schema brought up to date
- schema.py     the schema's versions (MIGRATIONS, history written out in full) and migrating a file
- users.py      users, their teams (memberships), passwords and access tokens
- logins.py     login throttling: the failed-login state of each username
- people.py     the first user, access changes (admin, roles, disabled), reset codes
- invites.py    invites: issued, read, redeemed
- teams.py      teams and the registration setting
- definitions.py metric definitions, and the catalogue a day's values are named by
- days.py       days (a header and a row per metric with a value), and ranges summed per metric
- targets.py    targets
- audit.py      the audit log: appended in each change's transaction, read back
- columns.py    times and values as the tables keep them (ISO text, JSON)
- errors.py     SQLite's failures turned into StoreUnavailable with advice

The figures are data: each metric a row of metric_definitions, each day's value a row of day_values.
"""

from .store import SQLiteStore

__all__ = ["SQLiteStore"]
