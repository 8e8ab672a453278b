"""`statbotic report` (issue 14): the report a manager reads, as one self-contained HTML file (report_page),
written atomically into the export folder (or to -o FILE) and never over an existing file."""

from __future__ import annotations

from pathlib import Path

from .command_base import bounded, command, period_of, session, team_option, teams_of, today, who_option
from .limits import MAX_PATH


def report(ctx, args) -> int:
    """Write the report of a period as one HTML file a manager can open in any browser, offline, and
    print to PDF (A4 or Letter): the headline figures against their targets, the comparison with the
    previous period, a trend chart per metric, the daily figures, the agents (when there are agent
    figures), the department (--all-teams, --teams) and how each figure is computed.

    Without -o the file goes to STATBOTIC_EXPORT_DIR, named after the team and the dates; an existing
    file is never overwritten.  -o - writes the page to standard output.

    examples:
      statbotic report "last month"
      statbotic report 2026-Q4 --team billing -o q4-billing.html
      statbotic report "last month" --all-teams
      statbotic report 2026-11 --teams billing,support
    """
    chosen = teams_of(args)
    period = period_of(ctx, args.period)
    user, team = session(ctx, args)
    if args.output == "-":  # standard output, as for export: statbotic report 2026-11 -o - | gzip > r.html.gz
        document = build(ctx.store, team, period, ctx.settings, user, chosen)
        ctx.out.write(document.html)
    else:
        path, document = write_report(ctx.store, team, period, ctx.settings, user, chosen, args.output)
        ctx.out.say(f"Wrote the report ({document.title}) to {path.resolve()}")
    if not document.has_figures:
        from .report_page import NO_FIGURES

        ctx.err.say(NO_FIGURES)
    return 0


def write_report(store, team: str, period, settings, user, chosen, output: str | None = None):
    """Build the report (the department's when ``chosen`` is not None: () for every team) and write it
    (report_page.writing.save); (path written, ReportDocument)."""
    from .report_page.writing import save

    document = build(store, team, period, settings, user, chosen)
    return save(document, settings.export_dir, Path(output) if output else None), document


def build(store, team: str, period, settings, user, chosen):
    """The ReportDocument: the department's when ``chosen`` is not None (() for every team)."""
    from .report_page import build_document

    return build_document(
        store,
        team,
        period,
        settings,
        user=user,
        today=today(),
        teams=chosen or None,
        all_teams=chosen is not None and not chosen,
    )


def add_report_command(commands) -> None:
    """Declare `report` among ``commands`` (build_parser's subparsers)."""
    parser = command(commands, "report", report, "write a period's report as one HTML file (for a manager)")
    parser.add_argument("period", help="e.g. 'last month', 2026-11, 2026-W47, 2026-Q4, 2026-11-01..2026-11-15")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=bounded(MAX_PATH), help="the file to write (- for standard output)"
    )
    parser.add_argument("--all-teams", action="store_true", help="the department: every team with data in the period")
    parser.add_argument("--teams", metavar="A,B", help="the department of these teams only (names separated by commas)")
    team_option(parser)
    who_option(parser)
