"""The log file: where the details of a failure go, so the user sees one plain line and its path.

STATBOTIC_DATA_DIR/statbotic.log (the settings' log_path), or the temp folder's statbotic.log when
that can't be written or the settings never loaded.  Entries hold tracebacks and the store's
description, never a password (a MongoDB URI is masked).
"""

from __future__ import annotations

import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from .config import LOG_FILE_NAME


def log_failure(error: BaseException, what: str, log_path: Path | None = None, mongodb_uri: str | None = None) -> str:
    """Append ``what`` and the error's traceback (with its causes) to the log; return the file's path."""
    context = f" (MONGODB_URI={mask_uri(mongodb_uri)})" if mongodb_uri else ""
    entry = (
        f"{datetime.now(UTC).isoformat(timespec='seconds')} {what}{context}\n"
        + "".join(traceback.format_exception(error))
        + "\n"
    )
    fallback = Path(tempfile.gettempdir()) / LOG_FILE_NAME
    for path in (log_path, fallback) if log_path else (fallback,):
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
