"""What the app shows: the banner, tables and figures.  Heavy libraries load on first use."""

from __future__ import annotations

from fractions import Fraction

from ..errors import NoData
from ..exact import decimal_text
from ..metrics import (
    BUILTIN,
    PER_DAY_PLACES,
    EntryField,
    Goal,
    Metrics,
    RangeMetric,
    Unit,
)
from ..periods import Period, dated, plural
from ..records import (
    DAY_ADDED,
    DAY_CHANGED,
    DAY_DELETED,
    METRIC_ADDED,
    TARGET_CLEARED,
    TARGET_SET,
    AuditEntry,
    DayRecord,
)
from ..reports import (
    BY_DATE,
    PER_DAY,
    TOTAL,
    WORST_FIRST,
    DayLine,
    Figure,
    Report,
    Summary,
    consecutive_runs,
    date_runs,
    day_lines,
    entry_figures,
)
from ..targets import EffectiveTarget, TargetSource
from .console import Console


def team_label(team, user) -> str:
    """A team in the list to choose from: its display name, its name when different, the user's role."""
    from ..access import role_in

    name = team.display_name if team.display_name == team.name else f"{team.display_name} ({team.name})"
    return f"{name}, {'admin' if user.admin else role_in(user, team.name)}"


def last_login_text(last_login, failed_since: int) -> str | None:
    """After a login: when the one before it was, and how many failed attempts came since (None: nothing
    to say, a first login with no failures)."""
    failures = "no failed attempts" if failed_since == 0 else plural(failed_since, "failed attempt")
    if last_login is None:
        return f"First login; {failures} before it." if failed_since else None
    from datetime import UTC

    return f"Last login: {last_login.astimezone(UTC):%Y-%m-%d %H:%M} UTC; {failures} since."


def fmt_count(value: int) -> str:
    return f"{value:,}"


UNIT_SUFFIX = {Unit.SECONDS: " s", Unit.PERCENT: " %"}


def fmt_value(metric: RangeMetric, value: Fraction | None) -> str:
    """A range figure rounded half up to the metric's decimals, with its unit."""
    if value is None:
        return "n/a"
    return decimal_text(value, metric.places) + UNIT_SUFFIX.get(metric.unit, "")


def fmt_judged(metric: RangeMetric, value: Fraction | None, goal: Goal | None = None) -> str:
    """A figure as a target judges it, or a target's value: a total per day, a ratio as fmt_value shows it.
    With the ``goal`` it is judged against, a figure that would show as the target but isn't it (2.004
    missing <= 2.00) gets the decimals that tell them apart (2.004), so a miss never reads "2.00 > 2.00"."""
    shown = places = PER_DAY_PLACES if metric.is_total else metric.places
    if value is not None and goal is not None and value != goal.value:
        while places < shown + 4 and decimal_text(value, places) == decimal_text(goal.value, places):
            places += 1
    if metric.is_total and value is not None:
        return f"{decimal_text(value, places)} per day"
    if value is None:
        return "n/a"
    return decimal_text(value, places) + UNIT_SUFFIX.get(metric.unit, "")


def fmt_goal(metric: RangeMetric, goal: Goal) -> str:
    """'>= 95.0 %', '<= 45.5 s', '>= 40.0 per day'."""
    return f"{goal.direction.value} {fmt_judged(metric, goal.value)}"


def fmt_entered(field: EntryField, value: int) -> str:
    """An entered figure exactly as stored: counts, and the wait in seconds to the tenth."""
    if field.tenths:
        return f"{decimal_text(Fraction(value, 10), 1)} s"
    return fmt_count(value)


def fmt_plain(field: EntryField, value: int | None) -> str:
    """An entered figure as it could be typed back (1234, 38.5), for a prompt's [current value]."""
    if value is None:
        return ""
    return decimal_text(Fraction(value, 10), 1, grouped=False) if field.tenths else str(value)


NO_VALUE = "–"  # a metric the day has no value for (a day from before it existed): no data, never a 0


def basis(figure: Figure, days: int) -> str:
    """What a figure is built on, so nobody mistakes a small sample for a big one; ``days``: the figure's
    own days with data."""
    metric = figure.metric
    if not figure.has_data:
        return "no data"
    if metric.is_total:
        return f"{fmt_count(figure.numerator)} over {plural(days, 'day')}"
    if metric.unit is Unit.PERCENT:
        return f"{fmt_count(figure.numerator)} {metric.noun} of {fmt_count(figure.denominator)} {metric.base_noun}"
    if metric.unit is Unit.SECONDS:
        return f"weighted by {fmt_count(figure.denominator)} {metric.base_noun}"
    return f"{fmt_count(figure.numerator)} / {fmt_count(figure.denominator)}"


