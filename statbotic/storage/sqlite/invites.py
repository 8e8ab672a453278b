"""Invites: single-use and expiring, kept by their code's hash; redeeming one adds its user in the
same transaction."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from ... import records
from ...errors import InvalidInput
from ...frozen import replace
from ...records import AuditEntry, Invite, User, invite_values
from .audit import _append
from .columns import _iso, _when
from .errors import _guard
from .users import _insert_user, _teams, _user_added

_INVITE_COLUMNS = "code_hash, team, role, created_by, created_at, expires_at, used_by, used_at"


def _read_invite(conn: sqlite3.Connection, code_hash: str) -> Invite | None:
    row = conn.execute(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE code_hash = ?", (code_hash,)).fetchone()
    if row is None:
        return None
    code, team, role, created_by, created_at, expires_at, used_by, used_at = row
    when = datetime.fromisoformat
    return Invite(code, team, role, created_by, when(created_at), when(expires_at), used_by, _when(used_at))


class Invites:
    """SQLiteStore's invites (see store.py)."""

    def add_invite(self, invite: Invite) -> None:
        def insert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.execute(
                        f"INSERT INTO invites ({_INVITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            invite.code_hash,
                            invite.team,
                            invite.role,
                            invite.created_by,
                            invite.created_at.isoformat(),
                            invite.expires_at.isoformat(),
                            invite.used_by,
                            _iso(invite.used_at),
                        ),
                    )
                except sqlite3.IntegrityError:
                    raise InvalidInput("That invite code is in use already: issue another.") from None
                entry = AuditEntry(
                    invite.created_at, invite.created_by, records.INVITE_ISSUED, invite.team, "invite", None,
                    invite_values(invite),
                )  # fmt: skip
                _append(self._conn, entry)

        _guard(self, insert)

    def get_invite(self, code_hash: str) -> Invite | None:
        return _guard(self, lambda: _read_invite(self._conn, code_hash))

    def redeem_invite(self, user: User, code_hash: str, now: datetime) -> Invite | None:
        def redeem() -> Invite | None:
            with self._conn:  # one transaction: the user, the invite spent, both entries; or nothing
                self._conn.execute("BEGIN IMMEDIATE")
                invite = _read_invite(self._conn, code_hash)
                if invite is None or invite.used_by is not None or invite.expires_at <= now:
                    return None
                member = replace(user, admin=False, teams=_teams([(invite.team, invite.role)]))
                _insert_user(self._conn, member)  # DuplicateUser rolls the whole transaction back
                self._conn.execute(
                    "UPDATE invites SET used_by = ?, used_at = ? WHERE code_hash = ?",
                    (member.username, now.isoformat(), code_hash),
                )
                _append(self._conn, _user_added(member, None))
                used = {**invite_values(invite), "used_by": member.username}
                entry = AuditEntry(now, member.username, records.INVITE_USED, invite.team, "invite", None, used)
                _append(self._conn, entry)
                return invite

        return _guard(self, redeem)
