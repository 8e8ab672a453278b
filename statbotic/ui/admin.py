"""The Administration menu (admins) and the invite form (leads of a team).

Users (and the agent each is linked to), teams, who may register, invites, password reset codes,
unlocking a name, the audit log and the metrics (ui/metrics_screen.py).
Like every screen these reach the store only through services and people, which check the rights
again; each form asks everything first and saves once at the end, so Ctrl-C (menus.run_action) or a
refusal leaves nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import access, auth, people, services
from ..access import roles_text
from ..errors import InvalidInput
from ..limits import shown
from ..records import REGISTRATION_MODES, ROLES, VIEWER, User
from . import render
from .menus import choose, choose_from, run_action
from .prompts import ask, ask_new_password, ask_yes_no

AUDIT_DAYS, MAX_AUDIT_DAYS = 7, 3660  # the audit log's default reach, and its longest
ROLE_LABELS = ["viewer: views and exports", "lead: also adds and changes days, sets targets, invites"]
USERNAME_PROMPT = "Username (3-32 letters, digits, '.', '_' or '-'): "


def whole_days(text: str, default: int, most: int) -> int:
    """A number of days from 1 to ``most``; blank is ``default``.  InvalidInput otherwise."""
    text = text.strip() or str(default)
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise InvalidInput(f"Please type a whole number of days from 1 to {most}.")
    return int(text)


def domains_answer(text: str) -> tuple[str, ...]:
    """'none' (any address: none is asked) or the domains (people.check_domains)."""
    if text.strip().lower() == "none":
        return ()
    if not text.strip():
        raise InvalidInput("Type the domains (e.g. example.com, example.org), or none.")
    return people.check_domains(text)


class AdminScreens:
    """The forms of the Administration menu, over a Screens (its console, store, settings, user, retry)."""

    def __init__(self, screens) -> None:
        self.screens = screens
        self.console, self.store, self.settings = screens.console, screens.store, screens.settings

    @property
    def user(self) -> User:
        return self.screens.user

    def with_retry(self, operation):
        return self.screens.with_retry(operation)

    def run(self) -> None:
        """The Administration menu until 0 (or until the user is no longer an admin)."""
        entries = [
            ("1", "List users", self.list_users),
            ("2", "Add a user", self.add_user),
            ("3", "Change a user's role in a team", self.change_role),
            ("4", "Make or unmake an admin", self.toggle_admin),
            ("5", "Disable or enable a user", self.toggle_disabled),
            ("6", "Issue a password reset code", self.reset_code),
            ("7", "Unlock a name (clear its failed logins)", self.unlock),
            ("8", "Create a team", self.create_team),
            ("9", "Rename a team", self.rename_team),
            ("10", "Who may register", self.registration),
            ("11", "Create an invite", self.invite),
            ("12", "Audit log", self.audit_log),
            ("13", "Metrics", self.metrics),
            ("14", "Link a user to an agent", self.link_agent),
            ("0", "Back to the main menu", None),
        ]
        actions = {key: action for key, _, action in entries}
        while access.is_admin(self.user):
            self.console.say()
            choice = choose(self.console, "Administration", [(key, label) for key, label, _ in entries])
            if actions[choice] is None:
                return
            run_action(self.console, actions[choice])

    # users
    def list_users(self) -> None:
        rows = self.with_retry(lambda: people.list_users(self.store, self.user))
        self.console.say(render.users_table(self.console, rows))

    def add_user(self) -> None:
        """Name, team (or none), role there, admin or not, password twice; saved only at the end."""
        console = self.console
        name = ask(console, USERNAME_PROMPT, lambda text: self.with_retry(lambda: self.free_name(text)))
        team = self.choose_team_or_none()
        role = self.choose_role(f"{name}'s role in team {team}") if team else VIEWER
        admin = ask_yes_no(console, f"Make {name} an admin (every team, users, registration)?")
        password = ask_new_password(console, f"A password for {name}")
        added = self.with_retry(
            lambda: people.add_user(self.store, self.user, name, password, team=team, role=role, admin=admin)
        )
        console.ok(f"Added {added.username}, {roles_text(added)}. Tell them their password.")

    def free_name(self, text: str) -> str:
        return services.ensure_username_free(self.store, text)

    def change_role(self) -> None:
        """A user, a team, then viewer, lead, or out of the team (when they are in it)."""
        target = self.ask_user()
        self.console.say(f"{target.username} is {roles_text(target)}.", "dim")
        team = self.choose_team().name
        labels = ROLE_LABELS + (["Remove from the team"] if team in target.teams else [])
        index = choose_from(self.console, f"{target.username} in team {team}", labels, "Choose a role: ")
        role = ROLES[index] if index < len(ROLES) else None
        updated = self.with_retry(lambda: people.set_role(self.store, self.user, target.username, team, role))
        self.console.ok(f"{updated.username} is now {roles_text(self.changed(updated))}.")

    def toggle_admin(self) -> None:
        def question(target: User) -> str:
            return f"Take admin away from {target.username}?" if target.admin else f"Make {target.username} an admin?"

        updated = self.change_user(
            question, lambda target: people.set_admin(self.store, self.user, target.username, not target.admin)
        )
        if updated is not None:
            self.console.ok(f"{updated.username} is {'now' if updated.admin else 'no longer'} an admin.")

    def toggle_disabled(self) -> None:
        def question(target: User) -> str:
            if target.disabled:
                return f"Enable {target.username} again?"
            return f"Disable {target.username} (no login, no token)?"

        updated = self.change_user(
            question, lambda target: people.set_disabled(self.store, self.user, target.username, not target.disabled)
        )
        if updated is not None:
            self.console.ok(f"{updated.username} is {'disabled' if updated.disabled else 'enabled'}.")

    def link_agent(self) -> None:
        """A user, then (when they are linked already) another agent or none, then the agent's name as
        imports spell it (asked again until it is one); saved once, at the end."""
        target = self.ask_user()
        console = self.console
        if target.agent is None:
            console.say(f"{target.username} is linked to no agent.", "dim")
            agent = self.ask_agent(target)
        else:
            console.say(f"{target.username} is linked to agent {target.agent}.", "dim")
            labels = ["Link to another agent", "Unlink (no agent)"]
            unlink = choose_from(console, f"{target.username}'s agent", labels, "Choose: ") == 1
            agent = None if unlink else self.ask_agent(target)
        updated = self.changed(self.with_retry(lambda: people.set_agent(self.store, self.user, target.username, agent)))
        console.ok(render.linked_text(updated))

    def ask_agent(self, target: User) -> str:
        return ask(self.console, f"{target.username}'s agent, as imports name them: ", people.check_agent_name)

    def change_user(self, question: Callable[[User], str], change: Callable[[User], User]) -> User | None:
        """A user's name, then ``question`` (y/n), then ``change``; a refusal (the last admin, yourself)
        is said and the name asked again.  None when the answer is no."""
        while True:
            target = self.ask_user()
            if not ask_yes_no(self.console, question(target)):
                self.console.say("Nothing was changed.")
                return None
            try:
                return self.changed(self.with_retry(lambda: change(target)))
            except InvalidInput as refused:
                self.console.error(refused.message)

    def changed(self, updated: User) -> User:
        """The user as changed; when it is the one logged in, the session follows (its rights now)."""
        if auth.username_key(updated.username) == auth.username_key(self.user.username):
            self.screens.user = updated
        return updated

    def ask_user(self) -> User:
        """A user of the store, asked until the name is one (compared as at login)."""
        rows = self.with_retry(lambda: people.list_users(self.store, self.user))
        users = {auth.username_key(row.user.username): row.user for row in rows}

        def find(text: str) -> User:
            if auth.username_key(text) not in users:
                raise InvalidInput(f"There is no user named {shown(text.strip())} (1 List users shows them).")
            return users[auth.username_key(text)]

        return ask(self.console, "Username: ", find)

    def reset_code(self) -> None:
        target = self.ask_user()
        code = self.with_retry(lambda: people.issue_reset_code(self.store, self.user, target.username))
        for line in render.reset_code_lines(target.username, code, people.RESET_HOURS):
            self.console.say(line)

    def unlock(self) -> None:
        """Any name, a user's or not (unknown names are throttled too)."""
        name = ask(self.console, "Name to unlock: ", lambda text: text.strip() or self.refuse_blank())
        if self.with_retry(lambda: services.unlock(self.store, name, actor=self.user)):
            self.console.ok(f"Unlocked {name}: its failed logins are cleared.")
        else:
            self.console.say(f"{name} was not locked and had no failed logins to clear.")

    @staticmethod
    def refuse_blank() -> str:
        raise InvalidInput("Please type a name.")

    # teams
    def teams(self):
        return self.with_retry(lambda: people.teams_of(self.store, self.user, self.settings.team))

    def choose_team(self, title: str = "Teams"):
        teams = self.teams()
        return teams[choose_from(self.console, title, [render.team_choice(t) for t in teams], "Choose a team: ")]

    def choose_team_or_none(self) -> str | None:
        teams = self.teams()
        labels = [render.team_choice(t) for t in teams] + ["No team (add them to one later)"]
        index = choose_from(self.console, "Teams", labels, "Choose a team: ")
        return teams[index].name if index < len(teams) else None

    def choose_role(self, title: str) -> str:
        return ROLES[choose_from(self.console, title, ROLE_LABELS, "Choose a role: ")]

    def create_team(self) -> None:
        """A new team's name (checked, and not taken), then its display name (Enter: the name)."""
        taken = {team.name for team in self.teams()}

        def new_name(text: str) -> str:
            name = people.check_team_name(text)
            if name in taken:
                raise InvalidInput(f"There is a team {name} already: choose another name.")
            return name

        name = ask(self.console, "Team name (letters, digits, '.', '_' or '-'; e.g. billing): ", new_name)
        display = ask(self.console, f"Display name [{name}]: ", lambda t: people.check_display_name(t.strip() or name))
        team = self.with_retry(lambda: people.create_team(self.store, self.user, name, display))
        self.console.ok(f"Created team {render.team_choice(team)}.")

    def rename_team(self) -> None:
        team = self.choose_team()
        display = ask(self.console, f"New display name for {team.name}: ", people.check_display_name)
        renamed = self.with_retry(lambda: people.rename_team(self.store, self.user, team.name, display))
        self.console.ok(f"Team {renamed.name} is shown as {renamed.display_name}.")

    # registration, invites, the audit log
    def registration(self) -> None:
        """The setting, then a new mode or new e-mail domains (the other part kept)."""
        console = self.console
        setting = self.with_retry(lambda: people.get_registration(self.store, self.user))
        console.say(render.registration_text(setting))
        lines = [("1", "Set the mode (open, invite or closed)"), ("2", "Set the allowed e-mail domains"), ("0", "Back")]
        choice = choose(console, "Who may register", lines)
        if choice == "0":
            return
        mode, domains = setting.mode, None
        if choice == "1":
            labels = [render.REGISTRATION_MODE_LABELS[m] for m in REGISTRATION_MODES]
            mode = REGISTRATION_MODES[choose_from(console, "Registration", labels, "Choose a mode: ")]
        else:
            domains = ask(console, "Allowed domains (e.g. example.com, example.org; none: any): ", domains_answer)
        saved = self.with_retry(lambda: people.set_registration(self.store, self.user, mode, domains))
        console.ok(f"Saved. {render.registration_text(saved)}")

    def invite(self) -> None:
        self.create_invite(self.choose_team("Invite into which team?").name)

    def create_invite(self, team: str) -> None:
        """A role and a number of days, then the code, shown only this once, with its expiry."""
        role = self.choose_role(f"Invite into team {team} as")
        most, usual = people.MAX_INVITE_DAYS, people.INVITE_DAYS
        prompt = f"Valid for how many days (1-{most}) [{usual}]: "
        days = ask(self.console, prompt, lambda text: whole_days(text, usual, most))
        code, invite = self.with_retry(lambda: people.create_invite(self.store, self.user, team, role, days))
        for line in render.invite_lines(code, invite):
            self.console.say(line)

    def metrics(self) -> None:
        """The Metrics screen (ui/metrics_screen.py): list, add, edit, retire, restore, move."""
        from .metrics_screen import MetricsScreen  # metric definitions load only when asked for

        MetricsScreen(self).run()

    def audit_log(self) -> None:
        prompt = f"Changes of the last how many days? [{AUDIT_DAYS}]: "
        days = ask(self.console, prompt, lambda text: whole_days(text, AUDIT_DAYS, MAX_AUDIT_DAYS))
        since = services.audit_since(f"{days}d", services.utc_now())
        entries = self.with_retry(lambda: services.audit_log(self.store, since, user=self.user))
        self.console.say(f"Audit log since {render.fmt_when(since)}", "heading")
        metrics = services.store_metrics(self.store)
        for line in render.audit_lines(entries, metrics) or ["No changes."]:
            self.console.say(line)
