"""Invites: one document each (documents.invite_id), single-use and expiring."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import OperationFailure

from ... import records
from ...errors import DuplicateUser, InvalidInput
from ...frozen import replace
from ...records import Invite, User, invite_values, user_values
from .audit import _entry
from .documents import INVITE_KIND, NO_HISTORY, invite_id
from .errors import _is_duplicate
from .schema import _after_start


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


class Invites:
    """MongoStore's invites (see store.py)."""

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
