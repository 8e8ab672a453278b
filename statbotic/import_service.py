"""Importing days from files (issue 13): the use case behind `statbotic import`.

``plan_import`` reads the files through a mapping (importing/: readers, mapping, aggregate), checks
every cell (ImportRefused: file, line and column, nothing written) and compares each day with the
store's: a day the store doesn't have is NEW, a day whose figures are the store's already is UNCHANGED
(never rewritten: importing a file twice changes nothing), a day whose figures differ is a CONFLICT
(the typed and the imported figures side by side), unless the day's figures came from an import by the
same mapping: the file corrects what it brought, a CORRECTED day, replaced without a question (a typed
change to a day forgets its sources, so what a lead typed is never overwritten unasked).  Values of
metrics the file doesn't carry are kept from the store, so a Zendesk file and an Intercom file fill the
same days.  Every day is checked as ``record_day`` would (services.check_entered, partial: a file of some
metrics) BEFORE anything is written: one day the store's rules refuse refuses them all.

A file with an agent column gives each day's figures per agent (agent_figures; rows with a blank agent
are records.UNASSIGNED's): the team's figure of those metrics is their sum, as the store keeps it.

``apply_import`` then writes, one ``record_day`` per day through the normal path (audited, by the user,
with the day's source: the mapping, the files and their SHA-256, the rows and their lines): the new,
filled and corrected days, and the conflicts when ``replace``.  Leads and admins of the team.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from . import access, services
from .agent_figures import team_of_agents
from .errors import InvalidInput
from .frozen import frozen, replace
from .importing.aggregate import MAX_PROBLEMS, DayFigures, aggregate
from .importing.mapping import Mapping
from .importing.problems import ImportProblem, ImportRefused
from .importing.readers import file_digest, read_all
from .metrics import Metrics
from .records import UNASSIGNED, DayRecord, User
from .storage.base import Store

# A day of the file: not in the store; in it with the same figures; in it without some of the file's
# figures (they are filled in; typed totals equal to the agents' sum become their rows); in it with
# other figures an import by the same mapping brought; in it with other figures typed or from elsewhere.
NEW, UNCHANGED, FILLED, CORRECTED, CONFLICT = "new", "unchanged", "filled", "corrected", "conflict"
AGENTS = "agents"  # PlannedDay.differ's name for the agents' figures
MAX_LINE_SPANS = 20  # the lines a source records per day, as spans: more are summed up as "..."


@frozen
class PlannedDay:
    """One day of the file: ``imported`` the file's team figures (entry keys; of metrics with agent rows,
    their sum), ``entered`` what saving it writes (the store's values of metrics the file doesn't carry,
    then the file's), ``agents`` the file's figures per agent, ``stored`` the store's figures (None for a
    new day) and ``stored_agents`` its agents' of the file's metrics, ``differ`` the entry keys whose
    figures differ (AGENTS: the agents' do), ``source`` what the store records of where they came from."""

    day: date
    imported: dict[str, int]
    entered: dict[str, int]
    stored: dict[str, int] | None
    status: str
    differ: tuple[str, ...]
    rows: int
    agents: dict[str, dict[str, int]]
    stored_agents: dict[str, dict[str, int]]
    source: dict[str, object]
    kept_agents: dict[str, dict[str, int]]  # the stored agents' figures of the metrics the file doesn't carry


@frozen
class ImportPlan:
    team: str
    source: str  # the mapping's name: a day's sources are kept by it
    days: tuple[PlannedDay, ...]
    problems: tuple[ImportProblem, ...] = ()  # the rows and days left out (skip_bad), the first of them
    rows_read: int = 0

    def of(self, status: str) -> list[PlannedDay]:
        return [day for day in self.days if day.status == status]

    @property
    def agents(self) -> tuple[str, ...]:
        """The agents the file has figures of, by name."""
        return tuple(sorted({name for day in self.days for name in day.agents}))


@frozen
class ImportResult:
    saved: int
    unchanged: int
    skipped: int  # conflicts kept as the store has them
    corrected: int = 0  # of the saved: days an earlier import by the same mapping brought


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
    skip_bad: bool = False,
    reading: Callable[[Sequence[Path]], Iterable] = read_all,
) -> ImportPlan:
    """Each day the files give, compared with the store's; ImportRefused (nothing to write) for a bad
    file, mapping or cell, an unknown agent, or a day the store's rules refuse.  ``skip_bad``: the lead
    accepts the rows that are fine: the bad rows (and days) are left out and listed in the plan's
    ``problems`` instead.  ``reading``: how the files' rows are read (the commands pass one that shows
    a progress bar).  Leads and admins of the team."""
    access.require_edit(user, team, "import days")
    metrics = metrics or services.team_metrics(store, team)
    rows = _Counted(reading(paths))
    found, problems = aggregate(rows, mapping, metrics, source_name(paths))
    if problems and len(paths) > 1:  # lines count within each file: name each problem's own file
        problems = _problems_by_file(paths, mapping, metrics) or problems
    found, unknown = _named_agents(found, mapping, metrics, source_name(paths))
    problems = [*problems, *unknown]
    if problems and not skip_bad:
        raise _refused(problems, rows.count)
    team_days = [figures for figures in found if figures.agent is None]
    if not team_days:
        raise ImportRefused.one(source_name(paths), "holds no day's figures (no row, or every row filtered out).")
    agents_by_day: dict[date, dict[str, dict[str, int]]] = {}
    for figures in found:
        if figures.agent is not None:
            agents_by_day.setdefault(figures.day, {})[figures.agent] = dict(figures.entered)
    start, end = min(d.day for d in team_days), max(d.day for d in team_days)
    stored = {record.day: record for record in store.iter_days(team, start, end)}
    digest = _digest(paths)
    planned, refused = [], []
    for figures in team_days:
        agents = agents_by_day.get(figures.day, {})
        imported = {**figures.entered, **team_of_agents(agents, metrics)}
        record = stored.get(figures.day)
        typed = metrics.typed_entry(record.entered) if record is not None else None
        try:
            entered = services.check_entered({**(typed or {}), **imported}, metrics, partial=True)
        except InvalidInput as problem:
            line = figures.lines[0] if figures.lines else None
            refused.append(ImportProblem(source_name(paths), line, None, f"{figures.day}: {problem}"))
            continue
        stored_agents = _agents_of(record, imported)
        differ: tuple[str, ...] = ()
        if record is None:
            status = NEW
        else:
            had = [key for key in imported if key in typed]  # figures the day has: the others are filled in
            differ = tuple(key for key in had if typed[key] != imported[key])
            if stored_agents and stored_agents != _agents_of_keys(agents, had):
                differ += (AGENTS,)
            if differ:
                status = CORRECTED if mapping.source in record.sources else CONFLICT
            else:
                status = FILLED if len(had) < len(imported) or (agents and not stored_agents) else UNCHANGED
        source = {"files": source_name(paths), "sha256": digest, "rows": figures.rows, "lines": _spans(figures.lines)}
        planned.append(
            PlannedDay(
                figures.day,
                imported,
                entered,
                typed,
                status,
                differ,
                figures.rows,
                agents,
                stored_agents,
                source,
                {} if record is None else _agents_of_keys(record.agents, set(entered) - set(imported)),
            )
        )
    if refused and not skip_bad:
        raise ImportRefused(refused)
    return ImportPlan(team, mapping.source, tuple(planned), (*problems, *refused), rows.count)