def table(console: Console, rows: list[list[str]], headers: list[str]) -> str:
    import tabulate  # only when a table is drawn: start-up speed

    # No extra padding beyond the border's own spaces: every table fits an 80-column terminal.
    tabulate.MIN_PADDING = 0
    style = "rounded_outline" if _unicode_ok(console) else "grid"
    return tabulate.tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True)


def _unicode_ok(console: Console) -> bool:
    import sys

    return (getattr(getattr(console, "stdout", None), "encoding", None) or sys.stdout.encoding or "").lower() in (
        "utf-8",
        "utf8",
    )


def summary_table(console: Console, summary: Summary) -> str:
    rows = [
        [
            f.metric.label,
            fmt_value(f.metric, f.value),
            "n/a" if f.metric.is_total and f.per_day is None else per_day_text(f) if f.metric.is_total else "",
            basis(f, summary.days_of(f.metric.key)),
        ]
        for f in summary.figures
    ]
    return table(console, rows, ["Metric", "Range", "Per day", "Based on"])


def per_day_text(figure: Figure) -> str:
    return decimal_text(figure.per_day, PER_DAY_PLACES)


def describe_dates(dates, limit: int = 12) -> str:
    runs = [a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}" for a, b in date_runs(dates)]
    shown = ", ".join(runs[:limit])
    return shown + (f" and {len(runs) - limit} more runs" if len(runs) > limit else "")


def entered_rows(entered, metrics: Metrics) -> list[list[str]]:
    """A row per entry field of the team's metrics: source, label, the value entered (– when none)."""
    return [
        [f.source, f.label, fmt_entered(f, entered[f.key]) if entered.get(f.key) is not None else NO_VALUE]
        for f in metrics.entry_fields
    ]


def day_table(console: Console, record: DayRecord, metrics: Metrics = BUILTIN) -> str:
    return table(console, entered_rows(record.entered, metrics), ["Source", "Figure", "Entered"])


def show_entry(console: Console, day, entered: dict[str, int], metrics: Metrics = BUILTIN) -> None:
    """What the form is about to save: the figures, and the day's own CSAT, wait and ratio from them."""
    console.say(f"To save for {day.isoformat()}", "heading")
    console.say(table(console, entered_rows(entered, metrics), ["Source", "Figure", "Entered"]))
    _say_day_summary(console, entered, metrics)


def day_summary(entered: dict[str, int], metrics: Metrics = BUILTIN) -> str | None:
    """One line of the day's own ratio figures (the ones its targets are judged by), of the metrics the
    day has a value for; None when it has none."""
    figures = entry_figures(entered, metrics)
    parts = [
        f"{m.label} {fmt_value(m, figures[m.key].value)}"
        for m in metrics.range_metrics
        if m.denominator and figures[m.key].has_data
    ]
    return "That day: " + ", ".join(parts) + "." if parts else None


def _say_day_summary(console: Console, entered, metrics: Metrics) -> None:
    text = day_summary(entered, metrics)
    for line in wrapped(text) if text else ():  # an 80-column terminal, however many metrics
        console.say(line, "dim")


def show_day(console: Console, record: DayRecord, metrics: Metrics = BUILTIN) -> None:
    console.say(f"Figures for {record.day.isoformat()}", "heading")
    console.say(day_table(console, record, metrics))
    _say_day_summary(console, record.entered, metrics)
    console.say(f"Last changed by {record.updated_by} at {fmt_minute(record.updated_at)}.", "dim")


def signed(metric: RangeMetric, value: Fraction | None, basis: str = TOTAL) -> str:
    """A change; a change of a percentage is in percentage points (pp), not per cent."""
    if value is None:
        return "n/a"
    sign = "+" if value > 0 else ""
    if metric.unit is Unit.PERCENT:
        return f"{sign}{decimal_text(value, metric.places)} pp"
    return sign + fmt_compared(metric, value, basis)


