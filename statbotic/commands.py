"""The subcommands: run once, print, exit with a meaningful status (0 done, 1 failed, 2 usage).

Each command's docstring is its --help, with an example.  cli.main wires them: each gets the wiring
(``ctx``: settings, the store, the consoles ``out`` and ``err``, stdin) and writes only through its
consoles.  Commands that touch data log in first: with STATBOTIC_TOKEN (see `users token`), or as
the user from --user or STATBOTIC_USER with the password from STATBOTIC_PASSWORD or a hidden prompt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import __version__, access, pacing, services
from .agent_figures import AGENTS_STAND, TYPED_STANDS, TypedTotalsStand, agent_name, settle_typed
from .command_base import (
    HelpShown,
    Parser,
    bounded,
    command,
    group,
    login,
    period_of,
    print_json,
    session,
    team_option,
    teams_of,
    today,
    who_option,
)
from .errors import InvalidInput, StatboticError, UsageError
from .export import FORMAT_KEYS
from .limits import MAX_ANSWER, MAX_PATH, shown, text_problem
from .metrics import ENTRY_FIELDS as BUILTIN_FIELDS
from .metrics import RANGE_METRICS
from .periods import plural
from .reports import BY_DATE, DAY_ORDERS

__all__ = ["HelpShown", "build_parser", "parse_arguments"]  # HelpShown: what cli.main catches


def view(ctx, args) -> int:
    """Show the report for a period: totals, per-day averages, ratios, targets and the comparison.

    --daily adds every day: its own figures, each target met or missed, and missing days; --sort worst
    lists first the days that miss their targets by most (each miss as a share of its target, summed).
    --by agent shows each agent's figures (ratios of their own sums) beside the team's total, ranked.

    examples:
      statbotic view "last month"
      statbotic view "last week" --daily --sort worst
      statbotic view 2026-W47 --daily --json > week47.json
      statbotic view "last month" --all-teams
      statbotic view 2026-Q4 --teams billing,support --json
      statbotic view "last month" --by agent --rank csat
    """
    if args.sort and not args.daily:
        raise UsageError("--sort orders the days of --daily: add --daily.")
    if args.rank and not args.by:
        raise UsageError("--rank orders the agents of --by agent: add --by agent.")
    if args.by and (args.daily or args.all_teams or args.teams):
        raise UsageError("--by agent is one team's agents: leave out --daily, --all-teams and --teams.")
    chosen = teams_of(args)
    if chosen is not None and args.daily:
        raise UsageError("--daily is for one team's view: leave it out with --all-teams or --teams.")
    period = period_of(ctx, args.period)
    user, team = session(ctx, args)
    if chosen is not None:
        return view_department(ctx, args, period, chosen, user, team)
    if args.by:
        return view_agents(ctx, args, period, user, team)
    metrics = services.team_metrics(ctx.store, team)
    report, paces = pacing.view_and_paces(
        ctx.store, team, period, ctx.settings.targets, user=user, today=today(), metrics=metrics
    )
    order = args.sort or BY_DATE
    if args.json:
        from .export import report_document
        from .ui.pacing_words import pace_document

        document = report_document(team, period.describe(), report, args.daily, order, metrics)
        if pacing.running(period, today()):  # a past period's document is as it was
            document["pacing"] = [pace_document(pace) for pace in paces]
        return print_json(ctx, document)
    from .ui import render  # tables: only when not --json
    from .ui.pacing_words import show_pacing

    render.show_report(ctx.out, report, period, team)
    show_pacing(ctx.out, paces)
    if args.daily and report.summary.has_data:
        ctx.out.say("Daily figures", "heading")
        render.show_daily(ctx.out, report, order)
    return 0


def view_agents(ctx, args, period, user, team: str) -> int:
    """`view PERIOD --by agent`: the team's agents (a viewer linked to an agent: their own row) beside the
    team's total, ranked by --rank (a metric's key or alias) or by agent_report.default_ranking."""
    from .agent_report import agents_view

    metrics = services.team_metrics(ctx.store, team)
    ranked_by = team_metric(ctx, team, args.rank, metrics) if args.rank else None
    view = agents_view(ctx.store, team, period, user=user, metrics=metrics, ranked_by=ranked_by)
    if args.json:
        from .agent_report import agents_document

        return print_json(ctx, agents_document(view, period.describe()))
    from .ui import agents_screen

    agents_screen.show_agents(ctx.out, view, period)
    return 0


def view_department(ctx, args, period, chosen: tuple[str, ...], user, team: str) -> int:
    department = services.department_view(ctx.store, team, period, ctx.settings.targets, chosen or None, user=user)
    if args.json:
        from .export import department_document

        return print_json(ctx, department_document(period.describe(), department, team))
    from .ui import render

    render.show_department(ctx.out, department, period, team)
    return 0


def export(ctx, args) -> int:
    """Export a period as JSON, a CSV with one row per day, or a summary CSV.

    Without -o the file goes to STATBOTIC_EXPORT_DIR under a name carrying the range; -o - writes to
    standard output.  An existing file is never overwritten.

    examples:
      statbotic export "last month" --format csv
      statbotic export 2026-Q4 --format json -o q4.json
      statbotic export 2026-11 --format summary-csv -o - | column -s, -t
      statbotic export "last month" --format summary-csv --all-teams
    """
    chosen = teams_of(args)
    if chosen is not None and args.format == "csv":
        raise UsageError("the department exports as --format json or summary-csv.")
    period = period_of(ctx, args.period)
    user, team = session(ctx, args)
    if chosen is not None:
        return export_department(ctx, args, period, chosen, user, team)
    if args.output == "-":
        _, chunks = services.export_stream(ctx.store, team, period, args.format, ctx.settings.targets, user=user)
        for chunk in chunks:
            ctx.out.write(chunk)
        return 0
    output = Path(args.output) if args.output else None
    path, summary = services.export_range(
        ctx.store, team, period, ctx.settings.export_dir, args.format, output, defaults=ctx.settings.targets, user=user
    )
    ctx.out.say(f"Exported {plural(summary.days_with_data, 'day')} to {path.resolve()}")
    return 0


def export_department(ctx, args, period, chosen: tuple[str, ...], user, team: str) -> int:
    written, department = services.export_department(
        ctx.store,
        team,
        period,
        ctx.settings.export_dir,
        args.format,
        Path(args.output) if args.output else None,
        defaults=ctx.settings.targets,
        teams=chosen or None,
        user=user,
    )
    if args.output == "-":
        for chunk in written:
            ctx.out.write(chunk)
        return 0
    teams = plural(len(department.rows), "team")
    ctx.out.say(f"Exported the department ({teams}, {plural(department.team_days, 'team-day')}) to {written.resolve()}")
    return 0


def add(ctx, args) -> int:
    """Record one day's figures (all of them).  A day that has figures already needs --overwrite.

    The wait may be written 65, 38.5, 1:05 or 1m5s; positive ratings as a count, or as a percentage
    of the ratings (96%), converted exactly and shown.  Figures that look wrong (more ratings than
    chats, a wait without chats, 5 times or a fifth of the usual for that weekday...) are printed
    as warnings and nothing is saved, unless --force is given.

    examples:
      statbotic add yesterday --comments 120 --solves 60 --chats 45 --wait 38.5 --ratings 31 --positive 30
      statbotic add 2026-11-20 --comments 80 --solves 41 --chats 30 --wait 1:05 --ratings 38 --positive 96% --overwrite
      statbotic add 2026-11-21 --comments 95 --solves 50 --chats 0 --wait 0 --ratings 4 --positive 4 --force
      statbotic add yesterday --comments 120 --solves 60 --chats 45 --wait 38.5 --ratings 31 --positive 30 \\
        --calls-answered 40
      statbotic add yesterday --agent "Ana Lima" --comments 40 --solves 21 --chats 15 --wait 30 --ratings 9 \\
        --positive 9

    --agent NAME: the figures are one agent's; the team's figures of the day are then the sum of its
    agents' (typed for each in turn).  A day with typed team totals needs --agents-stand for that.
    """
    from .parsing import parse_past_date, typed_percents

    try:
        day = parse_past_date(args.date, today())
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    user, team = session(ctx, args)
    metrics = services.team_metrics(ctx.store, team)
    answers = figures_given(args, metrics, team)
    try:
        entered = read_figures(ctx, metrics, answers)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    if args.agent is not None:
        return add_for_agent(ctx, args, user, team, day, entered, metrics)
    existing, doubts = services.day_and_doubts(
        ctx.store, team, day, entered, typed_percents(answers), user=user, metrics=metrics
    )
    if existing is not None and not args.overwrite:
        if services.same_figures(existing, entered, metrics):  # e.g. a script's retry after a lost reply
            ctx.out.say(f"The stats for {day} are already saved (the same figures).")
            return 0
        raise StatboticError(f"{day} has figures already; add --overwrite to replace them.")
    agents = {}
    if existing is not None and existing.agents:  # one source per day: the typed totals or the agents' sum
        try:
            entered, agents = settle_typed(existing.agents, entered, metrics, args.stands)
        except InvalidInput as problem:
            raise StatboticError(
                f"{day}: {problem.message} Add --agents-stand to keep the agents' figures (their sum is"
                " saved), or --typed-stands to save your totals instead of the agents' rows."
            ) from None
    warn(ctx, doubts, args.force)
    services.record_day(ctx.store, team, user, day, entered, metrics, agents=agents)
    ctx.out.say(f"{'Updated' if existing else 'Saved'} the stats for {day}.")
    return 0


def add_for_agent(ctx, args, user, team: str, day, entered: dict[str, int], metrics) -> int:
    """`add --agent NAME`: one agent's figures of the day; the team's figures are then their agents' sum."""
    existing = services.get_day(ctx.store, team, day, user=user)
    theirs = None
    if existing is not None:
        name = agent_name(args.agent)
        theirs = existing.agents.get(name)
        if theirs is not None and {k: theirs.get(k) for k in entered} == entered:
            ctx.out.say(f"{name}'s stats for {day} are already saved (the same figures).")
            return 0
        if theirs is not None and not args.overwrite:
            raise StatboticError(f"{name} has figures for {day} already; add --overwrite to replace them.")
    try:
        record = services.record_agent_day(ctx.store, team, user, day, args.agent, entered, metrics, args.stands)
    except TypedTotalsStand as problem:
        raise StatboticError(
            f"{day}: {problem.message} Add --agents-stand to make them so, or type the team's totals instead."
        ) from None
    count = len(record.agents)
    said = f"{'Updated' if theirs else 'Saved'} {agent_name(args.agent)}'s stats for {day}"
    ctx.out.say(f"{said}; the team's figures are the sum of {plural(count, 'agent')}.")
    return 0


