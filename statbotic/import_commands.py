"""`statbotic import` (issue 13): days from files (a helpdesk's export, or Statbotic's own CSV).

The command logs in (command_base), plans the import (import_service.plan_import: every cell checked,
each day compared with the store's; a progress bar on stderr while the files are read, ui/progress),
prints the preview (ui/import_view, shared with the menus' form), settles the conflicts (--on-conflict)
and writes (import_service.apply_import).  --explain shows what the mapping makes of the first rows
(importing/explain) instead.  It writes only through its consoles.
"""

from __future__ import annotations

from pathlib import Path

from . import import_service, services
from .command_base import bounded, command, print_json, session, team_option, who_option
from .errors import StatboticError, UsageError
from .importing.mapping import PRESETS, load_mapping, preset
from .limits import MAX_PATH
from .periods import plural

ASK, SKIP, REPLACE = "ask", "skip", "replace"


def import_days(ctx, args) -> int:
    """Import days' figures from files: a helpdesk's report or export, or Statbotic's own daily CSV.

    A preset (--preset) or a TOML mapping (--mapping) says which column is the date and which hold
    which figures; several files are read in order (saved pages of one export).  The preview lists
    the days found, how many rows each came from, and the days whose figures differ from the store's
    (typed and imported side by side).  Days already saved with the same figures are unchanged and
    never rewritten; figures the file doesn't carry are kept.  Any bad cell or unknown agent refuses the
    whole import (file, line and column), and nothing is written, unless --skip-bad-rows accepts the
    rows that are fine.  Leads and admins.

    --on-conflict: skip (keep the store's figures), replace (the file's), or ask (the default: one
    question in a terminal; without one, choose skip or replace).

    examples:
      statbotic import explore.csv --preset zendesk-explore-daily --dry-run
      statbotic import explore.csv --preset zendesk-explore-daily --on-conflict skip
      statbotic import november.csv --preset statbotic-daily --team billing
      statbotic import page1.json page2.json --preset intercom-conversations --timezone Europe/Paris
      statbotic import report.csv --mapping my-report.toml --json
      statbotic import --explain page1.json --preset intercom-conversations --timezone Europe/Paris

    --explain shows what the mapping makes of the first 5 rows: each figure's column, how rows make
    it and the row's value (or the problem of a bad cell), the day (local, for items), the agent,
    the filters kept or dropped, and the columns ignored.  It writes nothing.  On a terminal, a
    long import shows a progress bar on stderr (bytes read, rows/s, ETA); never in a pipe or --json.
    """
    if args.preset and args.mapping:
        raise UsageError("choose --preset or --mapping, not both.")
    if not args.preset and not args.mapping:
        raise UsageError(f"say how to read the files: --preset NAME ({', '.join(PRESETS)}) or --mapping FILE.toml.")
    user, team = session(ctx, args)
    mapping = preset(args.preset) if args.preset else load_mapping(Path(args.mapping))
    if args.timezone:
        mapping = mapping.with_timezone(args.timezone)
    metrics = services.team_metrics(ctx.store, team)
    paths = [Path(name) for name in args.files]
    if args.explain:
        return explain(ctx, args, paths, mapping, metrics)
    from .ui import import_view, progress

    with progress.watched(ctx.err, show=not args.json) as reading:
        plan = import_service.plan_import(
            ctx.store, team, user, paths, mapping, metrics, skip_bad=args.skip_bad_rows, reading=reading
        )
    if plan.problems:
        ctx.err.say(left_out(plan))
    conflicts = plan.of(import_service.CONFLICT)
    if not args.json:
        import_view.show_preview(ctx.out, plan, metrics)
    if args.dry_run:
        if args.json:
            return print_json(ctx, plan_document(plan, None, dry_run=True))
        ctx.out.say("Dry run: nothing was written.")
        return 0
    replace = settle(ctx, args, conflicts)
    result = import_service.apply_import(ctx.store, user, plan, replace, metrics)
    if args.json:
        return print_json(ctx, plan_document(plan, result, dry_run=False))
    said = f"{result.saved} saved, {result.unchanged} unchanged"
    if result.corrected:
        said += f" ({result.corrected} corrected from an earlier import of {plan.source})"
    if result.skipped:
        said += f", {result.skipped} kept as stored (conflicts skipped)"
    ctx.out.say(f"Team {team}: {said}.")
    return 0