def fmt_compared(metric: RangeMetric, value: Fraction | None, basis: str) -> str:
    """A compared figure: a per-day figure to PER_DAY_PLACES, anything else as fmt_value shows it."""
    if basis == PER_DAY and value is not None:
        return decimal_text(value, PER_DAY_PLACES)
    return fmt_value(metric, value)


def show_targets(console: Console, report: Report) -> None:
    for key, check in report.targets.items():
        metric = report.summary.figure(key).metric
        goal = fmt_goal(metric, check.goal)
        if check.met is None:
            console.say(f"  -  {metric.label}: no figure to compare with the target {goal}", "dim")
            continue
        mark, word, style = ("✓", "met", "ok") if check.met else ("✗", "missed", "error")
        console.say(
            f"  {mark}  {metric.label} {fmt_judged(metric, check.value, check.goal)}: target {goal} "
            f"{word}; met on {check.days_met} of {plural(check.days_judged, 'day')}",
            style,
        )


TARGETS_NOTE = (  # lines that fit an 80-column terminal
    "Targets for counts are per day (e.g. chats >= 40 per day); the others apply\n"
    "to the range's figure. A target set in the app overrides the environment\n"
    "default; clearing it brings the default back."
)


def target_text(target: EffectiveTarget) -> str:
    """The target as shown in lists: '>= 95.0 %', 'off' (turned off in the app) or 'none'."""
    if target.goal is not None:
        return fmt_goal(target.metric, target.goal)
    return "off" if target.source is TargetSource.APP else "none"


DEFAULT_ORIGINS = {TargetSource.ENVIRONMENT: "environment default", TargetSource.DEFINITION: "metric's default"}


def target_origin(target: EffectiveTarget) -> str:
    """Where a target comes from: 'app (dana, 2026-11-26)', 'environment default', "metric's default"
    (an admin's metric's definition) or ''."""
    if target.stored is not None:
        return f"app ({target.stored.set_by}, {target.stored.set_at.date().isoformat()})"
    return DEFAULT_ORIGINS.get(target.source, "")


def targets_table(console: Console, effective: tuple[EffectiveTarget, ...], by_name: bool = False) -> str:
    """Each metric's target and where it comes from; ``by_name``: metrics by the names commands take."""
    rows = [[t.metric.alias if by_name else t.metric.label, target_text(t), target_origin(t)] for t in effective]
    return table(console, rows, ["Metric", "Target", "From"])


def target_set_message(metric: RangeMetric, goal: Goal | None) -> str:
    if goal is None:
        return f"{metric.label} target turned off."
    return f"{metric.label} target set to {fmt_goal(metric, goal)}."


def target_cleared_message(cleared: bool, now: EffectiveTarget) -> str:
    shown = target_text(now)
    after = f"{shown} ({DEFAULT_ORIGINS[now.source]})" if now.source in DEFAULT_ORIGINS else shown
    if not cleared:
        return f"No {now.metric.label} target was set in the app: it stays {after}."
    return f"Cleared the app's {now.metric.label} target: now {after}."


def percent_change_text(percent: Fraction | None) -> str:
    if percent is None:
        return "n/a"
    return f"{'+' if percent >= 0 else ''}{decimal_text(percent, 1)} %"


def comparison_table(console: Console, report: Report) -> str:
    rows = []
    for figure in report.summary.figures:
        metric, change = figure.metric, report.changes[figure.metric.key]
        rows.append(
            [
                metric.label + (" per day" if change.basis == PER_DAY else ""),
                fmt_compared(metric, change.current, change.basis),
                fmt_compared(metric, change.previous, change.basis),
                signed(metric, change.delta, change.basis),
                percent_change_text(change.percent),
            ]
        )
    return table(console, rows, ["Metric", "Current", "Previous", "Change", "Change %"])


def comparison_footing(report: Report) -> str:
    """How the two periods compare: on the days with data of each (the heading names the period).  A count
    compares per day when its own days with data differ between the periods (a metric added during one
    of them), as a total when they match: when the counts differ in this, the line says so."""
    days = f"{report.summary.days_with_data} vs {report.previous.days_with_data} days with data"
    counted = {
        change.basis
        for key, change in report.changes.items()
        if report.summary.figure(key).metric.is_total and report.summary.days_of(key) and report.previous.days_of(key)
    }
    if counted == {PER_DAY, TOTAL}:
        return (
            f"{days}; counts compare per day where their own days with data differ (labelled), else as"
            " totals; rates as they are."
        )
    if counted == {PER_DAY} or (not counted and report.counts_compare_per_day):
        return f"{days}, so counts compare per day; rates as they are."
    return f"{days}, so counts compare as totals; rates as they are."


