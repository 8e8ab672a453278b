"""Share links (schema 10): one row each, found by the token's hash (unique) or by the public id."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from ... import records
from ...errors import InvalidInput
from ...records import AuditEntry, Share, share_subject, share_values
from .audit import _append
from .columns import _iso, _when
from .errors import _guard

_SHARE_COLUMNS = (
    "id, token_hash, team, first_day, last_day, label, unit, created_by, created_at, expires_at, revoked_at, revoked_by"
)


def _share(row: tuple) -> Share:
    share_id, token_hash, team, first, last, label, unit, by, created, expires, revoked, revoked_by = row
    when = datetime.fromisoformat
    return Share(
        share_id, token_hash, team, date.fromisoformat(first), date.fromisoformat(last), label, unit, by,
        when(created), when(expires), _when(revoked), revoked_by,
    )  # fmt: skip


def _read(conn: sqlite3.Connection, where: str, params: tuple) -> list[Share]:
    return [_share(row) for row in conn.execute(f"SELECT {_SHARE_COLUMNS} FROM shares WHERE {where}", params)]


class Shares:
    """SQLiteStore's share links (see store.py)."""

    def add_share(self, share: Share) -> None:
        def insert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.execute(
                        f"INSERT INTO shares ({_SHARE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            share.id, share.token_hash, share.team, share.start.isoformat(), share.end.isoformat(),
                            share.label, share.unit, share.created_by, share.created_at.isoformat(),
                            share.expires_at.isoformat(), _iso(share.revoked_at), share.revoked_by,
                        ),
                    )  # fmt: skip
                except sqlite3.IntegrityError:
                    raise InvalidInput("That share's id or token is in use already: make another.") from None
                entry = AuditEntry(
                    share.created_at, share.created_by, records.SHARE_CREATED, share.team, share_subject(share.id),
                    None, share_values(share),
                )  # fmt: skip
                _append(self._conn, entry)

        _guard(self, insert)

    def share_by_token_hash(self, token_hash: str) -> Share | None:
        found = _guard(self, lambda: _read(self._conn, "token_hash = ?", (token_hash,)))
        return found[0] if found else None

    def get_share(self, share_id: str) -> Share | None:
        found = _guard(self, lambda: _read(self._conn, "id = ?", (share_id,)))
        return found[0] if found else None

    def shares(self, teams: Sequence[str] | None = None) -> list[Share]:
        if teams is None:
            where, params = "1 = 1", ()
        else:
            where, params = f"team IN ({', '.join('?' * len(teams))})", tuple(teams)
        return _guard(self, lambda: _read(self._conn, f"{where} ORDER BY created_at, id", params))

    def revoke_share(self, share_id: str, by: str, at: datetime) -> bool:
        def revoke() -> bool:
            with self._conn:  # one transaction: the share revoked and its entry, or nothing
                self._conn.execute("BEGIN IMMEDIATE")
                found = _read(self._conn, "id = ? AND revoked_at IS NULL", (share_id,))
                if not found:
                    return False
                self._conn.execute(
                    "UPDATE shares SET revoked_at = ?, revoked_by = ? WHERE id = ?", (at.isoformat(), by, share_id)
                )
                share = found[0]
                entry = AuditEntry(
                    at, by, records.SHARE_REVOKED, share.team, share_subject(share.id), share_values(share),
                    {**share_values(share), "revoked_at": at.isoformat()},
                )  # fmt: skip
                _append(self._conn, entry)
                return True

        return _guard(self, revoke)
