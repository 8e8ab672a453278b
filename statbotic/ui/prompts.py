"""Prompt helpers: ask, check, and on a bad answer say why and ask the same question again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..errors import InvalidInput
from .console import Console

# parsing (and through it metrics) is imported inside the helpers that need it: the menus use
# ask_choice before the first prompt, and start-up stays light.


def ask(console: Console, prompt: str, parse: Callable[[str], object]):
    while True:
        try:
            return parse(console.ask(prompt))
        except InvalidInput as problem:
            console.error(problem.message)


def ask_yes_no(console: Console, question: str) -> bool:
    from ..parsing import parse_yes_no

    return ask(console, f"{question} (y/n): ", parse_yes_no)


def ask_choice(console: Console, keys: list[str], prompt: str = "Choose an option: ") -> str:
    def parse(text: str) -> str:
        if text.strip() in keys:
            return text.strip()
        raise InvalidInput(f"Please choose one of: {', '.join(keys)}.")

    return ask(console, prompt, parse)


def ask_date(console: Console, prompt: str, today: date, past_only: bool = False) -> date:
    from ..parsing import parse_date, parse_past_date

    parser = parse_past_date if past_only else parse_date
    return ask(console, f"{prompt} (YYYY-MM-DD, today or yesterday): ", lambda text: parser(text, today))


def ask_extra_days(console: Console) -> int:
    from ..parsing import parse_extra_days

    return ask(console, "Number of extra days after the start (0 = that day only): ", parse_extra_days)


def ask_figure(console: Console, field, entered: dict, keep: str | None = None, metrics=None) -> tuple:
    """Ask one entry field (an EntryField of ``metrics``, the team's: metrics.Metrics; the built-ins when
    None): its value, a note to show back (a percentage converted to a count) and the answer as typed.
    With ``keep`` (an answer shown in [brackets]), a blank answer means that one again, read afresh: a
    kept 96% is 96 % of the ratings typed this time."""
    from ..metrics import BUILTIN
    from ..parsing import parse_field

    def parse(text: str) -> tuple:
        answer = keep if keep is not None and not text.strip() else text.strip()
        return (*parse_field(field, answer, entered, metrics or BUILTIN), answer)

    shown = f" [{keep}]" if keep is not None else ""
    return ask(console, f"{field.prompt}{shown}: ", parse)


def ask_secret(console: Console, prompt: str, check: Callable[[str], str]) -> str:
    while True:
        try:
            return check(console.ask_secret(prompt))
        except InvalidInput as problem:
            console.error(problem.message)


def ask_new_password(console: Console, prompt: str = "Password") -> str:
    """A new password, hidden, checked against the rules and typed twice; asked again until both match."""
    from ..auth import MIN_PASSWORD_LENGTH, check_password

    while True:
        password = ask_secret(console, f"{prompt} (at least {MIN_PASSWORD_LENGTH} characters): ", check_password)
        if ask_secret(console, "Confirm the password: ", str) == password:
            return password
        console.error("The passwords don't match. Please try again.")
