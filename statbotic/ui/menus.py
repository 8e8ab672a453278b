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


def run_menu(console: Console, title: str, options: list[Option]) -> object:
    """Show the menu until an action returns something other than None; return that."""
    while True:
        console.say()
        console.say(title, "heading")
        for option in options:
            console.say(f"  {console.paint(option.key, 'accent')}  {option.label}")
        choice = ask_choice(console, [o.key for o in options])
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
