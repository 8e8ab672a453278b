"""Who may do what: roles per team, and the store-wide admin.

| role   | view and export | add and change days, set targets, invite | users, teams, registration, audit |
|--------|-----------------|------------------------------------------|-----------------------------------|
| viewer | its teams       |                                          |                                   |
| lead   | its teams       | its teams (invites: viewers and leads)   |                                   |
| admin  | every team      | every team                               | yes                               |

Services call these checks before they read or write, so the menus, the CLI and tokens are held to the
same rules (a token logs in as its user, whose rights are read fresh at each command).  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Forbidden
from .records import LEAD, VIEWER, User


def role_in(user: User, team: str) -> str | None:
    """The user's role in the team: LEAD for admins (in every team), the user's own, or None."""
    if user.disabled:
        return None
    if user.admin:
        return LEAD
    return user.teams.get(team)


def can_view(user: User, team: str) -> bool:
    return role_in(user, team) in (VIEWER, LEAD)


def can_edit(user: User, team: str) -> bool:
    return role_in(user, team) == LEAD


def is_admin(user: User) -> bool:
    return user.admin and not user.disabled


def visible_teams(user: User, teams: Iterable[str]) -> list[str]:
    """The teams among ``teams`` the user may see, in their order."""
    return [team for team in teams if can_view(user, team)]


def require_view(user: User, team: str) -> None:
    if not can_view(user, team):
        raise Forbidden(f"{user.username} is not in team {team}: ask an admin to add you to it.")


def require_edit(user: User, team: str, what: str = "change figures or targets") -> None:
    """Forbidden unless the user is a lead of the team (or an admin)."""
    if can_edit(user, team):
        return
    if can_view(user, team):
        raise Forbidden(f"Only a lead of team {team} can {what}; {user.username} is a viewer there.")
    require_view(user, team)


def require_admin(user: User, what: str = "do that") -> None:
    if not is_admin(user):
        raise Forbidden(f"Only an admin can {what}.")


def roles_text(user: User) -> str:
    """'an admin and a lead of team default', 'a viewer of team billing' or 'in no team yet'."""
    roles = [f"a {role} of team {team}" for team, role in sorted(user.teams.items())]
    return " and ".join((["an admin"] if user.admin else []) + roles) or "in no team yet"
