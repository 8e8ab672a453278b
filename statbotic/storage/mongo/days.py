"""Days: one document of ``stats`` per (team, date), its agents' rows and its sources in it (see
day_documents.py, which also merges a save into the day), a deleted day a tombstone; ranges read in one
find and summed here (sums and divisions happen in Python: see range_totals and reports.py), an
agent's range like the team's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from pymongo.errors import BulkWriteError, OperationFailure

from ... import records
from ...errors import StoreUnavailable
from ...metric_kinds import MetricDefinition
from ...metrics import named_sums
from ...records import DayRecord, RangeTotals
from .day_documents import (
    AGENTS,
    SOURCES,
    Catalogue,
    MergedDay,
    day_record,
    history_values,
    merge,
)
from .documents import LIVE, MARKER_ID, NO_HISTORY, VALUES
from .errors import CAS_ATTEMPTS, DUPLICATE_KEY_CODES, _is_duplicate
from .schema import _after_start

DEPARTMENT_BATCH = 100_000  # documents in a department read's first reply (the server caps a reply at 16 MiB)
REVISION = "revision"  # a day document's count of writes: every write raises it (a compare-and-set's token)


def _key(team: str, day: date) -> dict:
    return {"team": team, "date": day.isoformat()}


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


def _change(day: MergedDay, record: DayRecord) -> dict:
    """The update that makes a day's document hold ``day`` (a deleted day's tombstone comes back to life)."""
    return {
        "$set": {**day.document, "updated_by": record.updated_by, "updated_at": record.updated_at},
        "$inc": {REVISION: 1},
        "$unset": dict.fromkeys(("deleted_at", *day.cleared), ""),
    }


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

        A record with a value for every entered metric of the store and no sources is the whole day: its
        values and agents written as they are, its sources cleared.  Any other keeps some of the day (the
        values and agent rows of the metrics it doesn't enter, the sources it doesn't name), so the write
        starts from the day as it is (the one get_day, or iter_days as the last of its range, read before:
        no round trip; else one find) and is a compare-and-set on its ``revision``, retried: the history's
        ``after`` is then the whole day, and a duration's or a share's base may be the kept one.
        InvalidInput, writing nothing, when the day (the team's or an agent's) would not be true, an
        agent has a figure the record doesn't enter, or a figure has no metric in the store (see
        day_documents.merge)."""
        catalogue = Catalogue(self.metric_definitions())
        known = catalogue.metric_of.keys()
        if not known >= record.entered.keys() or any(not known >= f.keys() for f in record.agents.values()):
            self._department_ahead = None  # defined since the login read them?
            catalogue = Catalogue(self.metric_definitions())
        if catalogue.entered <= catalogue.by_metric(record.entered).keys() and not record.sources:
            self._day_ahead = None
            self._write_day(record, merge(catalogue, record, None), None)
            return
        for _ in range(CAS_ATTEMPTS):
            document = self._day_as_it_is(record.team, record.day)
            if self._write_day(record, merge(catalogue, record, document), _as_read(document)):
                return
        raise self._contended(f"the day {record.day}")

    def _day_as_it_is(self, team: str, day: date) -> dict | None:
        """The day's document (a tombstone too), as get_day or iter_days read it (used once; a document
        changed since is caught by the compare-and-set), else by one find."""
        ahead, self._day_ahead = self._day_ahead, None
        if ahead is not None and ahead[:2] == (team, day.isoformat()):
            return ahead[2]
        return self._guard(lambda: self._db.stats.find_one(_key(team, day), NO_HISTORY))

    def _write_day(self, record: DayRecord, day: MergedDay, condition: dict | None) -> bool:
        """The audited update of a day to ``day``; ``condition`` None: whatever the document is now, else
        only while it is as read (False when it is not)."""
        at = record.updated_at
        change = _change(day, record)
        change["$set"]["audited_at"] = at
        change["$push"] = {"history": {"at": at, "by": record.updated_by, "after": day.history}}
        change["$setOnInsert"] = {"created_at": at}
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

    def _save_day(self, record: DayRecord, day: MergedDay) -> None:
        """A bulk load's update of a day to ``day`` (not audited)."""
        change = _change(day, record)
        self._upsert(lambda: self._db.stats.update_one(_key(record.team, record.day), change, upsert=True))

    @_after_start
    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        """The day's document becomes a tombstone (no values, agents or sources; ``deleted_at``) keeping its
        history, in one update whose filter needs the revision just read (a compare-and-set: the entry's
        before is exact)."""
        key = {**_key(team, day), **LIVE}
        for _ in range(CAS_ATTEMPTS):
            document = self._guard(lambda: self._db.stats.find_one(key, NO_HISTORY))
            if document is None:
                return False
            before = history_values(records.day_values(day_record(document)))
            gone = dict.fromkeys((VALUES, AGENTS, SOURCES, "updated_by", "updated_at"), "")
            entry = {"at": at, "by": by, "action": records.DAY_DELETED, "before": before, "after": None}
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
        """Many days at once: new days in unordered insert_many batches, existing ones updated one by one;
        each day's sources are its record's (as copied: see day_documents.merge).

        Inserting is what bulk loads (copy-data, seeding) mostly do, and it is far cheaper than upserts on
        servers without secondary-index pushdown (FerretDB v1 scans the collection for every upsert).
        """
        catalogue, count, chunk = None, 0, []
        for record in records:
            chunk.append(record)
            if len(chunk) == batch:
                catalogue = catalogue or Catalogue(self.metric_definitions())
                count += self._upsert_chunk(chunk, catalogue)
                chunk = []
        if chunk:
            count += self._upsert_chunk(chunk, catalogue or Catalogue(self.metric_definitions()))
        return count

    def _upsert_chunk(self, chunk: list[DayRecord], catalogue: Catalogue) -> int:
        """A chunk of days: each one merged into the day its document keeps and checked (InvalidInput before
        any of the chunk is written), then the new days inserted and the others updated."""
        present = self._guard(lambda: self._present_days(chunk))
        days = [merge(catalogue, r, present.get((r.team, r.day.isoformat())), copied=True) for r in chunk]
        fresh = [n for n, r in enumerate(chunk) if (r.team, r.day.isoformat()) not in present]
        if fresh:
            documents = [
                {**_key(r.team, r.day), **days[n].document, "updated_by": r.updated_by, "updated_at": r.updated_at}
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
                    self._save_raced(chunk[fresh[index]], catalogue)
        for n, record in enumerate(chunk):
            if (record.team, record.day.isoformat()) in present:
                self._save_day(record, days[n])
        self._day_ahead = None
        return len(chunk)

    def _save_raced(self, record: DayRecord, catalogue: Catalogue) -> None:
        """A day of a bulk load inserted by someone else meanwhile: merged into the day as it is now."""
        document = self._guard(lambda: self._db.stats.find_one(_key(record.team, record.day), NO_HISTORY))
        self._save_day(record, merge(catalogue, record, document, copied=True))

    def _present_days(self, chunk: list[DayRecord]) -> dict[tuple[str, str], dict]:
        """The chunk's days that have a document (tombstones too: updated), with what each keeps."""
        present = {}
        projection = {"date": 1, VALUES: 1, AGENTS: 1, SOURCES: 1, "_id": 0}
        for team in {r.team for r in chunk}:
            days = [r.day for r in chunk if r.team == team]
            query = {"team": team, "date": {"$gte": min(days).isoformat(), "$lte": max(days).isoformat()}}
            for document in self._db.stats.find(query, projection):
                present[(team, document["date"])] = document
        return present

    @_after_start
    def get_day(self, team: str, day: date) -> DayRecord | None:
        """One find of the day's document (a tombstone too: kept for a write of the day that follows, see
        upsert_day)."""
        document = self._guard(lambda: self._db.stats.find_one(_key(team, day), NO_HISTORY))
        self._day_ahead = (team, day.isoformat(), document)
        return day_record(document) if document is not None and "deleted_at" not in document else None

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
            yield day_record(document)
        found = last if last is not None and last["date"] == end.isoformat() else None
        # None: no live day (a tombstone is not read here: a write onto one finds it by its compare-and-set)
        self._day_ahead = (team, end.isoformat(), found)

    @_after_start
    def iter_all_days(self) -> Iterator[DayRecord]:
        cursor = self._db.stats.find(LIVE, NO_HISTORY, sort=[("team", 1), ("date", 1)], batch_size=1000)
        return (day_record(d) for d in self._each_day_once(self._iterate(cursor)))

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
    def agent_range_totals(self, team: str, start: date, end: date) -> dict[str, RangeTotals]:
        """One find of the range's days that have agent rows (only their agents), in one reply, each agent's
        rows summed here like range_totals' (the same integers, so the agents' sums of a metric entered
        by agents every day add up to the team's exactly)."""
        definitions = self.metric_definitions()
        query = {**_range(team, start, end), AGENTS: {"$exists": True}}
        projection = {"_id": 0, "team": 1, "date": 1, AGENTS: 1}
        batch = (end - start).days + 2  # one reply: see _range_find
        cursor = self._db.stats.find(query, projection, sort=[("date", 1)], batch_size=batch)
        by_agent: dict[str, list[dict]] = {}
        for document in self._guard(lambda: list(self._each_day_once(cursor))):
            for agent in document[AGENTS]:
                by_agent.setdefault(agent["name"], []).append({"date": document["date"], VALUES: agent[VALUES]})
        return {name: _totals(definitions, start, end, days) for name, days in sorted(by_agent.items())}

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
