"""The department's people: registration, invites, password resets, teams, and what an admin changes.

Use cases like services.py: plain values in, records out, domain errors raised; the store is an
argument; every change is checked against the actor's rights (access.py) before anything is read or
written, so the menus, the CLI and tokens are held to the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from . import access, auth, throttle
from .errors import AuthenticationFailed, Forbidden, InvalidInput, LoginLocked
from .frozen import frozen
from .limits import MAX_NAME, shown
from .records import (
    CLOSED,
    INVITE,
    LEAD,
    OPEN,
    REGISTRATION_MODES,
    ROLES,
    UNASSIGNED,
    VIEWER,
    Invite,
    Registration,
    Team,
    User,
)
from .services import count_failure, utc_now
from .storage.base import Store

INVITE_DAYS = 7  # an invite's default lifetime
MAX_INVITE_DAYS = 90
RESET_HOURS = 24  # a password reset code's lifetime
TEAM_NAME_RULE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
EMAIL_RULE = re.compile(r"[^@\s]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
DOMAIN_RULE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a chat
CODE_GROUPS, CODE_GROUP = 4, 4  # 16 characters of 32: 80 bits
MAX_AGENT = 80  # characters of an agent's name (a person's full name, as a support tool spells it)


# registration
@frozen
class RegistrationRules:
    """What registering takes now: ``first`` (the store has no user: this one becomes its admin and lead
    of the default team, whatever the setting), else the mode and the e-mail domains accepted."""

    first: bool
    mode: str
    domains: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        return not self.first and self.mode == CLOSED

    @property
    def needs_invite(self) -> bool:
        return not self.first and self.mode == INVITE

    @property
    def asks_email(self) -> bool:
        return not self.first and bool(self.domains)


INVALID_INVITE = "That invite code is not valid: it may be used or expired. Ask for a new one."
CLOSED_MESSAGE = "Registration is closed: an admin adds users (Administration, or statbotic users add)."


# In the web page the first user can't register: whoever reaches a new deploy first would be its admin.
NO_ADMIN_ON_THE_WEB = (
    "This store has no admin yet, and the first user is made where the server runs: "
    "statbotic users add NAME (on Heroku: heroku run python3 run.py users add NAME)."
)


def registration_rules(store: Store) -> RegistrationRules:
    if not store.has_users():
        return RegistrationRules(True, OPEN)
    return rules_of(store.get_registration())


def rules_of(setting: Registration) -> RegistrationRules:
    """What registering takes in a store that has users, by its saved setting."""
    return RegistrationRules(False, setting.mode, setting.domains)


def check_email(email: str | None, domains: Sequence[str]) -> str | None:
    """The address, trimmed, when ``domains`` is empty (None then) or its domain is one of them."""
    if not domains:
        return None
    email = (email or "").strip()
    found = EMAIL_RULE.fullmatch(email)
    if not found:
        raise InvalidInput(f"{shown(email)} is not an e-mail address (name@example.com).")
    if found.group(1).lower() not in domains:
        raise InvalidInput(f"Registration accepts addresses at {', '.join(domains)} only.")
    return email


def check_invite(store: Store, code: str, now: datetime | None = None) -> Invite:
    """The invite of this code, when it can still be used (before the password is asked); InvalidInput."""
    invite = store.get_invite(auth.token_hash(normal_code(code)))
    if invite is None or invite.used_by is not None or invite.expires_at <= (now or utc_now()):
        raise InvalidInput(INVALID_INVITE)
    return invite


def register(
    store: Store,
    username: str,
    password: str,
    *,
    default_team: str,
    invite_code: str | None = None,
    email: str | None = None,
    now: datetime | None = None,
) -> User:
    """Register by the store's rules (registration_rules): the first user becomes admin and lead of
    ``default_team`` (created then); later ones need an invite code (INVITE; or OPEN with a code: its team
    and role), come in with no team (OPEN), or are refused (CLOSED).  DuplicateUser, InvalidInput, Forbidden."""
    now = now or utc_now()
    username = auth.check_username(username)
    password = auth.check_password(password)
    rules = registration_rules(store)
    if rules.first:
        first = User(username, auth.hash_password(password), now, admin=True, teams={default_team: LEAD})
        if store.add_first_user(first, Team(default_team, default_team, now)):
            return first
        # Someone else was first a moment ago.  Not registration_rules again: on MongoDB their claim is
        # written before their user, so has_users() may still say no and this one would come in unasked.
        rules = rules_of(store.get_registration())
    if rules.closed:
        raise Forbidden(CLOSED_MESSAGE)
    if rules.needs_invite and not invite_code:
        raise InvalidInput("Registration needs an invite code: ask an admin or a lead of your team for one.")
    password_hash = auth.hash_password(password)
    user = User(username, password_hash, now, email=check_email(email, rules.domains))
    if invite_code:
        invite = store.redeem_invite(user, auth.token_hash(normal_code(invite_code)), now)
        if invite is None:
            raise InvalidInput(INVALID_INVITE)
        return User(username, password_hash, now, teams={invite.team: invite.role}, email=user.email)
    store.add_user(user)
    return user


def new_code() -> str:
    """A random one-time code, e.g. K7QM-2XNP-RB4H-9TWC: 80 bits, so its SHA-256 is safe to store."""
    import secrets

    return normal_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP)))


def normal_code(code: str) -> str:
    """A code as typed (any case, spaces or dashes anywhere) in the form new_code gives."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


