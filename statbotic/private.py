"""Files only their owner may read: folders 0700, files 0600, whatever the umask.

Never written through a symbolic link; a folder of our own in a shared place (the temp folder) is
used only if it is a real folder, ours, with mode 0700.  An existing file is never changed, but one
that other users can read is named, with the chmod that fixes it, so the user hears of it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def make_folder(path: Path) -> None:
    """Create the folder with mode 0700 unless it exists (missing parents get the usual mode, like mkdir -p)."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def create_file(path: Path) -> None:
    """Create an empty file with mode 0600 unless one exists; never through a link.  (SQLite then gives
    the database's -wal and -shm files the database's own mode.)"""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, FILE_MODE))


def open_for_append(path: Path):
    """The file opened to append text, created with mode 0600; OSError if ``path`` is a link."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, FILE_MODE)
    return os.fdopen(fd, "a", encoding="utf-8")


def is_private_folder(path: Path) -> bool:
    """Whether ``path`` is a folder (not a link to one) that we own and nobody else may use (mode 0700)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def readable_by_others(path: Path, what: str) -> str | None:
    """A sentence for the user when the existing file or folder at ``path`` (``what`` names it, e.g. "The
    data file") can be read by its group or by everyone; None when it is private or absent."""
    import shlex

    try:
        info = os.stat(path)  # through a link: what matters is the file it leads to
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o044:
        return None
    private = FOLDER_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
    return (
        f"{what} {path} can be read by other users (mode {mode:04o}); "
        f"to keep it private: chmod {private:o} {shlex.quote(str(path))}"
    )
