"""The app: the banner, the login menu and the main menu.

Everything heavy -- settings, the store, the screens and the domain behind them -- loads on first
use, so the banner and the login menu appear before any of it is imported (benchmarks/startup.py).
If the store can't be opened, the first option chosen says why and offers to try again.
"""

from __future__ import annotations

from .banner import show_banner
from .menus import Option, run_menu


class App:
    """The menus over what cli.main wired: ``wiring`` has ``out`` (the console), ``settings``,
    ``open_store()`` and ``log_details(error, what)``.  ``today`` is a function giving today's date."""

    def __init__(self, wiring, today=None) -> None:
        self.wiring, self.console, self.today = wiring, wiring.out, today
        self._screens = None

    @property
    def screens(self):
        if self._screens is None:
            from .screens import Screens

            self._screens = Screens(self.wiring, self.today)
        return self._screens

    def run(self) -> None:
        """Until the user exits (ExitApp, EOFError and Ctrl-C at a menu go up to cli.main)."""
        show_banner(self.console)
        logged = run_menu(
            self.console,
            "Login menu",
            [
                Option("1", "Log in", lambda: self.screens.login()),
                Option("2", "Register", lambda: self.screens.register()),
                Option("0", "Exit", None),
            ],
        )
        user = logged.user
        self.console.ok(f"Hello, {user.username}! You're logged in.")
        screens = self.screens
        screens.show_last_login(logged)
        run_menu(
            self.console,
            f"Main menu ({user.username})",
            [
                Option("1", "Add or update stats", lambda: screens.add_stats(user)),
                Option("2", "View stats", screens.view_stats),
                Option("3", "Export stats", screens.export_stats),
                Option("4", "Daily breakdown", screens.daily_breakdown),
                Option("5", "Trend chart", screens.trend_chart),
                Option("6", "Targets", lambda: screens.targets(user)),
                Option("7", "Department view", screens.department_view),
                Option("8", "History of a day", screens.day_history),
                Option("0", "Exit", None),
            ],
        )
