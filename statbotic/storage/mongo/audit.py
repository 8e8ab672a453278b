"""The audit log, kept in the documents it is about.

Each audited change $push-es its entry onto the changed document's ``history`` array (and sets
``audited_at``) in the same single-document update as the change itself.  A single document's update is
atomic on every server this store runs on, so that is the transaction here: the change and its entry
are written together or not at all.  An entry keeps the values after the change; the values before are
the previous entry's (see _day_entries, _entries).  Reads of days, users and targets leave ``history``
out (projection: documents.NO_HISTORY), so it costs them nothing.  A deleted day stays as a tombstone
(``deleted_at``, no figures) so that its history stays with it; every read of days leaves tombstones
out.  An entry of the newer kinds (users, the department, invites) names its own team, subject, before
and after (see _entries).
"""

from __future__ import annotations

from datetime import date, datetime

from ... import records
from ...records import AuditEntry
from .day_documents import values_from_history
from .documents import TARGETS_KIND
from .schema import _after_start

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
                    values_from_history(version["before"]),
                )
            )
            before, added = None, True  # its next version adds it again
            continue
        action = records.DAY_ADDED if (number == 0 or before is None) and added else records.DAY_CHANGED
        after = values_from_history(version["after"])
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
                _values(e["action"], e.get("before")), _values(e["action"], e.get("after")),
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


def _values(action: str, stored: dict | None) -> dict | None:
    """Audit values as written (see _stored): a user's teams back as a mapping (a metric definition's
    ``teams`` is a list of names, kept as it is)."""
    if action in (records.METRIC_ADDED, records.METRIC_CHANGED):
        return stored
    if stored is not None and isinstance(stored.get("teams"), list):
        return {**stored, "teams": {t["team"]: t["role"] for t in stored["teams"]}}
    return stored


def _audited(change: dict, entry: dict) -> dict:
    """The update with the entry pushed onto the document's history (and audited_at set) in it."""
    return {**change, "$set": {**change.get("$set", {}), "audited_at": entry["at"]}, "$push": {"history": entry}}


class AuditLog:
    """MongoStore's reads of the audit log (see store.py)."""

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
