"""Figures per agent on screen (issue 13): the table of agents beside the team's total, and the menu
screens behind it -- "Agents" for leads and admins (ranked by a metric chosen by number), "My stats"
for a viewer linked to an agent, and "Add stats for an agent" (the by-agent form).  The figures come
from agent_report and go through services; this module only shows and asks."""

from __future__ import annotations

from .. import access, agent_figures, agent_report, services
from ..agent_report import OWN, AgentRow, AgentsView
from ..errors import NoData
from ..exact import decimal_text
from ..metrics import Direction, RangeMetric
from ..periods import Period, plural
from ..reports import Figure
from .console import Console
from .menus import choose_from
from .prompts import ask, ask_date, ask_yes_no
from .render import NO_VALUE, UNIT_SUFFIX, fmt_plain, show_entry, table, wrapped

AGENT_WIDTH = 16  # the first column (rank and name): with the built-ins' columns the table is 80 wide
SMALL = "*"  # after a figure resting on a small sample (Figure.low_confidence)
YOU = " (you)"  # after the viewer's own agent, kept whole however the name is cut
UNRANKED = "-"  # the rank of a row not ranked (no figure for the metric; unassigned rows)


def agent_label(row: AgentRow, ranked: bool = True) -> str:
    """The first cell: the rank (- when not ranked; none in a viewer's own view, where ``ranked`` is
    False), the name cut to fit (…), and "(you)" after the viewer's own."""
    rank = f"{UNRANKED if row.rank is None else row.rank} " if ranked else ""
    mark = YOU if row.own else ""
    width = AGENT_WIDTH - len(rank) - len(mark)
    name = row.agent if len(row.agent) <= width else row.agent[: width - 1] + "…"
    return rank + name + mark


def cell(figure: Figure) -> str:
    """A figure as a table with a column per metric shows it, without the department table's (n) (the
    table would not fit 80 columns), marked when it rests on a small sample."""
    if not figure.has_data:
        return NO_VALUE
    text = "n/a" if figure.value is None else decimal_text(figure.value, figure.metric.places)
    return text + SMALL if figure.low_confidence else text


def agent_cells(row: AgentRow) -> list[str]:
    if not row.days:
        return ["no data", *[""] * (len(row.summary.figures) - 1)]
    return [cell(figure) for figure in row.summary.figures]


def agents_table(console: Console, view: AgentsView) -> str:
    """A row per agent (rank and name, each figure over the agent's sums, days) and the team's total."""
    rows = [[agent_label(row, view.scope != OWN), *agent_cells(row), str(row.days)] for row in view.rows]
    rows.append(["Team total", *(cell(f) for f in view.total.figures), str(view.total.days_with_data)])
    headers = ["Agent" if view.scope == OWN else "# Agent", *(header(f.metric) for f in view.total.figures), "Days"]
    return table(console, rows, headers)


def header(metric: RangeMetric) -> str:
    return metric.column + UNIT_SUFFIX.get(metric.unit, "")


def heading(view: AgentsView, period: Period) -> str:
    what = "My stats" if view.scope == OWN else "Figures per agent"
    return f"{what} for {period.describe()} (team {view.team})"


def ranking_line(view: AgentsView) -> str | None:
    """How the rows are ordered ("Ranked by Ticket solves, highest first"), None when not ranked."""
    metric = view.ranked_by
    if view.scope == OWN or metric is None:
        return None
    best = "highest" if metric.direction is Direction.AT_LEAST else "lowest"
    return f"Ranked by {metric.label}, {best} first; ties share a rank. {UNRANKED}: not ranked."


def key_lines(view: AgentsView) -> list[str]:
    """What the marks and short headers mean: small samples, (n), columns named short, no data."""
    figures = [f for row in view.rows for f in row.summary.figures] + list(view.total.figures)
    small = sorted({f.metric.key for f in figures if f.low_confidence})
    parts = []
    for key in small:
        metric = view.metrics.range_metric(key)
        parts.append(f"{SMALL} {metric.label} on fewer than {metric.min_sample} {metric.base_noun}: a small sample")
    metrics = [f.metric for f in view.total.figures]
    parts += [f"{m.column}: {m.label}" for m in metrics if m.column.lower() not in m.label.lower()]
    if any(not f.has_data for f in figures):
        parts.append(f"{NO_VALUE}: no data (not a 0)")
    return wrapped(". ".join(parts) + ".") if parts else []