# invites
def create_invite(
    store: Store, actor: User, team: str, role: str, days: int = INVITE_DAYS, now: datetime | None = None
) -> tuple[str, Invite]:
    """A single-use invite into ``team`` as ``role``, valid ``days`` days: (the code, shown once; the invite).
    Admins, and leads of the team; Forbidden otherwise."""
    access.require_edit(actor, team, "invite people to it")
    role = check_role(role)
    require_team(store, team)
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise InvalidInput(f"An invite lasts from 1 to {MAX_INVITE_DAYS} days.")
    now = now or utc_now()
    code = new_code()
    invite = Invite(auth.token_hash(code), team, role, actor.username, now, now + timedelta(days=days))
    store.add_invite(invite)
    return code, invite


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise InvalidInput(f"A role is {' or '.join(ROLES)}, not {shown(role)}.")
    return role


# password resets
def issue_reset_code(store: Store, actor: User, username: str, now: datetime | None = None) -> str:
    """A one-time code (shown once) with which the user sets a new password within RESET_HOURS."""
    access.require_admin(actor, "reset a password")
    now = now or utc_now()
    code = new_code()
    if not store.set_reset_code(
        username, auth.token_hash(code), now + timedelta(hours=RESET_HOURS), actor.username, now
    ):
        raise InvalidInput(f"There is no user named {shown(username)}.")
    return code


def reset_password(store: Store, username: str, code: str, password: str, now: datetime | None = None) -> None:
    """Set a new password with a reset code.  A wrong or spent code counts as a failed login of the name
    (throttle.py), so codes can't be guessed faster than passwords."""
    now = now or utc_now()
    password = auth.check_password(password)
    name = username.strip()
    user, state = store.get_login(name)
    minutes = throttle.minutes_left(state, now)
    if minutes is not None:
        raise LoginLocked(minutes)
    if user is not None and store.use_reset_code(
        name, auth.token_hash(normal_code(code)), auth.hash_password(password), now
    ):
        return
    state = count_failure(store, name, user is not None, state, now)
    minutes = throttle.minutes_left(state, now)
    if minutes is not None:
        raise LoginLocked(minutes)
    raise AuthenticationFailed("That reset code is not valid for this name: it may be used or expired.")


