"""The people commands: `users ...`, `teams ...` and `registration ...` (issue 11).

Like commands.py, each command's docstring is its --help, with examples; each logs in (command_base),
calls one use case of people.py or services.py, which checks the rights (access.py), and writes only
through the consoles.  A code or token a command creates goes to stdout alone on its line, so a script
can take it with $(...); what it is and until when goes to stderr.  Codes are never logged.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from . import access, people, services
from .access import roles_text
from .command_base import (
    command,
    group,
    login,
    new_password,
    print_json,
    session,
    team_option,
    username_argument,
    who_option,
)
from .errors import InvalidInput, StatboticError, UsageError
from .records import REGISTRATION_MODES, ROLES, VIEWER

ACTIVE, DISABLED, LOCKED = "active", "disabled", "locked"


def when_text(moment) -> str:
    from .ui.render import fmt_minute

    return fmt_minute(moment)


def table(ctx, rows: list[list[str]], headers: list[str]) -> None:
    from .ui import render  # tabulate: only when a table is drawn

    ctx.out.say(render.table(ctx.out, rows, headers))


# users: adding, registering, tokens, locks
def users_add(ctx, args) -> int:
    """Add a user.  The password is asked twice (hidden), or read from one line of stdin.

    On a new store (no user yet) no login is needed: the first user becomes the admin, and a lead of
    the team ($STATBOTIC_TEAM).  After that only an admin adds users (--user or $STATBOTIC_USER), into
    a team with a role (viewer or lead), or as another admin, whatever the registration setting.

    examples:
      statbotic users add dana
      printf '%s\\n' "$NEW_PASSWORD" | statbotic users add sam --team billing --role viewer --password-stdin
    """
    if args.role and not args.team:
        raise UsageError("--role is the role in --team: add --team TEAM.")
    actor = None
    if not people.registration_rules(ctx.store).first:
        actor = login(ctx, args)
        access.require_admin(actor, "add users")
        if args.team:
            people.require_team(ctx.store, args.team)  # before the password is asked for nothing
    username = services.ensure_username_free(ctx.store, args.name)
    password = new_password(ctx, args)
    if actor is None:
        user = people.register(ctx.store, username, password, default_team=ctx.settings.team)
    else:
        role = args.role or VIEWER
        user = people.add_user(ctx.store, actor, username, password, team=args.team, role=role, admin=args.admin)
    ctx.out.say(f"Added {username}, {roles_text(user)}.")
    return 0


def users_register(ctx, args) -> int:
    """Register yourself, by the rules an admin set (see `registration show`): no login needed.

    When registration is by invite, --invite takes the code a lead or an admin gave you (it puts you in
    their team with its role); when it is open, you come in with no team until an admin adds you (or
    with a code's team and role).  When the store accepts some e-mail domains only, --email is needed.
    The password is asked twice (hidden), or read from one line of stdin.

    examples:
      statbotic users register dana --invite K7QM-2XNP-RB4H-9TWC
      printf '%s\\n' "$NEW_PASSWORD" | statbotic users register sam --email sam@example.com --password-stdin
    """
    rules = people.registration_rules(ctx.store)
    if rules.closed:
        raise StatboticError(people.CLOSED_MESSAGE)
    if rules.needs_invite and not args.invite:
        raise StatboticError("Registration needs an invite code (--invite CODE): ask an admin or a lead for one.")
    if args.invite:
        people.check_invite(ctx.store, args.invite)  # before the password: a spent code is said at once
    if rules.asks_email and not args.email:
        raise StatboticError(f"Registration asks for your e-mail address at {', '.join(rules.domains)}: add --email.")
    email = people.check_email(args.email, rules.domains) if rules.asks_email else None
    username = services.ensure_username_free(ctx.store, args.name)
    password = new_password(ctx, args)
    user = people.register(
        ctx.store, username, password, default_team=ctx.settings.team, invite_code=args.invite, email=email
    )
    ctx.out.say(f"Registered {user.username}, {roles_text(user)}.")
    if not user.teams and not user.admin:
        ctx.err.say("An admin adds you to a team (statbotic users role); until then you see no figures.")
    return 0


def users_token(ctx, args) -> int:
    """Create an access token for scripts (replacing any earlier one) and print it once.

    Put it in STATBOTIC_TOKEN instead of STATBOTIC_USER/STATBOTIC_PASSWORD: it logs in without the
    deliberately slow password check, and can be replaced at any time.  Keep it secret like a password.
    A disabled user's token stops working (and works again if they are enabled).

    example:
      export STATBOTIC_TOKEN=$(statbotic users token --user dana)
    """
    user = login(ctx, args, show_last_login=True)
    ctx.out.say(services.issue_token(ctx.store, user))
    return 0


def users_unlock(ctx, args) -> int:
    """Clear a name's failed logins and its lock, so it can log in again at once.

    Admins only.  It works for any name, a user's or not (failed logins of unknown names are throttled
    the same way).

    example:
      statbotic users unlock dana
    """
    user = login(ctx, args)
    if services.unlock(ctx.store, args.name, actor=user):
        ctx.out.say(f"Unlocked {args.name}: its failed logins are cleared.")
    else:
        ctx.out.say(f"{args.name} was not locked and had no failed logins to clear.")
    return 0


# users: what an admin sees and changes
def users_list(ctx, args) -> int:
    """List every user: admin or not, teams and roles, last login, status (active, disabled or locked
    by failed logins), e-mail address and the agent they are linked to (`users edit --agent`).  Admins only.

    examples:
      statbotic users list
      statbotic users list --json | jq -r '.users[] | select(.status == "disabled") | .name'
    """
    rows = people.list_users(ctx.store, login(ctx, args))
    if args.json:
        return print_json(ctx, {"users": [user_document(row) for row in rows]})
    lines = [
        [
            row.user.username,
            "yes" if row.user.admin else "",
            ", ".join(f"{team}:{role}" for team, role in sorted(row.user.teams.items())) or "-",
            when_text(row.last_login) if row.last_login else "never",
            status_of(row),
            row.user.email or "",
            row.user.agent or "",
        ]
        for row in rows
    ]
    table(ctx, lines, ["User", "Admin", "Teams", "Last login", "Status", "E-mail", "Agent"])
    return 0


def status_of(row: people.UserRow) -> str:
    """DISABLED (by an admin) before LOCKED (by failed logins, for a while), else ACTIVE."""
    return DISABLED if row.user.disabled else LOCKED if row.locked else ACTIVE


def user_document(row: people.UserRow) -> dict:
    user = row.user
    return {
        "name": user.username,
        "admin": user.admin,
        "teams": dict(sorted(user.teams.items())),
        "last_login": row.last_login.isoformat() if row.last_login else None,
        "status": status_of(row),
        "email": user.email,
        "agent": user.agent,
        "created_at": user.created_at.isoformat(),
    }


def users_role(ctx, args) -> int:
    """Put a user in a team as viewer or lead (or change their role there), or take them out of it.
    Admins only.

    examples:
      statbotic users role sam --team billing --role lead
      statbotic users role sam --team billing --remove
    """
    actor = login(ctx, args)
    user = people.set_role(ctx.store, actor, args.name, args.team, None if args.remove else args.role)
    ctx.out.say(f"{user.username} is now {roles_text(user)}.")
    return 0


def users_admin(ctx, args) -> int:
    """Make a user an admin (--grant) or no longer one (--revoke).  Admins only; the last enabled admin
    stays one.

    examples:
      statbotic users admin sam --grant
      statbotic users admin dana --revoke
    """
    user = people.set_admin(ctx.store, login(ctx, args), args.name, args.grant)
    ctx.out.say(f"{user.username} is {'now an admin' if user.admin else 'no longer an admin'}.")
    return 0


def users_edit(ctx, args) -> int:
    """Link a user to an agent (--agent NAME): the agent's figures, as imports name them, become the
    user's own ("my stats", beside the team's).  --no-agent unlinks them.  Admins only.

    The name is kept as typed (trimmed; its case counts) and need not have figures yet: a link may come
    before the first import that names the agent.

    examples:
      statbotic users edit sam --agent "Ana Lima"
      statbotic users edit sam --no-agent
    """
    from .ui.render import linked_text  # what the menus say too

    user = people.set_agent(ctx.store, login(ctx, args), args.name, None if args.no_agent else args.agent)
    ctx.out.say(linked_text(user))
    return 0


def agent_argument(value: str) -> str:
    """An argparse type: an agent's name (people.check_agent_name)."""
    try:
        return people.check_agent_name(value)
    except InvalidInput as problem:
        raise argparse.ArgumentTypeError(problem.message) from None