def show_agents(console: Console, view: AgentsView, period: Period) -> None:
    """The heading, then the table and what it rests on; a period without data says so, as View does."""
    console.say(heading(view, period), "heading")
    if not view.has_data:
        console.warn(NoData(period.describe()).message)
        return
    line = ranking_line(view)
    if line:
        for part in wrapped(line):
            console.say(part, "dim")
    console.say(agents_table(console, view))
    console.say(f"Days with data (team): {view.total.days_with_data} of {plural(view.total.days_in_range, 'day')}.")
    for line in key_lines(view):
        console.say(line, "dim")
    for note in agent_report.notes(view):
        for part in wrapped(note):
            console.warn(part)


# The menu screens (ui/app.py offers them as 12: "Agents" to leads and admins, "My stats" to viewers).


def agents(screens) -> None:
    """A period, then every agent ranked by the default metric; then, as often as wanted, another metric
    to rank by (chosen by number), the same figures ranked again (nothing read again)."""
    metrics = screens.team_metrics()
    period = screens.ask_period()
    view = read(screens, period, metrics)
    show_agents(screens.console, view, period)
    while view.has_data and view.rows and ask_yes_no(screens.console, "Rank by another metric?"):
        choices = metrics.range_metrics
        labels = [metric.label for metric in choices]
        metric = choices[choose_from(screens.console, "Rank by", labels, "Choose a metric: ")]
        view = agent_report.rank_by(view, metric)
        show_agents(screens.console, view, period)


def my_stats(screens) -> None:
    """A period, then the viewer's own agent's figures beside the team's (Forbidden, shown by the menu,
    when they are not linked to an agent: checked before the period is asked)."""
    agent_report.scope_of(screens.user, screens.team)
    metrics = screens.team_metrics()
    period = screens.ask_period()
    show_agents(screens.console, read(screens, period, metrics), period)


def read(screens, period: Period, metrics) -> AgentsView:
    return screens.with_retry(
        lambda: agent_report.agents_view(screens.store, screens.team, period, user=screens.user, metrics=metrics)
    )


def add_for_agent(screens) -> None:
    """The "by agent" form (13, leads and admins): an agent's name and a date, then the team's entry fields
    as that agent's figures; the team's figures of the day become the sum of its agents (a day with typed
    team totals asks first).  As many agents and days as wanted; Ctrl-C saves nothing."""
    console = screens.console
    access.require_edit(screens.user, screens.team, "add or change days")
    metrics = screens.team_metrics()
    while True:
        name = ask(console, "Agent's name (as the helpdesk shows it): ", agent_figures.agent_name)
        day = ask_date(console, "Date of the stats", screens.today(), past_only=True)
        existing = screens.get_day(day)
        theirs = existing.agents.get(name) if existing is not None else None
        keep = None
        if theirs is not None:
            console.say(f"{name} has figures for {day.isoformat()} already.")
            keep = {f.key: fmt_plain(f, theirs.get(f.key)) for f in metrics.entry_fields if f.key in theirs}
        entered, _ = screens.stats_form(day, keep, metrics)
        show_entry(console, day, entered, metrics)
        if ask_yes_no(console, f"Save these as {name}'s figures?"):
            save_for_agent(screens, day, name, entered, metrics)
        else:
            console.say(f"Nothing was saved for {name} on {day.isoformat()}.")
        if not ask_yes_no(console, "Enter another agent's stats?"):
            return


def save_for_agent(screens, day, name: str, entered: dict[str, int], metrics) -> None:
    """One atomic save of the agent's figures (services.record_agent_day); a day with typed team totals
    asks whether the agents' sum should now stand."""
    console, user = screens.console, screens.user

    def save(stands):
        return services.record_agent_day(screens.store, screens.team, user, day, name, entered, metrics, stands)

    try:
        record = screens.with_retry(lambda: save(None))
    except agent_figures.TypedTotalsStand as problem:
        console.warn(problem.message)
        if not ask_yes_no(console, "Make the team's figures the sum of its agents?"):
            console.say(f"Kept the typed totals of {day.isoformat()}; nothing was saved for {name}.")
            return
        record = screens.with_retry(lambda: save(agent_figures.AGENTS_STAND))
    agents = plural(len(record.agents), "agent")
    console.ok(f"Saved {name}'s stats for {day.isoformat()}; the team's figures are the sum of {agents}.")
