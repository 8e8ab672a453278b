"""`statbotic check` (issue 14): one line per finding of a period (yesterday by default) -- a day without
figures, a target a day missed -- and an exit code a scheduler can act on: 0 when every day has figures
and meets every target, 3 when not.  Findings come from alerts.py; this module words and prints them."""

from __future__ import annotations

from datetime import timedelta

from . import alerts, pacing, services
from .command_base import command, period_of, print_json, session, team_option, today, who_option
from .errors import UsageError
from .exact import decimal_text
from .goals import Direction
from .periods import plural

ALL_MET, FOUND = 0, 3  # the exit codes (1: an error, 2: a usage error, as for every command)


def check(ctx, args) -> int:
    """Check a period (yesterday by default): exit 0 when every day has figures and meets every target,
    3 when a day is missing or missed a target, printing one line per finding, e.g.
    "2026-11-27: Chat CSAT 91.2 % < 95.0 % target (38 ratings)" or "2026-11-26: no figures entered".
    Each day is judged by its own figures, as the daily breakdown judges it.  For cron or a scheduler.

    A period still running (--for "this month") is paced too: a line per target says what the days
    left need to meet it, from the team's usual volume; a target out of reach is a finding (exit 3).

    examples:
      statbotic check
      statbotic check --for "last 7 days" --json
      statbotic check --for 2026-11-27 --team billing
      statbotic check --for "this month"
    """
    period = period_of(ctx, args.for_period)
    now = today()  # read once: the answers agree even across midnight
    if period.start > now:  # a mistyped year in a cron line must not pass silently
        raise UsageError(f"{period.describe()} has not begun: check days that have (e.g. --for yesterday).")
    user, team = session(ctx, args)
    found, paces = checked(ctx, team, period, user, now)
    lost = [pace for pace in paces if pace.status is pacing.PaceStatus.OUT_OF_REACH]
    if args.json:
        print_json(ctx, document(team, period, found, paces))
    else:
        say(ctx, team, period, found, paces, lost, now)
    return FOUND if found or lost else ALL_MET


def checked(ctx, team: str, period, user, now) -> tuple[list[alerts.Finding], list[pacing.Pace]]:
    """The period's findings and, while it runs, its paces: what `check` prints and digest's webhook posts.
    Today and the days after it are never missing (a day's figures are entered once it is over)."""
    metrics = services.team_metrics(ctx.store, team)
    report, paces = pacing.view_and_paces(
        ctx.store, team, period, ctx.settings.targets, user=user, today=now, metrics=metrics
    )
    return alerts.findings(report, until=now), paces


def say(ctx, team: str, period, found: list[alerts.Finding], paces: list[pacing.Pace], lost, now) -> None:
    """The findings, a line each, then each pace of a running period, a line each ("Pacing: ...")."""
    from .ui.pacing_words import pace_text

    for finding in found:
        ctx.out.say(text(finding))
    if not found and not lost:
        ended = min(period.end, now - timedelta(days=1))  # today's figures come once it is over
        if ended < period.start:
            ctx.out.say(f"Team {team}, {period.describe()}: no day of it is over yet, so none is missing.")
        else:
            days = plural((ended - period.start).days + 1, "day")
            so_far = " so far" if ended < period.end else ""
            ctx.out.say(f"Team {team}, {period.describe()}: every target met, figures for every day{so_far} ({days}).")
    for pace in paces:
        ctx.out.say(f"Pacing: {pace_text(pace)}")


def text(finding: alerts.Finding) -> str:
    """One finding in a line: "2026-11-27: Chat CSAT 91.2 % < 95.0 % target (38 ratings)"."""
    if finding.kind == alerts.MISSING:
        return f"{finding.day}: no figures entered"
    from .ui.render import fmt_goal, fmt_judged

    metric, goal = finding.metric, finding.goal
    sign = "<" if goal.direction is Direction.AT_LEAST else ">"
    target = fmt_goal(metric, goal).split(" ", 1)[1]
    base = f" ({finding.base:,} {metric.base_noun})" if finding.base is not None and metric.base_noun else ""
    return f"{finding.day}: {metric.label} {fmt_judged(metric, finding.value, goal)} {sign} {target} target{base}"


def document(team: str, period, found: list[alerts.Finding], paces: list[pacing.Pace] = ()) -> dict:
    """The check for scripts: "findings" (a target out of reach is one, kind "out_of_reach", dated the
    period's last day) and "pacing", every pace of a running period (empty for a past one)."""
    from .ui.pacing_words import pace_document

    lost = [pace for pace in paces if pace.status is pacing.PaceStatus.OUT_OF_REACH]
    return {
        "team": team,
        "period": period.describe(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "ok": not found and not lost,
        "findings": [
            {
                "date": f.day.isoformat(),
                "kind": f.kind,
                "metric": f.metric.key if f.metric else None,
                "value": None if f.value is None else decimal_text(f.value, f.metric.places),  # rounded half up
                "target": None if f.goal is None else target_document(f.goal),
                "base": f.base,
                "text": text(f),
            }
            for f in found
        ]
        + [out_of_reach_document(pace) for pace in lost],
        "pacing": [pace_document(pace) for pace in paces],
    }


def out_of_reach_document(pace: pacing.Pace) -> dict:
    """A target the rest of a running period can no longer meet, as a finding."""
    from .ui.pacing_words import pace_text

    goal, metric = pace.goal, pace.metric
    return {
        "date": pace.period.end.isoformat(),
        "kind": pacing.PaceStatus.OUT_OF_REACH.value,
        "metric": metric.key,
        "value": None if pace.value is None else decimal_text(pace.value, metric.target_places),  # rounded half up
        "target": target_document(goal),
        "base": pace.base,
        "text": pace_text(pace),
    }


def target_document(goal) -> dict:
    """A target for scripts, exact: {"direction": ">=", "value": "95.5"} (pacing_words.goal_document)."""
    from .ui.pacing_words import goal_document

    return goal_document(goal)


def add_check_command(commands) -> None:
    """Declare `check` among ``commands`` (build_parser's subparsers)."""
    parser = command(commands, "check", check, "exit 3 when a day is missing or missed a target (for cron)")
    parser.add_argument(
        "--for", dest="for_period", default="yesterday", metavar="PERIOD", help="the days to check (default: yesterday)"
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    team_option(parser)
    who_option(parser)
