"""The kinds of documents and their ids: what lives in ``users`` besides users, and the filters that
tell them apart.

``users`` holds, besides each user's document, the start-up marker, each team's targets, the
department, each invite and each unknown name's login state: every session's first read is a find
there, which can bring several of them at once (see read_ahead.py).  Their username_key is their _id,
which holds a ":" that no username has, so the unique index on username_key keeps working.

People (schema 4).  A user's document holds ``admin``, ``teams`` (a list of {team, role}: team names
are free text, and a "." or a leading "$" in a field name is not portable), ``disabled``, ``email``,
``reset`` ({hash, expires_at}) and ``access_version`` (a counter for update_user's compare-and-set).
The ``department`` document (see DEPARTMENT_ID) holds the teams (a list of {name, display_name,
created_at}), the registration setting, the first user, the metric definitions (schema 5: ``metrics``,
{key: metric_kinds.definition_values}, retired ones too) and a ``version`` counter: every change to it
reads it and writes it only if the version is still the one read (a compare-and-set, retried).
Each invite is a document ``invite:<code hash>``, each share link ``share:<token hash>``.

Days (schema 5).  A day's document of ``stats`` holds ``team``, ``date`` (ISO), ``values`` ({metric key:
{"value": int, "total": int (a duration's), "base": int (a duration's items, a share's base)}}: one per
metric with a value that day, metric_kinds.stored_values), ``updated_by``, ``updated_at``, ``revision`` (a
counter of its writes, for compare-and-set) and, once audited, ``history`` and ``audited_at``.  A deleted
day is a tombstone: no values, ``deleted_at``, its history kept.  Schema 6 adds a day's ``agents`` and
``sources`` (optional: see day_documents.py).
"""

from __future__ import annotations

# The start-up marker: a document of ``users`` (every session's first read is a user), never a user.
MARKER_ID = "schema"
# Each team's targets: one document of ``users`` too, so the login's find brings the configured team's
# targets along (a view is then two round trips: that find and the range read).  Its username_key is
# its _id, which no username can be (":" is not allowed in one), so the unique index keeps working.
TARGETS_KIND = "targets"


# The department: teams, registration and the first user, in one document of ``users`` read ahead by the
# login's find too.  A username may be "department", so its username_key carries the ":" no username has.
DEPARTMENT_ID = "department"
DEPARTMENT_KEY = "department:"
INVITE_KIND = "invite"


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


# Share links (schema 7): a document ``share:<token hash>`` each (opening a link is one find on _id); its
# username_key is ``share-id:<id>`` (the public id, for list and revoke: unique by that index, and holding
# the ":" no username has).
SHARE_KIND = "share"


def share_id(token_hash: str) -> str:
    return f"{SHARE_KIND}:{token_hash}"


def share_key(public_id: str) -> str:
    return f"{SHARE_KIND}-id:{public_id}"


USER = {"password_hash": {"$exists": True}}  # a user's document, never another kind
LIVE = {"deleted_at": {"$exists": False}}  # a day's document that is not a tombstone


METRICS = "metrics"  # the department document's field holding the metric definitions, by key
VALUES = "values"  # a day document's field holding its values, by metric key

NO_HISTORY = {"history": 0}  # what every read but the audit log's leaves out


def value_row(value: int, total: int | None, base: int | None) -> dict:
    """One metric's value of a day as ``values`` keeps it (a row of metric_kinds.stored_values): total and
    base only where the kind has them."""
    row = {"value": value}
    if total is not None:
        row["total"] = total
    if base is not None:
        row["base"] = base
    return row