def show_comparison(console: Console, report: Report, previous: Period) -> None:
    console.say(f"Compared with {previous.describe()}", "heading")
    if not report.previous.has_data:
        console.warn("The previous period has no data to compare with.")
        return
    for line in wrapped(comparison_footing(report)):
        console.say(line)
    console.say(comparison_table(console, report))


def show_report(console: Console, report: Report, period: Period, team: str) -> None:
    summary = report.summary
    console.say(f"Stats for {period.describe()} (team {team})", "heading")
    if not summary.has_data:
        console.warn(NoData(period.describe()).message)
        return
    console.say(summary_table(console, summary))
    console.say(
        f"Days with data: {summary.days_with_data} of {summary.days_in_range}."
        " Per-day figures divide by the days with data."
    )
    for line in metric_days_lines(summary):
        console.say(line)
    if summary.missing:
        console.warn(f"Missing dates (not counted as zeros): {describe_dates(summary.missing)}")
    for figure in summary.figures:
        if figure.low_confidence:
            console.warn(
                f"Low confidence: {figure.metric.label} rests on only {fmt_count(figure.denominator)} "
                f"{figure.metric.base_noun} (fewer than {figure.metric.min_sample})."
            )
    if report.targets:
        console.say("Targets", "heading")
        show_targets(console, report)
    show_comparison(console, report, period.previous())


def metric_days_lines(summary: Summary) -> list[str]:
    """A line per figure with data on fewer days than the range ("CSAT: 20 of 31 days"): a metric added
    later has no data before (never zeros), and its per-day figure divides by its own days."""
    lines = []
    for figure in summary.figures:
        days = summary.days_of(figure.metric.key)
        if days < summary.days_with_data:
            lines += wrapped(f"{figure.metric.label}: {days} of {plural(summary.days_with_data, 'day')} with data.")
    return lines


MARKS = {True: "✓", False: "✗", None: "-"}  # a day's figure against a target: met, missed, no figure


def daily_table(console: Console, report: Report, order: str = BY_DATE) -> str:
    """One row per day of the range: its weekday and date, each metric's own figure that day (the counts
    as entered; CSAT with its number of ratings), marked ✓/✗ against its target; missing days as such."""
    metrics = report_metrics(report)
    rows = []
    for line in day_lines(report, order):
        if line.record is None:
            rows.append([dated(line.day), "missing", *[""] * (len(metrics) - 1)])
        else:
            rows.append([dated(line.day), *(day_cell(line, metric) for metric in metrics)])
    # Short headers, units in the header: one row fits an 80-column terminal.
    return table(console, rows, ["Date", *(column_header(metric) for metric in metrics)])


def report_metrics(report: Report) -> list[RangeMetric]:
    """The report's range metrics (the team's), in their order."""
    return [figure.metric for figure in report.summary.figures]


def column_header(metric: RangeMetric) -> str:
    return metric.column + UNIT_SUFFIX.get(metric.unit, "") + (" (n)" if metric.min_sample else "")


def day_cell(line: DayLine, metric: RangeMetric) -> str:
    figure = line.figures[metric.key]
    text = figure_cell(figure)
    return f"{MARKS[line.marks[metric.key]]} {text}" if metric.key in line.marks and figure.has_data else text


def daily_notes(report: Report, order: str) -> tuple[list[str], list[str]]:
    """The lines above the daily table (how it is ordered) and below it (the targets and abbreviations)."""
    above, below = [], []
    if order == WORST_FIRST:
        above = (
            [
                "Worst days first: by the sum of each target's miss as a share of the target.",
                "Days meeting every target follow, by date; days without data come last.",
            ]
            if report.targets
            else ["No targets to rank the days by: they are in date order."]
        )
    if report.targets:
        of = {metric.key: metric for metric in report_metrics(report)}
        goals = ", ".join(f"{of[key].label} {fmt_goal(of[key], goal)}" for key, goal in report.goals.items())
        below += [*wrapped(f"Targets: {goals}."), "✓ met, ✗ missed by the day's own figure; - no figure that day."]
    metrics = report_metrics(report)
    short = [f"{m.column}: {m.label}" for m in metrics if m.column.lower() not in m.label.lower()]
    sampled = [m for m in metrics if m.min_sample]
    by_column = ", ".join(f"{m.sample} ({m.column})" for m in sampled)
    samples = [f"(n): {sampled[0].sample if len(sampled) == 1 else by_column}"] if sampled else []
    if any(not figure.has_data for _, figures in report.daily for figure in figures.values()):
        short.append(f"{NO_VALUE}: no data that day (not a 0)")
    if short or samples:
        below += wrapped(". ".join(short + samples) + ".")
    return above, below