def figures_given(args, metrics, team: str) -> dict[str, str]:
    """What was typed for each of the team's entry fields, by entry key: the built-ins' options as parsed,
    the others' from ``args.figures`` (--calls-answered 40).  UsageError (exit 2) for an option of no
    metric the team tracks, naming those it does, or for a figure left out (argparse's words)."""
    fields = metrics.entry_fields
    known = {field.option: field for field in fields}
    given = {field.key: getattr(args, field.key) for field in BUILTIN_FIELDS if getattr(args, field.key) is not None}
    for option, _ in args.figures:
        if option not in known:
            options = ", ".join(field.option for field in fields) or "none"
            raise UsageError(
                f"{shown(option)} is not a figure team {team} tracks: its figures are {options}"
                " (see `statbotic metrics list`)."
            )
    for field in BUILTIN_FIELDS:
        if field.key in given and field.option not in known:
            options = ", ".join(f.option for f in fields) or "none"
            raise UsageError(
                f"{field.option} is not a figure team {team} tracks: its figures are {options}"
                " (see `statbotic metrics list`)."
            )
    given.update({known[option].key: value for option, value in args.figures})
    missing = [field.option for field in fields if field.key not in given]
    if missing:
        args.add_parser.error(f"the following arguments are required: {', '.join(missing)}")
    return given


