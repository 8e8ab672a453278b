"""The app: the banner, the login menu and the main menu.

Everything heavy -- settings, the store, the screens and the domain behind them -- loads on first
use, so the banner and the login menu appear before any of it is imported (benchmarks/startup.py).
If the store can't be opened, the first option chosen says why and offers to try again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .banner import show_banner
from .console import Console
from .menus import Option, run_menu


class App:
    def __init__(
        self,
        console: Console,
        store=None,
        settings=None,
        today: Callable[[], date] = date.today,
        load_settings: Callable[[], object] | None = None,
    ) -> None:
        self.console, self.today = console, today
        self._store, self._owns_store = store, store is None
        self._settings, self._load_settings = settings, load_settings
        self._screens = None

    @property
    def settings(self):
        if self._settings is None:
            self._settings = self._load_settings()
        return self._settings

    @property
    def store(self):
        if self._store is None:
            from .screens import connect

            self._store = connect(self.console, self.settings)
        return self._store

    @property
    def screens(self):
        if self._screens is None:
            from .screens import Screens

            self._screens = Screens(self.console, self.store, self.settings, self.today)
        return self._screens

    def run(self) -> None:
        """Until the user exits (ExitApp, EOFError and Ctrl-C at a menu go up to cli.main)."""
        show_banner(self.console)
        user = run_menu(
            self.console,
            "Login menu",
            [
                Option("1", "Log in", lambda: self.screens.login()),
                Option("2", "Register", lambda: self.screens.register()),
                Option("0", "Exit", None),
            ],
        )
        self.console.ok(f"Hello, {user.username}! You're logged in.")
        screens = self.screens
        run_menu(
            self.console,
            f"Main menu ({user.username})",
            [
                Option("1", "Add or update stats", lambda: screens.add_stats(user)),
                Option("2", "View stats", screens.view_stats),
                Option("3", "Export stats", screens.export_stats),
                Option("4", "Daily breakdown", screens.daily_breakdown),
                Option("5", "Trend chart", screens.trend_chart),
                Option("0", "Exit", None),
            ],
        )

    def close(self) -> None:
        if self._owns_store and self._store is not None:
            self._store.close()