def wrapped(text: str, width: int = 79) -> list[str]:
    """A long note as lines that fit an 80-column terminal (tables are made to fit it too)."""
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False)


def show_daily(console: Console, report: Report, order: str = BY_DATE) -> None:
    above, below = daily_notes(report, order)
    for line in above:
        console.say(line, "dim")
    console.say(daily_table(console, report, order))
    for line in below:
        console.say(line, "dim")


def trend_chart(console: Console, report: Report, metric: RangeMetric, width: int) -> str:
    """The chosen metric, day by day, drawn by plotext: one line per run of consecutive days with a
    figure, so a day without one breaks the line; the metric's target in the report as a red line."""
    import plotext as plt  # only when a chart is drawn

    points = [
        (record.day, float(figures[metric.key].value))
        for record, figures in report.daily
        if figures[metric.key].value is not None
    ]
    plt.clear_figure()
    plt.date_form("Y-m-d")
    plt.plotsize(max(40, min(width, 120)), 20)
    plt.theme("clear")
    plt.title(f"{metric.label} per day")
    for index, run in enumerate(
        consecutive_runs(points, day_of=lambda point: point[0])
    ):  # no line is drawn across days without data
        days = [day.isoformat() for day, _ in run]
        values = [value for _, value in run]
        label = metric.label if index == 0 else None
        if len(run) == 1:
            plt.scatter(days, values, marker="dot", color="blue", label=label)
        else:
            plt.plot(days, values, marker="dot", color="blue", label=label)
    goal = report.goals.get(metric.key)
    if goal is not None:
        plt.hline(float(goal.value), color="red")
    chart = plt.build()
    return chart if console.color else plt.uncolorize(chart)


def trend_footer(report: Report, metric: RangeMetric) -> list[str]:
    """What the chart leaves out (days without data, days without this metric's figure) and its target."""
    missing = len(report.summary.missing)
    lines = [f"{not_drawn(missing, 'without data')}: the line breaks there." if missing else "No day is missing."]
    unfigured = sum(figures[metric.key].value is None for _, figures in report.daily)
    if unfigured:
        lines.append(f"{not_drawn(unfigured, f'with data but no {metric.label} figure')} either.")
    goal = report.goals.get(metric.key)
    if goal is not None:
        lines.append(f"Target line: {fmt_goal(metric, goal)}.")
    return lines


def not_drawn(count: int, which: str) -> str:
    return f"{plural(count, 'day')} {which} {'is' if count == 1 else 'are'} not drawn"


TEAM_WIDTH = 14  # a team's name in the department table, cut to fit an 80-column terminal


def figure_cell(figure: Figure) -> str:
    """A figure in a table with a column per metric: the value, and for CSAT its number of ratings;
    – without data for the metric (a day from before it existed)."""
    metric = figure.metric
    if not figure.has_data:
        return NO_VALUE
    text = "n/a" if figure.value is None else decimal_text(figure.value, metric.places)
    return text + (f" ({fmt_count(figure.denominator)})" if metric.min_sample else "")


def short_team(team: str) -> str:
    return team if len(team) <= TEAM_WIDTH else team[: TEAM_WIDTH - 1] + "…"


NOT_TRACKED = "-"  # a department table's cell for a metric the team doesn't track


def department_table(console: Console, department) -> str:
    """A row per team (its own figures: totals over the range, ratios of its sums; "-" for a metric it
    doesn't track) and the department's (each metric over the teams that track it)."""
    metrics = department.total.figures
    rows = []
    for row in department.rows:
        if row.summary.has_data:
            tracked = [department.tracks(row.team, f.metric.key) for f in row.summary.figures]
            cells = [figure_cell(f) if on else NOT_TRACKED for f, on in zip(row.summary.figures, tracked, strict=True)]
            rows.append([short_team(row.team), *cells])
        else:
            rows.append([short_team(row.team), "no data", *[""] * (len(metrics) - 1)])
    rows.append(["Department", *(figure_cell(f) for f in department.total.figures)])
    return table(console, rows, ["Team", *(column_header(f.metric) for f in metrics)])


