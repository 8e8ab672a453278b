"""The plain records that pass between the stores and the rest of the app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType

from .exact import fraction_of, plain_decimal
from .frozen import frozen
from .metrics import Direction, Goal

# A user's role in a team (User.teams); admin is store-wide (User.admin) and can do what a lead can in
# every team.  See access.py for what each allows.
VIEWER, LEAD = "viewer", "lead"
ROLES = (VIEWER, LEAD)
NO_TEAMS: Mapping[str, str] = MappingProxyType({})
NO_AGENTS: Mapping[str, Mapping[str, int]] = MappingProxyType({})
NO_SOURCES: Mapping[str, Mapping[str, object]] = MappingProxyType({})
# The agent of an imported row that names none (an unassigned conversation): a row of its own, so a
# team's day stays exactly the sum of its agents' rows.
UNASSIGNED = "(unassigned)"


@frozen
class User:
    """A person who logs in: their hash (auth.py), whether they are an admin, their role in each team
    (team name -> VIEWER or LEAD), whether an admin disabled them (no login, no token), and their e-mail
    address when registration asked for one."""

    username: str
    password_hash: str
    created_at: datetime
    admin: bool = False
    teams: Mapping[str, str] = NO_TEAMS
    disabled: bool = False
    email: str | None = None
    agent: str | None = None  # the agent whose figures are this user's ("my stats"); set by an admin


@frozen
class Team:
    """A team of the store: ``name`` keys its days and targets (the form STATBOTIC_TEAM takes and never
    changes); ``display_name`` is what screens show and what "rename" changes."""

    name: str
    display_name: str
    created_at: datetime


# Who may register (Registration.mode): anyone (the new user is in no team until an admin adds them),
# only with an invite code, or nobody (an admin adds users).
OPEN, INVITE, CLOSED = "open", "invite", "closed"
REGISTRATION_MODES = (OPEN, INVITE, CLOSED)


@frozen
class Registration:
    """The store's registration setting: the mode, and the e-mail domains registration accepts (empty:
    no e-mail address is asked).  A store with no setting saved has Registration() (invite only)."""

    mode: str = INVITE
    domains: tuple[str, ...] = ()


@frozen
class Invite:
    """A single-use invitation to register into a team with a role, until ``expires_at``.  The store keeps
    only the code's SHA-256 (auth.token_hash); ``used_by``/``used_at`` are set when it is redeemed."""

    code_hash: str
    team: str
    role: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_by: str | None = None
    used_at: datetime | None = None


@frozen
class Share:
    """A read-only link to one team's report of fixed dates (``start``..``end``, with the period's label and
    unit as it was shared: a share of "this month" keeps the dates it was made for), open to whoever holds
    its token until ``expires_at`` or until it is revoked.  The store keeps only the token's SHA-256
    (auth.token_hash); ``id`` is a short public name for listing and revoking it, never a credential."""

    id: str
    token_hash: str
    team: str
    start: date
    end: date
    label: str
    unit: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None


@frozen
class DayRecord:
    """One team's figures for one day, as entered, with who last changed them and when.

    ``agents``: the day's figures per agent (agent name -> entered figures by entry key), for the
    metrics whose team figure is the sum of its agents' (imported per agent, or typed by agent); a
    metric without agent rows has a typed team total.  ``sources``: the imports the day's figures came
    from (mapping name -> {"files", "sha256", "rows", "row_keys"}), empty when typed."""

    team: str
    day: date
    entered: Mapping[str, int]  # entry keys (metrics.entry_key) -> integers (the wait in tenths of a second)
    updated_by: str
    updated_at: datetime
    agents: Mapping[str, Mapping[str, int]] = NO_AGENTS
    sources: Mapping[str, Mapping[str, object]] = NO_SOURCES


@frozen
class RangeTotals:
    """Sums of every additive component over the days of a range that have data, named as the app
    names them (metrics.named_sums); ``metric_days``: each entered metric's days with data, by key (a
    metric added later has fewer days than the range has days with data)."""

    start: date
    end: date
    sums: Mapping[str, int]
    days_with_data: tuple[date, ...] = ()
    metric_days: Mapping[str, int] = NO_TEAMS


TURNED_OFF = "none"  # how a store writes the direction of a target turned off in the app


@frozen
class Target:
    """A team's target for one range metric, set in the app, with who set it and when.

    ``goal`` None: the target was turned off in the app (it overrides an environment default)."""

    metric: str  # a metrics.RANGE_METRICS key
    goal: Goal | None
    set_by: str
    set_at: datetime

    def stored(self) -> tuple[str, str | None]:
        """(direction, value) as a store keeps them: '>=' or '<=' and the exact decimal, or 'none' and None."""
        if self.goal is None:
            return TURNED_OFF, None
        return self.goal.direction.value, plain_decimal(self.goal.value)

    @classmethod
    def from_stored(cls, metric: str, direction: str, value: str | None, set_by: str, set_at: datetime) -> "Target":
        goal = None if direction == TURNED_OFF else Goal(Direction(direction), fraction_of(value))
        return cls(metric, goal, set_by, set_at)


