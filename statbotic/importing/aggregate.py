"""Rows and a mapping into each day's (and each agent's) entered figures.  Pure: rows in, figures out.

``aggregate(rows, mapping, metrics, file)`` reads the rows once, in order, keeping only one accumulator
per (day, agent), so memory stays flat however long the file is:

- **daily** rows: each row is one day's figures (one agent's, when the mapping names an agent column),
  each cell read by the app's rules for what is typed (typed_numbers.py through metric_kinds.read_answer:
  whole counts, "1,234", a wait in seconds "65" / "1:05" into tenths, a share's part as a count or "96%"
  of its base, exactly, rounded half up).  A blank cell is no value that day (never 0).  Two rows for the
  same day and agent: a problem naming both lines.
- **items** rows (a conversation or a ticket each): counted into the LOCAL date of their timestamp in
  the mapping's time zone (zoneinfo: a DST change moves no item into the wrong day); a naive timestamp
  (no offset) is taken as UTC, as Unix seconds are.  Aggregates: count (rows), sum (of the column's
  whole numbers), mean (a duration: the day's average = round half up of sum of seconds x 10 / the rows
  where the column is set, in tenths), count_set (rows where the column is not empty), count_where.

When an agent column is mapped, a row with a blank agent cell is records.UNASSIGNED's (an agent row of
its own, so the store's team day is exactly the sum of its agent rows), and each day also has a team
total (agent None): the sum of its agents: counts and shares' parts to the digit; a duration's average is that of
all the team's items (items), or the average weighted by its base count (daily rows).

With ``team_rows = "blank agent"`` (daily rows; Statbotic's own CSV, format 5, whose own unassigned
rows say "(unassigned)") the row with a blank agent cell IS the team's row: the team's figures of the
metrics no agent row has that day come from it, and those of the metrics with agent rows are the
agents' sum as a store keeps it (agent_figures.team_of_agents: a duration's summed total over its summed
items), which the team's row must equal: else a problem naming the file, the team's row's line and the
column ("the team's row says 40 ticket solves; its agents' rows sum to 38").  A file without an agent
column (format 4) has team rows only.

Nothing raises per cell: a bad cell is an ImportProblem with the file, line and column, and its whole
row is left out (a row counts entirely or not at all); a row failing a filter is skipped silently.  A
mapping that names a metric the team doesn't track raises ImportRefused (mapping.resolve).

One CSV file from ``readers.read_rows`` takes a fast path for items: its records are read as plain lists
(no Row, no dict), each day keeps a tally of the rows' combinations of agent and mapped cells, and each
combination is read once by the same rules (``_ItemRows.read_table``): the same figures and problems.

``DayFigures.lines``: the lines of the rows a day's figures come from; for items, where a day may hold
thousands of rows, the first and the last such line only (``rows`` counts them all), so the result
stays as small as the number of days.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from ..agent_figures import team_of_agents
from ..errors import InvalidInput
from ..exact import decimal_text, fraction_of, round_half_up
from ..frozen import frozen
from ..metric_kinds import Kind, MetricDefinition, base_noun, check_day, read_answer
from ..metrics import Metrics
from ..records import UNASSIGNED
from ..typed_numbers import DECIMAL, NEGATIVE, WHOLE, in_lower_case, seconds_typed, whole_count
from .mapping import (
    BLANK_AGENT,
    COUNT,
    COUNT_SET,
    COUNT_WHERE,
    DAILY,
    ISO,
    MEAN,
    SUM,
    UNIX,
    Filter,
    Mapping,
    MetricMapping,
    Resolved,
    resolve,
)
from .problems import ImportProblem
from .readers import CsvRecords, Rows

TALLY_LIMIT = 1024  # distinct rows (agent and mapped cells) a day's tally holds before it is added up
PARSED_LIMIT = 2048  # distinct mapped cells kept parsed
MAX_PROBLEMS = 1000  # problems kept (a wrong column in a million rows is one problem a row): the rest are counted
_TEAM = None


@frozen
class DayFigures:
    """One day's figures from a file: the team's (``agent`` None) or one agent's; ``entered`` by the
    ENTRY KEY of the team's catalogue (DayRecord.entered); ``lines`` the source lines (see the module's
    docstring); ``rows`` how many rows made them."""

    day: date
    agent: str | None
    entered: dict[str, int]
    lines: tuple[int, ...]
    rows: int = 1


class _Problems:
    """The problems found, the first MAX_PROBLEMS kept, then one saying how many more there were."""

    def __init__(self, file: str) -> None:
        self.file, self.found, self.more = file, [], 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(ImportProblem(self.file, line, column, message))
        else:
            self.more += 1

    def listed(self) -> list[ImportProblem]:
        if not self.more:
            return self.found
        note = f"… and {self.more:,} more problems, not listed: correct the ones above and import again."
        return [*self.found, ImportProblem(self.file, None, None, note)]


def aggregate(
    rows: Iterable, mapping: Mapping, metrics: Metrics, file: str
) -> tuple[list[DayFigures], list[ImportProblem]]:
    """The days (and agents' days) a file's rows give, in date order (each day's team figures first,
    then its agents by name), and the problems found, each naming ``file``, the line and the column.
    ``rows``: readers.Row (``line``, ``cells``).  ``metrics``: the team's catalogue
    (services.team_metrics).  Raises ImportRefused when the mapping doesn't fit the catalogue."""
    resolved = resolve(mapping, metrics)
    problems = _Problems(file)
    if mapping.kind == DAILY:
        days = _DailyRows(mapping, metrics, resolved, problems).read(rows)
    elif isinstance(rows, Rows) and rows.fresh:  # one file from read_rows: a CSV's records are read as plain lists
        items = _ItemRows(mapping, metrics, resolved, problems)
        with rows.csv_records() as table:
            days = items.read(rows) if table is None else items.read_table(table)
    else:
        days = _ItemRows(mapping, metrics, resolved, problems).read(rows)
    return days, problems.listed()


def _sorted(days: Iterable[DayFigures]) -> list[DayFigures]:
    return sorted(days, key=lambda d: (d.day, d.agent is not None, d.agent == UNASSIGNED, d.agent or ""))


class _Reader:
    def __init__(self, mapping: Mapping, metrics: Metrics, resolved: tuple[Resolved, ...], problems: _Problems):
        self.mapping, self.metrics, self.problems = mapping, metrics, problems
        # Counts first: a duration or a share reads its base from the same row (metric_kinds.read_day).
        self.resolved = sorted(resolved, key=lambda r: r.kind is not Kind.COUNT)
        self.definitions = {r.entry_key: metrics.definition_of(r.entry_key) for r in resolved}
        self.dates = DayOfDate(mapping)
        self.seen: set[str] = set()  # the mapped columns some row has
        required = (r.mapping.column for r in resolved if r.mapping.column and not r.mapping.optional)
        self.wanted = tuple(dict.fromkeys(required))
        self.checked = False

    def check_columns(self, row) -> bool:
        """On the first row kept: the date column must be there (a CSV row has every header's column), or
        nothing can be read: one problem, and the file is not read further."""
        self.checked = True
        if self.mapping.date in row.cells:
            return True
        columns = ", ".join(repr(c) for c in list(row.cells)[:20]) or "none"
        self.problems.add(
            None, self.mapping.date, f"there is no such column (the date); the file's columns are {columns}."
        )
        return False

    def note_columns(self, cells) -> None:
        if len(self.seen) < len(self.wanted):
            self.seen.update(c for c in self.wanted if c in cells)

    def report_missing_columns(self, any_rows: bool) -> None:
        if not any_rows:
            return
        for column in self.wanted:
            if column not in self.seen:
                self.problems.add(None, column, "no row has this column.")

    def agent_of(self, cells) -> str | None:
        """The row's agent: None when the mapping names no agent column, UNASSIGNED for a blank cell (None,
        the team's row, with team_rows = "blank agent")."""
        if self.mapping.agent is None:
            return None
        agent = cells.get(self.mapping.agent)
        if agent is None:
            return None  # a file without the column: none
        return agent.strip() or (None if self.mapping.team_rows == BLANK_AGENT else UNASSIGNED)

    def day_problems(self, day: date, agent: str | None, entered: dict[str, int]) -> bool:
        """A day's figures the app would refuse (bounds, a part above its base): problems, True if any."""
        where = day.isoformat() + ("" if agent is None else f" (agent {agent})")
        ok = True
        for key, value in entered.items():
            definition = self.definitions[key]
            typed = Fraction(value, 10) if definition.kind is Kind.DURATION else value
            if not definition.minimum <= typed <= definition.maximum:
                column = self.column_of(key)
                unit = " seconds" if definition.kind is Kind.DURATION else ""
                self.problems.add(
                    None,
                    column,
                    f"{where}: {definition.typed_label} comes to {_number(typed)}{unit}, outside "
                    f"{definition.minimum:,} to {definition.maximum:,}.",
                )
                ok = False
        try:
            check_day(self.metrics.definitions, self.metrics.by_metric(entered))
        except InvalidInput as error:
            self.problems.add(None, None, f"{where}: {error.message}")
            ok = False
        return ok

    def column_of(self, key: str) -> str | None:
        return next((r.mapping.column for r in self.resolved if r.entry_key == key), None)


def _number(value: Fraction | int) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return decimal_text(value, 1)
    return f"{int(value):,}"


# --- daily rows ----------------------------------------------------------------------------------------


class _DailyRows(_Reader):
    def read(self, rows: Iterable) -> list[DayFigures]:
        found: dict[tuple[date, str | None], DayFigures] = {}
        any_rows = False
        for row in rows:
            cells = row.cells
            if not self.mapping.keeps(cells):
                continue
            any_rows = True
            if not self.checked and not self.check_columns(row):
                return []
            self.note_columns(cells)
            figures = self.read_row(row)
            if figures is None:
                continue
            key = (figures.day, figures.agent)
            if key in found:
                who = "" if figures.agent is None else f" for agent {figures.agent}"
                self.problems.add(
                    row.line,
                    self.mapping.date,
                    f"{figures.day.isoformat()}{who} is on line {found[key].lines[0]} already; "
                    "a day has one row (per agent).",
                )
                continue
            found[key] = figures
        self.report_missing_columns(any_rows)
        if self.mapping.team_rows == BLANK_AGENT:
            self.team_rows_checked(found)
        elif self.mapping.agent is not None:
            found.update(self.team_totals(found))
        return _sorted(found.values())

    def read_row(self, row) -> DayFigures | None:
        cells, ok = row.cells, True
        day = self.dates.day_of(cells.get(self.mapping.date, ""), daily=True)
        if isinstance(day, str):
            self.problems.add(row.line, self.mapping.date, day)
            ok = False
        entered: dict[str, int] = {}
        for item in self.resolved:
            column = item.mapping.column
            text = cells.get(column)
            if text is None or not text.strip():
                continue  # blank: no value that day
            try:
                entered[item.entry_key] = self.read_cell(item, text, entered)
            except InvalidInput as error:
                self.problems.add(row.line, column, error.message)
                ok = False
        if not ok:
            return None
        try:
            check_day(self.metrics.definitions, self.metrics.by_metric(entered))
        except InvalidInput as error:
            self.problems.add(row.line, None, error.message)
            return None
        return DayFigures(day, self.agent_of(cells), entered, (row.line,))

    def read_cell(self, item: Resolved, text: str, entered: dict[str, int]) -> int:
        definition = self.definitions[item.entry_key]
        if definition.kind is Kind.DURATION and item.mapping.tenths_per_unit != 10:
            return _duration_tenths(definition, text, item.mapping.tenths_per_unit)
        by_metric = self.metrics.by_metric(entered)
        value, _ = read_answer(definition, text, by_metric, base_noun(definition, self.metrics.by_key))
        return value

    def team_totals(self, found: dict[tuple[date, str | None], DayFigures]) -> dict:
        """Each day's team figures: the sum of its rows (agents', and the row without an agent)."""
        by_day: dict[date, list[DayFigures]] = {}
        for figures in found.values():
            by_day.setdefault(figures.day, []).append(figures)
        totals = {}
        for day, parts in by_day.items():
            if len(parts) == 1 and parts[0].agent is None:
                continue
            entered = _summed(self.definitions, [p.entered for p in parts])
            lines = tuple(sorted(line for p in parts for line in p.lines))
            if self.day_problems(day, _TEAM, entered):
                totals[(day, _TEAM)] = DayFigures(day, _TEAM, entered, lines, len(lines))
        return totals

    def team_rows_checked(self, found: dict[tuple[date, str | None], DayFigures]) -> None:
        """Each day's team figures in ``found`` when the blank-agent row is the team's (team_rows = "blank
        agent"): its own figures, with those of the metrics its agents carry as their sum, which the team's
        row must equal (a problem at its line and the column otherwise: that day's team figures are left
        out)."""
        agents_by_day: dict[date, dict[str, DayFigures]] = {}
        for figures in found.values():
            if figures.agent is not None:
                agents_by_day.setdefault(figures.day, {})[figures.agent] = figures
        for day, agents in agents_by_day.items():
            summed = team_of_agents({name: figures.entered for name, figures in agents.items()}, self.metrics)
            own = found.pop((day, _TEAM), None)
            lines = tuple(sorted(line for figures in agents.values() for line in figures.lines))
            entered = dict(summed)
            if own is not None:
                if not self.team_row_agrees(own, summed):
                    continue
                entered = {**own.entered, **summed}
                lines = tuple(sorted((*own.lines, *lines)))
            if self.day_problems(day, _TEAM, entered):
                found[(day, _TEAM)] = DayFigures(day, _TEAM, entered, lines, len(lines))

    def team_row_agrees(self, own: DayFigures, summed: dict[str, int]) -> bool:
        """Whether the team's row has the agents' sum of each figure they carry (a blank cell: it has);
        a problem at the team's row for each that differs."""
        agrees = True
        for key, value in summed.items():
            says = own.entered.get(key)
            if says is None or says == value:
                continue
            definition = self.definitions[key]
            self.problems.add(
                own.lines[0],
                self.column_of(key),
                f"the team's row says {_figure(definition, says)}; its agents' rows "
                f"{'come to' if definition.kind is Kind.DURATION else 'sum to'} {_figure(definition, value, False)}.",
            )
            agrees = False
        return agrees


def _figure(definition: MetricDefinition, value: int, named: bool = True) -> str:
    """A figure in a sentence: "40 ticket solves", "36 positive CSAT ratings", "65.5 seconds (average chat
    wait)" (``named`` False: the number and its unit only: "38", "64.4 seconds")."""
    if definition.kind is Kind.DURATION:
        seconds = f"{decimal_text(Fraction(value, 10), 1)} seconds"
        return f"{seconds} ({in_lower_case(definition.label)})" if named else seconds
    if not named:
        return f"{value:,}"
    noun = definition.items_noun if definition.kind is Kind.COUNT else in_lower_case(definition.typed_label)
    return f"{value:,} {noun}"


def _duration_tenths(definition: MetricDefinition, text: str, tenths_per_unit: int) -> int:
    """A duration cell in tenths of a second (as Statbotic stores a wait) or minutes, in tenths."""
    raw = text.strip()
    unit = "tenths of a second" if tenths_per_unit == 1 else "minutes"
    if NEGATIVE.fullmatch(raw):
        raise InvalidInput(f"{raw!r} is below zero. {definition.typed_label} is in {unit}.")
    plain = raw.replace(",", "") if WHOLE.fullmatch(raw.split(".")[0]) else raw
    if not DECIMAL.fullmatch(plain):
        raise InvalidInput(f"{raw!r} is not a number. {definition.typed_label} is in {unit}.")
    value = fraction_of(plain) * tenths_per_unit
    tenths = int(round_half_up(value))
    if not definition.minimum * 10 <= tenths <= definition.maximum * 10:
        raise InvalidInput(
            f"{raw!r} is out of range. {definition.typed_label} is from {definition.minimum:,} to "
            f"{definition.maximum:,} seconds."
        )
    return tenths


def _summed(definitions: dict[str, MetricDefinition], days: list[dict[str, int]]) -> dict[str, int]:
    """Days' (agents') entered figures as one: counts and parts summed; a duration's average weighted by
    its base count (the average of the averages when the base is 0 everywhere), rounded half up."""
    total: dict[str, int] = {}
    for entered in days:
        for key, value in entered.items():
            if definitions[key].kind is not Kind.DURATION:
                total[key] = total.get(key, 0) + value
    entry_of = {d.key: k for k, d in definitions.items()}
    for key, definition in definitions.items():
        if definition.kind is not Kind.DURATION:
            continue
        base_key = entry_of.get(definition.bases[0])
        having = [e for e in days if key in e]
        if not having:
            continue
        weights = [e.get(base_key, 0) for e in having]
        if sum(weights):
            weighted = Fraction(sum(e[key] * w for e, w in zip(having, weights, strict=True)), sum(weights))
        else:
            weighted = Fraction(sum(e[key] for e in having), len(having))
        total[key] = int(round_half_up(weighted))
    return total


# --- item rows -----------------------------------------------------------------------------------------


# A (day, agent)'s running figures are one list: rows, first line, last line, then a slot per count or sum,
# and two per mean (its whole seconds, its items); a mean's seconds that are not whole go to ``fractions``.
ROWS, FIRST, LAST, SLOTS = 0, 1, 2, 3


class _ItemRows(_Reader):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.plan: list[tuple[int, str, MetricMapping]] = []
        self.keys: dict[int, str] = {}  # slot -> entry key
        slot = SLOTS
        for item in self.resolved:
            self.keys[slot] = item.entry_key
            self.plan.append((slot, item.mapping.aggregate, item.mapping))
            slot += 2 if item.mapping.aggregate == MEAN else 1
        self.width = slot
        self.fractions: dict[tuple[date, str | None, int], Fraction] = {}

    def read(self, rows: Iterable) -> list[DayFigures]:
        days: dict[tuple[date, str | None], list[int]] = {}
        any_rows = False
        date_column, agent_column = self.mapping.date, self.mapping.agent
        keeps = self.mapping.keeps if self.mapping.filters else None
        dates, problems, read_row, add = self.dates, self.problems, self.read_row, operator.add
        day_of, unix, unseen = dates.day_of, self.mapping.date_format == UNIX, bool(self.wanted)
        for row in rows:
            cells = row.cells
            if keeps is not None and not keeps(cells):
                continue
            any_rows = True
            if not self.checked and not self.check_columns(row):
                return []
            if unseen:
                self.note_columns(cells)
                unseen = len(self.seen) < len(self.wanted)
            line = row.line
            text = cells.get(date_column, "")
            start, end, day = dates.window
            same_day = unix and text.isascii() and text.isdigit() and start <= int(text) < end
            if not same_day:  # else a Unix timestamp on the last one's local day
                day = day_of(text)
            if type(day) is str:
                problems.add(line, date_column, day)
                continue
            contribution = read_row(line, cells)
            if contribution is None:
                continue
            contribution, fractions = contribution
            agent = cells.get(agent_column) if agent_column else None
            agent = "" if agent is None else (agent.strip() or UNASSIGNED)  # a file without the column: none
            for key in ((day, _TEAM), (day, agent)) if agent else ((day, _TEAM),):
                running = days.get(key)
                if running is None:
                    running = days[key] = [0, line, line] + [0] * (self.width - SLOTS)
                running[:] = map(add, running, contribution)
                running[LAST] = line
                for slot, seconds in fractions:
                    self.fractions[(*key, slot)] = self.fractions.get((*key, slot), 0) + seconds
        self.report_missing_columns(any_rows)
        return self.figures(days)

    def figures(self, days: dict[tuple[date, str | None], list[int]]) -> list[DayFigures]:
        found = []
        for (day, agent), running in days.items():
            entered = self.entered(day, agent, running)
            if self.day_problems(day, agent, entered):
                first, last = running[FIRST], running[LAST]
                found.append(
                    DayFigures(day, agent, entered, (first,) if first == last else (first, last), running[ROWS])
                )
        return _sorted(found)

    # --- the fast path: a CSV file's records as plain lists ---------------------------------------------
    #
    # The current day has a tally: how many rows had each combination of (agent, mapped cells), with the
    # first and last line.  A row costs a lookup and an increment; each combination is parsed once
    # (read_row: the same rules and problems as the Row path).  The tally is added up into running figures
    # per (day, agent as written) when the day changes, when it grows past TALLY_LIMIT, and at the end:
    # memory stays flat.

    def read_table(self, table: CsvRecords) -> list[DayFigures]:
        """The days of a CSV file's records (readers.Rows.csv_records): the same figures and problems as
        ``read`` of its rows."""
        header, mapping = table.header, self.mapping
        index = {column: at for at, column in enumerate(header)}
        if mapping.date not in index:
            return self.read(table.rows())  # one problem, on the first row kept
        date_at = index[mapping.date]
        agent_at = index.get(mapping.agent) if mapping.agent else None
        self.columns = tuple(
            dict.fromkeys(rule.column for _, how, rule in self.plan if how != COUNT and rule.column in index)
        )
        self.has_agent = agent_at is not None
        picks = ([agent_at] if self.has_agent else []) + [index[c] for c in self.columns]
        self.single = len(picks) == 1
        pick = operator.itemgetter(*picks) if picks else _nothing
        keeps = _record_filter(mapping.filters, index) if mapping.filters else None
        self.parsed: dict[tuple[str, ...], tuple[list[int], list[tuple[int, Fraction]]]] = {}
        self.running: dict[tuple[date, str], list[int]] = {}
        self.raw_fractions: dict[tuple[date, str, int], Fraction] = {}
        self.order: dict[tuple[date, str | None], None] = {}  # (day, agent as written) as first counted

        reader, fix, width = table.reader, table.fix, len(header)
        dates, problems, admit, fold = self.dates, self.problems, self.admit, self.fold
        date_column, day_of, unix = mapping.date, self.dates.day_of, mapping.date_format == UNIX
        tally: dict = {}  # the current day's
        day, start, end, kept = None, 0, -1, False
        last = reader.line_num
        for record in reader:
            line = last + 1
            last = reader.line_num
            if len(record) != width:
                record = fix(record, line)
                if record is None:
                    continue  # a blank line
            if keeps is not None and not keeps(record):
                continue
            text = record[date_at]
            try:
                seconds = int(text) if unix else None
            except ValueError:
                seconds = None
            if seconds is None or not start <= seconds < end:  # else a Unix timestamp on the last one's day
                if not text.strip() and not any(cell.strip() for cell in record):
                    continue  # a blank line
                kept = True
                found = day_of(text)
                if type(found) is str:
                    problems.add(line, date_column, found)
                    continue
                start, end, _ = dates.window
                if found != day:
                    if day is not None:
                        fold(day, tally)  # a file sorted by time is done with that day
                    day = found
            key = pick(record)
            entry = tally.get(key)
            if entry is not None:
                entry[0] += 1
                entry[2] = line
            elif admit(day, key, line):
                tally[key] = [1, line, line]
                if len(tally) > TALLY_LIMIT:
                    fold(day, tally)
        if day is not None:
            fold(day, tally)
        if kept:
            self.seen.update(c for c in self.wanted if c in index)
        self.report_missing_columns(kept)
        return self.figures(self.combined())

    def split(self, key) -> tuple[str, tuple[str, ...]]:
        """A tally's key as the agent as written ('' for none) and the mapped cells."""
        if self.single:
            key = (key,)
        if self.has_agent:
            return key[0], key[1:]
        return "", key

    def contribution(self, cells: tuple[str, ...], line: int):
        """read_row of the mapped cells (problems noted, None when one is bad), parsed once."""
        parsed = self.parsed.get(cells)
        if parsed is None:
            parsed = self.read_row(line, dict(zip(self.columns, cells, strict=True)))
            if parsed is not None:
                if len(self.parsed) >= PARSED_LIMIT:
                    self.parsed.clear()  # the combinations of a while ago: parsed again if they come back
                self.parsed[cells] = parsed
        return parsed

    def admit(self, day: date, key, line: int) -> bool:
        """Whether a combination new to the day's tally is read (else its problems are noted)."""
        agent, cells = self.split(key)
        if self.contribution(cells, line) is None:
            return False
        self.order.setdefault((day, None))
        self.order.setdefault((day, agent))
        return True

    def fold(self, day: date, tally: dict) -> None:
        """A day's tally added into the running figures of (day, agent as written), and emptied."""
        extra = [0] * (self.width - SLOTS)
        for key, (count, first, last) in tally.items():
            agent, cells = self.split(key)
            contribution, fractions = self.contribution(cells, first)
            running = self.running.get((day, agent))
            if running is None:
                running = self.running[(day, agent)] = [0, first, last, *extra]
            else:
                running[FIRST], running[LAST] = min(running[FIRST], first), max(running[LAST], last)
            running[ROWS] += count
            for slot in range(SLOTS, self.width):
                running[slot] += contribution[slot] * count
            for slot, seconds in fractions:
                where = (day, agent, slot)
                self.raw_fractions[where] = self.raw_fractions.get(where, 0) + seconds * count
        tally.clear()

    def combined(self) -> dict[tuple[date, str | None], list[int]]:
        """The running figures by (day, agent as written) as the Row path has them: per (day, agent
        trimmed) and the team's (day, None), in the order each was first counted."""
        names = {}
        days: dict[tuple[date, str | None], list[int] | None] = {}
        for day, agent in self.order:
            name = None if agent is None else (agent.strip() or (UNASSIGNED if self.has_agent else None))
            names[(day, agent)] = name
            if agent is None or name is not None:
                days.setdefault((day, name))
        for (day, agent), running in self.running.items():
            name = names[(day, agent)]
            for key in ((day, _TEAM), (day, name)) if name else ((day, _TEAM),):
                total = days[key]
                if total is None:
                    days[key] = list(running)
                    continue
                total[FIRST], total[LAST] = min(total[FIRST], running[FIRST]), max(total[LAST], running[LAST])
                total[ROWS] += running[ROWS]
                for slot in range(SLOTS, self.width):
                    total[slot] += running[slot]
        for (day, agent, slot), seconds in self.raw_fractions.items():
            name = names[(day, agent)]
            for key in ((day, _TEAM, slot), (day, name, slot)) if name else ((day, _TEAM, slot),):
                self.fractions[key] = self.fractions.get(key, 0) + seconds
        return days

    def entered(self, day: date, agent: str | None, running: list[int]) -> dict[str, int]:
        entered = {}
        for slot, how, rule in self.plan:
            key = self.keys[slot]
            if how != MEAN:
                entered[key] = running[slot]
            elif running[slot + 1]:
                seconds = running[slot] + self.fractions.get((day, agent, slot), 0)
                entered[key] = int(round_half_up(Fraction(seconds * rule.tenths_per_unit, running[slot + 1])))
        return entered

    def read_row(self, line: int, cells) -> tuple[list[int], list[tuple[int, Fraction]]] | None:
        """The row's contribution to its day's running figures (and a mean's seconds that are not whole),
        or None when a cell is bad (problems noted)."""
        contribution = [1, 0, 0] + [0] * (self.width - SLOTS)
        fractions: list[tuple[int, Fraction]] = []
        ok = True
        for slot, how, rule in self.plan:
            if how == COUNT:
                contribution[slot] = 1
                continue
            text = cells.get(rule.column, "")
            if not text or not text.strip():
                continue  # not set: counted by none of count_set, count_where, sum or mean
            if how == COUNT_SET:
                contribution[slot] = 1
            elif how == MEAN:
                seconds = _seconds(text)
                if seconds is None:
                    self.problems.add(
                        line, rule.column, f"{text.strip()!r} is not a duration (a number of {rule.unit})."
                    )
                    ok = False
                    continue
                if type(seconds) is int:
                    contribution[slot] = seconds
                else:
                    fractions.append((slot, seconds))
                contribution[slot + 1] = 1
            elif how == SUM:
                try:
                    contribution[slot] = _whole(text, rule.column)
                except InvalidInput as error:
                    self.problems.add(line, rule.column, error.message)
                    ok = False
            elif how == COUNT_WHERE:
                if rule.at_least is not None and not _is_number(text):
                    self.problems.add(line, rule.column, f"{text.strip()!r} is not a number.")
                    ok = False
                elif rule.counts(text):
                    contribution[slot] = 1
        return (contribution, fractions) if ok else None


def _nothing(record: list[str]) -> tuple[()]:
    return ()


def _record_filter(filters: tuple[Filter, ...], index: dict[str, int]) -> Callable[[list[str]], bool]:
    """Mapping.keeps for a CSV record (a list, columns by ``index``): whether it passes every filter."""
    tests = [_record_test(f, index) for f in filters]
    if len(tests) == 1:
        return tests[0]
    return lambda record: all(test(record) for test in tests)


def _record_test(rule: Filter, index: dict[str, int]) -> Callable[[list[str]], bool]:
    """Filter.holds for a CSV record: the cell trimmed equal to a text, one of several, or not empty."""
    at = index.get(rule.column)
    if at is None:  # no such column: every cell is ''
        holds = rule.holds({})
        return lambda record: holds
    if rule.equals is not None:
        equals = rule.equals
        return lambda record: record[at] == equals or record[at].strip() == equals
    if rule.one_of:
        one_of = frozenset(rule.one_of)
        return lambda record: record[at].strip() in one_of
    return lambda record: bool(record[at].strip())


def _seconds(text: str) -> int | Fraction | None:
    """A duration cell in its unit, exactly: an int for whole digits (the common case, kept fast)."""
    raw = text.strip()
    if raw.isdigit() and raw.isascii():
        return int(raw)
    if NEGATIVE.fullmatch(raw):
        return None
    return seconds_typed(raw.lower())


def _whole(text: str, column: str) -> int:
    raw = text.strip()
    if raw.isdigit() and raw.isascii():
        return int(raw)
    return whole_count(raw, column, 10**9)


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", ""))
    except ValueError:
        return False
    return True


# --- dates ---------------------------------------------------------------------------------------------


class DayOfDate:
    """The day of a date cell: daily rows' date as written (or in the zone, for a timestamp with an
    offset), items' LOCAL date in the mapping's zone.  Unix seconds use a cached day window (the last
    local day's first and next midnight in Unix seconds): a file sorted by time converts once a day."""

    def __init__(self, mapping: Mapping) -> None:
        self.format = mapping.date_format
        self.zone = ZoneInfo(mapping.timezone)
        self.window = (0, -1, None)  # [start, end) in Unix seconds, and the local day

    def day_of(self, text: str, daily: bool = False) -> date | str:
        """The day, or a problem's message."""
        raw = text.strip()
        if not raw:
            return "the date is blank."
        try:
            if self.format == UNIX:
                return self.unix_day(raw)
            if self.format == ISO:
                return self.local_day(_iso(raw), daily)
            return self.local_day(datetime.strptime(raw, self.format), daily)
        except (ValueError, OverflowError, OSError):
            return f"{raw[:40]!r} is not a date ({self.expected()})."

    def expected(self) -> str:
        if self.format == UNIX:
            return "Unix seconds expected"
        if self.format == ISO:
            return "ISO 8601 expected, e.g. 2024-03-10 or 2024-03-10T14:05:00Z"
        return f"expected as {self.format}, e.g. {datetime(2024, 3, 10, 14, 5).strftime(self.format)}"

    def local_day(self, moment: datetime, daily: bool) -> date:
        if daily and moment.tzinfo is None:
            return moment.date()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).date()

    def unix_day(self, raw: str) -> date:
        seconds = int(raw) if raw.isdigit() else float(raw)
        start, end, day = self.window
        if start <= seconds < end:
            return day
        day = datetime.fromtimestamp(seconds, UTC).astimezone(self.zone).date()
        start = _midnight(day, self.zone)
        self.window = (start, _midnight(day + timedelta(days=1), self.zone), day)
        return day


def _midnight(day: date, zone: ZoneInfo) -> float:
    """The Unix time of a local day's start (its first instant: a zone that skips midnight starts later)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()


def _iso(raw: str) -> datetime:
    if len(raw) == 10:
        return datetime.combine(date.fromisoformat(raw), datetime.min.time())
    return datetime.fromisoformat(raw.replace("z", "Z"))