def shares_table(console: Console, department) -> str:
    """Each team's share of the department's sums of each count, in % (of the teams that track it)."""
    keys = department.metrics.count_keys
    rows = [[short_team(row.team), *(_share(row.shares.get(key)) for key in keys)] for row in department.rows]
    columns = [f"{department.metrics.entry_field(key).column} %" for key in keys]
    return table(console, rows, ["Team", *columns])


def _share(share: Fraction | None) -> str:
    return "n/a" if share is None else decimal_text(100 * share, 1)


def untracked_lines(department) -> list[str]:
    """A line per metric some teams don't track: "Calls answered: not tracked by billing"."""
    return [
        f"{department.metrics.range_metric(key).label}: not tracked by {', '.join(teams)}"
        for key, teams in department.untracked.items()
    ]


def department_amount(metric: RangeMetric, value: Fraction) -> str:
    """A department figure as a target judges it (a total per team-day), or a gap or a team's part of one."""
    if metric.unit is Unit.PERCENT:
        return f"{decimal_text(value, metric.places)} pp"
    if metric.is_total:
        return f"{decimal_text(value, PER_DAY_PLACES)} per team-day"
    return fmt_value(metric, value)


def department_target_line(check) -> tuple[str, str]:
    """(text, style) of one target against the department: met, or missed by how much and who moved it most."""
    metric, goal = check.metric, fmt_goal(check.metric, check.goal)
    if check.value is None:
        return f"  -  {metric.label}: no figure to compare with the target {goal}", "dim"
    shown = fmt_value(metric, check.value) if not metric.is_total else department_amount(metric, check.value)
    meeting = sum(1 for met in check.teams_met.values() if met)
    judged_teams = sum(1 for met in check.teams_met.values() if met is not None)
    teams = f"{meeting} of {plural(judged_teams, 'team')} meet it"
    if check.met:
        return f"  ✓  {metric.label} {shown}: target {goal} met; {teams}", "ok"
    text = f"  ✗  {metric.label} {shown}: target {goal} missed by {department_amount(metric, check.gap)}"
    if check.mover is not None:
        team, part = check.mover
        text += f"; {team} contributes {_gap_text(metric, part)} of it"
    return f"{text}; {teams}", "error"


def _gap_text(metric: RangeMetric, value: Fraction) -> str:
    return department_amount(metric, value).replace(" per team-day", "")


DEPARTMENT_NOTES = (
    "Department figures are ratios of sums across the teams, never averages of the",
    "teams' figures. A count's target is judged per team-day (the sum over the teams'",
    "days with data added up). A team's part of a miss is its own distance from the",
    "target weighted by its share of the figure's denominator; the parts add up to",
    "the miss exactly.",
)


def show_department(console: Console, department, period: Period, team: str) -> None:
    teams = len(department.rows)
    console.say(f"Department view for {period.describe()} ({plural(teams, 'team')})", "heading")
    if not department.has_data:
        console.warn(NoData(period.describe()).message)
        return
    console.say(department_table(console, department))
    for line in untracked_lines(department):
        for part in wrapped(line):
            console.say(part, "dim")
    total = department.total
    console.say(
        f"Days with data (any team): {total.days_with_data} of {total.days_in_range};"
        f" team-days with data: {fmt_count(department.team_days)}."
    )
    console.say("Share of the department's sums (%)", "heading")
    console.say(shares_table(console, department))
    if department.checks:
        console.say(f"Targets (those of team {short_team(team)})", "heading")
        for check in department.checks.values():
            text, style = department_target_line(check)
            for number, line in enumerate(wrapped(text)):
                console.say(line if number == 0 else f"     {line}", style)
    for line in DEPARTMENT_NOTES:
        console.say(line, "dim")


# The audit log and the history of a day.
NOT_RECORDED = "(not recorded)"  # a change's values before, when the log began after them (README "Audit")


def fmt_when(moment) -> str:
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')} UTC"


def fmt_minute(moment) -> str:
    """A time to the minute, for expiries and last logins: "2026-12-05 21:45 UTC"."""
    return f"{moment.strftime('%Y-%m-%d %H:%M')} UTC"


