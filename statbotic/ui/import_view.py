"""How an import is shown, the same in `statbotic import` and the menus' "Import a file": the preview
of the days found (and the conflicts, saved and imported side by side), and the explanation of a
mapping's reading of a file's first rows (`--explain`)."""

from __future__ import annotations

from ..import_service import AGENTS, CONFLICT
from ..periods import plural
from ..records import UNASSIGNED
from . import render
from .console import Console


def figure_text(field, value: int | None) -> str:
    """An entry field's value as it is typed: a wait in seconds with its tenth, a count with commas."""
    return "-" if value is None else field.text(value)


def show_preview(console: Console, plan, metrics) -> None:
    """The days found (a column per figure), then the conflicts, saved -> imported (and how the
    agents' figures change)."""
    fields = metrics.entry_fields
    headers = ["date", *[f.column for f in fields], "rows", "status"]
    rows = [
        [str(day.day), *[figure_text(f, day.entered.get(f.key)) for f in fields], str(day.rows), day.status]
        for day in plan.days
    ]
    agents = f", with figures of {plural(len(plan.agents), 'agent')}" if plan.agents else ""
    console.say(f"Team {plan.team}: {plural(len(plan.days), 'day')} in the file{agents}.")
    console.say(render.table(console, rows, headers))
    conflicts = plan.of(CONFLICT)
    if not conflicts:
        return
    console.say(f"{plural(len(conflicts), 'day')} already saved with other figures (saved -> imported):")
    by_key = {f.key: f for f in fields}
    for day in conflicts:
        changes = ", ".join(
            f"{by_key[key].label} {figure_text(by_key[key], day.stored.get(key))} -> "
            f"{figure_text(by_key[key], day.entered[key])}"
            for key in day.differ
            if key != AGENTS
        )
        if AGENTS in day.differ or (day.agents and not day.stored_agents):
            changes += ("; " if changes else "") + agents_change(day)
        console.say(f"  {day.day}: {changes}")


def agents_change(day) -> str:
    """How a day's agents' figures differ, in words: typed totals become agent rows, or agents change."""
    if not day.stored_agents:
        return f"the typed totals become the sum of {plural(len(day.agents), 'agent')}"
    if not day.agents:
        return f"the figures of {plural(len(day.stored_agents), 'agent')} give way to a team total"
    changed = sorted(n for n in {*day.agents, *day.stored_agents} if day.agents.get(n) != day.stored_agents.get(n))
    return f"agents' figures differ ({', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''})"


def explanation_lines(explanation, metrics) -> list[str]:
    """`import --explain` as text: the mapping's rules, then what each of the first rows becomes."""
    mapping = explanation.mapping
    fields = {f.key: f for f in metrics.entry_fields}
    width = max([len(fields[f.entry_key].label) for f in explanation.figures] + [5])
    lines = [f"{mapping.source}: {_kind_text(mapping)}"]
    lines.append(f"  date   column {mapping.date!r} ({_date_format(mapping)}){_zone_text(mapping)}")
    if mapping.agent:
        lines.append(f"  agent  column {mapping.agent!r} (blank: {UNASSIGNED})")
    for rule in explanation.filters:
        lines.append(f"  keep   rows where {rule}")
    for figure in explanation.figures:
        source = "every row" if figure.column is None else f"column {figure.column!r}"
        optional = ", if the file has it" if figure.optional else ""
        lines.append(f"  {fields[figure.entry_key].label:<{width}}  {source}: {figure.how}{optional}")
    if explanation.missing:
        lines.append(f"Not in the first row: {', '.join(map(repr, explanation.missing))}.")
    if explanation.ignored:
        lines.append(f"Ignored (not read): {', '.join(map(repr, explanation.ignored))}.")
    if not explanation.rows:
        lines.append("The file has no rows.")
    for row in explanation.rows:
        lines.append("")
        lines.extend(_row_lines(row, mapping, fields, width))
    return lines


def _row_lines(row, mapping, fields, width: int) -> list[str]:
    if not row.kept:
        failed = "; ".join(rule for rule, holds in row.filters if not holds)
        return [f"{row.file}, line {row.line}: dropped (not {failed})."]
    verdict = "left out of the import (a bad cell)" if row.left_out else "imported"
    lines = [f"{row.file}, line {row.line}: {verdict}"]
    day = row.date_problem if row.day is None else row.day.isoformat()
    lines.append(f"  {'date':<{width}}  {row.date_text.strip()!r} -> {day}")
    if row.agent is not None:
        lines.append(f"  {'agent':<{width}}  {row.agent}")
    for cell in row.cells:
        field = fields[cell.entry_key]
        lines.append(f"  {field.label:<{width}}  {_cell_text(cell, field, row.left_out)}")
    lines.extend(f"  {problem}" for problem in row.problems)
    return lines


def _cell_text(cell, field, left_out: bool) -> str:
    shown = "" if cell.text is None else f"{cell.text.strip()!r} -> "
    if cell.problem:
        return f"{shown}{cell.problem}"
    if left_out:
        return f"{shown}(the row is left out)"
    if cell.value is None:
        return f"{shown}no value (blank)" if cell.text is not None and cell.text.strip() else "no value (blank)"
    unit = " s" if field.tenths else ""
    return f"{shown}{figure_text(field, cell.value)}{unit}"


def _kind_text(mapping) -> str:
    if mapping.kind == "daily":
        return "a row per day" + (" and agent" if mapping.agent else "")
    return "a row per item (conversation, ticket), counted into days"


def _date_format(mapping) -> str:
    return {"iso": "ISO 8601", "unix": "Unix seconds"}.get(mapping.date_format, mapping.date_format)


def _zone_text(mapping) -> str:
    if mapping.kind == "daily":
        return ", as written"
    return f", its local date in {mapping.timezone}"


def explanation_document(explanation, metrics) -> dict:
    """`import --explain --json`: the same, as data (values in entry units: a wait in tenths)."""
    mapping = explanation.mapping
    return {
        "mapping": mapping.source,
        "kind": mapping.kind,
        "date": {"column": mapping.date, "format": mapping.date_format, "timezone": mapping.timezone},
        "agent": mapping.agent,
        "filters": list(explanation.filters),
        "figures": [
            {"field": f.entry_key, "column": f.column, "aggregate": f.aggregate, "how": f.how}
            for f in explanation.figures
        ],
        "columns": list(explanation.columns),
        "ignored": list(explanation.ignored),
        "missing": list(explanation.missing),
        "rows": [
            {
                "file": row.file,
                "line": row.line,
                "kept": row.kept,
                "filters": [{"filter": rule, "holds": holds} for rule, holds in row.filters],
                "imported": row.kept and not row.left_out,
                "date": row.date_text,
                "day": None if row.day is None else row.day.isoformat(),
                "date_problem": row.date_problem,
                "agent": row.agent,
                "figures": {
                    cell.entry_key: {"cell": cell.text, "value": cell.value, "problem": cell.problem}
                    for cell in row.cells
                },
                "problems": list(row.problems),
            }
            for row in explanation.rows
        ],
    }