def read_figures(ctx, metrics, answers: dict[str, str]) -> dict[str, int]:
    """Each entry field's integer from what was typed, in the team's order (a part after its whole, which
    it needs); a note shown for a percentage converted.  InvalidInput with the form's message."""
    waiting = list(metrics.entry_fields)
    entered: dict[str, int] = {}
    while waiting:
        later = []
        for field in waiting:
            whole = field.part_of or field.average_over
            if whole is not None and whole not in entered and any(f.key == whole for f in waiting):
                later.append(field)
                continue
            entered[field.key], note = metrics.read_field(field, answers[field.key], entered)
            if note:
                ctx.out.say(note)
        if len(later) == len(waiting):  # can't happen with checked definitions; never loop
            raise InvalidInput("The team's metrics are built on each other in a circle: ask an admin.")
        waiting = later
    return {field.key: entered[field.key] for field in metrics.entry_fields}


def split_figures(argv: list[str], parser) -> tuple[list[str], list[tuple[str, str]]]:
    """``add``'s arguments without the figures of metrics an admin defined (--calls-answered 40, or
    --calls-answered=40), and those figures as (option, value): argparse parses the built-ins, the
    command checks the rest against the team's metrics once logged in.  Other commands: as given."""
    command = next((index for index, word in enumerate(argv) if not word.startswith("-")), None)
    if command is None or argv[command] != "add":
        return argv, []
    record = parser.add_command  # build_parser keeps it
    options = [option for option in record._option_string_actions if option.startswith("--")]
    kept, figures = argv[: command + 1], []
    words = iter(argv[command + 1 :])
    for word in words:
        name, equals, value = word.partition("=")
        if not name.startswith("--") or name == "--" or any(option.startswith(name) for option in options):
            kept.append(word)
            continue
        if not equals:
            value = next(words, None)
            if value is None or value.startswith("--"):
                record.error(f"argument {shown(name)}: expected one argument")
        problem = text_problem(value, MAX_ANSWER)
        if problem:
            record.error(f"argument {shown(name)}: {problem}")
        figures.append((name.lower(), value))
    return kept, figures


