"""A report written to a file: whole or not at all (export.write_atomic), never over another file."""

from __future__ import annotations

from pathlib import Path


def save(document, export_dir: Path, output: Path | None = None) -> Path:
    """Write ``document`` (a ReportDocument) into ``export_dir`` under its own name (a -2, -3... suffix
    when taken), or to ``output`` (InvalidInput when it exists); the path written.  StoreUnavailable
    (as for exports) when the place can't be written, leaving no file."""
    from ..export import write_atomic

    if output is not None:
        return write_atomic(output, [document.html], rename_if_taken=False)
    return write_atomic(export_dir / document.file_name, [document.html])
