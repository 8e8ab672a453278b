"""A report written to a file: whole or not at all (export.write_atomic), never over another file."""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreUnavailable


def save(document, export_dir: Path, output: Path | None = None) -> Path:
    """Write ``document`` (a ReportDocument) into ``export_dir`` under its own name (a -2, -3... suffix
    when taken), or to ``output`` (InvalidInput when it exists); the path written.  StoreUnavailable,
    naming the place and why, when it can't be written: no file is left."""
    from ..export import write_atomic

    path = output if output is not None else export_dir / document.file_name
    try:
        return write_atomic(path, [document.html], rename_if_taken=output is None)
    except StoreUnavailable as problem:
        check = "" if output is not None else " Check STATBOTIC_EXPORT_DIR."
        raise StoreUnavailable(f"Can't write the report to {path}: {reason(path, problem)}.{check}") from problem


def reason(path: Path, problem: StoreUnavailable) -> str:
    """Why ``path`` can't be written, in words: a folder on the way that is a file, or the system's."""
    for folder in path.parents:
        if folder.exists():
            return f"{folder} is not a folder" if not folder.is_dir() else why(problem)
    return why(problem)


def why(problem: StoreUnavailable) -> str:
    cause = problem.__cause__
    return (getattr(cause, "strerror", None) or str(cause or problem.message)).rstrip(".").lower()