def users_disable(ctx, args) -> int:
    """Disable a user: their password and their token stop working at once; their figures and history
    stay.  Admins only (not themselves; the last enabled admin stays).  `users enable` undoes it.

    example:
      statbotic users disable sam
    """
    user = people.set_disabled(ctx.store, login(ctx, args), args.name, True)
    ctx.out.say(f"Disabled {user.username}: their password and token no longer log in.")
    return 0


def users_enable(ctx, args) -> int:
    """Enable a disabled user again: their password (and their token, if they had one) work again.
    Admins only.

    example:
      statbotic users enable sam
    """
    user = people.set_disabled(ctx.store, login(ctx, args), args.name, False)
    ctx.out.say(f"Enabled {user.username}.")
    return 0


# password resets and invites: a code on stdout, alone
def users_reset(ctx, args) -> int:
    """Give a user a one-time code to set a new password with, and print it once (admins only).

    The code works once, for a day; a newer one replaces it.  Give it to the user privately: they run
    `statbotic users set-password NAME --code CODE`.  Their old password and token keep working until
    then; setting the new password ends both.

    example:
      CODE=$(statbotic users reset sam)
    """
    actor = login(ctx, args)
    now = services.utc_now()
    code = people.issue_reset_code(ctx.store, actor, args.name, now=now)
    expires = now + timedelta(hours=people.RESET_HOURS)
    ctx.out.say(code)
    ctx.err.say(f"Reset code for {args.name}, valid once until {when_text(expires)}.")
    ctx.err.say(f"They run: statbotic users set-password {args.name} --code CODE")
    return 0


