"""Days: one document of ``stats`` per (team, date), a deleted day a tombstone; ranges read in one
find and summed here (sums and divisions happen in Python: see range_totals and reports.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from pymongo.errors import BulkWriteError, OperationFailure

from ... import records
from ...builtin_metrics import LEGACY_COLUMNS
from ...errors import InvalidInput, StoreUnavailable
from ...metric_kinds import MetricDefinition, check_day, stored_values
from ...metrics import entry_key, named_sums
from ...records import DayRecord, RangeTotals
from .documents import LIVE, MARKER_ID, NO_HISTORY, VALUES, value_row
from .errors import CAS_ATTEMPTS, DUPLICATE_KEY_CODES, _is_duplicate
from .schema import _after_start

DEPARTMENT_BATCH = 100_000  # documents in a department read's first reply (the server caps a reply at 16 MiB)
REVISION = "revision"  # a day document's count of writes: every write raises it (a compare-and-set's token)

# metrics.entry_key by the metric key alone (a built-in's entered column, else the key): reading a day back
# needs no definitions.
_ENTRY_KEY = {metric: column for column, metric in LEGACY_COLUMNS.items()}


class _Catalogue:
    """The store's definitions as one write needs them: a day's entered figures (by entry key) read by
    metric key, and the rows ``values`` keeps for them (metric_kinds.stored_values over every definition,
    retired ones too)."""

    def __init__(self, definitions: tuple[MetricDefinition, ...]) -> None:
        self.definitions = definitions
        self.metric_of = {entry_key(d): d.key for d in definitions if d.entered}
        self.entered = frozenset(self.metric_of.values())

    def by_metric(self, entered) -> dict[str, int]:
        unknown = [key for key in entered if key not in self.metric_of]
        if unknown:
            raise InvalidInput(f"The store has no metric for {', '.join(unknown)}: define it first.")
        return {self.metric_of[key]: int(value) for key, value in entered.items()}

    def rows(self, values: dict[str, int]) -> dict[str, dict]:
        """A day's ``values`` as its document keeps them; InvalidInput when the day can't be true (a share
        above its base, metric_kinds.check_day) or a duration or a share has no base that day."""
        check_day(self.definitions, values)
        return {key: value_row(*row) for key, row in stored_values(self.definitions, values).items()}


def _key(team: str, day: date) -> dict:
    return {"team": team, "date": day.isoformat()}


def _metric_values(document: dict | None) -> dict[str, int]:
    """A day document's values by metric key ({} for none, or a tombstone)."""
    if document is None:
        return {}
    return {key: int(row["value"]) for key, row in document.get(VALUES, {}).items()}


def _entered(values: dict[str, int]) -> dict[str, int]:
    """Values by metric key as DayRecord.entered keys them (metrics.entry_key)."""
    return {_ENTRY_KEY.get(key, key): value for key, value in values.items()}


def _as_read(document: dict | None) -> dict:
    """The filter that matches the day's document only while nobody wrote it since it was read."""
    revision = None if document is None else document.get(REVISION)
    absent = document is None
    condition: dict = {REVISION: revision if revision is not None else {"$exists": False}}
    if absent:
        condition.update({"updated_at": {"$exists": False}, "deleted_at": {"$exists": False}})
    return condition


