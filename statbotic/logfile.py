"""The log file: where the details of a failure go, so the user sees one plain line and its path.

STATBOTIC_DATA_DIR/statbotic.log, or the temp folder when that can't be written.  Entries hold
tracebacks and the store's description, never a password (a MongoDB URI is masked).
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path


def log_path_candidates() -> list[Path]:
    from .config import LOG_FILE_NAME, Settings
    from .errors import StatboticError

    try:
        return [Settings.from_env(os.environ).log_path, Path(tempfile.gettempdir()) / LOG_FILE_NAME]
    except StatboticError:  # the settings may be the very thing that failed; the temp folder still works
        return [Path(tempfile.gettempdir()) / LOG_FILE_NAME]


def log_failure(error: BaseException, what: str, log_path: Path | None = None) -> str:
    """Append ``what`` and the error's traceback (with its causes) to the log; return the file's path.

    The log is ``log_path`` when given (the running app's settings), else found from the environment."""
    uri = os.environ.get("MONGODB_URI", "")
    context = f" (MONGODB_URI={mask_uri(uri)})" if uri else ""
    entry = (
        f"{datetime.now(UTC).isoformat(timespec='seconds')} {what}{context}\n"
        + "".join(traceback.format_exception(error))
        + "\n"
    )
    candidates = [log_path, Path(tempfile.gettempdir()) / log_path.name] if log_path else log_path_candidates()
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as log:
                log.write(entry)
            return str(path)
        except OSError:
            continue
    return "nowhere (no writable log folder)"


def mask_uri(uri: str) -> str:
    """The URI with any password replaced by ***."""
    scheme, sep, rest = uri.partition("://")
    credentials, at, hosts = rest.rpartition("@")
    if not at or ":" not in credentials:
        return uri
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{hosts}"
