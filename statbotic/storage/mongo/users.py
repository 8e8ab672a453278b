"""Users: their documents in ``users``, passwords and access tokens, and the lookups by name or token
(one find each, through read_ahead.ReadAhead._find_user)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from pymongo.errors import OperationFailure

from ... import records
from ...auth import username_key
from ...errors import DuplicateUser
from ...records import LoginState, User, user_values
from .audit import _entry
from .documents import NO_HISTORY, USER, login_id
from .errors import _is_duplicate
from .logins import _login_state
from .schema import _after_start


def _user(document: dict) -> User:
    return User(
        document["username"],
        document["password_hash"],
        document["created_at"],
        admin=document.get("admin", False),
        teams={t["team"]: t["role"] for t in document.get("teams", ())},
        disabled=document.get("disabled", False),
        email=document.get("email"),
        agent=document.get("agent"),
    )


def _access(admin: bool, teams: Mapping[str, str], disabled: bool) -> dict:
    """A user's access as its document keeps it: teams as a list (a team's name is free text, and a "."
    or a leading "$" can't be a portable field name)."""
    return {
        "admin": admin,
        "teams": [{"team": team, "role": role} for team, role in sorted(teams.items())],
        "disabled": disabled,
    }


class Users:
    """MongoStore's users (see store.py)."""

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
        if user.agent is not None:  # absent: no agent (the documents of users from before agents)
            document["agent"] = user.agent
        if entries:
            document.update(audited_at=max(e["at"] for e in entries), history=entries)
        try:
            self._guard(lambda: self._db.users.insert_one(document))
        except OperationFailure as failure:
            if _is_duplicate(failure):
                raise DuplicateUser(f"The username {user.username!r} is taken.") from None
            raise self._unavailable(failure) from failure

    @_after_start
    def has_users(self) -> bool:
        return self._guard(lambda: self._db.users.find_one(USER, {"_id": 1})) is not None

    def get_user(self, username: str) -> User | None:
        document, _ = self._find_user({"username_key": username_key(username)})
        return _user(document) if document else None

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        key = username_key(username)
        document, other = self._find_user({"username_key": key}, login_id(key))
        if document is not None:
            return _user(document), _login_state(document.get("login"))
        return None, _login_state((other or {}).get("login"))

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
