"""Who may do what: the first user, changes to a user's access (admin, teams and roles, disabled)
under the last-admin rule, and one-time reset codes (kept as their hash, with an expiry)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ... import records
from ...auth import username_key
from ...errors import LastAdmin
from ...frozen import replace
from ...records import Team, User, user_values
from .audit import _audited, _entry
from .department import _with_team
from .documents import NO_HISTORY, USER
from .errors import CAS_ATTEMPTS
from .schema import _after_start
from .users import _access, _user


def _enabled_admin(user: User) -> bool:
    return user.admin and not user.disabled


def _with_agent(change: dict, agent: str | None) -> dict:
    """The update setting the user's ``agent``, or removing the field when there is none (a document
    without it is a user linked to no agent, like every user's from before agents)."""
    if agent is None:
        return {**change, "$unset": {"agent": ""}}
    return {**change, "$set": {**change["$set"], "agent": agent}}


class People:
    """MongoStore's access changes, first user and reset codes (see store.py)."""

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
    def update_user(
        self,
        username: str,
        *,
        by: str,
        at: datetime,
        admin: bool | None = None,
        teams: Mapping[str, str] | None = None,
        disabled: bool | None = None,
        agent: str | None = None,
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
                agent=before.agent if agent is None else agent or None,  # "": unlinked
            )
            if user_values(after) == user_values(before):
                return before
            if _enabled_admin(before) and not _enabled_admin(after) and not self._another_admin(key):
                raise LastAdmin()
            version = document.get("access_version")
            query = {"_id": document["_id"], "access_version": version if version else {"$exists": False}}
            entry = _entry(at, by, records.USER_CHANGED, "", before.username, user_values(before), user_values(after))
            fields = {**_access(after.admin, after.teams, after.disabled), "access_version": (version or 0) + 1}
            change = _audited(_with_agent({"$set": fields}, after.agent), entry)
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
