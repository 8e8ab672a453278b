"""What every subcommand shares: the parser that checks each value and keeps the one exit point in
cli.main, the login (token, or name and password), the team a command works on, a new password, and
the helpers that declare commands and their common options (--user, --team).

commands.py and people_commands.py both build on it (neither imports the other's commands but through
build_parser), so it holds nothing but what both use.
"""

from __future__ import annotations

import argparse
import textwrap

from . import people, services
from .auth import check_username
from .errors import InvalidInput, StatboticError, UsageError
from .limits import MAX_ANSWER, MAX_PASSWORD_LENGTH, checked_answer, cut, shown, text_problem

MAX_MESSAGE = 300  # characters of argparse's message (the usage line follows it)


class Parser(argparse.ArgumentParser):
    def add_argument(self, *args, **kwargs):
        """Every value an argument takes is checked before anything parses it: at most MAX_ANSWER
        characters (unless its type says otherwise, as ``bounded(MAX_PATH)`` does) of UTF-8 text."""
        if kwargs.get("action", "store") == "store":
            kwargs.setdefault("type", bounded(MAX_ANSWER))
        return super().add_argument(*args, **kwargs)

    def _check_value(self, action, value):  # argparse's own message would quote the value whole
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            raise argparse.ArgumentError(action, f"invalid choice: {shown(value)} (choose from {choices})")

    def error(self, message: str):  # argparse would exit 2 by itself; keep the one exit point in cli.main
        message = cut(message, MAX_MESSAGE)  # e.g. 'unrecognized arguments: ...' lists them all
        raise UsageError(f"{message}\n\n{self.format_usage().strip()}\n(see --help)")

    def _print_message(self, message: str, file=None):  # --help and --version: cli.main writes the text
        raise HelpShown(message)


class HelpShown(Exception):
    """--help or --version was asked for: ``text`` is the answer, for cli.main to print (exit status 0)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def bounded(limit: int):
    """An argparse type: the value, when it is at most ``limit`` characters of UTF-8 text."""

    def text(value: str) -> str:
        problem = text_problem(value, limit)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    return text


def username_argument(value: str) -> str:
    """An argparse type: a name that follows the username rule (--user; STATBOTIC_USER is checked likewise)."""
    try:
        return check_username(value)
    except InvalidInput as problem:
        raise argparse.ArgumentTypeError(problem.message) from None


def login(ctx, args, show_last_login: bool = False):
    """The user the command runs as: by STATBOTIC_TOKEN, or by name (--user or STATBOTIC_USER) and password.

    A password login is throttled (throttle.py: a locked name fails with 'try again in N minutes');
    ``show_last_login``: say on stderr when the previous login was and the failed attempts since."""
    settings = ctx.settings
    if settings.token is not None:
        user = services.login_with_token(ctx.store, settings.token.value)
        claimed = args.user or settings.user
        if claimed and claimed.lower() != user.username.lower():
            raise StatboticError(f"STATBOTIC_TOKEN belongs to {user.username}, not {claimed}.")
        return user
    username = args.user or settings.user
    if not username:
        raise UsageError("say who you are: --user NAME or STATBOTIC_USER.")
    if settings.password is not None:
        password = settings.password.value
    elif ctx.err.interactive:
        password = ctx.err.ask_secret(f"Password for {username}: ")
    else:
        raise StatboticError("No password: set STATBOTIC_PASSWORD, or run this in a terminal to be asked.")
    logged = services.log_in(ctx.store, username, password)
    if show_last_login:  # on stderr, and only where asked: scripts stay quiet
        from .ui.render import last_login_text

        text = last_login_text(logged.last_login, logged.failed_since)
        if text:
            ctx.err.say(text)
    return logged.user


def session(ctx, args):
    """(user, team): login, then the team the command works on (--team, else STATBOTIC_TEAM when the user
    is in it, else their only team; people.choose_team).  A --team the store doesn't have is refused,
    naming the teams the user may choose."""
    user = login(ctx, args)
    wanted = known_team(ctx, user, getattr(args, "team", None))
    return user, people.choose_team(ctx.store, user, wanted, ctx.settings.team)


def known_team(ctx, user, wanted: str | None) -> str | None:
    """``wanted`` (--team) when the store has that team, or None when none was asked; InvalidInput naming
    the teams the user may choose otherwise (never the others: a viewer learns no other team's name)."""
    if wanted:
        try:
            people.require_team(ctx.store, wanted)
        except InvalidInput:
            mine = ", ".join(team.name for team in people.teams_of(ctx.store, user, ctx.settings.team))
            raise InvalidInput(f"There is no team {shown(wanted)}. Your teams: {mine or 'none yet'}.") from None
    return wanted


def print_json(ctx, document: dict) -> int:
    """A command's --json answer on stdout, indented; exit status 0."""
    import json

    ctx.out.write(json.dumps(document, indent=2) + "\n")
    return 0


def help_text_of(function) -> str:
    """A command's docstring as its --help text (inspect.cleandoc, without importing inspect)."""
    first, _, rest = function.__doc__.partition("\n")
    return f"{first.strip()}\n{textwrap.dedent(rest)}".strip()


def command(commands, name: str, function, help_text: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=help_text,
        description=help_text_of(function),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=function)
    return parser


def group(commands, name: str, help_text: str, description: str):
    """A command with subcommands of its own (users, targets): returns where to add them."""
    parent = commands.add_parser(
        name, help=help_text, formatter_class=argparse.RawDescriptionHelpFormatter, description=description
    )
    return parent.add_subparsers(dest=f"{name}_command", metavar="COMMAND", parser_class=Parser, required=True)


def who_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        type=username_argument,
        help="who you are (default: $STATBOTIC_USER); password: $STATBOTIC_PASSWORD or a hidden prompt",
    )


def team_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--team", metavar="TEAM", help="the team (default: $STATBOTIC_TEAM when you are in it, else your only team)"
    )


def new_password(ctx, args) -> str:
    """A new password: one line of stdin with --password-stdin, else asked twice (hidden) in a terminal."""
    if args.password_stdin:
        line = ctx.stdin.readline(MAX_PASSWORD_LENGTH + 2).rstrip("\r\n")  # bounded: never a whole megabyte
        return checked_answer(line, MAX_PASSWORD_LENGTH, "The password read by --password-stdin")
    if ctx.err.interactive:
        from .ui.prompts import ask_new_password

        return ask_new_password(ctx.err)
    raise UsageError("no terminal to ask the password in: use --password-stdin.")


def today():
    from datetime import date

    return date.today()


def period_of(ctx, text: str):
    """A command's PERIOD argument (periods.parse_period), or UsageError (exit 2) naming what is wrong."""
    from .periods import parse_period

    try:
        return parse_period(text, today(), ctx.settings.week_start)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None


ALL_TEAMS = ()  # teams_of's answer for --all-teams: every team with data in the period


def teams_of(args) -> tuple[str, ...] | None:
    """The teams of a department view: ALL_TEAMS for --all-teams, those named by --teams, or None (the
    configured team's own view)."""
    if args.all_teams and args.teams:
        raise UsageError("--all-teams and --teams: choose one.")
    if args.all_teams:
        return ALL_TEAMS
    if args.teams is None:
        return None
    names = tuple(dict.fromkeys(name.strip() for name in args.teams.split(",") if name.strip()))
    if not names:
        raise UsageError("--teams takes team names separated by commas, e.g. --teams billing,support.")
    return names