def warn(ctx, doubts, force: bool) -> None:
    """Each doubt on stderr; without --force, stop (exit 1) before anything is saved."""
    for doubt in doubts:
        ctx.err.say(f"statbotic: warning: {doubt.message}")
    if doubts and not force:
        raise StatboticError("Nothing was saved: check the figures warned about, or add --force to save them anyway.")


def targets_list(ctx, args) -> int:
    """List the team's target for each metric, and where it comes from: set in the app, the
    environment's default (STATBOTIC_TARGET_CSAT, STATBOTIC_TARGET_COMMENTS_PER_SOLVE), or none.

    examples:
      statbotic targets list
      statbotic targets list --json
    """
    user, team = session(ctx, args)
    metrics = services.team_metrics(ctx.store, team)
    effective = services.effective_targets(ctx.store, team, ctx.settings.targets, user=user, metrics=metrics)
    if args.json:
        from .export import targets_list_document

        return print_json(ctx, targets_list_document(team, effective))
    from .ui import render

    ctx.out.say(f"Targets for team {team}")
    ctx.out.say(render.targets_table(ctx.out, effective, by_name=True))
    ctx.out.say(render.TARGETS_NOTE)
    return 0


def targets_set(ctx, args) -> int:
    """Set the team's target for a metric: >= or <= and a number, a number alone (the metric's usual
    direction, shown beside METRIC below), or none to turn the target off (overriding the
    environment's default).  Targets for counts apply per day (chats >= 40 per day); the others to
    the figure over the whole range.  Any metric the team tracks takes one, by key or alias, those an
    admin defined too (`statbotic metrics list`).

    examples:
      statbotic targets set csat '>= 95'
      statbotic targets set comments-per-solve '<=2'
      statbotic targets set chats '>= 40'
      statbotic targets set wait none
    """
    from .parsing import parse_goal

    user, team = session(ctx, args)
    metric = team_metric(ctx, team, args.metric)
    try:
        goal = parse_goal(args.target, metric)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    services.set_target(ctx.store, team, user, metric, goal)
    from .ui import render

    ctx.out.say(f"Team {team}: {render.target_set_message(metric, goal)}")
    return 0


def targets_clear(ctx, args) -> int:
    """Remove the team's target set in the app for a metric, so the environment's default (if any) applies.

    example:
      statbotic targets clear csat
    """
    user, team = session(ctx, args)
    metrics = services.team_metrics(ctx.store, team)
    metric = team_metric(ctx, team, args.metric, metrics)
    cleared = services.clear_target(ctx.store, team, user, metric)
    effective = services.effective_targets(ctx.store, team, ctx.settings.targets, user=user, metrics=metrics)
    now = next(target for target in effective if target.metric.key == metric.key)
    from .ui import render

    ctx.out.say(f"Team {team}: {render.target_cleared_message(cleared, now)}")
    return 0