# teams
def check_team_name(name: str) -> str:
    name = name.strip()
    if not TEAM_NAME_RULE.fullmatch(name):
        raise InvalidInput("A team name has 1 to 32 characters: letters, digits, '.', '_' or '-' (e.g. billing).")
    return name


def check_display_name(text: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > MAX_NAME or not text.isprintable():
        raise InvalidInput(f"A team's display name has 1 to {MAX_NAME} printable characters.")
    return text


def require_team(store: Store, name: str) -> Team:
    for team in store.teams():
        if team.name == name:
            return team
    raise InvalidInput(f"There is no team {shown(name)}. Teams: {', '.join(t.name for t in store.teams()) or 'none'}.")


def create_team(store: Store, actor: User, name: str, display_name: str | None = None) -> Team:
    access.require_admin(actor, "create teams")
    name = check_team_name(name)
    team = Team(name, check_display_name(display_name or name), utc_now())
    store.add_team(team, actor.username)
    return team


def rename_team(store: Store, actor: User, name: str, display_name: str) -> Team:
    access.require_admin(actor, "rename teams")
    team = require_team(store, name)
    display_name = check_display_name(display_name)
    store.rename_team(team.name, display_name, actor.username, utc_now())
    return Team(team.name, display_name, team.created_at)


def teams_of(store: Store, user: User, default_team: str) -> list[Team]:
    """The teams the user may see, by name: every team for an admin (the default team when the store has
    none yet), the user's own otherwise."""
    teams = list(store.teams())
    if access.is_admin(user):
        return teams or [Team(default_team, default_team, user.created_at)]
    mine = [team for team in teams if access.can_view(user, team.name)]
    known = {team.name for team in teams}  # a role in a team without its record (made by hand): still shown
    mine += [Team(name, name, user.created_at) for name in user.teams if name not in known and not user.disabled]
    return sorted(mine, key=lambda team: team.name)


def choose_team(store: Store, user: User, wanted: str | None, default_team: str) -> str:
    """The team a command works on: ``wanted`` (--team) when the user may see it; else the default team
    (STATBOTIC_TEAM) when they may, else their only team.  Forbidden or InvalidInput, saying which to pick."""
    if wanted:
        access.require_view(user, wanted)
        return wanted
    if access.can_view(user, default_team) and not access.is_admin(user):
        return default_team  # a member of it: no read needed
    mine = [team.name for team in teams_of(store, user, default_team)]  # an admin: every team of the store
    if default_team in mine:
        return default_team
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise Forbidden(f"{user.username} is in no team yet: ask an admin to add you to one.")
    raise InvalidInput(
        f"{default_team!r} (STATBOTIC_TEAM) is not one of your teams: choose one with --team ({', '.join(mine)})."
    )


# users, as an admin changes them
@frozen
class UserRow:
    """One line of the admin's list of users."""

    user: User
    last_login: datetime | None
    locked: bool


def list_users(store: Store, actor: User, now: datetime | None = None) -> list[UserRow]:
    access.require_admin(actor, "list users")
    now = now or utc_now()
    rows = []
    for user in store.iter_users():
        _, state = store.get_login(user.username)
        rows.append(UserRow(user, state.last_login, throttle.minutes_left(state, now) is not None))
    return rows


def add_user(
    store: Store,
    actor: User,
    username: str,
    password: str,
    *,
    team: str | None = None,
    role: str = VIEWER,
    admin: bool = False,
    email: str | None = None,
) -> User:
    """An admin adds a user (any registration mode), in ``team`` as ``role`` when given."""
    access.require_admin(actor, "add users")
    username = auth.check_username(username)
    teams = {}
    if team:
        teams[require_team(store, team).name] = check_role(role)
    user = User(username, auth.hash_password(auth.check_password(password)), utc_now(), admin, teams, email=email)
    store.add_user(user, by=actor.username)
    return user


def _existing(store: Store, username: str) -> User:
    user = store.get_user(username)
    if user is None:
        raise InvalidInput(f"There is no user named {shown(username)}.")
    return user


def set_role(store: Store, actor: User, username: str, team: str, role: str | None) -> User:
    """Put the user in the team as ``role`` (viewer or lead), or take them out of it (None)."""
    access.require_admin(actor, "change roles")
    user = _existing(store, username)
    teams = dict(user.teams)
    if role is None:
        if team not in teams:
            raise InvalidInput(f"{user.username} is not in team {team}.")
        del teams[team]
    else:
        teams[require_team(store, team).name] = check_role(role)
    return _update(store, actor, user, teams=teams)


def set_admin(store: Store, actor: User, username: str, admin: bool) -> User:
    access.require_admin(actor, "make or unmake admins")
    return _update(store, actor, _existing(store, username), admin=admin)


def set_disabled(store: Store, actor: User, username: str, disabled: bool) -> User:
    """Disable (no login, no token) or re-enable a user; an admin can't disable themselves."""
    access.require_admin(actor, "disable or enable users")
    user = _existing(store, username)
    if disabled and auth.username_key(user.username) == auth.username_key(actor.username):
        raise InvalidInput("You can't disable yourself: ask another admin.")
    return _update(store, actor, user, disabled=disabled)


def check_agent_name(text: str) -> str:
    """An agent's name as a user is linked to it: trimmed, 1 to MAX_AGENT printable characters, its case
    kept (imports name agents as the tools spell them, and a link matches the name exactly)."""
    name = text.strip()
    if not name or len(name) > MAX_AGENT or not name.isprintable():
        raise InvalidInput(f"An agent's name has 1 to {MAX_AGENT} printable characters, as imports spell it.")
    if name == UNASSIGNED:
        raise InvalidInput(f"{UNASSIGNED} holds the imported rows that name no agent: it is nobody's.")
    return name


def set_agent(store: Store, actor: User, username: str, agent: str | None) -> User:
    """Link the user to the agent named ``agent`` (check_agent_name), whose figures become the user's own
    ("my stats"), or unlink them (None).  Admins only, like every change to a user.  The agent need not
    have figures yet: agents come from imports, and a link may come first."""
    access.require_admin(actor, "link users to agents")
    name = "" if agent is None else check_agent_name(agent)
    return _update(store, actor, _existing(store, username), agent=name)


def _update(store: Store, actor: User, user: User, **changes) -> User:
    updated = store.update_user(user.username, by=actor.username, at=utc_now(), **changes)
    if updated is None:  # deleted meanwhile: users are never deleted, so only by hand
        raise InvalidInput(f"There is no user named {shown(user.username)}.")
    return updated


# registration setting
def check_domains(text: str) -> tuple[str, ...]:
    """Domains separated by commas or spaces, lower case, each like example.com ('' for none)."""
    domains = []
    for part in text.replace(",", " ").split():
        domain = part.strip().lower().lstrip("@")
        if not DOMAIN_RULE.fullmatch(domain) or len(domain) > MAX_NAME:
            raise InvalidInput(f"{shown(part)} is not an e-mail domain (e.g. example.com).")
        domains.append(domain)
    return tuple(dict.fromkeys(domains))


def set_registration(store: Store, actor: User, mode: str, domains: Sequence[str] | None = None) -> Registration:
    """Save who may register; ``domains`` None keeps the domains saved."""
    access.require_admin(actor, "change who may register")
    mode = mode.strip().lower()
    if mode not in REGISTRATION_MODES:
        raise InvalidInput(f"Registration is {', '.join(REGISTRATION_MODES)}, not {shown(mode)}.")
    kept = store.get_registration().domains if domains is None else tuple(domains)
    setting = Registration(mode, kept)
    store.set_registration(setting, actor.username, utc_now())
    return setting


def get_registration(store: Store, actor: User) -> Registration:
    access.require_admin(actor, "see the registration setting")
    return store.get_registration()
