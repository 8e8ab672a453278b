"""The app: the banner, the login menu and the main menu.

Everything heavy -- settings, the store, the screens and the domain behind them -- loads on first
use, so the banner and the login menu appear before any of it is imported (benchmarks/startup.py).
If the store can't be opened, the first option chosen says why and offers to try again.
"""

from __future__ import annotations

from .banner import show_banner
from .menus import Option, run_changing_menu, run_menu


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
                Option("3", "Set a new password with a reset code", lambda: self.screens.reset_password()),
                Option("0", "Exit", None),
            ],
        )
        user = logged.user
        self.console.ok(f"Hello, {user.username}! You're logged in.")
        screens = self.screens
        screens.show_last_login(logged)
        screens.begin(user)
        run_changing_menu(self.console, self.main_menu)

    def main_menu(self) -> tuple[str, list[Option]]:
        """The main menu of the team chosen: only the entries the user's role there allows (the keys stay
        the same whatever is left out, so a lead's 8 is a viewer's 8)."""
        screens = self.screens
        rights = screens.rights()
        if not rights.teams:
            return f"Main menu ({rights.username}, in no team yet)", [
                Option("1", "Which team am I in?", screens.no_team),
                Option("0", "Exit", None),
            ]
        entries = [
            ("1", "Add or update stats", screens.add_stats, rights.edit),
            ("2", "View stats", screens.view_stats, True),
            ("3", "Export stats", screens.export_stats, True),
            ("4", "Daily breakdown", screens.daily_breakdown, True),
            ("5", "Trend chart", screens.trend_chart, True),
            ("6", "Targets", screens.targets, True),
            ("7", "Department view", screens.department_view, True),
            ("8", "History of a day", screens.day_history, True),
            ("9", "Switch team", screens.switch_team, len(rights.teams) > 1),
            ("10", "Administration", screens.administration, rights.admin),
            ("10", f"Invite someone to {rights.team_label}", screens.invite, rights.edit and not rights.admin),
            ("11", "Import a file", self.import_file, rights.edit and not screens.settings.web_session),
            ("12", "Agents", screens.agents, rights.edit),
            ("12", "My stats", screens.my_stats, not rights.edit),
            ("13", "Add stats for an agent", screens.add_for_agent, rights.edit),
            ("14", "Report for a manager", self.report_for_a_manager, True),
            ("15", "Share a report link", self.share_link, rights.edit),
            ("0", "Exit", None, True),
        ]
        title = f"Main menu ({rights.username}, {rights.team_label})"
        return title, [Option(key, label, action) for key, label, action, shown in entries if shown]

    def report_for_a_manager(self) -> None:
        """The period's report as one HTML file (ui/report_screen.py; report_page loads only then)."""
        from .report_screen import report_for_a_manager

        report_for_a_manager(self.screens)

    def share_link(self) -> None:
        """Share a report as a read-only link, list and revoke links (leads and admins; ui/share_screen.py)."""
        from .share_screen import ShareScreen

        ShareScreen(self.screens).run()

    def import_file(self) -> None:
        """Import a file (leads and admins; not in the web page, where a path would be the server's)."""
        from .import_screen import ImportScreen

        ImportScreen(self.screens).run()
