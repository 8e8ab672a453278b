"""Login throttling (throttle.py): a row of ``logins`` per username key that failed or logged in,
unknown names too; each write is a compare-and-set on the row's version."""

from __future__ import annotations

from datetime import datetime

from ...auth import username_key
from ...records import LoginState, User
from ...throttle import quiet_after
from .columns import _iso, _when
from .errors import _guard
from .users import _read_user

_LOGIN_COLUMNS = "version, failures, locked_until, lock_minutes, failed_since, last_login, quiet_after"


def _login_state(row: tuple) -> LoginState:
    version, failures, locked_until, lock_minutes, failed_since, last_login, _ = row
    return LoginState(
        failures=tuple(datetime.fromisoformat(t) for t in failures.split()),
        locked_until=_when(locked_until),
        lock_minutes=lock_minutes,
        failed_since=failed_since,
        last_login=_when(last_login),
        version=version,
    )


class Logins:
    """SQLiteStore's login throttling state (see store.py)."""

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        key = username_key(username)

        def read() -> tuple:
            with self._conn:  # one read transaction: the user and the state of the same moment
                self._conn.execute("BEGIN")
                user = _read_user(self._conn, "username_key = ?", (key,))
                state = self._conn.execute(f"SELECT {_LOGIN_COLUMNS} FROM logins WHERE username_key = ?", (key,))
                return user, state.fetchone()

        user, state = _guard(self, read)
        return user, (_login_state(state) if state else LoginState())

    def save_login_state(self, username: str, known: bool, expected: LoginState, state: LoginState) -> bool:
        key, quiet = username_key(username), quiet_after(state)
        values = (
            expected.version + 1,
            " ".join(t.isoformat() for t in state.failures),
            _iso(state.locked_until),
            state.lock_minutes,
            state.failed_since,
            _iso(state.last_login),
            _iso(quiet),
        )

        def write() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                if quiet is not None:  # a failure: delete unknown names' rows that no longer matter
                    self._conn.execute(
                        "DELETE FROM logins WHERE (quiet_after IS NULL OR quiet_after < ?) AND username_key <> ? "
                        "AND username_key NOT IN (SELECT username_key FROM users)",
                        (state.failures[-1].isoformat() if state.failures else quiet.isoformat(), key),
                    )
                if expected.version == 0:
                    done = self._conn.execute(
                        f"INSERT INTO logins (username_key, {_LOGIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (username_key) DO NOTHING",
                        (key, *values),
                    )
                else:
                    done = self._conn.execute(
                        "UPDATE logins SET version = ?, failures = ?, locked_until = ?, lock_minutes = ?, "
                        "failed_since = ?, last_login = ?, quiet_after = ? WHERE username_key = ? AND version = ?",
                        (*values, key, expected.version),
                    )
                return done.rowcount == 1

        return _guard(self, write)
