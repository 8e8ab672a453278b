"""The department document: the teams, the registration setting, the first user and the metric
definitions, changed by a compare-and-set on its ``version`` (see _change_department).  The login's
find reads it ahead (read_ahead.py), so reading the definitions costs no round trip of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pymongo.errors import OperationFailure

from ... import records
from ...builtin_metrics import BUILTIN_DEFINITIONS
from ...errors import DuplicateTeam
from ...metric_kinds import SLUG, MetricDefinition, definition_from_values, definition_values
from ...records import Registration, Team, registration_values
from .audit import _audited, _entry
from .documents import DEPARTMENT_ID, DEPARTMENT_KEY, LIVE, METRICS, NO_HISTORY, VALUES
from .errors import CAS_ATTEMPTS, _is_duplicate
from .schema import _after_start, builtin_definitions


def _with_team(department: dict, team: Team) -> list[dict]:
    added = {"name": team.name, "display_name": team.display_name, "created_at": team.created_at}
    return sorted([*department.get("teams", ()), added], key=lambda t: t["name"])


def _registration(document: dict | None) -> Registration:
    if not document:
        return Registration()
    return Registration(document["mode"], tuple(document["domains"]))


def _definitions(department: dict) -> tuple[MetricDefinition, ...]:
    """The department document's definitions by (order, key); the built-ins while it has none (a store
    whose start-up work has not seeded them yet)."""
    stored = department.get(METRICS)
    if stored is None:
        return tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: (d.order, d.key)))
    return tuple(sorted((definition_from_values(v) for v in stored.values()), key=lambda d: (d.order, d.key)))


class Department:
    """MongoStore's teams and registration setting (see store.py)."""

    @_after_start
    def teams(self) -> tuple[Team, ...]:
        """The department document's teams: read with the login a moment ago, else one find."""
        return tuple(Team(t["name"], t["display_name"], t["created_at"]) for t in self._department().get("teams", ()))

    @_after_start
    def add_team(self, team: Team, by: str | None) -> None:
        def add(department: dict) -> dict:
            if any(t["name"] == team.name for t in department.get("teams", ())):
                raise DuplicateTeam(f"The team name {team.name!r} is taken.")
            change = {"$set": {"teams": _with_team(department, team)}}
            if by is None:
                return change
            after = {"display_name": team.display_name}
            return _audited(
                change, _entry(team.created_at, by, records.TEAM_CREATED, team.name, team.name, after=after)
            )

        self._change_department(add)

    @_after_start
    def rename_team(self, name: str, display_name: str, by: str, at: datetime) -> bool:
        def rename(department: dict) -> dict | None:
            teams = [dict(t) for t in department.get("teams", ())]
            found = [t for t in teams if t["name"] == name]
            if not found:
                return None
            before, found[0]["display_name"] = {"display_name": found[0]["display_name"]}, display_name
            entry = _entry(at, by, records.TEAM_RENAMED, name, name, before, {"display_name": display_name})
            return _audited({"$set": {"teams": teams}}, entry)

        return self._change_department(rename)

    # registration
    @_after_start
    def get_registration(self) -> Registration:
        return _registration(self._department().get("registration"))

    @_after_start
    def set_registration(self, registration: Registration, by: str, at: datetime) -> None:
        def save(department: dict) -> dict:
            before = registration_values(_registration(department.get("registration")))
            entry = _entry(
                at, by, records.REGISTRATION_SET, "", "registration", before, registration_values(registration)
            )
            return _audited({"$set": {"registration": registration_values(registration)}}, entry)

        self._change_department(save)

    # metric definitions
    @_after_start
    def metric_definitions(self) -> tuple[MetricDefinition, ...]:
        """The department document's definitions, retired ones too: read with the login a moment ago (or
        with the start-up marker), else one find."""
        department = self._department()
        parsed = self._parsed_definitions
        if parsed is None or parsed[0] is not department:  # parsed once per document read
            parsed = self._parsed_definitions = (department, _definitions(department))
        return parsed[1]

    @_after_start
    def save_metric_definition(self, definition: MetricDefinition, by: str, at: datetime) -> None:
        """One ``$set`` of the definition's key in the department document, its entry pushed by the same
        update, under the department's compare-and-set (two admins saving at once both get saved)."""
        values = definition_values(definition)

        def save(department: dict) -> dict | None:
            stored = department.get(METRICS)
            before = (builtin_definitions() if stored is None else stored).get(definition.key)
            if before == values:
                return None
            action = records.METRIC_ADDED if before is None else records.METRIC_CHANGED
            entry = _entry(at, by, action, "", definition.key, before, values)
            if stored is None:  # never seeded: the built-ins and this one, in the same write
                return _audited({"$set": {METRICS: {**builtin_definitions(), definition.key: values}}}, entry)
            return _audited({"$set": {f"{METRICS}.{definition.key}": values}}, entry)

        self._change_department(save)

    @_after_start
    def metric_has_data(self, key: str) -> bool:
        """One find of a live day with a value for the metric, stopping at the first."""
        if not SLUG.fullmatch(key):  # a key is a slug: anything else names no field of ``values``
            return False
        query = {f"{VALUES}.{key}": {"$exists": True}, **LIVE}
        return self._guard(lambda: self._db.stats.find_one(query, {"_id": 1})) is not None

    def _change_department(self, change_of: Callable[[dict], dict | None]) -> bool:
        """Read the department document, let ``change_of`` make the update (None: nothing to do, False),
        and write it only if nobody wrote it since the read (its ``version``); lost races are retried.
        A store with no department document gets it, inserted by the same upsert."""
        self._department_ahead = None
        for _ in range(CAS_ATTEMPTS):
            department = self._guard(lambda: self._db.users.find_one({"_id": DEPARTMENT_ID}, NO_HISTORY)) or {}
            change = change_of(department)
            if change is None:
                return False
            version = department.get("version")
            query = {"_id": DEPARTMENT_ID, "version": version if version else {"$exists": False}}
            fields = {"kind": DEPARTMENT_ID, "username_key": DEPARTMENT_KEY, "version": (version or 0) + 1}
            change = {**change, "$set": {**change.get("$set", {}), **fields}}
            try:
                result = self._guard(lambda: self._db.users.update_one(query, change, upsert=not version))
            except OperationFailure as failure:
                if not _is_duplicate(failure):
                    raise self._unavailable(failure) from failure
                continue  # another process inserted the department meanwhile: read it again
            if result.matched_count or result.upserted_id is not None:
                return True
        raise self._contended("the department's settings")
