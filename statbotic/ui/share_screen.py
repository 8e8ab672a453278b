"""The "Share a report link" screen (issue 14, leads and admins): share a period of a team as a read-only
link (shown once), list the links shared, revoke one.  The rules are shares.py's."""

from __future__ import annotations

from .. import access, shares
from ..services import utc_now
from .menus import Option, choose_from, run_menu
from .prompts import ask, ask_yes_no
from .render import fmt_minute

EXPIRY_PROMPT = f"Valid for how long (24h, 7d, 2w; at most 90d) [{shares.DEFAULT_EXPIRY}]: "


def expiry_answer(text: str):
    return shares.parse_expiry(text.strip() or shares.DEFAULT_EXPIRY)


class ShareScreen:
    """Over Screens (ui/screens.py): its console, store, settings, user and team."""

    def __init__(self, screens) -> None:
        self.screens, self.console = screens, screens.console

    def run(self) -> None:
        run_menu(
            self.console,
            "Share a report link",
            [
                Option("1", "Share a period", self.share),
                Option("2", "Links shared", self.list),
                Option("3", "Revoke a link", self.revoke),
                Option("0", "Back", lambda: True),
            ],
        )

    def share(self) -> None:
        """A period, a team (when the user leads several), an expiry; the link, shown only this once."""
        screens, console = self.screens, self.console
        period = screens.ask_period()
        team = self.choose_team()
        lasts = ask(console, EXPIRY_PROMPT, expiry_answer)
        user = screens.user
        token, made = screens.with_retry(lambda: shares.create_share(screens.store, user, team, period, lasts))
        console.ok(f"Read-only link to team {made.team}, {shares.period_of(made).describe()}:")
        console.say(shares.link_of(screens.settings.public_url, token))
        console.say(f"No login needed, until {fmt_minute(made.expires_at)}. It is shown only this once.")
        console.say(f"Revoke it here (3) or with: statbotic share revoke {made.id}", "dim")
        if screens.settings.public_url is None and screens.settings.web_session:
            console.say("Put this page's address in front: what your browser shows, up to /share.", "dim")
        elif screens.settings.public_url is None:
            console.say("Add the web page's address in front (set STATBOTIC_PUBLIC_URL to show it).", "dim")

    def choose_team(self) -> str:
        user, screens = self.screens.user, self.screens
        mine = [team for team in screens.teams if access.can_edit(user, team.name)]
        if len(mine) <= 1:  # the one team they lead (the team shown may be one they only view)
            return mine[0].name if mine else screens.team
        labels = [f"team {team.display_name}" for team in mine]
        return mine[choose_from(self.console, "Share a report of", labels, "Choose a team: ")].name

    def found(self) -> list:
        screens = self.screens
        user = screens.user
        return screens.with_retry(lambda: shares.shares_for(screens.store, user))

    def list(self) -> None:
        found, now = self.found(), utc_now()
        if not found:
            self.console.say("No links shared yet.")
            return
        for share in found:
            self.console.say(
                f"  {share.id}  team {share.team}, {shares.period_of(share).span_text()}, by {share.created_by}, "
                f"until {fmt_minute(share.expires_at)}: {shares.status(share, now)}"
            )

    def revoke(self) -> None:
        now = utc_now()
        live = [share for share in self.found() if shares.status(share, now) == shares.ACTIVE]
        if not live:
            self.console.say("No link to revoke: none is active.")
            return
        labels = [f"{s.id}  team {s.team}, {shares.period_of(s).span_text()}, by {s.created_by}" for s in live]
        chosen = live[choose_from(self.console, "Active links", labels, "Choose a link to revoke: ")]
        if not ask_yes_no(self.console, f"Revoke {chosen.id}? Whoever holds the link loses it for good"):
            self.console.say("Kept: nothing was revoked.")
            return
        screens = self.screens
        user = screens.user
        screens.with_retry(lambda: shares.revoke_share(screens.store, user, chosen.id))
        self.console.ok(f"Revoked {chosen.id}: the link shows nothing any more.")
