"""The workflows as screens: login, register, add or update, view and export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from .. import auth, services
from ..config import Settings
from ..errors import AuthenticationFailed, DuplicateUser, StoreUnavailable
from ..metrics import ENTRY_FIELDS
from ..records import User
from ..storage.base import Store
from . import render
from .console import Console
from .menus import Cancelled, Option, run_menu
from .prompts import ask, ask_date, ask_extra_days, ask_figure, ask_secret, ask_yes_no

LOGIN_ATTEMPTS = 3


def connect(console: Console, settings: Settings) -> Store:
    """Open the configured store; if it can't be reached, say why and offer to try again."""
    from ..storage import open_store

    while True:
        try:
            return open_store(settings)
        except StoreUnavailable as problem:
            console.error(problem.message)
            if not ask_yes_no(console, "Try again?"):
                raise Cancelled from None


T = TypeVar("T")


@dataclass
class App:
    console: Console
    store: Store
    settings: Settings
    today: Callable[[], date] = field(default=date.today)

    def run(self) -> None:
        """Banner, login menu, then the main menu until the user exits (ExitApp / EOFError go up)."""
        render.banner(self.console)
        user = run_menu(
            self.console,
            "Login menu",
            [
                Option("1", "Log in", self.login),
                Option("2", "Register", self.register),
                Option("0", "Exit", None),
            ],
        )
        self.console.ok(f"Hello, {user.username}! You're logged in.")
        run_menu(
            self.console,
            f"Main menu ({user.username})",
            [
                Option("1", "Add or update stats", lambda: self.add_stats(user)),
                Option("2", "View stats", self.view_stats),
                Option("3", "Export stats", self.export_stats),
                Option("0", "Exit", None),
            ],
        )

    # login menu
    def login(self) -> User | None:
        for attempt in range(1, LOGIN_ATTEMPTS + 1):
            username = self.console.ask("Username: ")
            password = self.console.ask_secret("Password: ")
            try:
                return self.with_retry(lambda: services.login(self.store, username, password))
            except AuthenticationFailed as failure:
                left = LOGIN_ATTEMPTS - attempt
                self.console.error(failure.message + (f" {left} tr{'y' if left == 1 else 'ies'} left." if left else ""))
        self.console.error("Too many failed attempts. Back to the login menu.")
        return None

    def register(self) -> None:
        console = self.console
        username = ask(
            console,
            "Choose a username (3-32 letters, digits, '.', '_' or '-'): ",
            lambda text: self.with_retry(lambda: services.ensure_username_free(self.store, text)),
        )
        while True:
            password = ask_secret(
                console, f"Choose a password (at least {auth.MIN_PASSWORD_LENGTH} characters): ", auth.check_password
            )
            if console.ask_secret("Confirm the password: ") == password:
                break
            console.error("The passwords don't match. Please try again.")
        try:
            self.with_retry(lambda: services.register(self.store, username, password))
        except DuplicateUser as taken:  # someone took the name while the password was typed
            console.error(taken.message)
            return None
        console.ok(f"Registered {username}. You can log in now.")
        return None

    # main menu
    def add_stats(self, user: User) -> None:
        console = self.console
        while True:
            day = ask_date(console, "Date of the stats", self.today(), past_only=True)
            existing = self.with_retry(lambda: self.store.get_day(self.settings.team, day))
            if existing is not None:
                render.show_day(console, existing)
            if existing is None or ask_yes_no(console, f"Overwrite the figures for {day.isoformat()}?"):
                entered = self.stats_form(day)
                self.with_retry(lambda: services.record_day(self.store, self.settings.team, user, day, entered))
                console.ok(f"{'Updated' if existing else 'Saved'} the stats for {day.isoformat()}.")
            else:
                console.say(f"Kept the figures for {day.isoformat()} as they were.")
            if not ask_yes_no(console, "Enter more stats?"):
                return None

    def stats_form(self, day: date) -> dict[str, float]:
        console, source = self.console, None
        console.say(f"Enter the figures for {day.isoformat()}. Ctrl-C cancels without saving.", "dim")
        entered = {}
        for entry in ENTRY_FIELDS:
            if entry.source != source:
                source = entry.source
                console.say(f"From {source}:", "heading")
            entered[entry.key] = ask_figure(console, entry)
        return entered

    def ask_range(self) -> tuple[date, date]:
        start = ask_date(self.console, "Start date", self.today())
        return start, start + timedelta(days=ask_extra_days(self.console))

    def view_stats(self) -> None:
        while True:
            start, end = self.ask_range()
            summary = self.with_retry(lambda: services.summarise_range(self.store, self.settings.team, start, end))
            render.show_summary(self.console, summary, self.settings.team)
            if not ask_yes_no(self.console, "View more stats?"):
                return None

    def export_stats(self) -> None:
        console = self.console
        while True:
            start, end = self.ask_range()
            result = self.with_retry(
                lambda: services.export_range(self.store, self.settings.team, start, end, self.settings.export_dir)
            )
            if result is None:
                console.warn(f"No stats were entered from {start.isoformat()} to {end.isoformat()}; no file written.")
            else:
                path, summary = result
                console.ok(f"Exported {summary.days_with_data} day(s) to {path.resolve()}")
            if not ask_yes_no(console, "Export more stats?"):
                return None

    def with_retry(self, operation: Callable[[], T]) -> T:
        """Run a store operation; if the store is unavailable, say why and offer to try again."""
        while True:
            try:
                return operation()
            except StoreUnavailable as problem:
                self.console.error(problem.message)
                if not ask_yes_no(self.console, "Try again?"):
                    raise Cancelled from None
