"""The main menu's "Import a file" (leads and admins): `statbotic import` as a form.

The file(s) (asked again while one is missing or can't be read), how to read them (a preset by number,
or a mapping file of one's own), the time zone for items, then the same preview as the command
(ui/import_view), what to do with the days saved with other figures, a confirmation, the writing and
what it did.  A refusal naming bad rows is shown with "Leave out the bad rows and import the rest?"
(--skip-bad-rows); one of the whole file or mapping (ImportRefused) is shown by the menu loop.  Nothing
is written before the confirmation; Ctrl-C cancels, end of input leaves, as everywhere.

Not offered in the web page: a path there would name a file on the server, not the user's.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import access, import_service
from ..errors import InvalidInput
from ..importing.mapping import ITEMS, PRESETS, load_mapping, preset
from ..importing.problems import ImportRefused
from ..periods import plural
from . import import_view, progress
from .menus import choose, choose_from
from .prompts import ask, ask_yes_no

PRESET_LABELS = {
    "statbotic-daily": "Statbotic's own daily CSV export",
    "zendesk-explore-daily": "A Zendesk Explore report, a row per day (CSV)",
    "intercom-conversations": "Intercom conversations, saved pages (JSON)",
    "zendesk-tickets": "Zendesk tickets with metric sets, saved pages (JSON)",
}
OWN_MAPPING = "A mapping file of my own (TOML)"
KEEP, REPLACE, CANCEL = "1", "2", "0"


def readable_file(text: str) -> Path:
    """The path typed (quotes around it dropped, ~ expanded) when it names a file that can be read;
    InvalidInput saying what is wrong otherwise."""
    typed = text.strip()
    if len(typed) >= 2 and typed[0] == typed[-1] and typed[0] in "'\"":
        typed = typed[1:-1]
    if not typed:
        raise InvalidInput("Please type the file's path (Ctrl-C goes back).")
    path = Path(typed).expanduser()
    if not path.exists():
        raise InvalidInput(f"There is no file {typed!r} (paths are from {Path.cwd()}).")
    if not path.is_file():
        raise InvalidInput(f"{typed!r} is a folder, not a file.")
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"{typed!r} can't be read (no permission).")
    return path


class ImportScreen:
    """The form, over Screens (ui/screens.py): its console, store, user, team and retrying."""

    def __init__(self, screens) -> None:
        self.screens, self.console = screens, screens.console

    def run(self) -> None:
        screens, console = self.screens, self.console
        team = screens.team
        access.require_edit(screens.user, team, "import days")  # the menu may be older than a change
        console.say(f"Import days' figures into team {team}. Ctrl-C goes back; nothing is written before you confirm.")
        paths = self.ask_files()
        mapping = self.ask_mapping()
        if mapping.kind == ITEMS:
            mapping = self.ask_timezone(mapping)
        metrics = screens.team_metrics()
        plan = self.plan_or_accept_the_good_rows(team, paths, mapping, metrics)
        if plan is None:
            return
        import_view.show_preview(console, plan, metrics)
        replace = self.ask_conflicts(plan)
        if replace is None:
            return
        kept = len(plan.of(import_service.UNCHANGED)) + (0 if replace else len(plan.of(import_service.CONFLICT)))
        writing = len(plan.days) - kept  # new, filled and corrected days, and the conflicts replaced
        if not writing:
            console.say("Nothing to write: the store has these days already (or keeps its own figures).")
            return
        if not ask_yes_no(console, f"Write {plural(writing, 'day')} into team {team}?"):
            console.say("Nothing was written.")
            return
        user = screens.user  # read now: a role taken away meanwhile holds
        result = screens.with_retry(lambda: import_service.apply_import(screens.store, user, plan, replace, metrics))
        said = f"{result.saved} saved, {result.unchanged} unchanged"
        if result.corrected:
            said += f" ({result.corrected} corrected from an earlier import of {plan.source})"
        if result.skipped:
            said += f", {result.skipped} kept as stored"
        console.ok(f"Team {team}: {said}.")

    def ask_files(self) -> list[Path]:
        """The first file, then more of the same export (its next pages) until a blank answer."""
        console = self.console
        paths = [ask(console, "File to import (CSV or JSON): ", readable_file)]
        while True:
            more = ask(console, "Another page of the same export (Enter if none): ", _blank_or_file)
            if more is None:
                return paths
            paths.append(more)

    def ask_mapping(self):
        """A preset by number, or a mapping file of one's own (asked again while it is refused)."""
        console = self.console
        labels = [f"{PRESET_LABELS.get(name, name)} ({name})" for name in PRESETS] + [OWN_MAPPING]
        chosen = choose_from(console, "How is the file laid out?", labels, "Choose a layout: ")
        if chosen < len(PRESETS):
            return preset(PRESETS[chosen])
        while True:
            path = ask(console, "Mapping file (TOML): ", readable_file)
            try:
                return load_mapping(path)
            except ImportRefused as refused:
                console.error(refused.message)

    def ask_timezone(self, mapping):
        """The zone whose midnights part the days (Enter keeps the mapping's)."""
        console = self.console
        while True:
            text = console.ask(f"Time zone of the days (e.g. Europe/Paris; Enter for {mapping.timezone}): ").strip()
            if not text:
                return mapping
            try:
                return mapping.with_timezone(text)
            except ImportRefused as refused:
                console.error(refused.problems[0].message if refused.problems else refused.message)

    def plan_or_accept_the_good_rows(self, team, paths, mapping, metrics):
        """The plan; on a refusal naming bad rows, the problems and "import the rest?" (the files are
        read again, leaving those rows out), None when declined.  A refusal of the whole file (empty,
        a missing column, a bad mapping) goes up to the menu."""
        console = self.console
        try:
            return self.screens.with_retry(lambda: self.plan(team, paths, mapping, metrics, skip_bad=False))
        except ImportRefused as refused:
            if not any(problem.line is not None for problem in refused.problems):
                raise
            console.error(refused.message)
        if not ask_yes_no(console, "Leave out the bad rows and import the rest?"):
            console.say("Nothing was written.")
            return None
        plan = self.screens.with_retry(lambda: self.plan(team, paths, mapping, metrics, skip_bad=True))
        console.say(f"Left out, of {plural(plan.rows_read, 'row')} read: {plural(len(plan.problems), 'problem')}.")
        return plan

    def plan(self, team, paths, mapping, metrics, skip_bad: bool):
        screens = self.screens
        with progress.watched(self.console, show=True) as reading:
            return import_service.plan_import(
                screens.store, team, screens.user, paths, mapping, metrics, skip_bad=skip_bad, reading=reading
            )

    def ask_conflicts(self, plan) -> bool | None:
        """Whether to replace the days saved with other figures (False when there are none); None: cancel."""
        conflicts = plan.of(import_service.CONFLICT)
        if not conflicts:
            return False
        choice = choose(
            self.console,
            f"{plural(len(conflicts), 'day')} already saved with other figures",
            [
                (KEEP, "Keep the saved figures (import the other days)"),
                (REPLACE, "Replace them with the file's"),
                (CANCEL, "Cancel the import"),
            ],
        )
        if choice == CANCEL:
            self.console.say("Nothing was written.")
            return None
        return choice == REPLACE


def _blank_or_file(text: str) -> Path | None:
    return None if not text.strip() else readable_file(text)
