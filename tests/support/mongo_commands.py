"""The commands a MongoDB store sends, counted through pymongo's command monitoring (round-trip tests)."""

from __future__ import annotations

import pymongo
from pymongo import monitoring

from statbotic.storage.mongo import MongoStore


class Commands(monitoring.CommandListener):
    """Every command a client made, as (command, its collection or first argument)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def started(self, event) -> None:
        self.seen.append((event.command_name, event.command.get(event.command_name)))

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


def counted(uri: str, team: str = "support") -> tuple[MongoStore, Commands]:
    """A store on ``uri`` (for ``team``) whose commands are counted."""
    commands = Commands()
    client = pymongo.MongoClient(uri, tz_aware=True, event_listeners=[commands])
    return MongoStore(client, client.get_default_database().name, "the test server", team=team), commands