def _named_agents(
    found: list[DayFigures], mapping: Mapping, metrics: Metrics, file: str
) -> tuple[list[DayFigures], list[ImportProblem]]:
    """The days with each agent named as the mapping's [agents] says (two IDs of one name: one agent,
    their figures combined as a team's are), and a problem for each unknown agent, at its first line
    (its figures left out: the team's figure of a metric with agent rows is their sum)."""
    if not mapping.agent_names:
        return found, []
    problems: dict[str, ImportProblem] = {}
    named: dict[tuple[date, str | None], list[DayFigures]] = {}
    for figures in found:
        name = figures.agent
        if name is not None and name != UNASSIGNED:
            name = mapping.agent_named(name)
            if name is None:
                line = min(figures.lines) if figures.lines else None
                known = problems.get(figures.agent)
                if known is None or (line is not None and known.line is not None and line < known.line):
                    listed = ", ".join(agent_id for agent_id, _ in mapping.agent_names[:3])
                    message = f"agent {figures.agent!r} is not in the mapping's [agents] ({listed}...): add it there."
                    problems[figures.agent] = ImportProblem(file, line, mapping.agent, message)
                continue
        named.setdefault((figures.day, name), []).append(figures)
    result = []
    for (day, name), parts in named.items():
        if len(parts) == 1:
            result.append(replace(parts[0], agent=name))
            continue
        entered = team_of_agents({str(n): part.entered for n, part in enumerate(parts)}, metrics)
        lines = tuple(sorted({line for part in parts for line in part.lines}))
        result.append(DayFigures(day, name, entered, lines, sum(part.rows for part in parts)))
    ordered = sorted(problems.values(), key=lambda problem: problem.line or 0)
    return result, ordered


