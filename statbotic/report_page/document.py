"""build_document: what a report shows, gathered through services and written as HTML and plain text.

INTERFACE (fixed; other modules call it): build_document(store, team, period, settings, *, user, today,
teams=None, all_teams=False) -> ReportDocument.

One team's report: its headline figures against its targets, the comparison with the previous period
(worded as the views word it: ui.render), a trend chart per metric, the daily table, its agents when
it has agent figures, the notes and how each figure is computed.  With ``teams`` or ``all_teams`` the
department's: its figures (ratios of sums across the teams), each team's part of a missed target,
and a chart per metric with a line per team.  Reads go through services (and agent_report's view)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .. import services
from ..errors import Forbidden
from ..frozen import frozen
from ..pacing import view_and_paces
from ..reports import Report, compare
from . import sections
from .sections import Contents

NO_FIGURES = "Those dates have no figures: the report says so."  # told to whoever made such a report


@frozen
class ReportDocument:
    """A report made: its title, the whole self-contained page, its plain-text twin, a file name, and
    whether its period has any figures (a report of none says so, and so does whoever made it)."""

    title: str
    html: str
    text: str
    file_name: str
    has_figures: bool = True


def build_document(
    store,
    team: str,
    period,
    settings,
    *,
    user,
    today: date,
    teams: Sequence[str] | None = None,
    all_teams: bool = False,
    public: bool = False,
) -> ReportDocument:
    """The report of ``period`` for ``team`` (or the department: ``teams``, or every team the user may see
    with ``all_teams``), as the user may see it.  ``today`` dates the report and decides pacing.
    ``public``: for whoever holds a share link -- the team's figures without its agents, and without
    the name of the user it was made as.
    Forbidden / InvalidInput as services.view_report and services.department_view raise them."""
    if teams or all_teams:
        contents = department_contents(store, team, period, settings, user, today, teams or None)
    else:
        contents = team_contents(store, team, period, settings, user, today, public)
    page, text = sections.page(contents), sections.text(contents)
    return ReportDocument(contents.title, page, text, file_name(contents), contents.summary.has_data)


def team_contents(store, team: str, period, settings, user, today: date, public: bool = False) -> Contents:
    """One team's contents; a running period's with its pacing (pacing.py: what the rest of the period
    needs to reach each target), read in the view's own reads."""
    from ..ui.pacing_words import pace_text

    metrics = services.team_metrics(store, team)
    report, paces = view_and_paces(store, team, period, settings.targets, user=user, today=today, metrics=metrics)
    return Contents(
        title=f"Team {team}: stats for {period.describe()}",
        team=team,
        period=period,
        username="" if public else user.username,
        today=today,
        report=report,
        agents=None if public else agents_of(store, team, period, user, metrics),
        pacing=tuple(pace_text(pace) for pace in paces),
    )


def agents_of(store, team: str, period, user, metrics):
    """The team's agents view when the period has agent figures and the user may see some (a viewer
    linked to an agent: their own row); None otherwise."""
    from ..agent_report import agents_view

    try:
        view = agents_view(store, team, period, user=user, metrics=metrics)
    except Forbidden:  # a viewer linked to no agent: the report has no agents section for them
        return None
    return view if view.agents else None


def department_contents(store, team: str, period, settings, user, today: date, teams) -> Contents:
    """The department over ``teams`` (None: every team the user may see with data in the period), its
    previous period chosen the same way, each team's own report (the charts' lines) and, while the period
    runs, each team's pacing against its own targets."""
    from ..ui.pacing_words import pace_text

    department = services.department_view(store, team, period, settings.targets, teams, user=user)
    before = services.department_view(store, team, period.previous(), settings.targets, teams, user=user)
    comparison = Report(department.total, before.total, {}, compare(department.total, before.total), ())
    own, pacing = {}, []
    for row in department.rows:
        if row.summary.has_data:
            own[row.team], paces = view_and_paces(store, row.team, period, settings.targets, user=user, today=today)
            pacing += [f"Team {row.team}: {pace_text(pace)}" for pace in paces]
    label = f"{len(department.rows)} teams" if len(department.rows) != 1 else "1 team"
    return Contents(
        title=f"Department ({label}): stats for {period.describe()}",
        team=team,
        period=period,
        username=user.username,
        today=today,
        department=department,
        comparison=comparison,
        team_reports=own,
        pacing=tuple(pacing),
    )


def file_name(contents: Contents) -> str:
    """statbotic-report-TEAM-START-END.html, or statbotic-report-department-START-END.html."""
    scope = "department" if contents.department is not None else contents.team
    return f"statbotic-report-{scope}-{contents.period.start}-{contents.period.end}.html"