def changes_text(entry: AuditEntry, metrics: Metrics = BUILTIN) -> str:
    """What an entry changed: every figure of a day added, only the figures that changed of a day changed
    ('Chats 110 → 111'); a day deleted's figures; a target's before → after; what changed of a user, a team,
    an invite or the registration (_values_text); nothing for a token issued or a password reset.  A day's
    figures are named by ``metrics`` (the store's, retired ones too: services.store_metrics); a figure of
    a metric it doesn't know, by its key."""
    if entry.action in (DAY_ADDED, DAY_CHANGED):
        before, after = entry.before, entry.after or {}
        if before is None and entry.action == DAY_ADDED:
            return ", ".join(_figure_texts(after, metrics))
        if before is None:
            return f"{NOT_RECORDED} → " + ", ".join(_figure_texts(after, metrics))
        parts = [
            f"{label} {_entered_text(field, before.get(key))} → {_entered_text(field, after.get(key))}"
            for key, label, field in _figure_names(metrics, {*before, *after})
            if before.get(key) != after.get(key)
        ]
        return ", ".join(parts) or "the same figures saved again"
    if entry.action == DAY_DELETED:
        return ", ".join(_figure_texts(entry.before or {}, metrics)) + " → deleted"
    if entry.action in (TARGET_SET, TARGET_CLEARED):
        return f"{_target_value(entry.before)} → {_target_value(entry.after)}"
    if entry.action == METRIC_ADDED and entry.after is not None:  # what it is, not every empty field
        return _values_text(entry.after, [key for key in METRIC_ADDED_SHOWS if entry.after.get(key)])
    if entry.after is None and entry.before is None:
        return ""
    if entry.before is None or entry.after is None:
        return _values_text(entry.after) if entry.before is None else f"{_values_text(entry.before)} → none"
    keys = _in_order(set(entry.before) | set(entry.after))
    changed = [key for key in keys if entry.before.get(key) != entry.after.get(key)] or keys
    return f"{_values_text(entry.before, changed)} → {_values_text(entry.after, changed)}"


def _figure_names(metrics: Metrics, keys) -> list[tuple[str, str, EntryField | None]]:
    """A day's entry keys in the metrics' order, each with its label and field; unknown keys last, by key."""
    known = [(f.key, f.label, f) for f in metrics.entry_fields if f.key in keys]
    fields = {f.key for f in metrics.entry_fields}
    return known + [(key, key, None) for key in sorted(keys) if key not in fields]


def _figure_texts(values, metrics: Metrics) -> list[str]:
    return [f"{label} {_entered_text(field, values[key])}" for key, label, field in _figure_names(metrics, values)]


def _entered_text(field: EntryField | None, value) -> str:
    """A figure of a day as the history shows it: as entered, or none (no value that version)."""
    if value is None:
        return "none"
    return fmt_entered(field, value) if field is not None else str(value)


# What a metric added shows of its definition (a metric changed shows what changed).
METRIC_ADDED_SHOWS = ("label", "kind", "bases", "teams", "version")

# The order people entries' values are shown in, whatever order a store gives them back in.
VALUE_ORDER = (
    "admin",
    "teams",
    "disabled",
    "agent",
    "mode",
    "domains",
    "display_name",
    "team",
    "role",
    "expires_at",
    "used_by",
)


def _in_order(keys) -> list[str]:
    return sorted(keys, key=lambda key: (VALUE_ORDER.index(key) if key in VALUE_ORDER else len(VALUE_ORDER), key))


def _values_text(values, keys=None) -> str:
    """The values of a people entry (user, team, registration, invite), plainly: 'admin yes, teams support
    lead', in VALUE_ORDER (the same from every store), or only ``keys``."""
    if values is None:
        return "none"
    return ", ".join(f"{key} {_value_text(values.get(key))}" for key in (keys or _in_order(values)))


def _value_text(value) -> str:
    if value is None:  # e.g. no agent before a user was linked to one
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{key} {item}" for key, item in value.items()) or "none"
    if isinstance(value, list):
        return " ".join(map(str, value)) or "none"
    return str(value)


def _target_value(values) -> str:
    if values is None:
        return "not set in the app"
    return "turned off" if values["value"] is None else f"{values['direction']} {values['value']}"