def _range(team: str, start: date, end: date) -> dict:
    return {"team": team, "date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}


def _day(document: dict) -> DayRecord:
    return DayRecord(
        team=document["team"],
        day=date.fromisoformat(document["date"]),
        entered=_entered(_metric_values(document)),
        updated_by=document["updated_by"],
        updated_at=document["updated_at"],
    )


def _totals(definitions: tuple[MetricDefinition, ...], start: date, end: date, documents: list[dict]) -> RangeTotals:
    """The range's sums of each metric's value, total and base, and its days with data, summed here (exact
    integers), named as the app names them (metrics.named_sums)."""
    summed: dict[str, list[int]] = {}
    for document in documents:
        for key, row in document.get(VALUES, {}).items():
            sums = summed.get(key)
            if sums is None:
                sums = summed[key] = [0, 0, 0, 0]
            sums[0] += row["value"]
            sums[1] += row.get("total", 0)
            sums[2] += row.get("base", 0)
            sums[3] += 1
    per_metric = {key: (value, total, base) for key, (value, total, base, _) in summed.items()}
    metric_days = {d.key: summed[d.key][3] if d.key in summed else 0 for d in definitions if d.entered}
    days = tuple(date.fromisoformat(d["date"]) for d in documents)
    return RangeTotals(start, end, named_sums(definitions, per_metric), days, metric_days)


class Days:
    """MongoStore's days and range sums (see store.py)."""

    @_after_start
    def upsert_day(self, record: DayRecord) -> None:
        """One update of the day's document, its new version pushed onto its history by the same update (and
        a new day's document records created_at, so its first version reads as added).

        A record with a value for every entered metric of the store is the whole day: written as it is.  One
        without some keeps the day's values of those, so the write starts from the day as it is (the one
        get_day, or iter_days as the last of its range, read before: no round trip; else one find) and is a
        compare-and-set on its ``revision``, retried: the history's ``after`` is then the whole day, and a
        duration's or a share's base may be the kept one.  InvalidInput, writing nothing, when the day would
        not be true (metric_kinds.check_day) or names a figure the store has no metric for."""
        catalogue = _Catalogue(self.metric_definitions())
        if not catalogue.metric_of.keys() >= record.entered.keys():  # defined since the login read them?
            self._department_ahead = None
            catalogue = _Catalogue(self.metric_definitions())
        entered = catalogue.by_metric(record.entered)
        if catalogue.entered <= entered.keys():
            self._day_ahead = None
            self._write_day(record, catalogue.rows(entered), entered, None)
            return
        for _ in range(CAS_ATTEMPTS):
            document = self._day_as_it_is(record.team, record.day)
            merged = {**_metric_values(document), **entered}
            if self._write_day(record, catalogue.rows(merged), merged, _as_read(document)):
                return
        raise self._contended(f"the day {record.day}")

    def _day_as_it_is(self, team: str, day: date) -> dict | None:
        """The day's document (a tombstone too), as get_day or iter_days read it (used once; a document
        changed since is caught by the compare-and-set), else by one find."""
        ahead, self._day_ahead = self._day_ahead, None
        if ahead is not None and ahead[:2] == (team, day.isoformat()):
            return ahead[2]
        return self._guard(lambda: self._db.stats.find_one(_key(team, day), NO_HISTORY))

    def _write_day(self, record: DayRecord, rows: dict, values: dict[str, int], condition: dict | None) -> bool:
        """The audited update of a day to ``rows``; ``condition`` None: whatever the document is now, else
        only while it is as read (False when it is not)."""
        at = record.updated_at
        change = {
            "$set": {VALUES: rows, "updated_by": record.updated_by, "updated_at": at, "audited_at": at},
            "$inc": {REVISION: 1},
            "$push": {"history": {"at": at, "by": record.updated_by, "after": _entered(values)}},
            "$setOnInsert": {"created_at": at},
            "$unset": {"deleted_at": ""},  # a deleted day's tombstone comes back to life
        }
        key = _key(record.team, record.day)
        if condition is None:
            self._upsert(lambda: self._db.stats.update_one(key, change, upsert=True))
            return True
        try:
            result = self._guard(lambda: self._db.stats.update_one({**key, **condition}, change, upsert=True))
        except OperationFailure as failure:
            if not _is_duplicate(failure):
                raise self._unavailable(failure) from failure
            return False  # written since it was read: the upsert collided with it
        return bool(result.matched_count or result.upserted_id is not None)

    def _save_day(self, record: DayRecord, rows: dict, whole: bool) -> None:
        """A bulk load's update of a day (not audited): its ``values`` become ``rows`` (``whole``: the day's
        kept ones merged in already), else each of ``rows`` is set, the day's others kept."""
        values = {VALUES: rows} if whole else {f"{VALUES}.{key}": row for key, row in rows.items()}
        change = {
            "$set": {**values, "updated_by": record.updated_by, "updated_at": record.updated_at},
            "$inc": {REVISION: 1},
            "$unset": {"deleted_at": ""},
        }
        self._upsert(lambda: self._db.stats.update_one(_key(record.team, record.day), change, upsert=True))

    @_after_start
    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        """The day's document becomes a tombstone (no values, ``deleted_at``) keeping its history, in one
        update whose filter needs the revision just read (a compare-and-set: the entry's before is exact)."""
        key = {**_key(team, day), **LIVE}
        for _ in range(CAS_ATTEMPTS):
            document = self._guard(lambda: self._db.stats.find_one(key, NO_HISTORY))
            if document is None:
                return False
            entered = _entered(_metric_values(document))
            gone = dict.fromkeys((VALUES, "updated_by", "updated_at"), "")
            entry = {"at": at, "by": by, "action": records.DAY_DELETED, "before": entered, "after": None}
            change = {
                "$set": {"deleted_at": at, "audited_at": at},
                "$inc": {REVISION: 1},
                "$unset": gone,
                "$push": {"history": entry},
            }
            if self._guard(lambda: self._db.stats.update_one({**key, **_as_read(document)}, change)).matched_count:
                self._day_ahead = None
                return True
        raise self._contended(f"the day {day}")

    @_after_start
    def upsert_days(self, records: Iterable[DayRecord], batch: int = 1000) -> int:
        """Many days at once: new days in unordered insert_many batches, existing ones updated one by one.

        Inserting is what bulk loads (copy-data, seeding) mostly do, and it is far cheaper than upserts on
        servers without secondary-index pushdown (FerretDB v1 scans the collection for every upsert).
        """
        catalogue, count, chunk = None, 0, []
        for record in records:
            chunk.append(record)
            if len(chunk) == batch:
                catalogue = catalogue or _Catalogue(self.metric_definitions())
                count += self._upsert_chunk(chunk, catalogue)
                chunk = []
        if chunk:
            count += self._upsert_chunk(chunk, catalogue or _Catalogue(self.metric_definitions()))
        return count

    def _upsert_chunk(self, chunk: list[DayRecord], catalogue: _Catalogue) -> int:
        """A chunk of days: each one's values merged with those its day keeps and checked (InvalidInput before
        any of the chunk is written), then the new days inserted and the others updated."""
        present = self._guard(lambda: self._present_days(chunk))
        rows = []
        for record in chunk:
            kept = present.get((record.team, record.day.isoformat()), {})
            rows.append(catalogue.rows({**kept, **catalogue.by_metric(record.entered)}))
        fresh = [n for n, r in enumerate(chunk) if (r.team, r.day.isoformat()) not in present]
        if fresh:
            documents = [
                {**_key(r.team, r.day), VALUES: rows[n], "updated_by": r.updated_by, "updated_at": r.updated_at}
                for n, r in ((n, chunk[n]) for n in fresh)
            ]
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
                    self._save_day(chunk[fresh[index]], rows[fresh[index]], whole=False)
        for n, record in enumerate(chunk):
            if (record.team, record.day.isoformat()) in present:
                self._save_day(record, rows[n], whole=True)
        self._day_ahead = None
        return len(chunk)

    def _present_days(self, chunk: list[DayRecord]) -> dict[tuple[str, str], dict[str, int]]:
        """The chunk's days that have a document (tombstones too: updated), with the values each keeps."""
        present = {}
        for team in {r.team for r in chunk}:
            days = [r.day for r in chunk if r.team == team]
            query = {"team": team, "date": {"$gte": min(days).isoformat(), "$lte": max(days).isoformat()}}
            for document in self._db.stats.find(query, {"date": 1, VALUES: 1, "_id": 0}):
                present[(team, document["date"])] = _metric_values(document)
        return present

    @_after_start
    def get_day(self, team: str, day: date) -> DayRecord | None:
        """One find of the day's document (a tombstone too: kept for a write of the day that follows, see
        upsert_day)."""
        document = self._guard(lambda: self._db.stats.find_one(_key(team, day), NO_HISTORY))
        self._day_ahead = (team, day.isoformat(), document)
        return _day(document) if document is not None and "deleted_at" not in document else None

    @_after_start
    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        """The range's days.  Read to its end, the range's last day is kept like get_day's: a day's form
        reads the weeks before the day and the day in one range (services.day_and_doubts), then saves it."""
        return self._days_keeping_the_last(
            team, end, self._each_day_once(self._iterate(self._range_find(team, start, end)))
        )

    def _days_keeping_the_last(self, team: str, end: date, documents: Iterator[dict]) -> Iterator[DayRecord]:
        last = None
        for document in documents:
            last = document
            yield _day(document)
        found = last if last is not None and last["date"] == end.isoformat() else None
        # None: no live day (a tombstone is not read here: a write onto one finds it by its compare-and-set)
        self._day_ahead = (team, end.isoformat(), found)

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
        """One indexed find of the range's values, summed here, however many metrics.

        Not `$group`: FerretDB v1 fills only the first accumulator of a `$group` (FerretDB/FerretDB#4616),
        and one `$group` per component would scan the range once per component on servers without filter
        pushdown (FerretDB v1 scans the whole collection for every query).  A range is at most ~3,700 small
        documents, so summing them here costs less than the extra round trips everywhere.
        """
        definitions = self.metric_definitions()  # read with the login (or the marker): no round trip
        projection = {"_id": 0, "team": 1, "date": 1, VALUES: 1}
        documents = self._guard(lambda: list(self._each_day_once(self._range_find(team, start, end, projection))))
        return _totals(definitions, start, end, documents)

    @_after_start
    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        """One find of every team's values over the range, summed here (not `$group`: see range_totals),
        in one reply (the batch holds a range of every team: no getMore round trip)."""
        definitions = self.metric_definitions()
        query: dict = {"date": {"$gte": start.isoformat(), "$lte": end.isoformat()}, **LIVE}
        if teams is not None:
            query["team"] = {"$in": list(teams)}
        projection = {"_id": 0, "team": 1, "date": 1, VALUES: 1}
        cursor = self._db.stats.find(query, projection, sort=[("team", 1), ("date", 1)], batch_size=DEPARTMENT_BATCH)
        by_team: dict[str, list[dict]] = {}
        for document in self._guard(lambda: list(self._each_day_once(cursor))):
            by_team.setdefault(document["team"], []).append(document)
        return {team: _totals(definitions, start, end, documents) for team, documents in by_team.items()}
