"""The main menu's "Report for a manager": a period (as View asks it), the team or the department (as the
Department view shows it), then one HTML file written into the export folder (report_page), and where
it is: its full path, or in the web page the Downloads list beside the terminal (to download or open)."""

from __future__ import annotations

from ..periods import Period
from .menus import choose_from

SCOPES = ("team", "department")  # the choices, in the order offered


def report_message(path, web_session: bool) -> str:
    """Where the report went: the file's full path, or in the web page the list beside the terminal."""
    if web_session:
        return f"Wrote {path.name}: download it, or open it in a new tab, from Downloads beside the terminal."
    return f"Wrote the report to {path.resolve()}"


def report_for_a_manager(screens) -> None:
    """Ask the period and the scope, write the report, say where."""
    console = screens.console
    period: Period = screens.ask_period()
    labels = [f"Team {screens.team} only", "The department: every team you may see with figures in the period"]
    scope = SCOPES[choose_from(console, "Which report?", labels, "Choose a report: ")]
    path, document = screens.with_retry(lambda: write(screens, period, scope))
    console.ok(report_message(path, screens.settings.web_session))
    if not document.has_figures:
        from ..report_page import NO_FIGURES

        console.warn(NO_FIGURES)


def write(screens, period: Period, scope: str):
    from ..report_page import build_document
    from ..report_page.writing import save

    settings = screens.settings
    document = build_document(
        screens.store,
        screens.team,
        period,
        settings,
        user=screens.user,
        today=screens.today(),
        all_teams=scope == "department",
    )
    return save(document, settings.export_dir), document
