"""Values as the tables keep them: times as ISO text, mappings as JSON text (keys sorted)."""

from __future__ import annotations

import json
from datetime import datetime


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _json(values) -> str | None:
    return None if values is None else json.dumps(values, sort_keys=True)
