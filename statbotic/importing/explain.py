"""What a mapping makes of a file's first rows (`statbotic import --explain`): a dry run of the reading.

Each row is read alone through ``aggregate`` itself (the same rules as the import: the same figures,
the same problems), so what is explained is what importing would do, never a second reading of the
rules: for each mapped figure the column read, how rows make the day's figure, and the row's own
value (a count's 1 or 0, a sum's number, a mean's duration in tenths of a second) or the problem of a
bad cell (a row with one bad cell is left out whole); the day the date cell falls on (the local date
in the mapping's zone for items); the agent; each filter held or not (a row failing one is dropped);
and the file's columns the mapping doesn't read (ignored).  Nothing is written; only the files and
the team's catalogue of metrics are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from datetime import date
from itertools import islice
from pathlib import Path

from ..frozen import frozen, replace
from ..metrics import Metrics
from ..records import UNASSIGNED
from .aggregate import DayOfDate, aggregate  # the day of a date cell, by the import's own rule
from .mapping import COUNT, COUNT_SET, COUNT_WHERE, DAILY, MEAN, SUM, Filter, Mapping, MetricMapping, resolve
from .readers import read_all

ROWS = 5  # the rows explained


@frozen
class Figure:
    """How one of the team's entry fields is filled: ``entry_key``, the ``column`` read (None: every
    row counts), and ``how`` in words ("sum of the column", "mean (seconds)"...)."""

    entry_key: str
    column: str | None
    aggregate: str
    how: str
    optional: bool = False  # a column the file may lack (entry_columns)


@frozen
class Cell:
    """A figure in one row: the cell as written (None for a count of rows), and the value the row gives
    (entry units: tenths of a second for a duration) or the problem that leaves the row out."""

    entry_key: str
    text: str | None
    value: int | None
    problem: str | None = None


@frozen
class RowExplained:
    file: str
    line: int
    filters: tuple[tuple[str, bool], ...]  # each filter in words, and whether the row passes it
    kept: bool
    date_text: str
    day: date | None
    date_problem: str | None
    agent: str | None  # as written (-> its [agents] name); records.UNASSIGNED for a blank cell
    cells: tuple[Cell, ...]
    problems: tuple[str, ...]  # the row's other problems (a day's figures out of bounds...)

    @property
    def left_out(self) -> bool:
        """Kept by the filters, but a bad cell leaves it out of the import."""
        return self.kept and (
            self.date_problem is not None or any(c.problem for c in self.cells) or bool(self.problems)
        )


@frozen
class Explanation:
    mapping: Mapping
    figures: tuple[Figure, ...]
    filters: tuple[str, ...]
    columns: tuple[str, ...]  # the first row's columns (a CSV's header; a JSON item's keys, flattened)
    ignored: tuple[str, ...]  # the file's columns no part of the mapping reads
    missing: tuple[str, ...]  # columns the mapping reads that the first row lacks (a CSV: its header)
    rows: tuple[RowExplained, ...]


def explain(paths: Sequence[Path], mapping: Mapping, metrics: Metrics, limit: int = ROWS) -> Explanation:
    """The mapping's reading of the first ``limit`` rows of the files (read in order, as an import reads
    them).  ImportRefused for a file that can't be read or a mapping that doesn't fit the team's metrics
    (the same refusals as the import)."""
    resolved = resolve(mapping, metrics)
    figures = tuple(_figure(r.entry_key, r.mapping) for r in resolved)
    with closing(read_all(paths)) as rows:
        first = list(islice(rows, limit))
    columns = tuple(first[0].cells) if first else ()
    present = set(columns)
    read = set(mapping.columns) | {f.column for f in figures if f.column}
    missing = tuple(c for c in dict.fromkeys([mapping.date, *(f.column for f in figures if not f.optional)]) if c)
    missing = tuple(c for c in missing if first and c not in present)
    explained = tuple(_row(row, mapping, metrics, figures, set(missing)) for row in first)
    return Explanation(
        mapping,
        figures,
        tuple(describe_filter(f) for f in mapping.filters),
        columns,
        tuple(c for c in columns if c not in read),
        missing,
        explained,
    )


def _figure(entry_key: str, rule: MetricMapping) -> Figure:
    return Figure(entry_key, rule.column, rule.aggregate, describe_aggregate(rule), rule.optional)


def describe_aggregate(rule: MetricMapping) -> str:
    """How a mapped figure is made, in words."""
    if rule.aggregate == COUNT:
        return "count of rows"
    if rule.aggregate == SUM:
        return "sum of the column"
    if rule.aggregate == MEAN:
        return f"mean of the rows that have it ({rule.unit})"
    if rule.aggregate == COUNT_SET:
        return "count of rows where it is set"
    if rule.aggregate == COUNT_WHERE:
        if rule.at_least is not None:
            return f"count of rows where it is at least {rule.at_least:g}"
        if rule.equals is not None:
            return f"count of rows where it is {rule.equals!r}"
        return f"count of rows where it is one of {', '.join(map(repr, rule.one_of))}"
    unit = f" ({rule.unit})" if rule.unit != "seconds" else ""
    return f"the day's value{unit}"


def describe_filter(rule: Filter) -> str:
    if rule.equals is not None:
        return f"{rule.column!r} is {rule.equals!r}"
    if rule.one_of:
        return f"{rule.column!r} is one of {', '.join(map(repr, rule.one_of))}"
    return f"{rule.column!r} is not empty"


def _row(row, mapping: Mapping, metrics: Metrics, figures: tuple[Figure, ...], missing: set[str]) -> RowExplained:
    cells = row.cells
    filters = tuple((describe_filter(f), f.holds(cells)) for f in mapping.filters)
    kept = all(holds for _, holds in filters)
    date_text = cells.get(mapping.date, "")
    agent = None
    if mapping.agent is not None:
        written = cells.get(mapping.agent, "").strip()
        agent = UNASSIGNED if not written else _agent_text(mapping, written)
    if not kept:
        return RowExplained(row.file, row.line, filters, False, date_text, None, None, agent, (), ())
    found, problems = aggregate([row], _unfiltered(mapping), metrics, row.file)
    team = next((f for f in found if f.agent is None), None)
    by_column: dict[str | None, list[str]] = {}
    for problem in problems:
        if problem.line is None and problem.column is not None and problem.column not in cells:
            continue  # a column this row lacks is blank here (one missing from the file is listed once)
        by_column.setdefault(problem.column, []).append(problem.message)
    date_problem = "; ".join(by_column.pop(mapping.date, [])) or None
    explained = []
    for figure in figures:
        said = by_column.get(figure.column, []) if figure.column else []
        text = None if figure.column is None else cells.get(figure.column)
        value = None if team is None else team.entered.get(figure.entry_key)
        if figure.aggregate in (COUNT, COUNT_SET, COUNT_WHERE) and team is not None and value is None:
            value = 0
        explained.append(Cell(figure.entry_key, text, value, "; ".join(said) or None))
    read = {figure.column for figure in figures}
    rest = tuple(message for column, messages in by_column.items() if column not in read for message in messages)
    day = DayOfDate(mapping).day_of(date_text, daily=mapping.kind == DAILY)
    if mapping.date not in cells:
        date_problem, day = "there is no such column.", None
    elif isinstance(day, str):
        date_problem, day = date_problem or day, None
    return RowExplained(row.file, row.line, filters, True, date_text, day, date_problem, agent, tuple(explained), rest)


def _agent_text(mapping: Mapping, written: str) -> str:
    """The agent a cell gives: as written, or with the mapping's [agents] the name of the ID (an ID it
    doesn't list is an unknown agent, which refuses the import)."""
    if not mapping.agent_names:
        return written
    name = mapping.agent_named(written)
    if name is None:
        return f"{written}: not in the mapping's [agents] (an unknown agent refuses the import)"
    return written if name == written else f"{written} -> {name}"


def _unfiltered(mapping: Mapping) -> Mapping:
    """The mapping without its filters (the row was kept by them already)."""
    return replace(mapping, filters=())
