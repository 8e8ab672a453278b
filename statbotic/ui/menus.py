"""Numbered menus: a table of (key, label, action) and the loop that runs it.

Ctrl-C inside an action cancels that form and comes back here; Ctrl-C or end of input
at the menu itself leaves the app (the exceptions go up to cli.main).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Cancelled, ExitApp, StatboticError
from .console import Console
from .prompts import ask_choice

# This module, prompts and console are all the menus need before the first prompt: they import no
# dataclasses, typing or domain modules, which keeps start-up fast (see benchmarks/startup.py).


class Option:
    """A menu line: the key to type, its label, and the action (None means Exit)."""

    __slots__ = ("key", "label", "action")

    def __init__(self, key: str, label: str, action: Callable[[], object] | None) -> None:
        self.key, self.label, self.action = key, label, action


def choose(console: Console, title: str, lines: list[tuple[str, str]], prompt: str = "Choose an option: ") -> str:
    """Show numbered (key, label) lines under a title and return the key chosen (asked until valid)."""
    console.say(title, "heading")
    width = max(len(key) for key, _ in lines)  # keys right-aligned: " 9" above "10"
    for key, label in lines:
        console.say(f"  {console.paint(key.rjust(width), 'accent')}  {label}")
    return ask_choice(console, [key for key, _ in lines], prompt)


def choose_from(console: Console, title: str, labels: list[str], prompt: str) -> int:
    """Numbered 1..N choice among labels; returns the index chosen."""
    return int(choose(console, title, [(str(n), label) for n, label in enumerate(labels, start=1)], prompt)) - 1


def run_menu(console: Console, title: str, options: list[Option]) -> object:
    """Show the menu until an action returns something other than None; return that."""
    return run_changing_menu(console, lambda: (title, options))


def run_changing_menu(console: Console, build: Callable[[], tuple[str, list[Option]]]) -> object:
    """run_menu whose title and options are built again before each showing (they follow the team
    chosen and the user's role in it)."""
    while True:
        title, options = build()
        console.say()
        choice = choose(console, title, [(o.key, o.label) for o in options])
        option = next(o for o in options if o.key == choice)
        if option.action is None:
            raise ExitApp
        result = run_action(console, option.action)
        if result is not None:
            return result


def run_action(console: Console, action: Callable[[], object]) -> object:
    try:
        return action()
    except (KeyboardInterrupt, Cancelled):
        console.interrupted()
        console.warn("Cancelled. Nothing was saved.")
    except StatboticError as problem:
        console.error(problem.message)
    return None
