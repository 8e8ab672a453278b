"""Targets: each team's in one document of ``users`` (documents.targets_id), read ahead with the
login (get_targets is in read_ahead.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ... import records
from ...records import Target, target_values
from .documents import NO_HISTORY, TARGETS_KIND, targets_id
from .schema import _after_start


def _targets(document: dict | None) -> dict[str, Target]:
    """A team's targets document as Targets by metric key, in key order (none: no document)."""
    goals = (document or {}).get("goals", {})
    return {
        metric: Target.from_stored(metric, g["direction"], g["value"], g["set_by"], g["set_at"])
        for metric, g in sorted(goals.items())
    }


class Targets:
    """MongoStore's targets (see store.py)."""

    @_after_start
    def set_target(self, team: str, target: Target, audit: bool = True) -> None:
        direction, value = target.stored()
        fields = {"direction": direction, "value": value, "set_by": target.set_by, "set_at": target.set_at}
        key = targets_id(team)
        change: dict = {
            "$set": {"kind": TARGETS_KIND, "team": team, "username_key": key, f"goals.{target.metric}": fields}
        }
        if audit:
            at = target.set_at
            change["$set"]["audited_at"] = at
            entry = {"at": at, "by": target.set_by, "action": records.TARGET_SET, "metric": target.metric}
            change["$push"] = {"history": {**entry, "after": target_values(target)}}
        self._read_ahead = None
        self._upsert(lambda: self._db.users.update_one({"_id": key}, change, upsert=True))

    @_after_start
    def iter_all_targets(self) -> Iterator[tuple[str, Target]]:
        cursor = self._db.users.find({"kind": TARGETS_KIND}, NO_HISTORY, sort=[("team", 1)])
        return ((d["team"], target) for d in self._iterate(cursor) for target in _targets(d).values())

    @_after_start
    def clear_target(self, team: str, metric: str, by: str | None = None, at: datetime | None = None) -> bool:
        self._read_ahead = None
        goal = f"goals.{metric}"
        change: dict = {"$unset": {goal: ""}}
        if by is not None and at is not None:  # only when there was one: the filter needs it
            change["$set"] = {"audited_at": at}
            change["$push"] = {"history": {"at": at, "by": by, "action": records.TARGET_CLEARED, "metric": metric}}
        result = self._guard(
            lambda: self._db.users.update_one({"_id": targets_id(team), goal: {"$exists": True}}, change)
        )
        return result.modified_count > 0
