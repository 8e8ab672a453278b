"""build_document: what a report shows, gathered through services and written as HTML and plain text.

INTERFACE (fixed; other modules call it): build_document(store, team, period, settings, *, user, today,
teams=None, all_teams=False) -> ReportDocument.  The body below is a placeholder until the report lands."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from .. import services
from ..frozen import frozen


@frozen
class ReportDocument:
    """A report made: its title, the whole self-contained page, its plain-text twin, and a file name."""

    title: str
    html: str
    text: str
    file_name: str


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
) -> ReportDocument:
    """The report of ``period`` for ``team`` (or the department: ``teams``, or every team the user may see
    with ``all_teams``), as the user may see it.  ``today`` dates the report and decides pacing."""
    report = services.view_report(store, team, period, settings.targets, user=user)
    title = f"Statbotic report: team {team}, {period.describe()}"
    lines = [title, f"Days with figures: {report.summary.days_with_data} of {report.summary.days_in_range}"]
    text = "\n".join(lines) + "\n"
    head = f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
    page = f"{head}<pre>{html.escape(text)}</pre></html>"
    return ReportDocument(title, page, text, f"statbotic-report-{team}-{period.start}-{period.end}.html")
