"""Share links: one document of ``users`` each (documents.share_id: its _id holds the token's hash, so
opening a link is one find on the _id index; its username_key holds the public id, unique by that index)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pymongo.errors import OperationFailure

from ... import records
from ...errors import InvalidInput
from ...records import Share, share_subject, share_values
from .audit import _audited, _entry
from .documents import NO_HISTORY, SHARE_KIND, share_id, share_key
from .errors import _is_duplicate
from .schema import _after_start


def _share(document: dict) -> Share:
    return Share(
        document["share_id"],
        document["token_hash"],
        document["team"],
        date.fromisoformat(document["start"]),
        date.fromisoformat(document["end"]),
        document["label"],
        document["unit"],
        document["created_by"],
        document["created_at"],
        document["expires_at"],
        document.get("revoked_at"),
        document.get("revoked_by"),
    )


class Shares:
    """MongoStore's share links (see store.py)."""

    @_after_start
    def add_share(self, share: Share) -> None:
        subject = share_subject(share.id)
        entry = _entry(share.created_at, share.created_by, records.SHARE_CREATED, share.team, subject)
        entry["after"] = share_values(share)
        document = {
            "_id": share_id(share.token_hash),
            "kind": SHARE_KIND,
            "username_key": share_key(share.id),
            "share_id": share.id,
            "token_hash": share.token_hash,
            "team": share.team,
            "start": share.start.isoformat(),
            "end": share.end.isoformat(),
            "label": share.label,
            "unit": share.unit,
            "created_by": share.created_by,
            "created_at": share.created_at,
            "expires_at": share.expires_at,
            "audited_at": share.created_at,
            "history": [entry],
        }
        try:
            self._guard(lambda: self._db.users.insert_one(document))
        except OperationFailure as failure:
            if _is_duplicate(failure):
                raise InvalidInput("That share's id or token is in use already: make another.") from None
            raise self._unavailable(failure) from failure

    @_after_start
    def share_by_token_hash(self, token_hash: str) -> Share | None:
        document = self._guard(lambda: self._db.users.find_one({"_id": share_id(token_hash)}, NO_HISTORY))
        return _share(document) if document else None

    @_after_start
    def get_share(self, share_id: str) -> Share | None:
        query = {"username_key": share_key(share_id), "kind": SHARE_KIND}
        document = self._guard(lambda: self._db.users.find_one(query, NO_HISTORY))
        return _share(document) if document else None

    @_after_start
    def shares(self, teams: Sequence[str] | None = None) -> list[Share]:
        query: dict = {"kind": SHARE_KIND}
        if teams is not None:
            query["team"] = {"$in": list(teams)}
        found = [_share(d) for d in self._guard(lambda: list(self._db.users.find(query, NO_HISTORY)))]
        return sorted(found, key=lambda share: (share.created_at, share.id))

    @_after_start
    def revoke_share(self, share_id: str, by: str, at: datetime) -> bool:
        """One find (the share as it was, for its audit entry), then one update whose filter needs it
        still unrevoked: two revocations can't both win, and the entry goes with the change."""
        share = self.get_share(share_id)
        if share is None or share.revoked_at is not None:
            return False
        subject = share_subject(share.id)
        entry = _entry(
            at,
            by,
            records.SHARE_REVOKED,
            share.team,
            subject,
            share_values(share),
            {**share_values(share), "revoked_at": at.isoformat()},
        )
        query = {"username_key": share_key(share_id), "kind": SHARE_KIND, "revoked_at": {"$exists": False}}
        change = _audited({"$set": {"revoked_at": at, "revoked_by": by}}, entry)
        result = self._guard(lambda: self._db.users.update_one(query, change))
        return result.modified_count == 1
