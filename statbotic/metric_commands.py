"""The `metrics` commands (issue 12): list the metrics, and for admins add, edit, retire, restore and move.

Like people_commands.py: each command's docstring is its --help, with examples; each logs in
(command_base), calls one use case of metric_admin.py, which checks the rights (only admins change a
definition) and the definitions as a whole, and writes only through the consoles.  A value an option
can't take is a usage error (exit 2); a refused change (a duplicate key, a base that is retired...) is
one line on stderr (exit 1), changing nothing.
"""

from __future__ import annotations

import argparse

from . import access, metric_admin
from .command_base import bounded, command, group, login, print_json, who_option
from .errors import InvalidInput, UsageError
from .goals import Direction
from .limits import MAX_ANSWER
from .metric_kinds import MAX_DAILY_COUNT, MAX_PLACES

KINDS = tuple(metric_admin.KIND_NAMES)
MOVES = ("up", "down", "first", "last")


def metrics_list(ctx, args) -> int:
    """List the metrics, in the order forms and reports show them: position, key, label, kind (and the
    metrics it is built on), the teams that track it.  Admins see every metric; anyone else those of
    their teams.  --all adds the retired ones.

    examples:
      statbotic metrics list
      statbotic metrics list --all --json | jq -r '.metrics[] | select(.retired) | .key'
    """
    rows = metric_admin.list_metrics(ctx.store, login(ctx, args), include_retired=args.all)
    if args.json:
        return print_json(ctx, {"metrics": [metric_document(row) for row in rows]})
    if not rows:
        ctx.out.say("No metrics to show.")
        return 0
    from .ui import render  # tabulate: only when a table is drawn

    lines = [
        [
            str(row.position),
            row.key,
            row.definition.label,
            metric_admin.kind_text(row.definition),
            metric_admin.teams_text(row),
            "yes" if row.definition.retired else "",
        ]
        for row in rows
    ]
    ctx.out.say(render.table(ctx.out, lines, ["#", "Key", "Label", "Kind", "Teams", "Retired"]))
    return 0


def metric_document(row: metric_admin.MetricRow) -> dict:
    """A metric as `metrics list --json` gives it; a target as its exact decimal, in text ("92.5")."""
    from .exact import plain_decimal
    from .metric_kinds import formula

    d = row.definition
    return {
        "position": row.position,
        "key": d.key,
        "label": d.label,
        "kind": d.kind.value,
        "bases": list(d.bases),
        "prompt": d.prompt,
        "source": d.source,
        "minimum": d.minimum,
        "maximum": d.maximum,
        "places": d.places,
        "better": "lower" if d.direction is Direction.AT_MOST else "higher",
        "target": None if d.target is None else plain_decimal(d.target),
        "min_sample": d.min_sample,
        "teams": list(row.teams),
        "every_team": row.every_team,
        "listed": d.listed,
        "retired": d.retired,
        "builtin": row.builtin,
        "version": d.version,
        "formula": formula(d),
    }


def metrics_add(ctx, args) -> int:
    """Define a new metric (admins only).  KEY names it for good (lower-case letters, digits and _); it
    comes last in the order (`metrics move` changes that) and, without --team, every team tracks it.

    kinds:
      count     a whole number per day, e.g. calls answered
      duration  an average per item, weighted by a count (--base), e.g. average handle time of calls
      share     part of a count (--base), e.g. SLA met of tickets; entered as a count or a %
      ratio     of two counts (--base A --base B: A per B), derived, e.g. replies per ticket

    examples:
      statbotic metrics add calls_answered --label "Calls answered" --kind count --source phone
      statbotic metrics add handle_time --label "Average handle time" --kind duration --base calls_answered \\
          --lower-is-better --team support
      statbotic metrics add sla_met --label "SLA met" --kind share --base solves --target 90 --min-sample 20
    """
    user = login(ctx, args)
    kind = metric_admin.kind_of(args.kind)
    fields = definition_fields(ctx, args, kind)
    fields.setdefault("direction", Direction.AT_LEAST)
    definition = metric_admin.add_metric(ctx.store, user, args.key, args.label, kind, **fields)
    count = metric_admin.count_of(ctx.store)
    ctx.out.say(
        f"Added {metric_admin.summary(definition)}, {ordinal(count)} of {count} metrics, {for_whom(definition)}."
    )
    return 0


