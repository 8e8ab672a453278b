"""The report's sections as HTML (one self-contained page: no script, no external request) and as
plain text.  Figures are worded by ui.render, as the terminal's views word them; each headline figure
also carries machine-readable attributes (data-metric, data-value, data-per-day, data-target-met)
rounded as `view --json` rounds them (exact.exported)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from fractions import Fraction

from ..errors import NoData
from ..exact import exported
from ..frozen import frozen
from ..periods import dated, plural
from ..reports import BY_DATE, PER_DAY, Report, day_lines, judged
from ..ui import render
from .charts import Series, trend_svg
from .style import CSS

esc = html.escape
MARK_WORDS = {True: ("✓", "met", "met"), False: ("✗", "missed", "missed"), None: ("–", "no figure", "")}
MAX_CHART_TEAMS = 6  # a department chart's lines: each its own dash and colour


@frozen
class Contents:
    """What one report shows: a team's (``report``, ``agents``) or a department's (``department``, its
    ``comparison`` with the previous period and each team's own ``team_reports`` for the charts)."""

    title: str
    team: str
    period: object
    username: str
    today: date
    report: Report | None = None
    agents: object = None
    pacing: tuple = ()
    department: object = None
    comparison: Report | None = None
    team_reports: object = None

    @property
    def summary(self):
        return self.report.summary if self.report is not None else self.department.total

    @property
    def compared(self) -> Report:
        return self.report if self.report is not None else self.comparison


# ---- the page ----


def page(contents: Contents) -> str:
    parts = [header(contents)]
    if not contents.summary.has_data:
        parts.append(f'<p class="missed">{esc(NoData(contents.period.describe()).message)}</p>')
    else:
        parts += [headline(contents), pacing(contents), comparison(contents), notes(contents)]
        if contents.department is not None:
            parts.append(department_section(contents))
        parts.append(trends(contents))
        if contents.report is not None:
            parts.append(daily(contents.report))
        if contents.agents is not None:
            parts.append(agents_section(contents.agents))
        parts.append(method(contents))
    parts.append(footer(contents))
    body = "\n".join(part for part in parts if part)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="referrer" content="no-referrer">\n'  # a link in it tells no one where it was read
        '<link rel="icon" href="data:,">\n'  # no icon to fetch: a browser would ask the server for one
        f"<title>{esc(contents.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def made_by(contents: Contents) -> str:
    """ " by NAME", or nothing for a page a share link shows (no user's name to whoever holds the link)."""
    return f" by {contents.username}" if contents.username else ""


def header(contents: Contents) -> str:
    summary, period = contents.summary, contents.period
    days = f"figures for {summary.days_with_data} of {plural(summary.days_in_range, 'day')}"
    return (
        f"<header><h1>{esc(contents.title)}</h1>"
        f'<p class="meta">{period.start.isoformat()} to {period.end.isoformat()}: {days}. '
        f"Made on {contents.today.isoformat()}{esc(made_by(contents))} with Statbotic.</p></header>"
    )


def table(headers: list[str], rows: list[str], caption: str = "", numeric_from: int = 1) -> str:
    """A table: ``rows`` are ready <tr> elements; the headers from ``numeric_from`` on are right-aligned."""
    cells = "".join(
        f'<th scope="col"{" class=num" if n >= numeric_from else ""}>{esc(h)}</th>' for n, h in enumerate(headers)
    )
    head = f"<caption class=small>{esc(caption)}</caption>" if caption else ""
    return f"<table>{head}<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def mark_html(met: bool | None, words: bool = True) -> str:
    symbol, word, css = MARK_WORDS[met]
    text = f"{symbol} {word}" if words else symbol
    label = "" if words else f' aria-label="{word}" title="{word}"'
    return f'<span class="mark {css}"{label}>{esc(text)}</span>'


def data_attributes(figure, met: bool | None) -> str:
    """The figure for machines, rounded as `view --json` rounds it (exact.exported); "" for none."""

    def shown(value) -> str:
        number = exported(value)
        return "" if number is None else str(number)

    met_text = "" if met is None else str(met).lower()
    return (
        f' data-metric="{esc(figure.metric.key)}" data-value="{shown(figure.value)}"'
        f' data-per-day="{shown(figure.per_day)}" data-target-met="{met_text}"'
    )


# ---- headline ----


def headline(contents: Contents) -> str:
    rows = [headline_row(contents, figure) for figure in contents.summary.figures]
    what = "the department's" if contents.department is not None else "the team's"
    heading = '<section id="headline"><h2>Headline figures</h2>'
    note = (
        f'<p class="note">Each figure is {what} over the whole period; a count\'s target applies to its'
        f" figure per {'team-day' if contents.department is not None else 'day'}.</p>"
    )
    return (
        heading
        + table(["Metric", "Figure", "Per day", "Based on", "Target", "Result"], rows, "", 1)
        + note
        + "</section>"
    )


def headline_row(contents: Contents, figure) -> str:
    metric, summary = figure.metric, contents.summary
    goal, met, result = target_of(contents, metric.key)
    per_day = "" if not metric.is_total else render.per_day_text(figure) if figure.per_day is not None else "n/a"
    target = esc(render.fmt_goal(metric, goal)) if goal is not None else "none"
    result_html = mark_html(met) + (f' <span class="small detail">{esc(result)}</span>' if result else "")
    if goal is None:
        result_html = ""
    return (
        f"<tr{data_attributes(figure, met)}><th scope=row>{esc(metric.label)}</th>"
        f"<td class=num>{esc(render.fmt_value(metric, figure.value))}</td><td class=num>{esc(per_day)}</td>"
        f'<td class="num wrap">{esc(render.basis(figure, summary.days_of(metric.key)))}</td>'
        f'<td class=num>{target}</td><td class="num wrap">{result_html}</td></tr>'
    )


def target_of(contents: Contents, key: str):
    """(goal, met, how) of a metric's target: the team's TargetCheck (met on how many days) or the
    department's check (the figure judged, per team-day for a count); (None, None, "") without one."""
    if contents.report is not None:
        check = contents.report.targets.get(key)
        if check is None:
            return None, None, ""
        metric = contents.report.summary.figure(key).metric
        judged_text = render.fmt_judged(metric, check.value, check.goal)
        return check.goal, check.met, f"{judged_text}; met on {check.days_met} of {plural(check.days_judged, 'day')}"
    check = contents.department.checks.get(key)
    if check is None:
        return None, None, ""
    if check.value is None:
        return check.goal, None, ""
    shown = render.department_amount(check.metric, check.value) if check.metric.is_total else ""
    meeting = sum(1 for met in check.teams_met.values() if met)
    judged_teams = sum(1 for met in check.teams_met.values() if met is not None)
    return check.goal, check.met, f"{shown}{'; ' if shown else ''}{meeting} of {plural(judged_teams, 'team')} meet it"


def pacing(contents: Contents) -> str:
    """<section id="pacing">: what the rest of a running period needs (pacing.py), hidden for a past one."""
    if not contents.pacing:
        return '<section id="pacing" hidden></section>'
    items = "".join(f"<li>{esc(line)}</li>" for line in contents.pacing)
    return f'<section id="pacing"><h2>Pacing</h2><ul class="notes">{items}</ul></section>'


# ---- comparison ----


def comparison_rows(report: Report) -> list[list[str]]:
    """Each metric against the previous period as the view's comparison table words it (ui.render)."""
    rows = []
    for figure in report.summary.figures:
        metric, change = figure.metric, report.changes[figure.metric.key]
        rows.append(
            [
                metric.label + (" per day" if change.basis == PER_DAY else ""),
                render.fmt_compared(metric, change.current, change.basis),
                render.fmt_compared(metric, change.previous, change.basis),
                render.signed(metric, change.delta, change.basis),
                render.percent_change_text(change.percent),
            ]
        )
    return rows


def comparison(contents: Contents) -> str:
    report, previous = contents.compared, contents.period.previous()
    heading = f'<section id="comparison"><h2>Compared with {esc(previous.describe())}</h2>'
    if not report.previous.has_data:
        return heading + '<p class="note">The previous period has no data to compare with.</p></section>'
    rows = [
        f"<tr><th scope=row>{esc(label)}</th>" + "".join(f"<td class=num>{esc(c)}</td>" for c in cells) + "</tr>"
        for label, *cells in comparison_rows(report)
    ]
    footing = f'<p class="note">{esc(render.comparison_footing(report))}</p>'
    return heading + footing + table(["Metric", "This period", "Previous", "Change", "Change %"], rows) + "</section>"


# ---- notes ----


def note_lines(contents: Contents) -> list[str]:
    """What the figures rest on: days with data, missing days, figures on fewer days, small samples."""
    summary = contents.summary
    lines = [
        f"Figures for {summary.days_with_data} of {plural(summary.days_in_range, 'day')}; per-day figures"
        " divide by the days with figures."
    ]
    if summary.missing:
        lines.append(
            f"No figures for {plural(len(summary.missing), 'day')}: {render.describe_dates(summary.missing)}"
            " (not counted as zeros; the charts leave gaps there)."
        )
    lines += render.metric_days_lines(summary)
    for figure in summary.figures:
        if figure.low_confidence:
            lines.append(
                f"Small sample: {figure.metric.label} rests on only {render.fmt_count(figure.denominator)}"
                f" {figure.metric.base_noun} (fewer than {figure.metric.min_sample}): read it with care."
            )
    return [" ".join(render.wrapped(line, 10_000)) for line in lines]


def notes(contents: Contents) -> str:
    items = "".join(f"<li>{esc(line)}</li>" for line in note_lines(contents))
    return f'<section id="notes"><h2>Notes</h2><ul class="notes">{items}</ul></section>'


# ---- department ----


def department_section(contents: Contents) -> str:
    department = contents.department
    metrics = [figure.metric for figure in department.total.figures]
    rows = []
    for row in department.rows:
        if not row.summary.has_data:
            cells = "<td class=num>no data</td>" + "<td></td>" * (len(metrics) - 1)
        else:
            cells = "".join(
                f"<td class=num>{esc(render.figure_cell(f) if department.tracks(row.team, f.metric.key) else '-')}</td>"
                for f in row.summary.figures
            )
        rows.append(f"<tr><th scope=row>{esc(row.team)}</th>{cells}</tr>")
    total = "".join(f"<td class=num>{esc(render.figure_cell(f))}</td>" for f in department.total.figures)
    rows.append(f'<tr class="total"><th scope=row>Department</th>{total}</tr>')
    headers = ["Team", *(render.column_header(m) for m in metrics)]
    parts = [
        '<section id="department"><h2>Department breakdown</h2>',
        table(headers, rows, "Each team's own figures; the department's are ratios of sums across the teams."),
    ]
    parts += [f'<p class="note">{esc(line)}</p>' for line in render.untracked_lines(department)]
    parts.append(f"<h3>Targets (those of team {esc(contents.team)})</h3>")
    for check in department.checks.values():
        parts.append(contribution_block(check))
    parts.append(f'<p class="note">{esc(" ".join(render.DEPARTMENT_NOTES))}</p>')
    return "".join(parts) + "</section>"


def contribution_block(check) -> str:
    """A target against the department, in the view's words, and each team's part of a miss."""
    text, _ = render.department_target_line(check)
    line = f'<p class="keep {"met" if check.met else "missed" if check.met is False else ""}">{esc(text.strip())}</p>'
    if check.met is not False or not check.contributions:
        return line
    metric = check.metric
    rows = [
        f"<tr><th scope=row>{esc(team)}</th><td class=num>{esc(render.department_amount(metric, part))}</td>"
        f"<td class=num>{mark_html(check.teams_met.get(team))}</td></tr>"
        for team, part in check.contributions
    ]
    caption = (
        f"Each team's part of the {metric.label} miss (positive: pulled the department below its target;"
        " the parts add up to the miss)."
    )
    return line + table(["Team", "Part of the miss", "Its own figure"], rows, caption)


# ---- trends ----


def trend_points(lines, key: str) -> list[Fraction | None]:
    """The metric's judged figure on each day of the period's day lines (None: no figure that day)."""
    return [judged(line.figures[key]) if line.record is not None and key in line.figures else None for line in lines]


def period_days(period) -> list[date]:
    return [period.start + timedelta(days=n) for n in range((period.end - period.start).days + 1)]


def trends(contents: Contents) -> str:
    days = period_days(contents.period)
    figures = [f.metric for f in contents.summary.figures]
    reports = {"": contents.report} if contents.report is not None else dict(contents.team_reports or {})
    lines = {name: day_lines(report, BY_DATE) for name, report in reports.items()}  # once per report
    parts = ['<section id="trends"><h2>Trend per day</h2>']
    for metric in figures:
        series = chart_series(contents, metric.key, lines)
        goal, _, _ = target_of(contents, metric.key)
        parts.append(chart_figure(metric, days, series, goal))
    return "".join(parts) + "</section>"


def chart_series(contents: Contents, key: str, lines: dict) -> list[Series]:
    """The chart's lines: the team's metric, or (a department) each team's that tracks it."""
    if contents.report is not None:
        metric = contents.report.summary.figure(key).metric
        return [Series(metric.label, tuple(trend_points(lines[""], key)))]
    series = []
    for team, report in (contents.team_reports or {}).items():
        if any(f.metric.key == key for f in report.summary.figures):
            series.append(Series(team, tuple(trend_points(lines[team], key))))
    return series[:MAX_CHART_TEAMS]


def chart_figure(metric, days: list[date], series: list[Series], goal) -> str:
    what = f"{metric.label} per day" if metric.is_total else f"{metric.label}, each day's own figure"
    description = " ".join(describe_series(metric, days, line, len(series) > 1) for line in series)
    if goal is not None:
        description += f" Target line: {render.fmt_goal(metric, goal)}."
    if not series or all(v is None for line in series for v in line.values):
        return f"<figure><figcaption><strong>{esc(what)}</strong>: no figures to draw.</figcaption></figure>"
    target_label = f"Target {render.fmt_goal(metric, goal)}" if goal is not None else ""
    svg = trend_svg(
        f"trend-{metric.key}", what, days, series, None if goal is None else goal.value, target_label, description
    )
    return f"<figure>{svg}<figcaption><strong>{esc(what)}.</strong> {esc(description)}</figcaption></figure>"


def describe_series(metric, days: list[date], line: Series, named: bool) -> str:
    """The trend in words: first, last, lowest and highest figure (with their days), and days missing."""
    points = [(day, value) for day, value in zip(days, line.values, strict=True) if value is not None]
    who = f"{line.name}: " if named else ""
    if not points:
        return f"{who}no figures."

    def at(point) -> str:
        return f"{render.fmt_value(metric, point[1])} on {point[0].isoformat()}"

    low = min(points, key=lambda p: (p[1], p[0]))
    high = max(points, key=lambda p: (p[1], p[0]))
    missing = len(days) - len(points)
    gaps = f"; {plural(missing, 'day')} without a figure (gaps in the line)" if missing else "; no day missing"
    return f"{who}first {at(points[0])}, last {at(points[-1])}, lowest {at(low)}, highest {at(high)}{gaps}."


# ---- daily ----


def daily(report: Report) -> str:
    metrics = render.report_metrics(report)
    rows = []
    for line in day_lines(report, BY_DATE):
        if line.record is None:
            empty = "<td></td>" * (len(metrics) - 1)
            rows.append(f'<tr class="missing"><th scope=row>{dated(line.day)}</th><td>no figures</td>{empty}</tr>')
            continue
        cells = "".join(f"<td class=num>{day_cell(line, metric)}</td>" for metric in metrics)
        rows.append(f"<tr><th scope=row>{dated(line.day)}</th>{cells}</tr>")
    _, below = render.daily_notes(report, BY_DATE)
    key = " ".join(below)
    headers = ["Date", *(render.column_header(m) for m in metrics)]
    body = table(headers, rows)
    return f'<section id="daily"><h2>Daily figures</h2>{body}<p class="note">{esc(key)}</p></section>'


def day_cell(line, metric) -> str:
    figure = line.figures[metric.key]
    text = esc(render.figure_cell(figure))
    if metric.key in line.marks and figure.has_data:
        return f"{mark_html(line.marks[metric.key], words=False)} {text}"
    return text


# ---- agents ----


def agents_section(view) -> str:
    from ..agent_report import OWN, notes
    from ..ui.agents_screen import agent_cells, cell, header, ranking_line

    metrics = [f.metric for f in view.total.figures]
    rows = []
    for row in view.rows:
        rank = "" if view.scope == OWN else ("-" if row.rank is None else str(row.rank))
        name = row.agent + (" (you)" if row.own else "")
        cells = "".join(f"<td class=num>{esc(c)}</td>" for c in agent_cells(row))
        rows.append(
            f"<tr><td class=num>{rank}</td><th scope=row>{esc(name)}</th>{cells}<td class=num>{row.days}</td></tr>"
        )
    total = "".join(f"<td class=num>{esc(cell(f))}</td>" for f in view.total.figures)
    days = view.total.days_with_data
    rows.append(f'<tr class="total"><td></td><th scope=row>Team total</th>{total}<td class=num>{days}</td></tr>')
    headers = ["#", "Agent", *(header(m) for m in metrics), "Days"]
    heading = "My figures" if view.scope == OWN else "Figures per agent"
    parts = [f'<section id="agents"><h2>{heading}</h2>']
    ranking = ranking_line(view)
    if ranking:
        parts.append(f'<p class="note">{esc(ranking)}</p>')
    parts.append(table(headers, rows, "* a figure on a small sample", 2))
    parts += [f'<p class="note">{esc(note)}</p>' for note in notes(view)]
    return "".join(parts) + "</section>"


# ---- how each figure is computed ----


def method_lines(contents: Contents) -> list[tuple[str, str]]:
    """(label, how) per metric, from its definition's formula."""
    per = "team-days with figures" if contents.department is not None else "days with figures"
    lines = []
    for figure in contents.summary.figures:
        metric = figure.metric
        how = metric.formula or "as entered"
        if metric.is_total:
            how += f" over the period; per day: that sum / the {per}"
        else:
            how += ": a ratio of sums over the period, never an average of daily figures"
        if metric.min_sample:
            how += f"; fewer than {metric.min_sample} {metric.base_noun} is a small sample"
        lines.append((metric.label, how + "."))
    return lines


def method(contents: Contents) -> str:
    items = "".join(f"<dt>{esc(label)}</dt><dd>{esc(how)}</dd>" for label, how in method_lines(contents))
    return (
        '<section id="method"><h2>How each figure is computed</h2>'
        f'<dl class="method">{items}</dl><p class="note">Figures are exact until shown; shown figures are'
        " rounded half up. A day without figures is never counted as a zero.</p></section>"
    )


def footer(contents: Contents) -> str:
    return f"<footer>{esc(contents.title)}. Made on {contents.today.isoformat()} with Statbotic.</footer>"


# ---- the plain-text twin ----


def text(contents: Contents) -> str:
    summary = contents.summary
    lines = [contents.title, "=" * min(len(contents.title), 79), ""]
    lines.append(f"{contents.period.start} to {contents.period.end}; made on {contents.today}{made_by(contents)}.")
    if not summary.has_data:
        return "\n".join([*lines, NoData(contents.period.describe()).message]) + "\n"
    lines += ["", "Headline figures"]
    for figure in summary.figures:
        metric = figure.metric
        goal, met, result = target_of(contents, metric.key)
        per_day = f" ({render.per_day_text(figure)} per day)" if metric.is_total and figure.per_day is not None else ""
        target = ""
        if goal is not None:
            symbol, word, _ = MARK_WORDS[met]
            target = f"; target {render.fmt_goal(metric, goal)} {symbol} {word}" + (f" ({result})" if result else "")
        lines.append(f"  {metric.label}: {render.fmt_value(metric, figure.value)}{per_day}{target}")
    if contents.pacing:
        lines += ["", "Pacing", *(f"  {line}" for line in contents.pacing)]
    report = contents.compared
    lines += ["", f"Compared with {contents.period.previous().describe()}"]
    if not report.previous.has_data:
        lines.append("  The previous period has no data to compare with.")
    else:
        lines.append(f"  {render.comparison_footing(report)}")
        for label, current, previous, change, percent in comparison_rows(report):
            lines.append(f"  {label}: {current} (was {previous}; {change}, {percent})")
    if contents.department is not None:
        lines += ["", "Department targets"]
        lines += [
            f"  {render.department_target_line(check)[0].strip()}" for check in contents.department.checks.values()
        ]
    lines += ["", "Notes", *(f"  - {line}" for line in note_lines(contents))]
    lines += ["", "How each figure is computed", *(f"  {label}: {how}" for label, how in method_lines(contents))]
    return "\n".join(lines) + "\n"