def team_metric(ctx, team: str, name: str, metrics=None):
    """The range metric of the team's catalogue that ``name`` names (key or alias, '-' and '_' alike);
    UsageError naming the team's metrics otherwise (parsing.parse_metric's words)."""
    metrics = metrics or services.team_metrics(ctx.store, team)
    metric = metrics.metric_named(name)
    if metric is None:
        names = ", ".join(m.alias for m in metrics.range_metrics)
        raise UsageError(f"{shown(name.strip())} is not a metric. Use one of: {names}.")
    return metric


def copy_data(ctx, args) -> int:
    """Copy every user, day and target from the local SQLite store into a MongoDB store.

    Safe to run again: users already there and days already identical are left alone.

    example:
      statbotic copy-data --to "mongodb+srv://lead:PASSWORD@cluster0.example.mongodb.net/statbotic"
    """
    settings = ctx.settings
    target_uri = args.to or settings.mongodb_uri
    if not target_uri:
        raise UsageError("copy-data needs --to mongodb://... (or MONGODB_URI in the environment or .env).")
    if not settings.database_path.exists():
        raise StatboticError(f"There is no local data file at {settings.database_path} (STATBOTIC_DATA_DIR).")
    source = ctx.open_local()
    try:
        target = ctx.open_mongo(target_uri, setting="--to" if args.to else "MONGODB_URI")
        try:
            report = services.copy_data(source, target)
        finally:
            target.close()
    finally:
        source.close()
    say = ctx.out.say
    say(f"Copied from {source.description} to {target.description}:")
    say(f"  users: {report.users_copied} copied, {report.users_present} already there")
    say(f"  metrics: {report.metrics_copied} copied, {report.metrics_unchanged} already identical")
    say(f"  days:  {report.days_copied} copied, {report.days_unchanged} already identical")
    say(f"  targets: {report.targets_copied} copied, {report.targets_unchanged} already identical")
    say(f"  audit log: not copied; its {report.audit_entries_left} entries stay in {source.description}")
    return 0


def history(ctx, args) -> int:
    """Show every version of one day of the team's figures, oldest first: when (UTC), who, and what changed.

    examples:
      statbotic history 2026-11-03
      statbotic history yesterday --json
    """
    from .parsing import parse_past_date

    try:
        day = parse_past_date(args.date, today())
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    user, team = session(ctx, args)
    entries = services.day_history(ctx.store, team, day, user=user)
    heading = f"History of {day} (team {team})"
    about = {"team": team, "date": day.isoformat()}
    return show_entries(ctx, args, entries, about, heading, "No change of this day is in the audit log.")


def delete(ctx, args) -> int:
    """Delete one day's figures of the team (leads and admins).  The audit log keeps them: `history DATE`
    shows what was deleted, by whom and when.  In a terminal it asks to confirm; a script says --yes.

    examples:
      statbotic delete 2026-11-03
      statbotic delete yesterday --team billing --yes
    """
    from .parsing import parse_past_date

    try:
        day = parse_past_date(args.date, today())
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    user, team = session(ctx, args)
    access.require_edit(user, team, "delete days")  # before asking to confirm what can't be done
    record = services.get_day(ctx.store, team, day, user=user)
    if record is None:  # e.g. a script's retry after a lost reply: nothing left to do
        ctx.out.say(f"Team {team} has no figures for {day}: nothing to delete.")
        return 0
    if not args.yes:
        confirm_delete(ctx, record)
    services.delete_day(ctx.store, team, user, day)
    ctx.out.say(f"Deleted the figures of {day} (team {team}); its history keeps them.")
    return 0


def confirm_delete(ctx, record) -> None:
    """Show the day and ask on the terminal; StatboticError when declined, UsageError without a terminal."""
    if not ctx.err.interactive:
        raise UsageError("deleting a day needs --yes when there is no terminal to confirm in.")
    from .ui import render
    from .ui.prompts import ask_yes_no

    fields = [f for f in services.team_metrics(ctx.store, record.team).entry_fields if f.key in record.entered]
    figures = ", ".join(f"{f.label} {render.fmt_entered(f, record.entered[f.key])}" for f in fields)
    ctx.err.say(f"Team {record.team}, {record.day}: {figures}")
    ctx.err.say(f"(saved by {record.updated_by}, {render.fmt_when(record.updated_at)})")
    if not ask_yes_no(ctx.err, f"Delete the figures of {record.day}?"):
        raise StatboticError("Nothing was deleted.")


