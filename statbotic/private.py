"""Files only their owner may read: folders 0700, files 0600, whatever the umask.

Never written through a symbolic link; a folder of our own in a shared place (the temp folder) is
used only if it is a real folder, ours, with mode 0700.
"""

from __future__ import annotations

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
