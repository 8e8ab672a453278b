"""How long any input may be, and the checks every input path applies before parsing it.

Prompts (ui/console.py), options (commands.py), settings (environment.py) and files all use these.
Imports nothing but errors: the menus read their first answer through it (benchmarks/startup.py).
"""

from __future__ import annotations

from .errors import InvalidInput

MAX_ANSWER = 200  # characters of a typed answer or an option's value: dates, periods, figures, targets
MAX_NAME = 64  # characters of a short setting: a team, a username, a weekday, a target, a database name
MAX_PASSWORD_LENGTH = 1024  # characters: hashing a megabyte-long password would be a denial of service
MAX_PATH = 1024  # characters of a file or folder path, or of a MongoDB connection string
MAX_SETTINGS_FILE = 65_536  # bytes of .env


def shown(text: str, limit: int = 40) -> str:
    """What the user typed, quoted, cut short when long (a message never repeats a pasted essay)."""
    return repr(cut(text, limit))


def cut(text: str, limit: int) -> str:
    """``text``, or its first limit - 1 characters and '…'."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_problem(text: str, limit: int) -> str | None:
    """Why ``text`` can't be taken as an answer ('too long: ...', 'not UTF-8 text'), or None when it can."""
    if len(text) > limit:
        return f"too long: at most {limit:,} characters"
    try:
        text.encode("utf-8")  # bytes that were not UTF-8 arrive as lone surrogates (surrogateescape)
    except UnicodeEncodeError:
        return "not UTF-8 text (check the terminal's or the file's encoding)"
    return None


def checked_answer(text: str, limit: int = MAX_ANSWER, what: str = "That answer") -> str:
    """``text`` when it is at most ``limit`` characters of UTF-8 text; InvalidInput saying why otherwise."""
    problem = text_problem(text, limit)
    if problem:
        raise InvalidInput(f"{what} is {problem}.")
    return text
