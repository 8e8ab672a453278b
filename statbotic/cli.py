"""main(argv) -> exit status: the one place that wires the app, and its one exit point.

It reads the environment (and .env) once and checks every setting before anything is shown (a bad
one stops the app in one line naming it, exit 1), builds the consoles, the settings and the store
opener, then runs the menus (no arguments) or one subcommand (0 done, 1 failed, 2 usage error).  It is
also the error boundary: StatboticError becomes its message, Ctrl-C / end of input a goodbye,
anything unexpected one line naming the log file (the traceback only with --debug).  Heavy modules
load only on the paths that need them (benchmarks/startup.py).
"""

from __future__ import annotations

import os
import sys

GOODBYE = "Goodbye! Thanks for using Statbotic."


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    from .ui.console import TerminalConsole

    interactive = not argv
    out = TerminalConsole(color=colour_wanted(os.environ))
    err = out if interactive else TerminalConsole(stdout=sys.stderr, color=False)
    wiring = Wiring(out, err, environ=dict(os.environ))
    status = guarded(wiring.read_settings, wiring, debug, interactive)  # a bad one: one line, then exit 1
    if status:
        return status
    out.color = out.color and colour_wanted(wiring.environ)  # .env may ask for no colour too
    if not interactive:
        return guarded(lambda: wiring.run_command(argv), wiring, debug, interactive=False)
    status = guarded(wiring.run_menus, wiring, debug, interactive=True)
    out.say(GOODBYE)
    return status


def read_environment(environ) -> dict[str, str]:
    """The process environment plus a .env file in the current folder (real variables win); read once.
    ConfigError naming .env and the line when the file can't be read as settings."""
    merged = dict(environ)
    if os.path.isfile(".env"):  # python-dotenv is imported only when there is a file to read: start-up speed
        from .environment import read_dotenv

        for name, value in read_dotenv(".env").items():
            merged.setdefault(name, value)
    return merged


def colour_wanted(environ: dict[str, str]) -> bool:
    """Colour unless NO_COLOR is set (https://no-color.org) or the terminal is dumb; consoles also need a tty."""
    return environ.get("NO_COLOR", "") == "" and environ.get("TERM") != "dumb"


class Wiring:
    """What the menus and the commands are given: the settings, the consoles and the store.

    Settings are read from the environment snapshot on first use, once; the store opens on first use
    (the banner and login menu appear before either is needed) and is closed by ``close``.  Tests
    give ``settings`` (and a ``store``) directly instead of an environment."""

    def __init__(self, out, err=None, environ: dict[str, str] | None = None, settings=None, store=None) -> None:
        self.out, self.err, self.stdin = out, err or out, sys.stdin
        self.environ = {} if environ is None else environ
        self._settings, self._store = settings, store
        self._warned: set[str] = set()

    def read_settings(self) -> int:
        """Add .env to the environment snapshot and check every setting, before anything is shown: a bad
        value stops the app at start (ConfigError naming it).  Light (environment.py): the Settings
        themselves, with pathlib and fractions, are built on first use.  Returns 0."""
        from .environment import check_settings

        self.environ = read_environment(self.environ)
        check_settings(self.environ)
        return 0

    @property
    def settings(self):
        if self._settings is None:
            from .config import Settings

            self._settings = Settings.from_env(self.environ)
        return self._settings

    def open_store(self):
        """The configured store, opened once; StoreUnavailable when it can't be reached."""
        if self._store is None:
            from .storage import open_store

            self._store = open_store(self.settings)
            self.warn_about_files(self._store)
        return self._store

    store = property(open_store)

    def open_local(self):
        """The local SQLite store, whatever MONGODB_URI says (copy-data's source); the caller closes it."""
        from .storage import open_local

        store = open_local(self.settings)
        self.warn_about_files(store)
        return store

    def warn_about_files(self, store) -> None:
        """Say, once a run, which of the user's files other users can read: the store's, and the log."""
        from .private import readable_by_others

        for sentence in (*store.warnings, readable_by_others(self.settings.log_path, "The log file")):
            if sentence and sentence not in self._warned:
                self._warned.add(sentence)
                self.err.warn(sentence if self.err is self.out else f"statbotic: warning: {sentence}")

    def open_mongo(self, uri: str, setting: str):
        """A MongoDB store at ``uri`` (``setting`` names where it came from); the caller closes it."""
        from .storage import open_mongo

        return open_mongo(uri, self.settings.db_name, setting)

    def run_menus(self) -> int:
        from .ui.app import App

        App(self).run()
        return 0

    def run_command(self, argv: list[str]) -> int:
        from .commands import HelpShown, parse_arguments  # argparse: only when there are arguments

        try:
            args = parse_arguments(argv)
        except HelpShown as answer:
            self.out.write(answer.text)
            return 0
        return args.run(self, args)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def log_details(self, error: BaseException, what: str) -> str:
        """Write the error's details to the log file; return the file's path."""
        from .logfile import log_failure

        settings = self._settings
        if settings is None:
            return log_failure(error, what)
        secrets = [s.value for s in (settings.password, settings.token, settings.mail.password) if s is not None]
        return log_failure(error, what, settings.log_path, settings.mongodb_uri, secrets)


def guarded(work, wiring: Wiring, debug: bool, interactive: bool) -> int:
    """Run ``work`` inside the error boundary; return its exit status (and always close the store)."""
    from .errors import Cancelled, ExitApp, StatboticError, UsageError

    console = wiring.err

    def tell(message: str) -> None:
        console.error(message if interactive else f"statbotic: {message}")

    try:
        return work()
    except ExitApp:
        return 0
    except BrokenPipeError:  # e.g. `statbotic view ... --json | head`: the reader left; say nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (EOFError, KeyboardInterrupt):
        console.write("\n")
        return 0 if interactive else 130
    except Cancelled:
        return 1
    except UsageError as problem:
        tell(problem.message)
        return 2
    except StatboticError as problem:
        tell(problem.message)
        return 1
    except Exception as unexpected:  # the boundary: log it, say one line, never a traceback (unless --debug)
        if debug:
            raise
        path = wiring.log_details(unexpected, "unexpected error")
        tell(f"Sorry, something unexpected went wrong. Details were written to {path}.")
        return 1
    finally:
        wiring.close()