def users_set_password(ctx, args) -> int:
    """Set a new password with the one-time code an admin gave you (`users reset`): no login needed, the
    code is the credential.  A wrong code counts as a failed login of the name (too many lock it for a
    while).  The new password is asked twice (hidden), or read from one line of stdin; the code is asked
    (hidden) when --code is left out.  Your old token stops working.

    examples:
      statbotic users set-password sam --code K7QM-2XNP-RB4H-9TWC
      printf '%s\\n' "$NEW_PASSWORD" | statbotic users set-password sam --code "$CODE" --password-stdin
    """
    code = args.code
    if not code:
        if not ctx.err.interactive:
            raise UsageError("no terminal to ask the code in: use --code CODE.")
        code = ctx.err.ask_secret("Reset code: ")
    password = new_password(ctx, args)
    people.reset_password(ctx.store, args.name, code, password)
    ctx.out.say(f"The password of {args.name} is set; log in with it.")
    return 0


def users_invite(ctx, args) -> int:
    """Create a single-use invite into a team with a role, and print its code once.

    Admins invite into any team; leads into their own.  Whoever gets the code registers with
    `statbotic users register NAME --invite CODE` before it expires.

    examples:
      CODE=$(statbotic users invite --team billing --role viewer)
      statbotic users invite --team billing --role lead --days 2
    """
    actor, team = session(ctx, args)
    code, invite = people.create_invite(ctx.store, actor, team, args.role, args.days)
    ctx.out.say(code)
    ctx.err.say(f"Invite into team {invite.team} as a {invite.role}, single use, until {when_text(invite.expires_at)}.")
    ctx.err.say("They run: statbotic users register NAME --invite CODE")
    return 0


def days_argument(value: str) -> int:
    """An argparse type: a whole number of days, 1 to people.MAX_INVITE_DAYS."""
    if not (value.isascii() and value.isdigit() and len(value) <= 3 and 1 <= int(value) <= people.MAX_INVITE_DAYS):
        raise argparse.ArgumentTypeError(f"a whole number of days from 1 to {people.MAX_INVITE_DAYS}")
    return int(value)


# teams
def teams_list(ctx, args) -> int:
    """List the teams you may see (admins: every team), with your role in each.

    examples:
      statbotic teams list
      statbotic teams list --json
    """
    user = login(ctx, args)
    teams = people.teams_of(ctx.store, user, ctx.settings.team)
    documents = [team_document(team, user) for team in teams]
    if args.json:
        return print_json(ctx, {"admin": access.is_admin(user), "teams": documents})
    if not documents:
        ctx.out.say(f"{user.username} is in no team yet: ask an admin to add you to one.")
        return 0
    rows = [[d["name"], d["display_name"], d["role"] or "(admin)"] for d in documents]
    table(ctx, rows, ["Team", "Display name", "Your role"])
    return 0