# What an audit entry records (AuditEntry.action).
DAY_ADDED, DAY_CHANGED, DAY_DELETED = "day added", "day changed", "day deleted"
TARGET_SET, TARGET_CLEARED = "target set", "target cleared"
USER_REGISTERED, TOKEN_ISSUED = "user registered", "token issued"
USER_ADDED = "user added"  # by an admin (USER_REGISTERED: by the user, at registration)
USER_CHANGED = "user changed"  # admin flag, teams and roles, disabled, agent: before -> after (user_values)
RESET_ISSUED, PASSWORD_RESET = "reset code issued", "password reset"  # never the code or a hash
TEAM_CREATED, TEAM_RENAMED = "team created", "team renamed"
REGISTRATION_SET = "registration set"
INVITE_ISSUED, INVITE_USED = "invite issued", "invite used"  # team, role, expiry; never the code
SHARE_CREATED, SHARE_REVOKED = "share created", "share revoked"  # dates, expiry; never the token
METRIC_ADDED, METRIC_CHANGED = "metric added", "metric changed"  # metric_kinds.definition_values


@frozen
class AuditEntry:
    """One change, as the audit log keeps it: when (UTC), who, what, and the values before and after.

    ``team`` is "" for changes that belong to no team (users, tokens); ``subject`` is the date of a day,
    the metric key of a target, or the username.  ``before`` and ``after`` hold exactly what the store
    keeps (a day's entered integers; a target's direction and exact decimal), never a secret: a token or
    a password hash is never in the log.  ``before`` None: nothing was there (or, for the first audited
    change of something older than the log on MongoDB, it was not recorded: see README "Audit")."""

    at: datetime
    actor: str
    action: str
    team: str
    subject: str
    before: Mapping[str, object] | None = None
    after: Mapping[str, object] | None = None


def day_values(record: DayRecord | None) -> dict[str, object] | None:
    """A day as the audit log keeps it: the entered figures, plus "agents" (name -> figures) when the
    day has agent rows and "sources" when it was imported (metric_kinds.RESERVED_KEYS keeps both names
    free of metric keys)."""
    if record is None:
        return None
    values: dict[str, object] = dict(record.entered)
    if record.agents:
        values["agents"] = {name: dict(figures) for name, figures in sorted(record.agents.items())}
    if record.sources:
        values["sources"] = {name: dict(source) for name, source in sorted(record.sources.items())}
    return values


def target_values(target: Target | None) -> dict[str, object] | None:
    """A target as the audit log keeps it: its direction and exact value as stored (None: no target)."""
    if target is None:
        return None
    direction, value = target.stored()
    return {"direction": direction, "value": value}


def user_values(user: User | None) -> dict[str, object] | None:
    """What the audit log keeps of a user's access: admin, teams and roles, disabled (never a hash), and
    "agent" only when the user is linked to one, so that entries written before the link existed read
    the same as a user's unlinked state (linking shows as agent none -> name)."""
    if user is None:
        return None
    values: dict[str, object] = {"admin": user.admin, "teams": dict(sorted(user.teams.items()))}
    values["disabled"] = user.disabled
    if user.agent is not None:
        values["agent"] = user.agent
    return values


def registration_values(registration: Registration) -> dict[str, object]:
    return {"mode": registration.mode, "domains": list(registration.domains)}


def invite_values(invite: Invite) -> dict[str, object]:
    """What the audit log keeps of an invite: its team, role and expiry (never the code or its hash)."""
    return {"team": invite.team, "role": invite.role, "expires_at": invite.expires_at.isoformat()}


def share_values(share: Share) -> dict[str, object]:
    """What the audit log keeps of a share: its id, dates, label and expiry (never the token or its hash)."""
    return {
        "id": share.id,
        "start": share.start.isoformat(),
        "end": share.end.isoformat(),
        "label": share.label,
        "expires_at": share.expires_at.isoformat(),
    }


def share_subject(share_id: str) -> str:
    """The audit log's subject of a share's entries: 'share K7QM2XNP'."""
    return f"share {share_id}"


@frozen
class LoginState:
    """One username key's logins (see throttle.py), known user or not: the latest failures (at most
    throttle.LIMIT, oldest first), the lock, the failures since the last successful login, and that login.

    ``version``: the store's count of writes to the record (0: none yet), for compare-and-set updates."""

    failures: tuple[datetime, ...] = ()
    locked_until: datetime | None = None
    lock_minutes: int = 0
    failed_since: int = 0
    last_login: datetime | None = None
    version: int = 0
