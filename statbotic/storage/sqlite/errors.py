"""SQLite's failures turned into StoreUnavailable, with advice naming the file or its folder.

Every method of SQLiteStore runs its database work through ``_guard``; an IntegrityError goes through
unchanged, for the caller to turn into a domain error (a taken username, a used invite code)."""

from __future__ import annotations

import sqlite3

from ...errors import StoreUnavailable


def _guard(store, operation):
    """Run a database operation of ``store`` (the SQLiteStore: its path names the file), turning SQLite's
    failures into StoreUnavailable with advice."""
    try:
        return operation()
    except sqlite3.IntegrityError:
        raise
    except sqlite3.OperationalError as exc:
        full = _full_or_unwritable(store, exc)
        if full:
            raise StoreUnavailable(full) from exc
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StoreUnavailable(
                f"The data file {store.path} is busy (locked by another program). Try again in a moment."
            ) from exc
        if "readonly" in text or "unable to open" in text:
            raise StoreUnavailable(
                f"Can't write the data file {store.path}. Check that the folder exists and "
                "is writable, or set STATBOTIC_DATA_DIR."
            ) from exc
        raise StoreUnavailable(f"The data file {store.path} could not be used ({exc}).") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(
            f"The data file {store.path} is damaged or is not a Statbotic database. "
            "Restore it from a backup or move it aside."
        ) from exc
    except (FileExistsError, NotADirectoryError) as exc:
        raise StoreUnavailable(
            f"{store.path.parent} is (or is inside) a file, not a folder. Point STATBOTIC_DATA_DIR at a folder."
        ) from exc
    except OSError as exc:
        raise StoreUnavailable(
            f"Can't use the data folder {store.path.parent}: {exc.strerror or exc}. Check STATBOTIC_DATA_DIR."
        ) from exc


# Writes the disk refused.  SQLite says SQLITE_FULL only for ENOSPC or a short write; a disk quota
# (EDQUOT), a file size limit (EFBIG) or a failed fsync come back as a bare "disk I/O error".
_WRITE_FAILURES = frozenset(
    (
        sqlite3.SQLITE_IOERR_WRITE,
        sqlite3.SQLITE_IOERR_FSYNC,
        sqlite3.SQLITE_IOERR_DIR_FSYNC,
        sqlite3.SQLITE_IOERR_TRUNCATE,
        sqlite3.SQLITE_IOERR_SHMSIZE,
    )
)


def _full_or_unwritable(store, exc: sqlite3.OperationalError) -> str | None:
    """The message for a full disk or a write the disk refused, naming the folder; None for other failures."""
    folder = store.path.parent
    if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
        return (
            f"The disk holding the data folder {folder} is full. "
            "Free some space, or set STATBOTIC_DATA_DIR to a folder on another disk."
        )
    if exc.sqlite_errorcode in _WRITE_FAILURES:
        return (
            f"Can't write to the data folder {folder}: the disk is full or can't be written (disk I/O error). "
            "Free some space or check the disk, or set STATBOTIC_DATA_DIR to another folder."
        )
    return None