def history_lines(entries: list[AuditEntry], metrics: Metrics = BUILTIN) -> list[str]:
    """Each version of a day: when, who, added or changed, and what changed (figures named by ``metrics``,
    the store's: services.store_metrics); lines fit 80 columns."""
    lines = []
    for entry in entries:
        lines += wrapped(f"{fmt_when(entry.at)}  {entry.actor}  {entry.action}: {changes_text(entry, metrics)}")
    return lines


def audit_lines(entries: list[AuditEntry], metrics: Metrics = BUILTIN) -> list[str]:
    """The audit log, one entry a paragraph: when, who, what, which, and before → after (a day's figures
    named by ``metrics``, the store's: services.store_metrics)."""
    lines = []
    for entry in entries:
        changes = changes_text(entry, metrics)
        head = f"{fmt_when(entry.at)}  {entry.actor}  {entry.action}: {_which(entry)}"
        lines += wrapped(head + (f": {changes}" if changes else ""))
    return lines


def _which(entry: AuditEntry) -> str:
    """'team default 2026-11-03', 'team billing' (a team's own entry), 'bob' (a user's)."""
    if not entry.team:
        return entry.subject
    return f"team {entry.team}" + ("" if entry.subject == entry.team else f" {entry.subject}")


# Administration: users, teams, registration, invites and reset codes.
NAME_WIDTH, TEAMS_WIDTH = 16, 20  # the users table's widest cells: with the rest it fits 80 columns


def _lines_of(text: str, width: int) -> str:
    """A cell's text cut into lines of at most ``width`` characters (names have no spaces to wrap at)."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) or ""


def user_status(row) -> str:
    """active, disabled (no login, no token) or locked (too many failed logins: Unlock a name clears it)."""
    return "disabled" if row.user.disabled else "locked" if row.locked else "active"


def users_table(console: Console, rows) -> str:
    """people.UserRow rows: name (and the agent they are linked to, below it), admin, each team with the
    role there, last login (UTC), status."""
    from datetime import UTC

    body = [
        [
            "\n".join([_lines_of(row.user.username, NAME_WIDTH), *_agent_lines(row.user.agent)]),
            "yes" if row.user.admin else "",
            "\n".join(_lines_of(f"{team}: {role}", TEAMS_WIDTH) for team, role in sorted(row.user.teams.items()))
            or "none",
            f"{row.last_login.astimezone(UTC):%Y-%m-%d %H:%M}" if row.last_login else "never",
            user_status(row),
        ]
        for row in rows
    ]
    return table(console, body, ["Name", "Admin", "Teams and roles", "Last login UTC", "Status"])


def _agent_lines(agent: str | None) -> list[str]:
    """'agent: Ana Lima', in lines that fit the name's column (none when the user is linked to no agent)."""
    return wrapped(f"agent: {agent}", NAME_WIDTH) if agent else []


def linked_text(user) -> str:
    """What a link (or unlink) to an agent did, as the menus and `users edit` say it."""
    if user.agent is None:
        return f"{user.username} is linked to no agent."
    return f"{user.username} is linked to agent {user.agent}: {user.agent}'s figures are {user.username}'s own."


def team_choice(team) -> str:
    """A team in a numbered list: its name, and its display name when different."""
    return team.name if team.display_name == team.name else f"{team.name} ({team.display_name})"


def registration_text(setting) -> str:
    domains = ", ".join(setting.domains) if setting.domains else "any (no e-mail address is asked)"
    return f"Registration: {setting.mode}. E-mail domains: {domains}."


REGISTRATION_MODE_LABELS = {
    "open": "open: anyone may register (in no team until an admin adds them)",
    "invite": "invite: registering needs an invite code from an admin or a lead",
    "closed": "closed: only admins add users",
}


def invite_lines(code: str, invite) -> list[str]:
    """What to tell the person invited: the code (shown only this once), for what, until when, and how."""
    until = fmt_when(invite.expires_at)
    return [
        f"Invite code: {code}",
        *wrapped(f"For one registration as a {invite.role} of team {invite.team}, until {until}."),
        "It is shown only this once: the person chooses 2 Register at the login menu",
        "and types it there.",
    ]


def reset_code_lines(username: str, code: str, hours: int) -> list[str]:
    """What to tell the user: the code (shown only this once), how long it lasts, and what to do with it."""
    return [
        f"Reset code for {username}: {code}",
        f"It is shown only this once and lasts {plural(hours, 'hour')}; it replaces any earlier one.",
        *wrapped(f"{username} chooses 3 Set a new password with a reset code at the login menu."),
    ]
