"""What a session's first find brings along, and the reads it serves.

A session's first user lookup (a login, or a name checked before registering) is one find of
``users`` that brings, with the user, the start-up marker, the department document and the session's
team's targets document (see _find_user).  The department then serves teams(), get_registration() and
metric_definitions() (which every day written and every range summed needs), and the targets the next
get_targets() of that team, for READ_AHEAD_SECONDS: a view is two round trips (that find and the range
read), however many metrics the store defines.  A session that looks no user up reads the department
with the start-up marker instead (schema._start_alone).  What a write changes is forgotten at once:
set_target and clear_target drop the targets read ahead, _change_department and a start-up that migrated
drop the department.
tests/contract/test_mongo_round_trips.py pins these round trips.
"""

from __future__ import annotations

import time

from ...records import Target
from .documents import DEPARTMENT_ID, MARKER_ID, NO_HISTORY, USER, targets_id
from .schema import _after_start
from .targets import _targets

READ_AHEAD_SECONDS = 10  # targets read with the login serve the next get_targets this soon after it


class ReadAhead:
    """MongoStore's reads ahead (see store.py)."""

    def _find_user(self, query: dict, also: str | None = None) -> tuple[dict | None, dict | None]:
        """The user document matching ``query`` and the document whose _id is ``also`` (None when not
        found), in one find.  A session's first lookup (a login, or a name checked before registering)
        brings the start-up marker and the session's team's targets in the same find."""
        query = {**query, **USER}  # a user, never the marker or targets
        extra = [] if also is None else [{"_id": also}]
        if not self._started:
            extra += [{"_id": MARKER_ID}, {"_id": DEPARTMENT_ID}]
            extra += [{"_id": targets_id(self._team)}] if self._team is not None else []
        if extra:
            found = {
                d["_id"]: d
                for d in self._guard(lambda: list(self._db.users.find({"$or": [query, *extra]}, NO_HISTORY)))
            }
        else:
            found = {
                d["_id"]: d for d in filter(None, [self._guard(lambda: self._db.users.find_one(query, NO_HISTORY))])
            }
        if not self._started:
            self._department_ahead = (time.monotonic(), found.pop(DEPARTMENT_ID, None))
            if self._start(found.pop(MARKER_ID, None)):  # once per schema version: read the converted ones
                return self._find_user(query, also)
            if self._team is not None:
                self._read_ahead = (time.monotonic(), found.pop(targets_id(self._team), None))
        other = found.pop(also, None) if also is not None else None
        return next(iter(found.values()), None), other

    def _department(self) -> dict:
        """The department document ({} when there is none yet): the one the login read ahead, if recent."""
        ahead = self._department_ahead
        if ahead is not None and time.monotonic() - ahead[0] <= READ_AHEAD_SECONDS:
            return ahead[1] or {}
        document = self._guard(lambda: self._db.users.find_one({"_id": DEPARTMENT_ID}, NO_HISTORY)) or {}
        self._department_ahead = (time.monotonic(), document)
        return document

    @_after_start
    def get_targets(self, team: str) -> dict[str, Target]:
        ahead, self._read_ahead = self._read_ahead, None
        if team == self._team and ahead is not None and time.monotonic() - ahead[0] <= READ_AHEAD_SECONDS:
            document = ahead[1]  # read with the login a moment ago: no second round trip
        else:
            document = self._guard(lambda: self._db.users.find_one({"_id": targets_id(team)}, NO_HISTORY))
        return _targets(document)
