"""open_store(settings): the only place that chooses a backend.

Backends are imported inside the functions so that the SQLite path never loads pymongo
(and the MongoDB path never needs a writable data folder).
"""

from __future__ import annotations

from ..config import Settings
from .base import Store


def open_store(settings: Settings) -> Store:
    """The store the settings name: MongoDB when MONGODB_URI is set, else the local SQLite file."""
    if settings.mongodb_uri:
        return open_mongo(settings.mongodb_uri, settings.db_name, team=settings.team)
    return open_local(settings)


def open_local(settings: Settings) -> Store:
    """The embedded SQLite store in STATBOTIC_DATA_DIR (created on first use)."""
    from .sqlite import SQLiteStore

    return SQLiteStore(settings.database_path)


def open_mongo(uri: str, db_name: str, setting: str = "MONGODB_URI", team: str | None = None) -> Store:
    """A MongoDB store; ``setting`` names where the URI came from, for messages about it."""
    from .mongo import MongoStore

    return MongoStore.connect(uri, default_db_name=db_name, setting=setting, team=team)
