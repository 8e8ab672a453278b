"""Login throttling (throttle.py): a user's state is the ``login`` field of the user's document, an
unknown name's a document of its own (documents.LOGIN_KIND); each write is a compare-and-set on its
version."""

from __future__ import annotations

from pymongo.errors import OperationFailure

from ...auth import username_key
from ...records import LoginState
from ...throttle import quiet_after
from .documents import LOGIN_KIND, login_id
from .errors import _is_duplicate
from .schema import _after_start


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


class Logins:
    """MongoStore's login throttling state (see store.py)."""

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
