"""Export writers.  Writers yield text; writing a file is a thin atomic wrapper.

The JSON document is self-describing: the metric definitions (each metric's kind, unit, formula, bases
and source, whatever metrics the team tracks: built-in or defined by an admin), each day as entered
with its stored components, and the range summary with each formula's inputs and each figure's days
with data (and each target and the comparison with the previous period), so a charting tool can
re-aggregate any sub-range correctly.  Every writer takes the catalogue of the team's metrics
(metrics.Metrics; the built-ins' when not told).

Per-agent figures (format 5) ride along in the same shapes as the team's: the daily CSV has an
``agent`` column always (blank on the team's row, so a script's columns never depend on the data), and
each day's agents follow its team row; the JSON gives each day its ``agents`` (figures and components
like the day's) and an ``agents`` section with each agent's range summary (summary_document).  Agents
are listed by name (agent_order), records.UNASSIGNED last.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

from .department import TEAM_DAYS
from .errors import InvalidInput, StoreUnavailable
from .exact import ROUNDING_NOTE, exported
from .metrics import BUILTIN, DAYS_WITH_DATA, UNITS, Metrics, component_name, entry_key
from .periods import WEEKDAY_NAMES
from .records import UNASSIGNED, AuditEntry, DayRecord
from .reports import BY_DATE, Change, DayLine, Report, Summary, TargetCheck, day_lines
from .targets import EffectiveTarget

FORMAT_NAME = "statbotic-export"
# 2: every entered figure and component an integer (wait in tenths of a second);
# 3: the summary carries each target (met or missed, days met) and the comparison with the previous period;
# 4: the metrics come from the store's definitions (definitions.metrics: kind, unit, formula, bases,
#    source), a wait's items and CSAT's base are components (wait_seconds.items, csat_percent.base),
#    a day has only the metrics it has values for (blank in the CSV), and each figure its days with data;
# 5: per-agent figures: the daily CSV's ``agent`` column (blank on the team's row, each agent's row after
#    its day's), each JSON day's ``agents`` and the JSON's ``agents`` section (each agent's range summary).
FORMAT_VERSION = 5


def agent_order(name: str) -> tuple[bool, str, str]:
    """How exports list agents: by name, ignoring case (then as written), records.UNASSIGNED last."""
    return (name == UNASSIGNED, name.casefold(), name)


def sorted_agents(names: Iterable[str]) -> list[str]:
    return sorted(names, key=agent_order)


def stored_keys(metrics: Metrics = BUILTIN) -> tuple[str, ...]:
    """The entered figures, then the components that are not entered figures: the daily CSV's columns."""
    return metrics.entry_keys + tuple(k for k in metrics.component_keys if k not in metrics.entry_keys)


def day_entered(record: DayRecord, metrics: Metrics = BUILTIN) -> dict[str, int]:
    """The day's entered figures of the catalogue's metrics (a metric it has no value for is absent)."""
    return metrics.typed_entry(record.entered)


def day_components_of(record: DayRecord, metrics: Metrics = BUILTIN) -> dict[str, int]:
    """The day's components of the metrics it has values for, by name, in the catalogue's order.  A metric
    with agent rows has their sum, as the store keeps the team's row (a duration's total is the agents'
    summed totals, not the rounded average x items): summing a range's days gives its summary's sums."""
    components = metrics.day_components(record.entered)
    summed: dict[str, int] = {}
    for figures in record.agents.values():
        for key, value in metrics.day_components(figures).items():
            summed[key] = summed.get(key, 0) + value
    components.update((key, value) for key, value in summed.items() if key in components)
    return components


def day_document(record: DayRecord, metrics: Metrics = BUILTIN) -> dict:
    return {
        "date": record.day.isoformat(),
        "entered": day_entered(record, metrics),
        "components": day_components_of(record, metrics),
        "updated_by": record.updated_by,
        "updated_at": record.updated_at.isoformat(),
    }


def agent_days_document(record: DayRecord, metrics: Metrics = BUILTIN) -> dict:
    """The day's agents, each with its entered figures and their components (only the metrics it has
    values for), in agent_order; empty for a day without agent rows."""
    return {
        name: {
            "entered": metrics.typed_entry(record.agents[name]),
            "components": metrics.day_components(record.agents[name]),
        }
        for name in sorted_agents(record.agents)
    }


