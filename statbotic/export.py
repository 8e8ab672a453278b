"""Export writers.  Writers yield text; writing a file is a thin atomic wrapper.

The JSON document is self-describing: the metric definitions, each day as entered with its
stored components, and the range summary with each formula's inputs, so a charting tool can
re-aggregate any sub-range correctly.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from .errors import StoreUnavailable
from .metrics import COMPONENTS, ENTRY_FIELDS, RANGE_METRICS
from .records import DayRecord
from .reports import Summary

FORMAT_NAME = "statbotic-export"
FORMAT_VERSION = 1


def day_document(record: DayRecord) -> dict:
    return {
        "date": record.day.isoformat(),
        "entered": dict(record.entered),
        "components": record.components,
        "updated_by": record.updated_by,
        "updated_at": record.updated_at.isoformat(),
    }


def summary_document(summary: Summary) -> dict:
    return {
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "days_in_range": summary.days_in_range,
        "days_with_data": summary.days_with_data,
        "missing_dates": [d.isoformat() for d in summary.missing],
        "sums": summary.sums,
        "figures": {
            f.metric.key: {
                "value": f.value,
                "per_day": f.per_day,
                "numerator": {"component": f.metric.numerator, "sum": f.numerator},
                "denominator": (
                    None if f.metric.is_total else {"component": f.metric.denominator, "sum": f.denominator}
                ),
            }
            for f in summary.figures
        },
    }


def definitions_document() -> dict:
    return {
        "entered": [{"key": f.key, "label": f.label, "unit": f.unit.value, "source": f.source} for f in ENTRY_FIELDS],
        "components": [{"key": c.key, "description": c.description} for c in COMPONENTS],
        "range_metrics": [
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit.value,
                "formula": m.formula,
                "numerator": m.numerator,
                "denominator": m.denominator or "days_with_data",
                "scale": m.scale,
            }
            for m in RANGE_METRICS
        ],
    }


def json_chunks(team: str, summary: Summary, days: Iterable[DayRecord], generated_at: datetime) -> Iterator[str]:
    """The export document as text chunks; days are written one by one, so memory stays flat."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "team": team,
        "generated_at": generated_at.isoformat(),
        "definitions": definitions_document(),
        "summary": summary_document(summary),
    }
    yield json.dumps(head, indent=2)[:-2] + ',\n  "days": ['
    for index, record in enumerate(days):
        yield ("," if index else "") + "\n    " + json.dumps(day_document(record))
    yield "\n  ]\n}\n"


def export_path(directory: Path, start: date, end: date, extension: str) -> Path:
    return directory / f"stats-{start.isoformat()}-{end.isoformat()}.{extension}"


def write_atomic(path: Path, chunks: Iterable[str]) -> Path:
    """Write chunks to a temporary file beside ``path`` and link it into place.

    The file appears whole or not at all, and an existing file is never overwritten:
    the name gets a ``-2``, ``-3``... suffix instead.  Returns the path written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".partial-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise StoreUnavailable(
            f"Can't write exports to {path.parent}: {exc.strerror or exc}. Check STATBOTIC_EXPORT_DIR."
        ) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        return _link_unused_name(Path(temp), path)
    except OSError as exc:
        raise StoreUnavailable(f"Can't write the export {path.name}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _link_unused_name(temp: Path, path: Path) -> Path:
    for number in range(1, 1000):
        candidate = path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
        try:
            os.link(temp, candidate)  # fails if the name exists: no silent overwrite, no race
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"too many exports named {path.name}")