def audit(ctx, args) -> int:
    """Show the audit log: every change (days added or changed, targets set or cleared, users registered,
    tokens issued) since a moment, oldest first, with when (UTC), who, what, and before -> after.

    Admins only.

    examples:
      statbotic audit --since 7d
      statbotic audit --since 2026-11-01 --json
    """
    try:
        since = services.audit_since(args.since, services.utc_now())
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    user = login(ctx, args)
    entries = services.audit_log(ctx.store, since, user=user)
    heading = f"Audit log since {since.strftime('%Y-%m-%d %H:%M:%S')} UTC"
    return show_entries(ctx, args, entries, {"since": since.isoformat()}, heading, "No changes.")


def show_entries(ctx, args, entries, about: dict, heading: str, nothing: str) -> int:
    """Audit entries as JSON (--json: ``about`` says what was asked) or as lines under a heading."""
    if args.json:
        from .export import audit_document

        return print_json(ctx, audit_document(entries, **about))
    from .ui import render

    metrics = services.store_metrics(ctx.store)  # figures named by their labels, retired metrics' too
    lines = render.history_lines(entries, metrics) if "date" in about else render.audit_lines(entries, metrics)
    for line in [heading, *(lines or [nothing])]:
        ctx.out.say(line)
    return 0


def _department_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all-teams", action="store_true", help="the department: every team with data in the period")
    parser.add_argument("--teams", metavar="A,B", help="the department of these teams only (names separated by commas)")


