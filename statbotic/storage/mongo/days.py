"""Days: one document of ``stats`` per (team, date), a deleted day a tombstone; ranges read in one
find and summed here (sums and divisions happen in Python: see range_totals and reports.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from pymongo.errors import BulkWriteError

from ... import records
from ...errors import StoreUnavailable
from ...metrics import ENTRY_KEYS, legacy_range_sums, typed_entry
from ...metrics import LEGACY_SUMMED as COMPONENT_KEYS
from ...records import DayRecord, RangeTotals
from .documents import LIVE, MARKER_ID, NO_HISTORY
from .errors import CAS_ATTEMPTS, DUPLICATE_KEY_CODES
from .schema import _after_start

DEPARTMENT_BATCH = 100_000  # documents in a department read's first reply (the server caps a reply at 16 MiB)


def _day_document(record: DayRecord) -> tuple[dict, dict]:
    key = {"team": record.team, "date": record.day.isoformat()}
    components = record.components
    fields = {
        **record.entered,
        **{k: components[k] for k in COMPONENT_KEYS},
        "updated_by": record.updated_by,
        "updated_at": record.updated_at,
    }
    return key, fields


def _range(team: str, start: date, end: date) -> dict:
    return {"team": team, "date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}


def _day(document: dict) -> DayRecord:
    return DayRecord(
        team=document["team"],
        day=date.fromisoformat(document["date"]),
        entered=typed_entry(document),
        updated_by=document["updated_by"],
        updated_at=document["updated_at"],
    )


class Days:
    """MongoStore's days and range sums (see store.py)."""

    def metric_definitions(self):  # the built-ins until the store keeps definitions (issue 12, stores step)
        from ...builtin_metrics import BUILTIN_DEFINITIONS

        return tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: (d.order, d.key)))

    @_after_start
    def upsert_day(self, record: DayRecord) -> None:
        self._save_day(record, audit=True)

    def _save_day(self, record: DayRecord, audit: bool) -> None:
        """One update of the day's document; audited, the same update pushes the new version onto its
        history (and a new day's document records created_at, so its first version reads as added)."""
        key, fields = _day_document(record)
        change: dict = {"$set": fields}
        if audit:
            at = record.updated_at
            change["$set"] = {**fields, "audited_at": at}
            change["$push"] = {"history": {"at": at, "by": record.updated_by, "after": dict(record.entered)}}
            change["$setOnInsert"] = {"created_at": at}
        change["$unset"] = {"deleted_at": ""}  # a deleted day's tombstone comes back to life
        self._upsert(lambda: self._db.stats.update_one(key, change, upsert=True))

    @_after_start
    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        """The day's document becomes a tombstone (no figures, ``deleted_at``) keeping its history, in one
        update whose filter needs the figures just read (a compare-and-set: the entry's before is exact)."""
        key = {"team": team, "date": day.isoformat(), **LIVE}
        for _ in range(CAS_ATTEMPTS):
            document = self._guard(lambda: self._db.stats.find_one(key, NO_HISTORY))
            if document is None:
                return False
            entered = typed_entry(document)
            query = {**key, **entered, "updated_at": document["updated_at"]}
            gone = dict.fromkeys({*ENTRY_KEYS, *COMPONENT_KEYS, "updated_by", "updated_at"}, "")
            entry = {"at": at, "by": by, "action": records.DAY_DELETED, "before": entered, "after": None}
            change = {"$set": {"deleted_at": at, "audited_at": at}, "$unset": gone, "$push": {"history": entry}}
            if self._guard(lambda: self._db.stats.update_one(query, change)).matched_count:
                return True
        raise self._contended(f"the day {day}")

    @_after_start
    def upsert_days(self, records: Iterable[DayRecord], batch: int = 1000) -> int:
        """Many days at once: new days in unordered insert_many batches, existing ones updated one by one.

        Inserting is what bulk loads (copy-data, seeding) mostly do, and it is far cheaper than upserts on
        servers without secondary-index pushdown (FerretDB v1 scans the collection for every upsert).
        """
        count, chunk = 0, []
        for record in records:
            chunk.append(record)
            if len(chunk) == batch:
                count += self._upsert_chunk(chunk)
                chunk = []
        return count + (self._upsert_chunk(chunk) if chunk else 0)

    def _upsert_chunk(self, chunk: list[DayRecord]) -> int:
        present = self._guard(lambda: self._present_keys(chunk))
        fresh = [r for r in chunk if (r.team, r.day.isoformat()) not in present]
        if fresh:
            documents = [{**key, **fields} for key, fields in map(_day_document, fresh)]
            try:
                self._guard(lambda: self._db.stats.insert_many(documents, ordered=False))
            except BulkWriteError as failure:  # someone inserted some of these days meanwhile: update those
                raced = {
                    error["index"]
                    for error in failure.details.get("writeErrors", [])
                    if error.get("code") in DUPLICATE_KEY_CODES
                }
                if len(raced) != len(failure.details.get("writeErrors", [])):
                    raise self._unavailable(failure) from failure
                for index in sorted(raced):
                    self._save_day(fresh[index], audit=False)
        for record in chunk:
            if (record.team, record.day.isoformat()) in present:
                self._save_day(record, audit=False)
        return len(chunk)

    def _present_keys(self, chunk: list[DayRecord]) -> set[tuple[str, str]]:
        present = set()
        for team in {r.team for r in chunk}:
            days = [r.day for r in chunk if r.team == team]
            query = {"team": team, "date": {"$gte": min(days).isoformat(), "$lte": max(days).isoformat()}}
            for document in self._db.stats.find(query, {"date": 1, "_id": 0}):  # tombstones too: updated
                present.add((team, document["date"]))
        return present

    @_after_start
    def get_day(self, team: str, day: date) -> DayRecord | None:
        query = {"team": team, "date": day.isoformat(), **LIVE}
        document = self._guard(lambda: self._db.stats.find_one(query, NO_HISTORY))
        return _day(document) if document else None

    @_after_start
    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        return (_day(d) for d in self._each_day_once(self._iterate(self._range_find(team, start, end))))

    @_after_start
    def iter_all_days(self) -> Iterator[DayRecord]:
        cursor = self._db.stats.find(LIVE, NO_HISTORY, sort=[("team", 1), ("date", 1)], batch_size=1000)
        return (_day(d) for d in self._each_day_once(self._iterate(cursor)))

    def _range_find(self, team: str, start: date, end: date, projection: dict | None = None):
        """The range's documents by date, in one reply: a range holds at most one document a day, and one
        more in the batch size lets the server close the cursor at once (no getMore round trip)."""
        batch = (end - start).days + 2
        projection = projection or NO_HISTORY
        return self._db.stats.find(_range(team, start, end), projection, sort=[("date", 1)], batch_size=batch)

    def _each_day_once(self, documents: Iterable[dict]) -> Iterator[dict]:
        """The documents (sorted by team and date), stopping at a day found twice (see _duplicate_day)."""
        last = None
        for document in documents:
            key = (document["team"], document["date"])
            if key == last:
                raise self._duplicate_day(*key)
            last = key
            yield document

    def _duplicate_day(self, team: str, day: str) -> StoreUnavailable:
        """Two records of one day: the unique index on (team, date) is gone, though the marker says it was
        made (dropped by hand, or the collection dropped and written again).  Rather than count the day
        twice: say so, and take the indexes off the marker, so the next start makes them again."""
        self._guard(lambda: self._db.users.update_one({"_id": MARKER_ID}, {"$unset": {"indexes": ""}}))
        self._started = False
        return StoreUnavailable(
            f"{self.description} holds two records of team {team!r} for {day}: its unique index on "
            "(team, date) is missing. Delete one of them; Statbotic makes the index again at its next start."
        )

    @_after_start
    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        """One indexed find of the range's components, summed here.

        Not `$group`: FerretDB v1 fills only the first accumulator of a `$group` (FerretDB/FerretDB#4616),
        and one `$group` per component would scan the range six times on servers without filter pushdown
        (FerretDB v1 scans the whole collection for every query).  A range is at most ~3,700 small
        documents, so summing them here costs less than the extra round trips everywhere.
        """
        projection = {"_id": 0, "team": 1, "date": 1, **dict.fromkeys(COMPONENT_KEYS, 1)}
        documents = self._guard(lambda: list(self._each_day_once(self._range_find(team, start, end, projection))))
        sums = legacy_range_sums({key: sum(d[key] for d in documents) for key in COMPONENT_KEYS})  # exact
        return RangeTotals(start, end, sums, tuple(date.fromisoformat(d["date"]) for d in documents))

    @_after_start
    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        """One find of every team's components over the range, summed here (not `$group`: see range_totals),
        in one reply (the batch holds a range of every team: no getMore round trip)."""
        query: dict = {"date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}
        if teams is not None:
            query["team"] = {"$in": list(teams)}
        projection = {"_id": 0, "team": 1, "date": 1, **dict.fromkeys(COMPONENT_KEYS, 1)}
        cursor = self._db.stats.find(query, projection, sort=[("team", 1), ("date", 1)], batch_size=DEPARTMENT_BATCH)
        by_team: dict[str, list[dict]] = {}
        for document in self._guard(lambda: list(self._each_day_once(cursor))):
            by_team.setdefault(document["team"], []).append(document)
        return {
            team: RangeTotals(
                start,
                end,
                legacy_range_sums({key: sum(d[key] for d in documents) for key in COMPONENT_KEYS}),
                tuple(date.fromisoformat(d["date"]) for d in documents),
            )
            for team, documents in by_team.items()
        }