def export_day_document(record: DayRecord, metrics: Metrics = BUILTIN) -> dict:
    """A day as the JSON export writes it: day_document, then its ``agents`` (agent_days_document)."""
    return {**day_document(record, metrics), "agents": agent_days_document(record, metrics)}


def agents_document(agents: Mapping[str, Summary]) -> dict:
    """Each agent's range summary (summary_document: the team's shape), in agent_order."""
    return {name: summary_document(agents[name]) for name in sorted_agents(agents)}


def summary_document(summary: Summary) -> dict:
    """The range's figures with each formula's sums, and each figure's days with data (fewer than the
    range's when its metric was added later: a count's per-day figure divides by them)."""
    return {
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "days_in_range": summary.days_in_range,
        "days_with_data": summary.days_with_data,
        "missing_dates": [d.isoformat() for d in summary.missing],
        "sums": summary.sums,
        "figures": {
            f.metric.key: {
                "value": exported(f.value),
                "per_day": exported(f.per_day),
                "days_with_data": summary.days_of(f.metric.key),
                "numerator": {"component": f.metric.numerator, "sum": f.numerator},
                "denominator": (
                    {"component": DAYS_WITH_DATA, "sum": summary.days_of(f.metric.key)}
                    if f.metric.is_total
                    else {"component": f.metric.denominator, "sum": f.denominator}
                ),
            }
            for f in summary.figures
        },
    }


def definitions_document(metrics: Metrics = BUILTIN) -> dict:
    """Every metric of the catalogue as its definition says (``metrics``), the integers a day keeps
    (``entered``), the components summed over a range, and each range figure's formula."""
    return {
        "rounding": ROUNDING_NOTE,
        "metrics": [_metric_document(d, metrics) for d in metrics.definitions],
        "entered": [
            {
                "key": f.key,
                "label": f.label,
                "unit": "tenths of a second" if f.tenths else f.unit.value,
                "source": f.source,
                **({"part_of": f.part_of} if f.part_of else {}),
            }
            for f in metrics.entry_fields
        ],
        "components": [{"key": c.key, "description": c.description} for c in metrics.components],
        "range_metrics": [
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit.value,
                "formula": m.formula,
                "numerator": m.numerator,
                "denominator": m.denominator or DAYS_WITH_DATA,
                "scale": exported(m.scale),
            }
            for m in metrics.range_metrics
        ],
    }


def _metric_document(definition, metrics: Metrics) -> dict:
    """One definition as an export describes it: what it is, how it is entered and summed."""
    listed = definition.listed
    return {
        "key": definition.key,
        "label": definition.label,
        "kind": definition.kind.value,
        "unit": UNITS[definition.kind].value,
        "formula": metrics.range_metric(definition.key).formula if listed else "",
        "bases": list(definition.bases),
        "source": definition.source,
        "listed": listed,
        "places": definition.places,
        "direction": definition.direction.value,
        "default_target": exported(definition.target),
        "entered_as": entry_key(definition) if definition.entered else None,
        "components": [component_name(c) for c in definition.components],
    }


def targets_document(report: Report) -> dict:
    """Each target that is on: its value and direction, the figure it is compared with, met or missed
    (None when there is no figure) and on how many days."""
    return {
        key: {
            "target": exported(check.goal.value),
            "direction": check.goal.direction.value,
            "applies_to": report.summary.figure(key).metric.target_applies_to,
            "met": check.met,
            "days_met": check.days_met,
            "days_judged": check.days_judged,
        }
        for key, check in report.targets.items()
    }


def comparison_document(report: Report) -> dict:
    """The previous period of equal length, and each metric's previous figure, change and change in %."""
    return {
        "start": report.previous.start.isoformat(),
        "end": report.previous.end.isoformat(),
        "days_with_data": report.previous.days_with_data,
        "changes": {
            key: {
                "basis": c.basis,
                "current": exported(c.current),
                "previous": exported(c.previous),
                "change": exported(c.delta),
                "change_percent": exported(c.percent),
            }
            for key, c in report.changes.items()
        },
    }