def metrics_edit(ctx, args) -> int:
    """Change a metric (admins only): its label, prompt, source, bounds, decimals, direction, target,
    minimum sample, or the teams that track it.  Its key never changes; its kind and bases may change
    only while no day has data for it (and never for a built-in): add a new metric and retire this one.

    examples:
      statbotic metrics edit chats --label "Chats"
      statbotic metrics edit sla_met --target 92.5 --team billing --team support
      statbotic metrics edit handle_time --all-teams --target none
    """
    changes = {}
    if args.label is not None:
        changes["label"] = args.label
    kind = metric_admin.kind_of(args.kind) if args.kind else None
    if kind is not None:
        changes["kind"] = kind
    user = login(ctx, args)
    access.require_admin(user, "change metrics")  # before a key is looked up: nobody else learns which exist
    before = metric_admin.definition_of(ctx.store, args.key)
    changes.update(definition_fields(ctx, args, kind or before.kind))
    if args.all_teams:
        changes["teams"] = ()
    if not changes:
        raise UsageError("say what to change: --label, --prompt, --target, --team... (see --help).")
    definition, changed = metric_admin.edit_metric(ctx.store, user, args.key, **changes)
    if changed:
        ctx.out.say(f"Changed {metric_admin.summary(definition)}: version {definition.version}.")
    else:
        ctx.out.say(f"Nothing changed: {metric_admin.summary(definition)} was already so.")
    return 0


def definition_fields(ctx, args, kind) -> dict:
    """What the options of `add` and `edit` set, read; a value that can't be read is a usage error."""
    fields = {}
    for option, name in (("base", "bases"), ("team", "teams")):
        if getattr(args, option):
            fields[name] = tuple(getattr(args, option))
    if "teams" in fields:
        fields["teams"] = metric_admin.teams_of(ctx.store, fields["teams"])
    for option in ("places", "min_sample"):
        if getattr(args, option) is not None:
            fields[option] = getattr(args, option)
    if args.source is not None:
        fields["source"] = usage(metric_admin.source_of, args.source)
    if args.prompt is not None:
        fields["prompt"] = usage(metric_admin.prompt_of, args.prompt)
    if args.min is not None:
        fields["minimum"] = args.min
    if args.max is not None:
        fields["maximum"] = args.max
    if args.target is not None:
        fields["target"] = usage(lambda text: metric_admin.target_of(text, kind), args.target)
    if args.lower_is_better:
        fields["direction"] = Direction.AT_MOST
    if getattr(args, "higher_is_better", False):
        fields["direction"] = Direction.AT_LEAST
    return fields


def usage(read, text: str):
    """``read(text)``; its InvalidInput as a usage error (an option's value that can't be taken)."""
    try:
        return read(text)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None


def metrics_retire(ctx, args) -> int:
    """Retire a metric (admins only): forms and reports no longer show it; its data and history stay, and
    `metrics restore` brings it back.  Refused while a live metric is built on it (retire that first).

    example:
      statbotic metrics retire comments_per_solve
    """
    definition = metric_admin.retire_metric(ctx.store, login(ctx, args), args.key)
    ctx.out.say(
        f"Retired {definition.label}: its data and history are kept; `metrics restore {definition.key}` brings it back."
    )
    return 0


def metrics_restore(ctx, args) -> int:
    """Restore a retired metric, with all its data (admins only).  Refused while a metric it is built on
    is retired (restore that first).

    example:
      statbotic metrics restore comments_per_solve
    """
    definition = metric_admin.restore_metric(ctx.store, login(ctx, args), args.key)
    ctx.out.say(f"Restored {metric_admin.summary(definition)}.")
    return 0


def metrics_move(ctx, args) -> int:
    """Move a metric in the order forms and reports show them (admins only): to a position (1 = first),
    or up, down, first or last.  Positions are those of `metrics list --all`.

    examples:
      statbotic metrics move csat_percent 1
      statbotic metrics move calls_answered up
    """
    user = login(ctx, args)
    access.require_admin(user, "reorder metrics")
    count = metric_admin.count_of(ctx.store)
    where = args.position
    if where in ("up", "down"):
        current = metric_admin.position_of(ctx.store, args.key)
        wanted = current - 1 if where == "up" else current + 1
    else:
        wanted = {"first": 1, "last": count}.get(where) or int(where)
    position = metric_admin.move_metric(ctx.store, user, args.key, wanted)
    label = metric_admin.definition_of(ctx.store, args.key).label
    ctx.out.say(f"{label} is {ordinal(position)} of {count} metrics.")
    return 0


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def for_whom(definition) -> str:
    return (
        f"for team{'s' if len(definition.teams) > 1 else ''} {', '.join(definition.teams)}"
        if definition.teams
        else "for every team"
    )