def team_document(team, user) -> dict:
    """A team as `teams list --json` gives it; ``role``: the user's own in it (None: seen as an admin)."""
    return {
        "name": team.name,
        "display_name": team.display_name,
        "role": user.teams.get(team.name),
        "created_at": team.created_at.isoformat(),
    }


def teams_add(ctx, args) -> int:
    """Create a team (admins only).  NAME keys its figures and never changes; the display name is what
    screens show (default: the name), and `teams rename` changes it.

    examples:
      statbotic teams add billing
      statbotic teams add emea-chat --display-name "EMEA chat"
    """
    team = people.create_team(ctx.store, login(ctx, args), args.name, args.display_name)
    ctx.out.say(f"Created team {team.name} ({team.display_name}).")
    return 0


def teams_rename(ctx, args) -> int:
    """Change a team's display name (admins only); its name, which its figures are kept under, stays.

    example:
      statbotic teams rename emea-chat "EMEA live chat"
    """
    team = people.rename_team(ctx.store, login(ctx, args), args.name, args.display_name)
    ctx.out.say(f"Team {team.name} is now shown as {team.display_name}.")
    return 0


# registration
def registration_show(ctx, args) -> int:
    """Show who may register: the mode (open, invite or closed) and the e-mail domains accepted.
    Admins only.

    examples:
      statbotic registration show
      statbotic registration show --json
    """
    setting = people.get_registration(ctx.store, login(ctx, args))
    if args.json:
        return print_json(ctx, {"mode": setting.mode, "domains": list(setting.domains)})
    show_registration(ctx, setting)
    return 0


def show_registration(ctx, setting) -> None:
    """The setting as the Administration menu words it, and what its mode means."""
    from .ui import render

    ctx.out.say(render.registration_text(setting))
    ctx.out.say(render.REGISTRATION_MODE_LABELS[setting.mode])


def registration_set(ctx, args) -> int:
    """Set who may register (admins only): --mode open, invite or closed, and the e-mail domains whose
    addresses registration accepts (--domains; --no-domains: any, and no address asked).  What is not
    given stays as it is.

    examples:
      statbotic registration set --mode invite
      statbotic registration set --mode open --domains example.com,example.org
      statbotic registration set --no-domains
    """
    if args.mode is None and args.domains is None and not args.no_domains:
        raise UsageError("say what to set: --mode, --domains or --no-domains.")
    domains = () if args.no_domains else None if args.domains is None else domains_of(args.domains)
    actor = login(ctx, args)
    mode = args.mode or people.get_registration(ctx.store, actor).mode
    setting = people.set_registration(ctx.store, actor, mode, domains)
    show_registration(ctx, setting)
    return 0


def domains_of(text: str) -> tuple[str, ...]:
    """--domains' value: at least one domain, each like example.com; UsageError otherwise."""
    try:
        domains = people.check_domains(text)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None
    if not domains:
        raise UsageError("--domains takes domains separated by commas (e.g. example.com); --no-domains for any.")
    return domains


# the parser
def add_people_commands(commands) -> None:
    """Declare `users`, `teams` and `registration` among ``commands`` (build_parser's subparsers)."""
    add_users(commands)
    add_teams(commands)
    add_registration(commands)
    from .metric_commands import add_metric_commands  # issue 12: `metrics ...`

    add_metric_commands(commands)


