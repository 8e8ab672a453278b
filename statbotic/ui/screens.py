"""The workflows as screens: login, register, add or update, view, export and targets.

Screens reach the store only through services; the store itself comes from cli.main's wiring.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from .. import access, agent_figures, pacing, people, services
from ..errors import (
    AuthenticationFailed,
    Cancelled,
    DuplicateUser,
    ExitApp,
    InvalidInput,
    LoginLocked,
    NoData,
    StoreUnavailable,
)
from ..export import EXPORT_FORMATS
from ..frozen import frozen
from ..metrics import Metrics, RangeMetric
from ..parsing import is_single_date, parse_goal, typed_percents
from ..periods import Period, parse_period, plural, span
from ..records import Team, User
from ..reports import BY_DATE, DAY_ORDERS
from . import render
from .console import Console
from .menus import choose, choose_from
from .pacing_words import show_pacing
from .prompts import ask, ask_choice, ask_date, ask_extra_days, ask_figure, ask_new_password, ask_yes_no

LOGIN_ATTEMPTS = 3
# Short enough for an 80-column terminal; a wrong answer lists every form that works.
PERIOD_PROMPT = "Start date or period (e.g. 2026-11-20, last 7 days, this month, 2026-W47): "
ORDER_PROMPT = "Order: 1 by date, 2 worst days first: "  # the keys follow reports.DAY_ORDERS

T = TypeVar("T")


def retrying(console: Console, operation: Callable[[], T], log_details: Callable[[BaseException, str], str]) -> T:
    """Run a store operation; if the store is unavailable, say why (details to the log) and offer to
    try again.  Cancelled if the user declines."""
    while True:
        try:
            return operation()
        except StoreUnavailable as problem:
            console.error(problem.message)
            console.say(f"Details: {log_details(problem, 'store unavailable')}", "dim")
            if not ask_yes_no(console, "Try again?"):
                raise Cancelled from None


def exported_message(path, days: int, web_session: bool) -> str:
    """Where an export went: the file's full path, or in the web page the download list beside the terminal."""
    if web_session:
        return f"Exported {plural(days, 'day')} to {path.name}: download it from Downloads, beside the terminal."
    return f"Exported {plural(days, 'day')} to {path.resolve()}"


def _refuse(message: str):
    raise InvalidInput(message)


@frozen
class Rights:
    """What the main menu offers: the teams the user may see, the one chosen, and the role there."""

    username: str
    teams: tuple[Team, ...]
    team_label: str
    edit: bool
    admin: bool