def _agents_of(record: DayRecord | None, imported: dict[str, int]) -> dict[str, dict[str, int]]:
    """The stored agents' figures of the metrics the file carries (agents with none of them left out)."""
    return {} if record is None else _agents_of_keys(record.agents, imported)


def _agents_of_keys(agents, keys) -> dict[str, dict[str, int]]:
    """The agents' figures of these entry keys, agents with none of them left out."""
    chosen = {name: {k: int(v) for k, v in figures.items() if k in keys} for name, figures in agents.items()}
    return {name: figures for name, figures in chosen.items() if figures}


def _merged(kept: dict[str, dict[str, int]], imported: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Each agent's figures: the stored ones of the metrics the file doesn't carry, then the file's (the
    day is saved whole, so the agent rows of the other metrics are passed along, not dropped)."""
    agents = {name: dict(figures) for name, figures in kept.items()}
    for name, figures in imported.items():
        agents.setdefault(name, {}).update(figures)
    return agents


def _digest(paths: Sequence[Path]) -> str:
    """The files' SHA-256 (several: of their digests in order), as a day's source records it."""
    digests = [file_digest(Path(path)) for path in paths]
    if len(digests) == 1:
        return digests[0]
    import hashlib

    return hashlib.sha256(" ".join(digests).encode()).hexdigest()


def _spans(lines: Sequence[int]) -> str:
    """Lines as spans ("2-40, 52"), the first MAX_LINE_SPANS of them (the row keys a source records)."""
    spans: list[list[int]] = []
    for line in sorted(lines):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans[:MAX_LINE_SPANS])
    return text + (", ..." if len(spans) > MAX_LINE_SPANS else "")


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
    """Write the plan's new, filled and corrected days, and its conflicts when ``replace`` (else the store's are
    kept): one record_day per day (audited by ``user``, with the day's source).  Unchanged days are never
    rewritten."""
    access.require_edit(user, plan.team, "import days")
    metrics = metrics or services.team_metrics(store, plan.team)
    writing = [
        day for day in plan.days if day.status in (NEW, FILLED, CORRECTED) or (replace and day.status == CONFLICT)
    ]
    for day in writing:
        services.record_day(
            store,
            plan.team,
            user,
            day.day,
            day.entered,
            metrics,
            agents=_merged(day.kept_agents, day.agents),
            sources={plan.source: day.source},
            partial=True,
        )
    skipped = 0 if replace else len(plan.of(CONFLICT))
    return ImportResult(len(writing), len(plan.of(UNCHANGED)), skipped, len(plan.of(CORRECTED)))