# argparse types: a value that can't be taken is a usage error, said by the parser
def whole_number(highest: int):
    def read(value: str) -> int:
        raw = value.strip().replace(",", "")
        if not (raw.isascii() and raw.isdigit()) or int(raw) > highest:
            raise argparse.ArgumentTypeError(f"a whole number from 0 to {highest:,}")
        return int(raw)

    return read


def position_argument(value: str) -> str:
    if value in MOVES or (value.isascii() and value.isdigit() and 1 <= int(value) <= 10_000):
        return value
    raise argparse.ArgumentTypeError("a position (1 = first), or up, down, first or last")


def key_argument(value: str) -> str:
    return bounded(MAX_ANSWER)(value).strip()


# the parser
def add_metric_commands(commands) -> None:
    """Declare `metrics` among ``commands`` (build_parser's subparsers)."""
    metrics = group(
        commands,
        "metrics",
        "list the metrics; admins add, edit, retire, restore and move them",
        "List the metrics; admins define them.\n\nexamples:\n  statbotic metrics list --all\n"
        '  statbotic metrics add calls_answered --label "Calls answered" --kind count\n'
        "  statbotic metrics retire comments_per_solve\n  statbotic metrics move calls_answered 1",
    )
    listing = command(metrics, "list", metrics_list, "list the metrics, their kind and teams")
    listing.add_argument("--json", action="store_true", help="print the metrics as JSON")
    listing.add_argument("--all", action="store_true", help="show retired metrics too")
    who_option(listing)

    adding = command(metrics, "add", metrics_add, "define a new metric (admins)")
    adding.add_argument("key", type=key_argument, metavar="KEY")
    adding.add_argument("--label", required=True, metavar="TEXT", help="what forms and reports call it")
    adding.add_argument("--kind", required=True, choices=KINDS, help="count, duration, share or ratio")
    definition_options(adding)

    editing = command(metrics, "edit", metrics_edit, "change a metric's label, bounds, target, teams... (admins)")
    editing.add_argument("key", type=key_argument, metavar="KEY")
    editing.add_argument("--label", metavar="TEXT", help="what forms and reports call it")
    editing.add_argument("--kind", choices=KINDS, help="only while no day has data for it")
    definition_options(editing, editing=True)

    for name, function, text in (
        ("retire", metrics_retire, "retire a metric: hidden, its data kept (admins)"),
        ("restore", metrics_restore, "restore a retired metric (admins)"),
    ):
        changing = command(metrics, name, function, text)
        changing.add_argument("key", type=key_argument, metavar="KEY")
        who_option(changing)

    moving = command(metrics, "move", metrics_move, "move a metric in the order (admins)")
    moving.add_argument("key", type=key_argument, metavar="KEY")
    moving.add_argument(
        "position", type=position_argument, metavar="POSITION", help="1 = first; or up, down, first, last"
    )
    who_option(moving)


def definition_options(parser: argparse.ArgumentParser, editing: bool = False) -> None:
    text = bounded(MAX_ANSWER)
    parser.add_argument(
        "--base", action="append", type=text, metavar="KEY", help="a count it is built on (a ratio: two, A per B)"
    )
    parser.add_argument("--prompt", metavar="TEXT", help="the question the add form asks (default: the label)")
    parser.add_argument("--source", metavar="TEXT", help="where the figure comes from (Zendesk, phone...)")
    count = whole_number(MAX_DAILY_COUNT)
    parser.add_argument("--min", type=count, metavar="N", help="the lowest value accepted (a duration: seconds)")
    parser.add_argument("--max", type=count, metavar="N", help="the highest value accepted (a duration: seconds)")
    parser.add_argument("--places", type=whole_number(MAX_PLACES), metavar="N", help="decimals shown")
    better = parser.add_mutually_exclusive_group()
    better.add_argument("--lower-is-better", action="store_true", help="a lower figure is better (default: higher)")
    if editing:
        better.add_argument("--higher-is-better", action="store_true", help="a higher figure is better")
    parser.add_argument(
        "--target",
        metavar="T",
        help="a default target (a share: a percentage)" + ("; none: no target" if editing else ""),
    )
    parser.add_argument("--min-sample", type=count, metavar="N", help="a share's small-sample flag: fewer base items")
    teams = parser.add_mutually_exclusive_group()
    teams.add_argument(
        "--team", action="append", type=text, metavar="TEAM", help="a team that tracks it (repeat; default every team)"
    )
    if editing:
        teams.add_argument("--all-teams", action="store_true", help="every team tracks it")
    who_option(parser)
