"""open_store(settings): the only place that chooses a backend.

Backends are imported inside the function so that the SQLite path never loads pymongo
(and the MongoDB path never needs a writable data folder).
"""

from __future__ import annotations

from ..config import Settings
from .base import Store


def open_store(settings: Settings) -> Store:
    if settings.mongodb_uri:
        from .mongo import MongoStore

        return MongoStore.connect(settings.mongodb_uri, default_db_name=settings.db_name)
    from .sqlite import SQLiteStore

    return SQLiteStore(settings.database_path)
