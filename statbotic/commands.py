"""The subcommands: run once, print, exit with a meaningful status.  Each docstring is its --help."""

from __future__ import annotations

import argparse
import inspect
import sys

from . import __version__, services
from .errors import StatboticError


class UsageError(StatboticError):
    """Bad arguments: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit 2 by itself; keep the one exit point in cli.main
        raise UsageError(f"{message}\n\n{self.format_usage().strip()}\n(see --help)")


def copy_data(args) -> int:
    """Copy every user and day from the local SQLite store into a MongoDB store.

    Safe to run again: users already there and days already identical are left alone.

    example:
      statbotic copy-data --to "mongodb+srv://lead:PASSWORD@cluster0.example.mongodb.net/statbotic"
    """
    from .cli import load_settings
    from .storage.mongo import MongoStore
    from .storage.sqlite import SQLiteStore

    settings = load_settings()
    target_uri = args.to or settings.mongodb_uri
    if not target_uri:
        raise UsageError("copy-data needs --to mongodb://... (or MONGODB_URI in the environment or .env).")
    if not settings.database_path.exists():
        raise StatboticError(f"There is no local data file at {settings.database_path} (STATBOTIC_DATA_DIR).")
    source = SQLiteStore(settings.database_path)
    try:
        target = MongoStore.connect(target_uri, default_db_name=settings.db_name)
        try:
            report = services.copy_data(source, target)
        finally:
            target.close()
    finally:
        source.close()
    print(f"Copied from {source.description} to {target.description}:")
    print(f"  users: {report.users_copied} copied, {report.users_present} already there")
    print(f"  days:  {report.days_copied} copied, {report.days_unchanged} already identical")
    return 0


COMMANDS = {"copy-data": copy_data}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="statbotic",
        description="Record a support team's daily stats. "
        "With no command, opens the menus (the same as `python3 run.py`).",
        epilog="--debug (anywhere) shows tracebacks of unexpected errors, for developers.",
    )
    parser.add_argument("--version", action="version", version=f"statbotic {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    copy = commands.add_parser(
        "copy-data",
        help="copy the local SQLite data into MongoDB",
        description=inspect.cleandoc(copy_data.__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    copy.add_argument("--to", metavar="MONGODB_URI", help="the target MongoDB (default: $MONGODB_URI)")
    return parser


def run_command(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("a command is needed (or no arguments at all, for the menus); see --help.")
        return COMMANDS[args.command](args)
    except UsageError as problem:
        print(f"statbotic: {problem.message}", file=sys.stderr)
        return 2