def explain(ctx, args, paths, mapping, metrics) -> int:
    """--explain: what the mapping makes of the first rows; nothing is written."""
    from .importing.explain import explain as explained
    from .ui import import_view

    explanation = explained(paths, mapping, metrics)
    if args.json:
        return print_json(ctx, import_view.explanation_document(explanation, metrics))
    for line in import_view.explanation_lines(explanation, metrics):
        ctx.out.say(line)
    ctx.out.say("Explained only: nothing was written.")
    return 0


def left_out(plan) -> str:
    """What --skip-bad-rows leaves out: the problems (the first of them), as a refusal lists them."""
    from .importing.problems import ImportRefused

    refusal = ImportRefused(plan.problems)
    return f"Left out (--skip-bad-rows), of {plural(plan.rows_read, 'row')} read:\n{refusal.message}"


def settle(ctx, args, conflicts) -> bool:
    """Whether to replace the conflicting days: --on-conflict, or one question in a terminal."""
    choice = args.on_conflict or ASK
    if not conflicts or choice == SKIP:
        return False
    if choice == REPLACE:
        return True
    if not ctx.err.interactive:
        raise StatboticError(
            f"{plural(len(conflicts), 'day')} already saved with other figures: nothing was written."
            " Choose --on-conflict skip (keep the store's) or --on-conflict replace (the file's)."
        )
    from .ui.prompts import ask_yes_no

    return ask_yes_no(ctx.err, f"Replace the {plural(len(conflicts), 'day')} that differ?")


def plan_document(plan, result, dry_run: bool) -> dict:
    document = {
        "team": plan.team,
        "dry_run": dry_run,
        "days": [
            {
                "date": str(day.day),
                "status": day.status,
                "rows": day.rows,
                "figures": day.entered,
                "stored": day.stored,
                "differ": list(day.differ),
                "agents": day.agents,
                "source": day.source,
            }
            for day in plan.days
        ],
        "source": plan.source,
        "left_out": [{"file": p.file, "line": p.line, "column": p.column, "problem": p.message} for p in plan.problems],
    }
    if result is not None:
        document.update(
            saved=result.saved, unchanged=result.unchanged, skipped=result.skipped, corrected=result.corrected
        )
    return document


def add_import_command(commands) -> None:
    """Declare `import` among ``commands`` (build_parser's subparsers)."""
    parser = command(commands, "import", import_days, "import days' figures from files (leads)")
    parser.add_argument("files", nargs="+", metavar="FILE", type=bounded(MAX_PATH), help="CSV or JSON files")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--preset", choices=PRESETS, help="a known export's layout")
    how.add_argument("--mapping", metavar="M.toml", type=bounded(MAX_PATH), help="a TOML mapping of your own")
    parser.add_argument("--timezone", metavar="ZONE", help="items: the zone whose midnights part the days")
    parser.add_argument("--dry-run", action="store_true", help="show the preview only; write nothing")
    parser.add_argument(
        "--explain", action="store_true", help="show what each column becomes on the first 5 rows; write nothing"
    )
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="import the rows that are fine, leaving out (and listing) bad ones"
    )
    parser.add_argument(
        "--on-conflict", choices=(ASK, SKIP, REPLACE), help="days saved with other figures (default: ask)"
    )
    parser.add_argument("--json", action="store_true", help="print the plan and the result as JSON")
    team_option(parser)
    who_option(parser)
