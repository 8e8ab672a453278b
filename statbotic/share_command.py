"""`statbotic share` (issue 14): read-only links to a team's report, for people with no login.

`share PERIOD` prints the link once (its token is shown only then); `share list` and `share revoke ID`
manage them.  The hidden `share-page` is the web server's: it reads a token on stdin (never argv, which
`ps` shows) and writes the page, or exits NO_SUCH_SHARE saying nothing."""

from __future__ import annotations

import argparse

from . import shares
from .command_base import command, login, period_of, print_json, session, team_option, who_option
from .errors import InvalidInput, UsageError
from .people_commands import when_text

NO_SUCH_SHARE = 4  # share-page: no live share has that token (unknown, expired, revoked: all alike)
PAGE_COMMAND = "share-page"


def share(ctx, args) -> int:
    """Share a period's report as a read-only link: whoever holds it sees the report, with no login,
    until it expires (--expires: 24h, 7d or 2w; 7d by default, at most 90d) or is revoked.  The link
    is printed once: keep it, it can't be shown again.  The page is made from the data when it is
    opened, so later corrections show.  Leads share their teams' reports, admins any team's.

    `share list` shows your teams' links (an admin: every link) with their status; `share revoke ID`
    ends one at once.  The links open on the web page at STATBOTIC_PUBLIC_URL.

    examples:
      statbotic share "last month"
      statbotic share 2026-W47 --expires 2w --team billing
      statbotic share list --json
      statbotic share revoke K7QM2XNP
    """
    if args.period == "list":
        return share_list(ctx, args)
    if args.period == "revoke":
        return share_revoke(ctx, args)
    if args.id is not None:
        raise UsageError(f"share takes one PERIOD (or list, or revoke ID), not also {args.id!r}.")
    period = period_of(ctx, args.period)
    lasts = _expiry(args.expires)
    user, team = session(ctx, args)
    token, made = shares.create_share(ctx.store, user, team, period, lasts)
    link = shares.link_of(ctx.settings.public_url, token)
    if args.json:
        return print_json(ctx, {**_document(made, shares.ACTIVE), "url": link})
    ctx.out.say(link)
    dates, until = shares.period_of(made).describe(), when_text(made.expires_at)
    ctx.err.say(f"Team {made.team}, {dates}: read-only, no login, until {until}.")
    ctx.err.say(f"The link is shown only now. Revoke it with: statbotic share revoke {made.id}")
    if ctx.settings.public_url is None:
        ctx.err.say("Set STATBOTIC_PUBLIC_URL to the web page's address (https://...) to get a whole link.")
    return 0


def share_list(ctx, args) -> int:
    if args.id is not None:
        raise UsageError(f"share list takes no argument, not {args.id!r}.")
    user = login(ctx, args)
    found = shares.shares_for(ctx.store, user)
    now = _now()
    if args.json:
        return print_json(ctx, {"shares": [_document(s, shares.status(s, now)) for s in found]})
    if not found:
        ctx.out.say("No shares yet.")
        return 0
    from .ui import render  # tabulate: only when a table is drawn

    rows = [
        [s.id, s.team, shares.period_of(s).span_text(), s.created_by, when_text(s.created_at), when_text(s.expires_at),
         shares.status(s, now)]
        for s in found
    ]  # fmt: skip
    ctx.out.say(render.table(ctx.out, rows, ["id", "team", "dates", "by", "made", "expires", "status"]))
    return 0


def share_revoke(ctx, args) -> int:
    if args.id is None:
        raise UsageError("share revoke needs the share's ID (see statbotic share list).")
    user = login(ctx, args)
    revoked = shares.revoke_share(ctx.store, user, args.id)
    ctx.out.say(f"Revoked share {revoked.id} (team {revoked.team}, {shares.period_of(revoked).describe()}).")
    return 0


def share_page(ctx, args) -> int:
    """The web server's: the page of the live share whose token is the first line of stdin, or exit 4."""
    token = ctx.stdin.readline(shares.MAX_TOKEN + 2).strip()
    page = shared_page(ctx.store, token, ctx.settings, _now())
    if page is None:
        return NO_SUCH_SHARE
    ctx.out.write(page)
    return 0


def shared_page(store, token: str, settings, now) -> str | None:
    """The page a live share's link shows, made from the store now (late corrections show), as its
    creator may see the team now but without agents or anyone's name (report_page's public report;
    it says noindex and no-referrer itself); None when there is no such live share (shares.open_for_page)."""
    found = shares.open_for_page(store, token, now)
    if found is None:
        return None
    share, creator = found
    from .report_page import build_document  # the report's libraries load only when a report is made

    period = shares.shown_period(share, now.date())
    return build_document(store, share.team, period, settings, user=creator, today=now.date(), public=True).html


def _expiry(text: str):
    try:
        return shares.parse_expiry(text)
    except InvalidInput as problem:
        raise UsageError(problem.message) from None


def _document(share, status: str) -> dict:
    """A share as --json shows it (never its token or its hash)."""
    return {
        "id": share.id,
        "team": share.team,
        "period": shares.period_of(share).describe(),
        "start": share.start.isoformat(),
        "end": share.end.isoformat(),
        "created_by": share.created_by,
        "created_at": share.created_at.isoformat(),
        "expires_at": share.expires_at.isoformat(),
        "revoked_at": None if share.revoked_at is None else share.revoked_at.isoformat(),
        "status": status,
    }


def _now():
    from .services import utc_now

    return utc_now()


def add_share_command(commands) -> None:
    """Declare `share` (and the web server's hidden `share-page`) among ``commands``."""
    parser = command(commands, "share", share, "share a period's report as a read-only link (leads, admins)")
    parser.add_argument("period", metavar="PERIOD", help="e.g. 'last month', 2026-W47; or list, or revoke ID")
    parser.add_argument("id", metavar="ID", nargs="?", help="with revoke: the share's id (see share list)")
    parser.add_argument(
        "--expires", default=shares.DEFAULT_EXPIRY, metavar="WHEN", help="24h, 7d or 2w (default 7d, at most 90d)"
    )
    parser.add_argument("--json", action="store_true", help="print the share(s) as JSON")
    team_option(parser)
    who_option(parser)
    # No help: not listed.  The token comes on stdin, never in argv (which `ps` shows to every user).
    page = commands.add_parser(PAGE_COMMAND, description=argparse.SUPPRESS)
    page.set_defaults(run=share_page)
