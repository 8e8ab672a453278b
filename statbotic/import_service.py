"""Importing days from files (issue 13): the use case behind `statbotic import`.

``plan_import`` reads the files through a mapping (importing/: readers, mapping, aggregate), checks
every cell (ImportRefused: file, line and column, nothing written) and compares each day with the
store's: a day the store doesn't have is NEW, a day whose figures are the store's already is UNCHANGED
(never rewritten: importing a file twice changes nothing), a day whose figures differ is a CONFLICT
(the typed and the imported figures side by side).  Values of metrics the file doesn't carry are kept
from the store.  Every day is checked as ``record_day`` would (services.check_entered) BEFORE anything is
written: one day the store's rules refuse (a share above its base, a figure missing) refuses them all.

``apply_import`` then writes, one ``record_day`` per day through the normal path (audited, by the user):
the new days, and the conflicts when ``replace``.  Team totals only: per-agent rows are counted and
left out (per-agent figures are not stored yet).  Leads and admins of the team.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from . import access, services
from .errors import InvalidInput
from .frozen import frozen
from .importing.aggregate import MAX_PROBLEMS, aggregate
from .importing.mapping import Mapping
from .importing.problems import ImportProblem, ImportRefused
from .importing.readers import read_all
from .metrics import Metrics
from .records import User
from .storage.base import Store

NEW, UNCHANGED, CONFLICT = "new", "unchanged", "conflict"
AGENTS_NOTE = "per-agent figures are not stored yet"


@frozen
class PlannedDay:
    """One day of the file: ``imported`` the file's figures (entry keys), ``entered`` what saving it
    writes (the store's values of metrics the file doesn't carry, then the file's), ``stored`` the
    store's figures (None for a new day), ``differ`` the entry keys whose figures differ."""

    day: date
    imported: dict[str, int]
    entered: dict[str, int]
    stored: dict[str, int] | None
    status: str
    differ: tuple[str, ...]
    rows: int


@frozen
class ImportPlan:
    team: str
    days: tuple[PlannedDay, ...]
    agent_days: int  # per-agent days found in the file and left out

    def of(self, status: str) -> list[PlannedDay]:
        return [day for day in self.days if day.status == status]


@frozen
class ImportResult:
    saved: int
    unchanged: int
    skipped: int  # conflicts kept as the store has them


def source_name(paths: Sequence[Path]) -> str:
    """How the problems name the files: the file's name, or the names joined (pages read in order)."""
    return " + ".join(Path(path).name for path in paths)


def plan_import(
    store: Store,
    team: str,
    user: User,
    paths: Sequence[Path],
    mapping: Mapping,
    metrics: Metrics | None = None,
    reading: Callable[[Sequence[Path]], Iterable] = read_all,
) -> ImportPlan:
    """Each day the files give, compared with the store's; ImportRefused (nothing to write) for a bad
    file, mapping or cell, or a day the store's rules refuse.  Leads and admins of the team.
    ``reading``: how the files' rows are read (the commands pass one that shows a progress bar)."""
    access.require_edit(user, team, "import days")
    metrics = metrics or services.team_metrics(store, team)
    rows = _Counted(reading(paths))
    found, problems = aggregate(rows, mapping, metrics, source_name(paths))
    if problems:
        if len(paths) > 1:  # lines count within each file: name each problem's own file
            problems = _problems_by_file(paths, mapping, metrics) or problems
        raise _refused(problems, rows.count)
    team_days = [figures for figures in found if figures.agent is None]
    if not team_days:
        raise ImportRefused.one(source_name(paths), "holds no day's figures (no row, or every row filtered out).")
    start, end = min(d.day for d in team_days), max(d.day for d in team_days)
    stored = {record.day: record for record in store.iter_days(team, start, end)}
    planned, refused = [], []
    for figures in team_days:
        record = stored.get(figures.day)
        typed = metrics.typed_entry(record.entered) if record is not None else None
        entered = {**(typed or {}), **figures.entered}
        try:
            entered = services.check_entered(entered, metrics)
        except InvalidInput as problem:
            refused.append(
                ImportProblem(
                    source_name(paths), figures.lines[0] if figures.lines else None, None, f"{figures.day}: {problem}"
                )
            )
            continue
        if record is None:
            status, differ = NEW, ()
        elif services.same_figures(record, entered, metrics):
            status, differ = UNCHANGED, ()
        else:
            status = CONFLICT
            differ = tuple(key for key, value in entered.items() if typed.get(key) != value)
        planned.append(PlannedDay(figures.day, dict(figures.entered), entered, typed, status, differ, figures.rows))
    if refused:
        raise ImportRefused(refused)
    return ImportPlan(team, tuple(planned), len(found) - len(team_days))


def _problems_by_file(paths: Sequence[Path], mapping: Mapping, metrics: Metrics) -> list[ImportProblem]:
    """The problems of each file read alone, naming it (a refusal's second reading: the lines of
    several files read as one would be ambiguous).  Empty when only the files together are at fault
    (the same day in two files)."""
    found: list[ImportProblem] = []
    for path in paths:
        found.extend(aggregate(read_all([path]), mapping, metrics, source_name([path]))[1])
    return found


class _Counted:
    """The rows, counted as they pass (the reading stays streamed)."""

    def __init__(self, rows: Iterable) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            yield row


def _refused(problems: list[ImportProblem], read: int) -> ImportRefused:
    """ImportRefused listing the problems, then how many of the rows read are fine."""
    refusal = ImportRefused(problems)
    bad = {(problem.file, problem.line) for problem in problems if problem.line is not None}
    if len(problems) < MAX_PROBLEMS and bad:
        tail = f"{read - len(bad)} of the {read} rows read are fine; nothing was written."
    else:
        tail = f"{read} rows read; nothing was written."
    refusal.args = (f"{refusal.message}\n{tail}",)
    return refusal


def apply_import(
    store: Store, user: User, plan: ImportPlan, replace: bool, metrics: Metrics | None = None
) -> ImportResult:
    """Write the plan's new days, and its conflicts when ``replace`` (else the store's are kept): one
    record_day per day (audited by ``user``).  Unchanged days are never rewritten."""
    access.require_edit(user, plan.team, "import days")
    metrics = metrics or services.team_metrics(store, plan.team)
    writing = [day for day in plan.days if day.status == NEW or (replace and day.status == CONFLICT)]
    for day in writing:
        services.record_day(store, plan.team, user, day.day, day.entered, metrics)
    skipped = 0 if replace else len(plan.of(CONFLICT))
    return ImportResult(len(writing), len(plan.of(UNCHANGED)), skipped)
