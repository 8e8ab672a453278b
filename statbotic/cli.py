"""main(argv) -> exit status: the one exit point and the one error boundary.

With no arguments it runs the menus.  With a subcommand it runs once and exits:
0 done, 1 failed (message on stderr), 2 usage error.  StatboticError becomes its message,
Ctrl-C / end of input a goodbye, anything unexpected one line naming the log file
(the traceback only with --debug).  Heavy modules load only on the paths that need them.
"""

from __future__ import annotations

import os
import sys

GOODBYE = "Goodbye! Thanks for using Statbotic."


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if not argv:
        return run_interactive(debug)

    def command() -> int:
        from .commands import run_command  # argparse and friends: only when there are arguments

        return run_command(argv)

    return guarded(command, debug, interactive=False)


def run_interactive(debug: bool) -> int:
    from .ui.app import App
    from .ui.console import TerminalConsole

    load_dotenv_file()  # before the console looks at NO_COLOR
    console = TerminalConsole(no_color=os.environ.get("NO_COLOR", "") != "")
    app = App(console, load_settings=load_settings)

    def session() -> int:
        try:
            app.run()
        finally:
            app.close()
        return 0

    status = guarded(session, debug, interactive=True, console=console)
    console.say(GOODBYE)
    return status


def guarded(work, debug: bool, interactive: bool, console=None) -> int:
    """Run ``work`` inside the error boundary; return its exit status."""
    from .errors import Cancelled, ExitApp, StatboticError

    def tell(message: str) -> None:
        if console is not None:
            console.error(message)
        else:
            print(f"statbotic: {message}", file=sys.stderr)

    try:
        return work()
    except ExitApp:
        return 0
    except BrokenPipeError:  # e.g. `statbotic view ... --json | head`: the reader left; say nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stdout if interactive else sys.stderr)
        return 0 if interactive else 130
    except Cancelled:
        return 1
    except StatboticError as problem:
        tell(problem.message)
        return 1
    except Exception as unexpected:  # the boundary: log it, say one line, never a traceback (unless --debug)
        if debug:
            raise
        from .logfile import log_failure

        path = log_failure(unexpected, "unexpected error")
        tell(f"Sorry, something unexpected went wrong. Details were written to {path}.")
        return 1


def load_dotenv_file(path: str = ".env") -> None:
    """Read .env from the current folder into os.environ; real environment variables win."""
    if not os.path.isfile(path):
        return  # python-dotenv is imported only when there is a file to read: start-up speed
    from dotenv import load_dotenv

    load_dotenv(path, override=False)


def load_settings():
    from .config import Settings

    load_dotenv_file()
    return Settings.from_env(os.environ)