METRIC_HELP = (
    "one of "
    + ", ".join(f"{m.alias} ({m.direction.value})" for m in RANGE_METRICS)
    + ", or a metric an admin defined, by key or alias (see `statbotic metrics list`)"
)
ADD_EPILOG = (  # lines that fit an 80-column terminal (the help keeps them as written)
    "Metrics an admin defined: --<key with - for _> (or --<alias>) and a number,\n"
    "e.g. --calls-answered 40; `statbotic metrics list` shows the team's metrics.\n"
    "Each figure the team tracks is needed."
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="statbotic",
        description="Record a support team's daily stats. With no command, "
        "opens the menus (the same as `python3 run.py`).",
        epilog="--debug (anywhere) shows tracebacks of unexpected errors, for developers.",
    )
    parser.add_argument("--version", action="version", version=f"statbotic {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    show = command(commands, "view", view, "show the report for a period")
    show.add_argument("period", help="e.g. today, 'last month', 2026-11, 2026-W47, 2026-Q4, 2026-11-01..2026-11-15")
    show.add_argument("--json", action="store_true", help="print the report as JSON")
    show.add_argument("--daily", action="store_true", help="include every day's figures")
    show.add_argument(
        "--sort", choices=DAY_ORDERS, help="the order of the --daily days: date (the default) or worst days first"
    )
    show.add_argument(
        "--by",
        choices=("agent",),
        help="a row per agent beside the team's total, ranked by solves unless --rank says (a viewer: their own)",
    )
    show.add_argument("--rank", metavar="METRIC", help=f"with --by agent, rank the agents by {METRIC_HELP}")
    _department_options(show)
    team_option(show)
    who_option(show)

    out = command(commands, "export", export, "export a period to a file (or stdout)")
    out.add_argument("period", help="e.g. 'last month', 2026-Q4")
    out.add_argument("--format", required=True, choices=FORMAT_KEYS)
    out.add_argument(
        "-o", "--output", metavar="FILE", type=bounded(MAX_PATH), help="the file to write, or - for standard output"
    )
    _department_options(out)
    team_option(out)
    who_option(out)

    record = command(commands, "add", add, "record one day's figures")
    record.add_argument("date", help="YYYY-MM-DD, today or yesterday")
    for field in BUILTIN_FIELDS:  # required when the team tracks the metric: checked once logged in
        record.add_argument(
            field.option,
            dest=field.key,
            metavar="N",
            help=f"{field.prompt.lower()} ({field.source})".replace("%", "%%"),
        )
    record.set_defaults(add_parser=record)
    record.epilog = ADD_EPILOG
    parser.add_command = record  # split_figures reads its options
    record.add_argument("--overwrite", action="store_true", help="replace the day's figures if it has some")
    record.add_argument("--force", action="store_true", help="save even figures that look wrong (warnings still shown)")
    record.add_argument(
        "--agent", metavar="NAME", type=bounded(MAX_ANSWER), help="the figures are this agent's (the team: their sum)"
    )
    stands = record.add_mutually_exclusive_group()
    stands.add_argument(
        "--agents-stand",
        dest="stands",
        action="store_const",
        const=AGENTS_STAND,
        help="a day with figures per agent: keep them (their sum is the team's figure)",
    )
    stands.add_argument(
        "--typed-stands",
        dest="stands",
        action="store_const",
        const=TYPED_STANDS,
        help="a day with figures per agent: your totals replace the agents' rows",
    )
    team_option(record)
    who_option(record)

    goals_commands = group(
        commands,
        "targets",
        "list, set or clear the team's targets",
        "List, set or clear the team's targets (set in the app; the environment's are defaults)."
        "\n\nexamples:\n  statbotic targets list\n  statbotic targets set csat '>= 95'\n"
        "  statbotic targets clear csat",
    )
    listing = command(goals_commands, "list", targets_list, "list each metric's target")
    listing.add_argument("--json", action="store_true", help="print the targets as JSON")
    team_option(listing)
    who_option(listing)
    setting = command(goals_commands, "set", targets_set, "set a metric's target")
    setting.add_argument("metric", metavar="METRIC", help=f"{METRIC_HELP}; a number alone means the direction shown")
    setting.add_argument("target", metavar="TARGET", help="e.g. '>= 95', '<= 2', 95 or none")
    team_option(setting)
    who_option(setting)
    clearing = command(goals_commands, "clear", targets_clear, "clear a metric's target set in the app")
    clearing.add_argument("metric", metavar="METRIC", help=METRIC_HELP)
    team_option(clearing)
    who_option(clearing)

    past = command(commands, "history", history, "show every version of one day")
    past.add_argument("date", help="YYYY-MM-DD, today or yesterday")
    past.add_argument("--json", action="store_true", help="print the versions as JSON")
    team_option(past)
    who_option(past)

    removing = command(commands, "delete", delete, "delete one day's figures (leads)")
    removing.add_argument("date", help="YYYY-MM-DD, today or yesterday")
    removing.add_argument("--yes", action="store_true", help="don't ask to confirm (needed without a terminal)")
    team_option(removing)
    who_option(removing)

    log = command(commands, "audit", audit, "show the audit log of changes")
    log.add_argument("--since", default="7d", help="7d, 12h, 2w or a date YYYY-MM-DD (default: 7d)")
    log.add_argument("--json", action="store_true", help="print the entries as JSON")
    who_option(log)

    from .people_commands import add_people_commands

    add_people_commands(commands)
    from .import_commands import add_import_command  # issue 13: `import FILE...`

    add_import_command(commands)
    from .check_command import add_check_command  # issue 14: `check`

    add_check_command(commands)
    from .report_command import add_report_command  # issue 14: `report`

    add_report_command(commands)
    from .share_command import add_share_command  # issue 14: `share`

    add_share_command(commands)
    from .digest_command import add_digest_command  # issue 14: `digest`

    add_digest_command(commands)

    copy = command(commands, "copy-data", copy_data, "copy the local SQLite data into MongoDB")
    copy.add_argument(
        "--to", metavar="MONGODB_URI", type=bounded(MAX_PATH), help="the target MongoDB (default: $MONGODB_URI)"
    )
    return parser


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The parsed arguments, with ``run`` the command's function; UsageError when they don't fit."""
    parser = build_parser()
    argv, figures = split_figures(argv, parser)
    args = parser.parse_args(argv)
    args.figures = figures  # add's figures of metrics an admin defined: checked once the team is known
    if not hasattr(args, "run"):
        raise UsageError("a command is needed (or no arguments at all, for the menus); see --help.")
    return args
