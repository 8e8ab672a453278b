"""Prompt helpers: ask, check, and on a bad answer say why and ask the same question again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from ..errors import InvalidInput
from ..metrics import EntryField
from ..parsing import parse_date, parse_extra_days, parse_figure, parse_past_date, parse_yes_no
from .console import Console

T = TypeVar("T")


def ask(console: Console, prompt: str, parse: Callable[[str], T]) -> T:
    while True:
        try:
            return parse(console.ask(prompt))
        except InvalidInput as problem:
            console.error(problem.message)


def ask_yes_no(console: Console, question: str) -> bool:
    return ask(console, f"{question} (y/n): ", parse_yes_no)


def ask_choice(console: Console, keys: list[str], prompt: str = "Choose an option: ") -> str:
    def parse(text: str) -> str:
        if text.strip() in keys:
            return text.strip()
        raise InvalidInput(f"Please choose one of: {', '.join(keys)}.")

    return ask(console, prompt, parse)


def ask_date(console: Console, prompt: str, today: date, past_only: bool = False) -> date:
    parser = parse_past_date if past_only else parse_date
    return ask(console, f"{prompt} (YYYY-MM-DD, today or yesterday): ", lambda text: parser(text, today))


def ask_extra_days(console: Console) -> int:
    return ask(console, "Number of extra days after the start (0 = that day only): ", parse_extra_days)


def ask_figure(console: Console, field: EntryField) -> float:
    return ask(console, f"{field.prompt}: ", lambda text: parse_figure(text, field))


def ask_secret(console: Console, prompt: str, check: Callable[[str], str]) -> str:
    while True:
        try:
            return check(console.ask_secret(prompt))
        except InvalidInput as problem:
            console.error(problem.message)