def json_chunks(
    team: str,
    report: Report,
    days: Iterable[DayRecord],
    generated_at: datetime,
    metrics: Metrics = BUILTIN,
    agents: Mapping[str, Summary] | None = None,
) -> Iterator[str]:
    """The export document as text chunks; days are written one by one, so memory stays flat.
    ``agents``: each agent's range summary (services.export_agent_summaries; none: an empty section)."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "team": team,
        "generated_at": generated_at.isoformat(),
        "definitions": definitions_document(metrics),
        "summary": {
            **summary_document(report.summary),
            "targets": targets_document(report),
            "previous": comparison_document(report),
        },
        "agents": agents_document(agents or {}),
    }
    yield json.dumps(head, indent=2)[:-2] + ',\n  "days": ['
    for index, record in enumerate(days):
        yield ("," if index else "") + "\n    " + json.dumps(export_day_document(record, metrics))
    yield "\n  ]\n}\n"


def day_columns(metrics: Metrics = BUILTIN) -> tuple[str, ...]:
    """The daily CSV's header: the agent (always there: blank on the team's rows), then a column per
    entered figure and per component of the catalogue."""
    return ("team", "date", "agent", *stored_keys(metrics), "updated_by", "updated_at")


DAY_COLUMNS = day_columns()  # the built-ins'
SUMMARY_COLUMNS = (
    "metric",
    "label",
    "unit",
    "value",
    "per_day",
    "numerator",
    "numerator_sum",
    "denominator",
    "denominator_sum",
    "start",
    "end",
    "days_in_range",
    "days_with_data",
    "target",
    "target_direction",
    "target_applies_to",
    "met",
    "previous",
    "change",
    "change_percent",
    "metric_days_with_data",
)


def csv_line(values) -> str:
    import csv  # csv, io and tempfile load only when a file is written: `view --json` stays quick
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def csv_day_chunks(days: Iterable[DayRecord], metrics: Metrics = BUILTIN) -> Iterator[str]:
    """One row per day: the figures as entered, then the stored components; blank (never 0) where the day
    has no value for a metric (e.g. days before it was added); streamed.  The team's row has a blank
    ``agent``; the day's agents follow it (agent_order), each with its own figures and components, blank
    where the agent has none, and blank ``updated_by``/``updated_at`` (the day's row says them)."""
    columns = day_columns(metrics)
    yield csv_line(columns)
    for record in days:
        values = {
            "team": record.team,
            "date": record.day.isoformat(),
            **day_entered(record, metrics),
            **day_components_of(record, metrics),
            "updated_by": record.updated_by,
            "updated_at": record.updated_at.isoformat(),
        }
        yield csv_line(values.get(column, "") for column in columns)
        for name in sorted_agents(record.agents):
            figures = record.agents[name]
            values = {
                "team": record.team,
                "date": record.day.isoformat(),
                "agent": name,
                **metrics.typed_entry(figures),
                **metrics.day_components(figures),
            }
            yield csv_line(values.get(column, "") for column in columns)


def csv_summary_chunks(report: Report) -> Iterator[str]:
    """One row per range metric, with each formula's inputs, its target (blank when none) and the
    comparison with the previous period (blank where there is nothing to compare)."""
    summary = report.summary
    yield csv_line(SUMMARY_COLUMNS)
    for f in summary.figures:
        yield csv_line(
            [
                f.metric.key,
                f.metric.label,
                f.metric.unit.value,
                _blank(exported(f.value)),
                _blank(exported(f.per_day)),
                f.metric.numerator,
                f.numerator,
                f.metric.denominator or DAYS_WITH_DATA,
                summary.days_of(f.metric.key) if f.metric.is_total else f.denominator,
                summary.start.isoformat(),
                summary.end.isoformat(),
                summary.days_in_range,
                summary.days_with_data,
                *_target_cells(report.targets.get(f.metric.key), f.metric.target_applies_to),
                *_change_cells(report.changes[f.metric.key]),
                summary.days_of(f.metric.key),
            ]
        )


def _target_cells(check: TargetCheck | None, applies_to: str) -> list:
    if check is None:
        return ["", "", "", ""]
    met = "" if check.met is None else str(check.met).lower()
    return [exported(check.goal.value), check.goal.direction.value, applies_to, met]


def _change_cells(change: Change) -> list:
    return [_blank(exported(value)) for value in (change.previous, change.delta, change.percent)]


def _blank(value: int | float | None) -> object:
    return "" if value is None else value


class ExportFormat:
    """One way to export a period: its key (the CLI's --format), the menu's label, and its file name."""

    __slots__ = ("key", "label", "stem", "extension")

    def __init__(self, key: str, label: str, stem: str, extension: str) -> None:
        self.key, self.label, self.stem, self.extension = key, label, stem, extension


# The one list of export formats: the menu, the CLI's --format choices and the file names come from it.
EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("json", "JSON (days, components and summary)", "stats", "json"),
    ExportFormat("csv", "CSV, one row per day", "stats", "csv"),
    ExportFormat("summary-csv", "CSV summary, one row per metric", "stats-summary", "csv"),
)
FORMAT_KEYS: tuple[str, ...] = tuple(fmt.key for fmt in EXPORT_FORMATS)


