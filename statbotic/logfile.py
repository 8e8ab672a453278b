"""The log file: where the details of a failure go, so the user sees one plain line and its path.

STATBOTIC_DATA_DIR/statbotic.log (the settings' log_path), or, when that can't be written or the
settings never loaded, statbotic.log in a folder of the user's own in the temp folder:
statbotic-<uid>, used only if it is a real folder, ours, with mode 0700 (else a new folder with a
random name).  The file is created 0600 and never written through a link.  Entries hold tracebacks
and the store's description, never a password (a MongoDB URI is masked, the settings' passwords and
token replaced by ***).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import private
from .config import LOG_FILE_NAME


def log_failure(
    error: BaseException, what: str, log_path: Path | None = None, mongodb_uri: str | None = None, secrets=()
) -> str:
    """Append ``what`` and the error's traceback (with its causes) to the log, each of ``secrets`` (the
    settings' passwords) written *** should an error's text hold one; return the file's path."""
    context = f" (MONGODB_URI={mask_uri(mongodb_uri)})" if mongodb_uri else ""
    entry = (
        f"{datetime.now(UTC).isoformat(timespec='seconds')} {what}{context}\n"
        + "".join(traceback.format_exception(error))
        + "\n"
    )
    for secret in secrets:
        if secret:
            entry = entry.replace(secret, "***")
    places = [lambda: log_path] if log_path else []
    places.append(lambda: private_temp_folder() / LOG_FILE_NAME)
    for place in places:
        try:
            path = place()
            private.make_folder(path.parent)
            with private.open_for_append(path) as log:
                log.write(entry)
            return str(path)
        except OSError:
            continue
    return "nowhere (no writable log folder)"


def private_temp_folder() -> Path:
    """statbotic-<uid> in the temp folder, created 0700; if something else has that name (a link, a
    folder of another user's or open to others) a new private folder with a random name instead."""
    folder = Path(tempfile.gettempdir()) / f"statbotic-{os.getuid()}"
    with contextlib.suppress(FileExistsError):  # then checked: it may be anything, by anyone
        folder.mkdir(mode=private.FOLDER_MODE)
    if private.is_private_folder(folder):
        return folder
    return Path(tempfile.mkdtemp(prefix="statbotic-"))


def mask_uri(uri: str) -> str:
    """The URI with any password replaced by ***."""
    scheme, sep, rest = uri.partition("://")
    credentials, at, hosts = rest.rpartition("@")
    if not at or ":" not in credentials:
        return uri
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{hosts}"
