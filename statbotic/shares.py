"""Share links (issue 14): a read-only link to one team's report of fixed dates, open to whoever holds it,
with no login, until it expires or is revoked.

Leads share their teams' reports, admins any team's; viewers none.  The token is 256 random bits, shown
once (the URL); the store keeps only its SHA-256, so a stolen data file opens no link.  Every share made
and revoked is in the audit trail (never the token).  A link is rendered from the store each time it is
opened (share_command.shared_page), as its creator may see the team then but without its agents or
anyone's name: late corrections show, and a creator who is no longer a lead of the team (or an admin)
takes the link down with them.  An unknown, expired or revoked token all give the same None
by the same path (one hash, one indexed read), so a visitor can't tell them apart.

Use cases like services.py: plain values in, records out, domain errors raised; the store is an argument.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from . import access, auth
from .errors import Forbidden, InvalidInput
from .limits import shown
from .people import require_team
from .periods import MONTHS_IN, Period, to_date, whole_period
from .records import Share, User
from .services import utc_now
from .storage.base import Store

DEFAULT_EXPIRY = "7d"
MAX_EXPIRY = timedelta(days=90)
EXPIRY_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
EXPIRY_RULE = re.compile(r"(\d{1,4})\s*([hdw])", re.ASCII)
ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or typed without doubt
ID_LENGTH = 8  # 40 bits: a public name, not a credential
MAX_TOKEN = 100  # what is hashed of a token given (a real one is 43 characters)
PATH = "/share/"  # the web server's route (web/shares.js)
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
# Labels that name days relative to when the share was made ("this month", "last 7 days"): a share
# keeps the dates, and shows them alone, since "this month" would be wrong next month.
CALENDAR_UNITS = (*MONTHS_IN, "week")  # a period that runs to its natural end
RELATIVE_LABELS = re.compile(r"(today|yesterday|this |last )")


def parse_expiry(text: str) -> timedelta:
    """How long a share lasts: "24h", "7d" or "2w" (1 hour to 90 days); InvalidInput saying what is wrong."""
    match = EXPIRY_RULE.fullmatch(text.strip().lower())
    example = "a number of hours, days or weeks such as 24h, 7d or 2w"
    if match is None:
        raise InvalidInput(f"A share's expiry is {example}, not {shown(text.strip())}.")
    lasts = timedelta(**{EXPIRY_UNITS[match[2]]: int(match[1])})
    if not timedelta(hours=1) <= lasts <= MAX_EXPIRY:
        raise InvalidInput(f"A share lasts from 1 hour to {MAX_EXPIRY.days} days, not {shown(text.strip())}.")
    return lasts


def new_token() -> str:
    """A share link's token: 256 random bits, URL-safe (43 characters), so a fast hash stores it safely."""
    import secrets

    return secrets.token_urlsafe(32)


def new_id() -> str:
    import secrets

    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def shared_label(period: Period) -> str:
    """The label a share keeps: the period's, unless it names days relative to today (then none: the dates)."""
    return "" if RELATIVE_LABELS.match(period.label) else period.label


def create_share(
    store: Store, actor: User, team: str, period: Period, lasts: timedelta, now: datetime | None = None
) -> tuple[str, Share]:
    """A share of ``team``'s report of ``period`` for ``lasts``: (the token, shown once; the share).
    Leads of the team and admins; Forbidden otherwise; InvalidInput for a period that begins after the
    link expires."""
    access.require_edit(actor, team, "share its reports")
    require_team(store, team)  # an admin's typo is no team
    if not timedelta(0) < lasts <= MAX_EXPIRY:
        raise InvalidInput(f"A share lasts at most {MAX_EXPIRY.days} days.")
    now = now or utc_now()
    if period.start > (now + lasts).date():  # it would show nothing, ever
        raise InvalidInput(
            f"{period.span_text()} begins after the link would expire ({(now + lasts).date()}): share it once"
            " it has begun."
        )
    token = new_token()
    period = whole_period(period)  # "this month" is the month: opened later, it shows the days since
    share = Share(
        new_id(), auth.token_hash(token), team, period.start, period.end, shared_label(period), period.unit,
        actor.username, now, now + lasts,
    )  # fmt: skip
    store.add_share(share)
    return token, share


def shares_for(store: Store, actor: User) -> list[Share]:
    """The shares the actor may see and revoke: every one for an admin, their teams' for a lead."""
    if access.is_admin(actor):
        return store.shares()
    teams = sorted(team for team in actor.teams if access.can_edit(actor, team))
    if not teams:
        raise Forbidden("Only leads and admins share reports, and see the links shared.")
    return store.shares(teams)


def revoke_share(store: Store, actor: User, share_id: str, now: datetime | None = None) -> Share:
    """Revoke a share the actor may see (shares_for: any of their teams', whoever made it -- a lead answers
    for what is shown of the team) by its id: the share before.  InvalidInput when it is
    not one of them (unknown, or another team's: the same message) or was revoked already."""
    wanted = share_id.strip().upper()
    share = store.get_share(wanted) if len(wanted) <= ID_LENGTH * 2 else None
    if share is None or not access.can_edit(actor, share.team):
        if not access.is_admin(actor) and not any(access.can_edit(actor, team) for team in actor.teams):
            raise Forbidden("Only leads and admins share reports, and revoke them.")
        raise InvalidInput(f"There is no share {shown(share_id.strip())} of your teams (statbotic share list).")
    if not store.revoke_share(share.id, actor.username, now or utc_now()):
        raise InvalidInput(f"The share {share.id} was revoked already.")
    return share


def link_of(public_url: str | None, token: str) -> str:
    """The share's URL on the web page at ``public_url`` (STATBOTIC_PUBLIC_URL), or its path when unset."""
    return f"{public_url or ''}{PATH}{token}"


def status(share: Share, now: datetime) -> str:
    """active, expired or revoked."""
    if share.revoked_at is not None:
        return REVOKED
    return EXPIRED if share.expires_at <= now else ACTIVE


def period_of(share: Share) -> Period:
    return Period(share.start, share.end, share.label, share.unit)


def shown_period(share: Share, today: date) -> Period:
    """The share's period as it shows today, as `view` would show it: a week, month, quarter or year
    still running is cut at today (periods.to_date: days to come are not missing); dates are as shared."""
    period = period_of(share)
    return to_date(period, today) if period.unit in CALENDAR_UNITS else period


def open_share(store: Store, token: str, now: datetime) -> Share | None:
    """The live share of this token; None when it is unknown, expired or revoked -- all by the same path
    (the token hashed, one indexed read), so none is told apart from the others."""
    # a real token is ASCII: anything else (even bytes stdin could not decode) is hashed as no token
    given = token if isinstance(token, str) and len(token) <= MAX_TOKEN and token.isascii() else ""
    share = store.share_by_token_hash(auth.token_hash(given))
    if share is None or status(share, now) != ACTIVE:
        return None
    return share


def open_for_page(store: Store, token: str, now: datetime) -> tuple[Share, User] | None:
    """(the live share, its creator) for the page a link shows, made as its creator may see it now; None
    when there is no such live share, or when the creator is gone, disabled, or no longer a lead of the
    team (or an admin): a link lives no longer than its maker's right to make it."""
    share = open_share(store, token, now)
    if share is None:
        return None
    creator = store.get_user(share.created_by)
    if creator is None or not access.can_edit(creator, share.team):
        return None
    return share, creator