def export_format(key: str) -> ExportFormat:
    for fmt in EXPORT_FORMATS:
        if fmt.key == key:
            return fmt
    raise ValueError(f"unknown export format {key!r}")


def export_chunks(
    fmt: str,
    team: str,
    report: Report,
    days: Iterable[DayRecord],
    now: datetime,
    metrics: Metrics = BUILTIN,
    agents: Mapping[str, Summary] | None = None,
) -> Iterator[str]:
    """The period in ``fmt`` as text chunks; ``agents`` (each agent's range summary) for the JSON."""
    if fmt == "json":
        return json_chunks(team, report, days, now, metrics, agents)
    if fmt == "csv":
        return csv_day_chunks(days, metrics)
    if fmt == "summary-csv":
        return csv_summary_chunks(report)
    raise ValueError(f"unknown export format {fmt!r}")


def export_path(directory: Path, start: date, end: date, fmt: str) -> Path:
    chosen = export_format(fmt)
    return directory / f"{chosen.stem}-{start.isoformat()}-{end.isoformat()}.{chosen.extension}"


def write_atomic(path: Path, chunks: Iterable[str], rename_if_taken: bool = True) -> Path:
    """Write chunks to a temporary file beside ``path`` and link it into place.

    The file appears whole or not at all, and an existing file is never overwritten: the
    name gets a ``-2``, ``-3``... suffix instead, or (rename_if_taken=False) InvalidInput.
    Returns the path written.
    """
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale_partials(path.parent)
        fd, temp = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise StoreUnavailable(
            f"Can't write exports to {path.parent}: {exc.strerror or exc}. Check STATBOTIC_EXPORT_DIR."
        ) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        return _link_unused_name(Path(temp), path, 1000 if rename_if_taken else 1)
    except OSError as exc:
        raise StoreUnavailable(f"Can't write the export {path.name}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


PARTIAL_PREFIX = ".partial-"
# tempfile.mkstemp's names: the prefix, 8 random letters, digits or "_", then the export's suffix.
PARTIAL_NAME = r"\.partial-[a-z0-9_]{8}(\.[^./]*)?"
STALE_AFTER_SECONDS = 3600  # no live export leaves its temp file untouched this long


def sweep_stale_partials(folder: Path) -> None:
    """Remove the temp files an export killed mid-write (kill -9) left in ``folder``: regular files of
    our naming untouched for an hour.  Links, folders and other names are left alone; best effort."""
    import re
    import stat
    import time

    oldest = time.time() - STALE_AFTER_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not re.fullmatch(PARTIAL_NAME, entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < oldest:
                os.unlink(entry.path)  # unlink never follows a link
        except OSError:
            continue


def _link_unused_name(temp: Path, path: Path, tries: int) -> Path:
    for number in range(1, tries + 1):
        candidate = path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
        try:
            os.link(temp, candidate)  # fails if the name exists: no silent overwrite, no race
            return candidate
        except FileExistsError:
            continue
    raise InvalidInput(f"{path} exists already; choose another name or move that file away.")


def report_day_document(line: DayLine, metrics: Metrics = BUILTIN) -> dict:
    """A day with data in the report: as entered, with its own figures, each target met (true), missed
    (false) or without a figure (null), and its shortfall (the worst-days score, reports.day_shortfall)."""
    return {
        **day_document(line.record, metrics),
        "weekday": WEEKDAY_NAMES[line.day.weekday()],
        "figures": {key: exported(figure.value) for key, figure in line.figures.items()},
        "targets": dict(line.marks),
        "shortfall": exported(line.shortfall),
    }


def report_document(
    team: str, label: str, report: Report, include_days: bool, order: str = BY_DATE, metrics: Metrics = BUILTIN
) -> dict:
    """The View report as plain data: summary, targets, comparison and (optionally) each day with data,
    in ``order`` (reports.DAY_ORDERS)."""
    document = {
        "format": "statbotic-report",
        "version": FORMAT_VERSION,
        "team": team,
        "period": label,
        "summary": summary_document(report.summary),
        "low_confidence": [f.metric.key for f in report.summary.figures if f.low_confidence],
        "targets": targets_document(report),
        "previous": comparison_document(report),
    }
    if include_days:
        document["days_order"] = order
        document["days"] = [report_day_document(line, metrics) for line in day_lines(report, order) if line.record]
    return document


def targets_list_document(team: str, effective: tuple[EffectiveTarget, ...]) -> dict:
    """Each metric's target (null when none or turned off), what it is compared with, and where it comes
    from: 'app' (with who set it and when), 'environment' (the setting named) or 'none'."""
    return {
        "format": "statbotic-targets",
        "version": FORMAT_VERSION,
        "team": team,
        "targets": {t.metric.key: _target_entry(t) for t in effective},
    }


def _target_entry(target: EffectiveTarget) -> dict:
    goal, stored = target.goal, target.stored
    return {
        "name": target.metric.alias,
        "label": target.metric.label,
        "target": None if goal is None else exported(goal.value),
        "direction": None if goal is None else goal.direction.value,
        "applies_to": target.metric.target_applies_to,
        "source": target.source.value,
        "setting": target.metric.target_setting,
        "set_by": None if stored is None else stored.set_by,
        "set_at": None if stored is None else stored.set_at.isoformat(),
    }


def _share_cells(shares: dict) -> dict:
    return {key: exported(value) for key, value in shares.items()}


def department_targets_document(department) -> dict:
    """Each target against the department: its judged figure (a total's per team-day), met, the gap
    (positive: missed by) and each team's exact part of it (they add up to the gap), largest first."""
    return {
        key: {
            "target": exported(check.goal.value),
            "direction": check.goal.direction.value,
            "applies_to": "per_team_day" if check.metric.is_total else "value",
            "value": exported(check.value),
            "met": check.met,
            "gap": exported(check.gap),
            "contributions": {team: exported(part) for team, part in check.contributions},
            "most": None if check.mover is None else check.mover[0],
            "teams_met": dict(check.teams_met),
        }
        for key, check in department.checks.items()
    }


def department_document(label: str, department, targets_team: str) -> dict:
    """The department view as plain data: each team's summary and shares, the department's summary
    (a ratio of sums across the teams tracking each metric), each metric's team-days with data and the
    teams that don't track it, and each target with every team's part of its gap."""
    total = department.total
    return {
        "format": "statbotic-department",
        "version": FORMAT_VERSION,
        "period": label,
        "targets_of_team": targets_team,
        "teams": [
            {
                "team": row.team,
                "summary": summary_document(row.summary),
                "shares": _share_cells(row.shares),
                "not_tracked": [f.metric.key for f in total.figures if not department.tracks(row.team, f.metric.key)],
            }
            for row in department.rows
        ],
        "department": {
            **summary_document(total),
            "team_days": department.team_days,
            "metric_team_days": {f.metric.key: department.team_days_of(f.metric.key) for f in total.figures},
            "per_team_day": {
                f.metric.key: exported(_per_team_day(department, f)) for f in total.figures if f.metric.is_total
            },
            "not_tracked_by": {key: list(teams) for key, teams in department.untracked.items()},
        },
        "targets": department_targets_document(department),
    }


def _per_team_day(department, figure) -> Fraction | None:
    days = department.team_days_of(figure.metric.key)
    return Fraction(figure.numerator, days) if days else None


def department_json_chunks(
    label: str,
    department,
    targets_team: str,
    generated_at: datetime,
    agents: Mapping[str, Mapping[str, Summary]] | None = None,
) -> Iterator[str]:
    """The department document with ``definitions`` and ``generated_at``; each team's entry gains its
    ``agents`` (each agent's range summary, as a team's export has them; ``agents``: by team)."""
    document = {**department_document(label, department, targets_team), "generated_at": generated_at.isoformat()}
    for entry in document["teams"]:
        entry["agents"] = agents_document((agents or {}).get(entry["team"], {}))
    yield json.dumps({"definitions": definitions_document(department.metrics), **document}, indent=2) + "\n"


DEPARTMENT_SUMMARY_COLUMNS = (
    "scope",
    "team",
    *SUMMARY_COLUMNS[:9],
    "share_of_numerator",
    "share_of_denominator",
    "target",
    "target_direction",
    "target_applies_to",
    "met",
    "contribution_to_gap",
)


def department_summary_chunks(department) -> Iterator[str]:
    """One row per team and metric, then the department's rows (scope 'department', team blank): each
    figure with its formula's sums, the team's share of them, its target met or missed and (for a team)
    its part of the department's gap to that target."""
    yield csv_line(DEPARTMENT_SUMMARY_COLUMNS)
    for row in (*department.rows, None):
        summary = department.total if row is None else row.summary
        for f in summary.figures:
            metric, check = f.metric, department.checks.get(f.metric.key)
            if row is not None and not department.tracks(row.team, metric.key):
                continue  # no figure: the team doesn't track the metric (the JSON's not_tracked says so)
            denominator = metric.denominator or DAYS_WITH_DATA
            per_day, days = f.per_day, summary.days_of(metric.key)
            if row is None and metric.is_total:  # the department's count per team-day, as its target judges it
                denominator, days = TEAM_DAYS, department.team_days_of(metric.key)
                per_day = Fraction(f.numerator, days) if days else None
            if row is None:
                shares, met = ["", ""], "" if check is None or check.met is None else str(check.met).lower()
                part = "" if check is None else _blank(exported(check.gap))
            else:
                shares = [_blank(exported(row.shares[metric.numerator]))]
                shares.append("" if metric.is_total else _blank(exported(row.shares[metric.denominator])))
                own = None if check is None else check.teams_met.get(row.team)
                met = "" if own is None else str(own).lower()
                part = "" if check is None else _blank(exported(dict(check.contributions).get(row.team)))
            target = ["", "", ""] if check is None else [exported(check.goal.value), check.goal.direction.value]
            if check is not None:
                target.append("per_team_day" if metric.is_total and row is None else metric.target_applies_to)
            yield csv_line(
                [
                    "department" if row is None else "team",
                    "" if row is None else row.team,
                    metric.key,
                    metric.label,
                    metric.unit.value,
                    _blank(exported(f.value)),
                    _blank(exported(per_day)),
                    metric.numerator,
                    f.numerator,
                    denominator,
                    days if metric.is_total else f.denominator,
                    *shares,
                    *target,
                    met,
                    part,
                ]
            )


def department_chunks(
    fmt: str,
    label: str,
    department,
    targets_team: str,
    now: datetime,
    agents: Mapping[str, Mapping[str, Summary]] | None = None,
) -> Iterator[str]:
    """The department in ``fmt``; ``agents`` (by team, each agent's summary) for the JSON: the summary
    CSV stays a row per team and metric (an agent's figures are in its team's export)."""
    if fmt == "json":
        return department_json_chunks(label, department, targets_team, now, agents)
    if fmt == "summary-csv":
        return department_summary_chunks(department)
    raise InvalidInput(f"The department exports as json or summary-csv, not {fmt}.")


def department_export_path(directory: Path, start: date, end: date, fmt: str) -> Path:
    """department-stats-START-END.json or department-stats-summary-START-END.csv."""
    path = export_path(directory, start, end, fmt)
    return path.with_name(f"department-{path.name}")


AUDIT_FORMAT_NAME = "statbotic-audit"


def audit_entry_document(entry: AuditEntry) -> dict:
    """An audit entry exactly as stored: the time in UTC (ISO 8601), integers as integers."""
    return {
        "at": entry.at.astimezone(UTC).isoformat(),
        "by": entry.actor,
        "action": entry.action,
        "team": entry.team,
        "subject": entry.subject,
        "before": None if entry.before is None else dict(entry.before),
        "after": None if entry.after is None else dict(entry.after),
    }


def audit_document(entries: list[AuditEntry], **about) -> dict:
    """The audit log (or a day's history) as JSON: what was asked (``about``) and every entry, oldest first."""
    return {"format": AUDIT_FORMAT_NAME, **about, "entries": [audit_entry_document(e) for e in entries]}
