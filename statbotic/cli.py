"""main(argv) -> exit status: the one exit point and the one error boundary.

Turns StatboticError into its message, Ctrl-C / end of input into a goodbye, and anything
unexpected into one line naming the log file (the traceback only with --debug).
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: statbotic [--debug] [--version]

Runs the Statbotic menus in this terminal (the same as `python3 run.py`).

options:
  --debug    show tracebacks of unexpected errors (for developers)
  --version  print the version and exit
  -h, --help show this help and exit
"""
GOODBYE = "Goodbye! Thanks for using Statbotic."


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if argv in (["-h"], ["--help"]):
        print(USAGE, end="")
        return 0
    if argv == ["--version"]:
        from . import __version__

        print(f"statbotic {__version__}")
        return 0
    if argv:
        print(f"statbotic: unknown arguments: {' '.join(argv)}\n\n{USAGE}", end="", file=sys.stderr)
        return 2
    return run_interactive(debug)


def run_interactive(debug: bool) -> int:
    from .errors import StatboticError
    from .ui.console import TerminalConsole
    from .ui.menus import ExitApp

    console = TerminalConsole(no_color="NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "")
    store = None
    try:
        settings = load_settings()
        console.color = console.color and not settings.no_color
        from .storage import open_store
        from .ui.screens import App

        store = open_store(settings)
        App(console, store, settings).run()
    except ExitApp:
        pass
    except (EOFError, KeyboardInterrupt):
        console.write("\n")
    except StatboticError as problem:
        console.error(problem.message)
        return 1
    except Exception:  # the boundary: log it, say one line, never a traceback (unless --debug)
        if debug:
            raise
        console.error(f"Sorry, something unexpected went wrong. Details were written to {log_exception()}.")
        return 1
    finally:
        if store is not None:
            store.close()
    console.say(GOODBYE)
    return 0


def load_settings():
    from .config import Settings, load_dotenv_file

    load_dotenv_file()
    return Settings.from_env(os.environ)


def log_exception() -> str:
    """Append the current exception's traceback to the log file; return the file's path."""
    import logging
    import tempfile
    from pathlib import Path

    from .errors import StatboticError

    candidates = []
    try:
        candidates.append(load_settings().log_path)
    except StatboticError:  # settings may be the very thing that failed; the temp folder still works
        candidates.clear()
    candidates.append(Path(tempfile.gettempdir()) / "statbotic.log")
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            continue
        logger = logging.getLogger("statbotic")
        logger.addHandler(handler)
        logger.exception("unexpected error")
        handler.close()
        logger.removeHandler(handler)
        return str(path)
    return "nowhere (no writable log folder)"