class Screens:
    """The forms behind the menu options; App (ui/app.py) runs the menus and calls these.  After login,
    ``user`` is who is logged in and ``team`` the team chosen (begin, switch_team)."""

    def __init__(self, wiring, today: Callable[[], date] | None = None) -> None:
        self.console, self.settings, self.today = wiring.out, wiring.settings, today or date.today
        self.log_details = wiring.log_details
        self.store = self.with_retry(wiring.open_store)
        self._username: str | None = None  # who logged in; their record is read afresh (``user``)
        self.team = self.settings.team  # until begin(): the default team (STATBOTIC_TEAM)
        self.teams: tuple[Team, ...] = ()

    # the session: who, which team
    @property
    def user(self) -> User | None:
        """Who is logged in (None before login), read afresh from the store at each use: an admin's
        change -- a role taken away, the user disabled -- holds at once, not at the next login.  A user
        disabled (or gone) meanwhile is told so and the app ends (ExitApp): nothing more is saved as them."""
        if self._username is None:
            return None
        name = self._username
        fresh = self.with_retry(lambda: services.current_user(self.store, name))
        if fresh is None or fresh.disabled:
            self.console.error(f"{name} is disabled now: ask an admin to enable you. Logged out.")
            raise ExitApp
        return fresh

    @user.setter
    def user(self, user: User) -> None:
        self._username = user.username

    def begin(self, user: User) -> None:
        """After login: the user's teams; one goes straight to its menu, several are offered to choose from
        (the default team, STATBOTIC_TEAM, first when it is one of them)."""
        self.user = user
        self.refresh_teams()
        if len(self.teams) > 1:
            self.switch_team()
        elif self.teams:
            self.team = self.teams[0].name

    def refresh_teams(self) -> None:
        default = self.settings.team
        found = self.with_retry(lambda: people.teams_of(self.store, self.user, default))
        self.teams = tuple(sorted(found, key=lambda team: (team.name != default, team.name)))
        if self.teams and self.team not in {team.name for team in self.teams}:
            self.team = self.teams[0].name

    def rights(self) -> Rights:
        label = next((f"team {t.display_name}" for t in self.teams if t.name == self.team), f"team {self.team}")
        user = self.user  # one read of the user's record per menu shown
        return Rights(user.username, self.teams, label, access.can_edit(user, self.team), access.is_admin(user))

    def switch_team(self) -> None:
        labels = [render.team_label(team, self.user) for team in self.teams]
        chosen = self.teams[choose_from(self.console, "Your teams", labels, "Choose a team: ")]
        self.team = chosen.name
        self.console.ok(f"Showing team {chosen.display_name}.")

    def no_team(self) -> None:
        self.console.say(f"{self.user.username} is in no team yet: an admin adds you to one (then log in again).")

    def administration(self) -> None:
        from .admin import AdminScreens

        AdminScreens(self).run()
        self.refresh_teams()

    def invite(self) -> None:
        from .admin import AdminScreens

        AdminScreens(self).create_invite(self.team)

    # login menu
    def login(self) -> services.LoggedIn | None:
        """Up to LOGIN_ATTEMPTS tries, back to the login menu after them, or at once when the name is
        locked (throttle.py: trying again while locked only makes the lock longer)."""
        for attempt in range(1, LOGIN_ATTEMPTS + 1):
            try:  # an answer too long or not text is a failed try too
                username = self.console.ask("Username: ")
                password = self.console.ask_secret("Password: ")
                return self.with_retry(lambda: services.log_in(self.store, username, password))
            except LoginLocked as locked:
                self.console.error(locked.message)
                return None
            except (AuthenticationFailed, InvalidInput) as failure:
                left = LOGIN_ATTEMPTS - attempt
                self.console.error(failure.message + (f" {left} tr{'y' if left == 1 else 'ies'} left." if left else ""))
        self.console.error("Too many failed attempts. Back to the login menu.")
        return None

    def reset_password(self) -> None:
        """Set a new password with a reset code from an admin: the name, the code, the password twice.
        Throttled like login (a wrong code counts as a failed login of the name)."""
        console = self.console
        console.say("An admin gives you a reset code (Administration, 6). Ctrl-C goes back.", "dim")
        username = ask(console, "Username: ", lambda text: text.strip() or _refuse("Please type your username."))
        code = ask(console, "Reset code: ", lambda text: text.strip() or _refuse("Please type the reset code."))
        password = ask_new_password(console, "New password")
        try:
            self.with_retry(lambda: people.reset_password(self.store, username, code, password))
        except AuthenticationFailed as failure:  # LoginLocked too
            console.error(failure.message)
            return None
        console.ok(f"Your new password is set, {username}. You can log in now.")
        return None

    def show_last_login(self, logged: services.LoggedIn) -> None:
        text = render.last_login_text(logged.last_login, logged.failed_since)
        if text:
            (self.console.warn if logged.failed_since else self.console.say)(text)

    def register(self) -> None:
        """By the store's rules (people.registration_rules): the first user is told they become the admin;
        a closed store says so before anything is asked; an invite code and an e-mail address are asked
        when the rules need them, each checked as soon as it is typed."""
        console = self.console
        rules = self.with_retry(lambda: people.registration_rules(self.store))
        if rules.closed:
            console.warn(people.CLOSED_MESSAGE)
            return None
        if rules.first and self.settings.web_session:  # a stranger must not be first to a new deploy
            console.warn(people.NO_ADMIN_ON_THE_WEB)
            return None
        if rules.first:
            console.say(f"You are the first user: you'll be the admin, and a lead of team {self.settings.team}.", "dim")
        code = None
        if rules.needs_invite:
            console.say("Registration needs an invite code from an admin or a lead.", "dim")
            code = ask(
                console,
                "Invite code: ",
                lambda text: self.with_retry(lambda: people.check_invite(self.store, text)) and text,
            )
        username = ask(
            console,
            "Choose a username (3-32 letters, digits, '.', '_' or '-'): ",
            lambda text: self.with_retry(lambda: services.ensure_username_free(self.store, text)),
        )
        email = None
        if rules.asks_email:
            email = ask(
                console,
                f"Your e-mail address (at {', '.join(rules.domains)}): ",
                lambda text: people.check_email(text, rules.domains),
            )
        password = ask_new_password(console, "Choose a password")
        try:
            user = self.with_retry(
                lambda: people.register(
                    self.store, username, password, default_team=self.settings.team, invite_code=code, email=email
                )
            )
        except DuplicateUser as taken:  # someone took the name while the password was typed
            console.error(taken.message)
            return None
        console.ok(f"Registered {username}. You can log in now.")
        if not user.teams and not user.admin:
            console.say("You are in no team yet: an admin adds you to one.", "dim")
        return None

    def usable_invite(self, code: str) -> str:
        """The code as typed, when it is an invite that can still be used (people.check_invite)."""
        self.with_retry(lambda: people.check_invite(self.store, code))
        return code

    # main menu
    def team_metrics(self) -> Metrics:
        """The metrics the team tracks (services.team_metrics): read once per screen."""
        team = self.team
        return self.with_retry(lambda: services.team_metrics(self.store, team))

    def add_stats(self) -> None:
        console = self.console
        access.require_edit(self.user, self.team, "add or change days")  # the menu may be older than a change
        metrics = self.team_metrics()
        while True:
            day = ask_date(console, "Date of the stats", self.today(), past_only=True)
            existing = self.get_day(day)
            if existing is not None:
                render.show_day(console, existing, metrics)
                console.say("Its earlier versions: 8 History of a day, in the main menu.", "dim")
            if existing is None or ask_yes_no(console, f"Overwrite the figures for {day.isoformat()}?"):
                self.fill_in_and_save(day, existing, metrics)
            else:
                console.say(f"Kept the figures for {day.isoformat()} as they were.")
            if not ask_yes_no(console, "Enter more stats?"):
                return None

    def day_history(self) -> None:
        """A date, then every version of that day from the audit log: when (UTC), who, what changed."""
        console, team = self.console, self.team
        day = ask_date(console, "Date of the day to trace", self.today(), past_only=True)
        entries = self.with_retry(lambda: services.day_history(self.store, team, day, user=self.user))
        console.say(f"History of {day.isoformat()} (team {team})", "heading")
        if not entries:
            console.say("No change of this day is in the audit log.")
        metrics = self.with_retry(lambda: services.store_metrics(self.store)) if entries else None
        for line in render.history_lines(entries, metrics):
            console.say(line)

    def get_day(self, day: date):
        return self.with_retry(lambda: services.get_day(self.store, self.team, day, user=self.user))

    def still_yours_to_save(self, day: date, seen, metrics: Metrics) -> bool:
        """If someone else saved this day while the form was being filled in, show theirs and ask."""
        current = self.get_day(day)
        if current == seen:
            return True
        self.console.warn(f"{current.updated_by} saved figures for {day.isoformat()} while you were typing:")
        render.show_day(self.console, current, metrics)
        if ask_yes_no(self.console, "Replace them with yours?"):
            return True
        self.console.say(f"Kept {current.updated_by}'s figures; yours were not saved.")
        return False

    def fill_in_and_save(self, day: date, existing, metrics: Metrics) -> None:
        """The form, a summary of what it will save, any doubts and "Save?", then one atomic write."""
        console = self.console
        entered = self.confirmed_figures(day, existing, metrics)
        if entered is None:
            console.say(f"Nothing was saved for {day.isoformat()}.")
            return
        if self.still_yours_to_save(day, existing, metrics):
            entered, agents = self.settled_with_agents(existing, entered, metrics)
            user = self.user  # read now, at the save: rights changed while the form was filled in hold
            self.with_retry(
                lambda: services.record_day(self.store, self.team, user, day, entered, metrics, agents=agents)
            )
            console.ok(f"{'Updated' if existing else 'Saved'} the stats for {day.isoformat()}.")

    def settled_with_agents(self, existing, entered: dict[str, int], metrics: Metrics) -> tuple[dict, dict]:
        """One source per day: when the day has figures per agent and the typed totals differ from their
        sum, both are shown and the lead chooses which stands (agent_figures.settle_typed)."""
        if existing is None or not existing.agents:
            return entered, {}
        found = agent_figures.disagreements(existing.agents, entered, metrics)
        if not found:
            return agent_figures.settle_typed(existing.agents, entered, metrics, None)
        console = self.console
        console.warn(f"{existing.day.isoformat()} has figures per agent, and your totals differ from their sum:")
        rows = [
            [metrics.entry_field(d.key).label, render.fmt_plain(metrics.entry_field(d.key), d.typed),
             render.fmt_plain(metrics.entry_field(d.key), d.agents_sum), str(d.agents)]
            for d in found
        ]  # fmt: skip
        console.say(render.table(console, rows, ["figure", "typed", "agents' sum", "agents"]))
        console.say("1 Keep the agents' figures (their sum is the team's)")
        console.say("2 Save my totals (the agents' rows of these figures go)")
        stands = {"1": agent_figures.AGENTS_STAND, "2": agent_figures.TYPED_STANDS}[ask_choice(console, ["1", "2"])]
        return agent_figures.settle_typed(existing.agents, entered, metrics, stands)

    def confirmed_figures(self, day: date, existing, metrics: Metrics) -> dict[str, int] | None:
        """The figures the lead confirms, or None.  Figures that look wrong are shown with the reasons and
        "Save these figures anyway?" asked instead of "Save?": n goes back to the form, where Enter keeps
        each answer as typed, so only the wrong figure is typed again.  A day being corrected offers its
        values (none for a metric it has no value for)."""
        keep = None
        if existing is not None:
            values = {f: existing.entered.get(f.key) for f in metrics.entry_fields}
            keep = {f.key: render.fmt_plain(f, value) for f, value in values.items() if value is not None}
        while True:
            entered, keep = self.stats_form(day, keep, metrics)
            render.show_entry(self.console, day, entered, metrics)
            doubts = self.doubts_about(day, entered, keep, metrics)
            if not doubts:
                return entered if ask_yes_no(self.console, "Save?") else None
            for doubt in doubts:
                self.console.warn(doubt.message)
            if ask_yes_no(self.console, "Save these figures anyway?"):
                return entered

    def doubts_about(self, day: date, entered: dict[str, int], answers: dict[str, str], metrics: Metrics) -> list:
        percents = typed_percents(answers, metrics)
        team, store = self.team, self.store
        return self.with_retry(
            lambda: services.day_and_doubts(store, team, day, entered, percents, user=self.user, metrics=metrics)[1]
        )

    def stats_form(
        self, day: date, current: dict[str, str] | None, metrics: Metrics
    ) -> tuple[dict[str, int], dict[str, str]]:
        """Every entry field of the team's metrics, asked in the admin's order: the values and the answers
        typed.  With ``current`` (the answers shown for a day being corrected) Enter keeps each one."""
        console, source = self.console, None
        console.say(f"Enter the figures for {day.isoformat()}. Ctrl-C cancels without saving.", "dim")
        if current:  # a line of its own: both sentences together overflow an 80-column terminal
            console.say("Enter keeps the value in [brackets].", "dim")
        entered: dict[str, int] = {}
        answers: dict[str, str] = {}
        for field in metrics.entry_fields:
            if field.source != source:
                source = field.source
                console.say(f"From {source}:" if source else "Other figures:", "heading")
            keep = None if current is None else current.get(field.key)
            entered[field.key], note, answers[field.key] = ask_figure(console, field, entered, keep, metrics)
            if note:
                console.say(f"  {note}", "dim")
        return entered, answers

    def ask_period(self) -> Period:
        """A period in any supported form; a single date is followed by the number of extra days."""
        console, today = self.console, self.today()

        def parse(text: str) -> tuple[Period, bool]:
            return parse_period(text, today, self.settings.week_start), is_single_date(text)

        period, single_date = ask(console, PERIOD_PROMPT, parse)
        if not single_date:
            return period
        extra = ask_extra_days(console)
        return span(period.start, period.start + timedelta(days=extra))

    def report(self, period: Period, metrics: Metrics):
        return self.with_retry(
            lambda: services.view_report(
                self.store, self.team, period, self.settings.targets, user=self.user, metrics=metrics
            )
        )

    def report_and_paces(self, period: Period, metrics: Metrics):
        """The report and, for a running period, what the rest of it needs for each target (pacing.py)."""
        today = self.today()
        return self.with_retry(
            lambda: pacing.view_and_paces(
                self.store, self.team, period, self.settings.targets, user=self.user, today=today, metrics=metrics
            )
        )

    def effective_targets(self, metrics: Metrics):
        """Each metric's target: the team's, set in the app, else the environment's default (Settings.targets)."""
        return self.with_retry(
            lambda: services.effective_targets(
                self.store, self.team, self.settings.targets, user=self.user, metrics=metrics
            )
        )

    def effective_target(self, metric: RangeMetric, metrics: Metrics):
        return self.with_retry(
            lambda: services.effective_target(
                self.store, self.team, self.settings.targets, metric, user=self.user, metrics=metrics
            )
        )

    def view_stats(self) -> None:
        metrics = self.team_metrics()
        while True:
            period = self.ask_period()
            report, paces = self.report_and_paces(period, metrics)
            render.show_report(self.console, report, period, self.team)
            show_pacing(self.console, paces)
            if not ask_yes_no(self.console, "View more stats?"):
                return None

    def daily_breakdown(self) -> None:
        """A period, then (when there are targets to rank by) the order, then one row per day."""
        metrics = self.team_metrics()
        period = self.ask_period()
        report = self.report(period, metrics)
        heading = f"Daily figures for {period.describe()} (team {self.team})"
        if not report.summary.has_data:
            self.console.say(heading, "heading")
            self.console.warn(NoData(period.describe()).message)
            return None
        order = self.ask_order(report)
        self.console.say(heading, "heading")
        render.show_daily(self.console, report, order)
        return None

    def department_view(self) -> None:
        """A period, then every team with data in it and the department (the targets of the configured team)."""
        period = self.ask_period()
        team, defaults = self.team, self.settings.targets
        department = self.with_retry(
            lambda: services.department_view(self.store, team, period, defaults, user=self.user)
        )
        render.show_department(self.console, department, period, team)

    def agents(self) -> None:
        """Figures per agent, ranked (leads and admins): ui/agents_screen.py."""
        from .agents_screen import agents

        agents(self)

    def my_stats(self) -> None:
        """A viewer's own agent's figures beside the team's: ui/agents_screen.py."""
        from .agents_screen import my_stats

        my_stats(self)

    def add_for_agent(self) -> None:
        """The by-agent form (leads and admins): ui/agents_screen.py."""
        from .agents_screen import add_for_agent

        add_for_agent(self)

    def ask_order(self, report) -> str:
        """By date, or worst days first: asked only when the report has targets to rank the days by."""
        if not report.targets:
            return BY_DATE
        return DAY_ORDERS[int(ask_choice(self.console, ["1", "2"], ORDER_PROMPT)) - 1]

    def trend_chart(self) -> None:
        metrics = self.team_metrics()
        metric = self.choose_metric(metrics)
        period = self.ask_period()
        report = self.report(period, metrics)
        if report.summary.days_with_data < 2:
            self.console.warn(
                f"A trend needs at least two days with data; {period.describe()} has {report.summary.days_with_data}."
            )
            return None
        width = shutil.get_terminal_size((100, 24)).columns - 2
        self.console.say(render.trend_chart(self.console, report, metric, width))
        for line in render.trend_footer(report, metric):
            self.console.say(line, "dim")
        return None

    def choose_metric(self, metrics: Metrics) -> RangeMetric:
        """One of the team's range metrics, by number."""
        choices = metrics.range_metrics
        labels = [metric.label for metric in choices]
        return choices[choose_from(self.console, "Which metric?", labels, "Choose a metric: ")]

    def export_stats(self) -> None:
        console = self.console
        while True:
            period = self.ask_period()
            labels = [fmt.label for fmt in EXPORT_FORMATS]
            fmt = EXPORT_FORMATS[choose_from(console, "Formats", labels, "Choose a format: ")]
            try:
                path, summary = self.with_retry(
                    lambda: services.export_range(
                        self.store,
                        self.team,
                        period,
                        self.settings.export_dir,
                        fmt.key,
                        defaults=self.settings.targets,
                        user=self.user,
                    )
                )
                console.ok(exported_message(path, summary.days_with_data, self.settings.web_session))
            except NoData as nothing:
                console.warn(nothing.message)
            if not ask_yes_no(console, "Export more stats?"):
                return None

    def targets(self) -> None:
        """The team's targets, each with where it comes from; a lead sets or clears one, or goes back."""
        console, team = self.console, self.team
        metrics = self.team_metrics()
        while True:
            effective = self.effective_targets(metrics)
            console.say(f"Targets for team {team}", "heading")
            console.say(render.targets_table(console, effective))
            console.say(render.TARGETS_NOTE, "dim")
            if not access.can_edit(self.user, team):
                console.say(f"Leads of team {team} set its targets.", "dim")
                return None
            choice = choose(
                console,
                "Targets menu",
                [("1", "Set a target"), ("2", "Clear a target set in the app"), ("0", "Back to the main menu")],
            )
            if choice == "0":
                return None
            if choice == "1":
                self.set_target(metrics)
            else:
                self.clear_target(effective, metrics)

    def set_target(self, metrics: Metrics) -> None:
        console = self.console
        metric = self.choose_metric(metrics)
        now = self.effective_target(metric, metrics)
        origin = render.target_origin(now)
        console.say(f"{metric.label}: now {render.target_text(now)}{f' ({origin})' if origin else ''}.", "dim")
        natural = metric.direction
        console.say(f"{natural.better.capitalize()}: a number alone means {natural.value}.", "dim")
        per_day = " per day" if metric.is_total else ""
        goal = ask(console, f"New target{per_day} (e.g. >= 95, <= 2, or none): ", lambda text: parse_goal(text, metric))
        user = self.user
        self.with_retry(lambda: services.set_target(self.store, self.team, user, metric, goal))
        console.ok(render.target_set_message(metric, goal))

    def clear_target(self, effective, metrics: Metrics) -> None:
        console = self.console
        in_app = [t for t in effective if t.stored is not None]
        if not in_app:
            console.say("No target is set in the app: the environment's defaults apply.")
            return
        labels = [f"{t.metric.label} ({render.target_text(t)})" for t in in_app]
        metric = in_app[choose_from(console, "Targets set in the app", labels, "Choose a target to clear: ")].metric
        user = self.user
        cleared = self.with_retry(lambda: services.clear_target(self.store, self.team, user, metric))
        console.ok(render.target_cleared_message(cleared, self.effective_target(metric, metrics)))

    def with_retry(self, operation: Callable[[], T]) -> T:
        return retrying(self.console, operation, self.log_details)