def add_users(commands) -> None:
    users = group(
        commands,
        "users",
        "add, register, list and change users; tokens, resets, invites",
        "Manage users.\n\nexamples:\n  statbotic users add dana\n  statbotic users list\n"
        "  statbotic users role sam --team billing --role lead\n"
        "  export STATBOTIC_TOKEN=$(statbotic users token --user dana)\n  statbotic users unlock dana",
    )
    new = command(users, "add", users_add, "add a user (the first one of a new store: the admin)")
    new.add_argument("name")
    new.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    new.add_argument("--team", metavar="TEAM", help="put the user in this team (with --role)")
    new.add_argument("--role", choices=ROLES, help="the role in --team (default viewer)")
    new.add_argument("--admin", action="store_true", help="make the user an admin too")
    who_option(new)

    joining = command(users, "register", users_register, "register yourself (by the store's rules; no login)")
    joining.add_argument("name")
    joining.add_argument("--invite", metavar="CODE", help="the invite code you were given")
    joining.add_argument("--email", metavar="ADDRESS", help="your e-mail address (when registration asks for one)")
    joining.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")

    listing = command(users, "list", users_list, "list users, their teams, roles and status (admins)")
    listing.add_argument("--json", action="store_true", help="print the users as JSON")
    who_option(listing)

    role = command(users, "role", users_role, "put a user in a team as viewer or lead, or take them out")
    role.add_argument("name", type=username_argument)
    role.add_argument("--team", metavar="TEAM", required=True, help="the team")
    which = role.add_mutually_exclusive_group(required=True)
    which.add_argument("--role", choices=ROLES, help="the user's role in the team")
    which.add_argument("--remove", action="store_true", help="take the user out of the team")
    who_option(role)

    admin = command(users, "admin", users_admin, "make a user an admin, or no longer one")
    admin.add_argument("name", type=username_argument)
    grant = admin.add_mutually_exclusive_group(required=True)
    grant.add_argument("--grant", action="store_true", help="make the user an admin")
    grant.add_argument("--revoke", action="store_true", help="make the user no longer an admin")
    who_option(admin)

    edit = command(users, "edit", users_edit, "link a user to an agent (their own figures), or unlink them")
    edit.add_argument("name", type=username_argument)
    linking = edit.add_mutually_exclusive_group(required=True)
    linking.add_argument("--agent", metavar="NAME", type=agent_argument, help="the agent, as imports name them")
    linking.add_argument("--no-agent", action="store_true", help="link the user to no agent")
    who_option(edit)

    for name, function, text in (
        ("disable", users_disable, "disable a user: no login, no token"),
        ("enable", users_enable, "enable a disabled user again"),
        ("reset", users_reset, "print a one-time code to set a new password with"),
        ("unlock", users_unlock, "clear a name's failed logins and lock"),
    ):
        changing = command(users, name, function, text)
        changing.add_argument("name", type=username_argument)
        who_option(changing)

    setting = command(users, "set-password", users_set_password, "set a new password with a reset code (no login)")
    setting.add_argument("name", type=username_argument)
    setting.add_argument("--code", metavar="CODE", help="the reset code (asked, hidden, when left out)")
    setting.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")

    inviting = command(users, "invite", users_invite, "print a single-use invite code into a team")
    inviting.add_argument("--role", choices=ROLES, required=True, help="the role the invite gives")
    lasting = f"days it lasts (default {people.INVITE_DAYS})"
    inviting.add_argument("--days", type=days_argument, default=people.INVITE_DAYS, help=lasting)
    team_option(inviting)
    who_option(inviting)

    token = command(users, "token", users_token, "create an access token for scripts")
    who_option(token)


def add_teams(commands) -> None:
    teams = group(
        commands,
        "teams",
        "list, add or rename teams",
        "List, add or rename teams.\n\nexamples:\n  statbotic teams list\n  statbotic teams add billing\n"
        '  statbotic teams rename billing "Billing & refunds"',
    )
    listing = command(teams, "list", teams_list, "list the teams you may see, with your role")
    listing.add_argument("--json", action="store_true", help="print the teams as JSON")
    who_option(listing)
    new = command(teams, "add", teams_add, "create a team (admins)")
    new.add_argument("name")
    new.add_argument("--display-name", metavar="TEXT", help="what screens show (default: the name)")
    who_option(new)
    renaming = command(teams, "rename", teams_rename, "change a team's display name (admins)")
    renaming.add_argument("name")
    renaming.add_argument("display_name", metavar="DISPLAY_NAME")
    who_option(renaming)


def add_registration(commands) -> None:
    registration = group(
        commands,
        "registration",
        "show or set who may register (admins)",
        "Show or set who may register (admins).\n\nexamples:\n  statbotic registration show\n"
        "  statbotic registration set --mode invite --domains example.com",
    )
    showing = command(registration, "show", registration_show, "show the registration mode and e-mail domains")
    showing.add_argument("--json", action="store_true", help="print the setting as JSON")
    who_option(showing)
    setting = command(registration, "set", registration_set, "set the registration mode and e-mail domains")
    setting.add_argument("--mode", choices=REGISTRATION_MODES, help="open, invite or closed")
    domains = setting.add_mutually_exclusive_group()
    domains.add_argument("--domains", metavar="A,B", help="accept addresses at these domains only")
    domains.add_argument("--no-domains", action="store_true", help="accept any address (and ask none)")
    who_option(setting)
