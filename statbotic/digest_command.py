"""`statbotic digest` (issue 14): a period's report sent by e-mail (digest.py, through the mail server
of STATBOTIC_SMTP_HOST and its fellows) and/or the period's check posted to a webhook as JSON (the
document `check --json` prints: check_command.document).  Whoever may view the team may send its
digest: the mail carries what `view` and `export` already give them.  When anything fails to go out,
the report is kept: written to the export folder, its path said with the failure, exit 1."""

from __future__ import annotations

import argparse

from .addresses import address_of, webhook_name, webhook_problem
from .check_command import checked
from .check_command import document as check_document
from .command_base import command, period_of, print_json, session, team_option, today, who_option
from .errors import ConfigError, InvalidInput, StatboticError, UsageError
from .limits import MAX_PATH, text_problem

MAX_RECIPIENTS = 50  # addresses of one digest: more is a mailing list's job


def digest(ctx, args) -> int:
    """Send a period's report by e-mail (--to: the HTML report with a plain-text part, through the mail
    server of STATBOTIC_SMTP_HOST; README: Digests) and/or post the period's check as JSON to a webhook
    (--webhook: what `statbotic check --json` prints, for a Slack or Teams workflow).  When something
    can't be sent, the report is written to the export folder and the command exits 1, saying why and
    where.  Anyone who may view the team may send its digest.

    examples:
      statbotic digest yesterday --to manager@example.com
      statbotic digest "last week" --to manager@example.com --to lead@example.com --team billing
      statbotic digest "last month" --all-teams --to director@example.com
      statbotic digest yesterday --webhook https://hooks.slack.com/triggers/T000/B000/XXXX
    """
    if not args.to and not args.webhook:
        raise UsageError("say where the digest goes: --to ADDRESS (e-mail) and/or --webhook URL.")
    if args.webhook and args.all_teams:
        raise UsageError("--webhook posts one team's check: use --team, not --all-teams.")
    recipients = tuple(dict.fromkeys(args.to or ()))
    if len(recipients) > MAX_RECIPIENTS:
        raise UsageError(f"--to takes at most {MAX_RECIPIENTS} addresses: use a mailing list for more.")
    if recipients:
        mail_ready(ctx.settings.mail)
    period = period_of(ctx, args.period)
    user, team = session(ctx, args)
    from .report_page import build_document

    report = build_document(ctx.store, team, period, ctx.settings, user=user, today=today(), all_teams=args.all_teams)
    deliveries, said, failures = [], [], []
    if recipients:
        _mail(ctx, report, recipients, deliveries, said, failures)
    if args.webhook:
        _post(ctx, args.webhook, team, period, user, deliveries, said, failures)
    path, where = kept(ctx, report) if failures else (None, "")
    if args.json:
        document = {"period": period.describe(), "title": report.title, "ok": not failures}
        print_json(ctx, {**document, "deliveries": deliveries, "kept": path})
    else:
        for line in said:
            ctx.out.say(line)
    if failures:
        raise StatboticError("\n".join([*failures, where]))
    return 0


def mail_ready(mail) -> None:
    """ConfigError naming the setting a digest by e-mail still needs (a server, a sender)."""
    if not mail.host:
        raise ConfigError("STATBOTIC_SMTP_HOST is not set: digest --to needs a mail server (README: Digests).")
    if not mail.sender:
        raise ConfigError("STATBOTIC_SMTP_FROM is not set: digest --to needs the address it sends from.")
    if mail.user and mail.password is None:
        raise ConfigError("STATBOTIC_SMTP_USER is set but STATBOTIC_SMTP_PASSWORD is not: set both, or neither.")


def _mail(ctx, report, recipients: tuple[str, ...], deliveries: list, said: list, failures: list) -> None:
    """Send the report to ``recipients``: one delivery each in ``deliveries`` (ok, or why not), the line
    saying what went out in ``said``, what failed in ``failures``."""
    from . import digest

    mail = ctx.settings.mail
    try:
        done = digest.send_mail(digest.mail(report, mail.sender, recipients), mail, tuple(recipients))
    except digest.DeliveryFailed as problem:
        for address in recipients:
            why = f"refused: {problem.refused[address]}" if address in problem.refused else problem.message
            deliveries.append({"by": "mail", "to": address, "ok": False, "error": why})
        failures.append(problem.message)
        return
    refused = dict(done.refused)
    for address in recipients:
        if address in refused:
            deliveries.append({"by": "mail", "to": address, "ok": False, "error": f"refused: {refused[address]}"})
        else:
            deliveries.append({"by": "mail", "to": address, "ok": True, "bytes": done.size})
    said.append(f"Sent {report.title!r} ({done.size:,} bytes) to {', '.join(done.to)}.")
    if done.refusal:
        failures.append(done.refusal)


def _post(ctx, url: str, team: str, period, user, deliveries: list, said: list, failures: list) -> None:
    """Post the check's JSON to the webhook at ``url``: its delivery, the line said, or the failure."""
    from . import digest

    found, paces = checked(ctx, team, period, user, today())  # what `check --json` prints, posted
    try:
        done = digest.post_json(url, check_document(team, period, found, paces), ctx.settings.mail)
    except digest.DeliveryFailed as problem:
        status = problem.status or None  # None: no answer at all
        deliveries.append(
            {"by": "webhook", "to": webhook_name(url), "ok": False, "status": status, "error": problem.message}
        )
        failures.append(problem.message)
        return
    deliveries.append({"by": "webhook", "to": done.to[0], "ok": True, "bytes": done.size, "status": done.status})
    said.append(f"Posted the check of team {team} ({done.size:,} bytes of JSON) to {done.to[0]} ({done.status}).")


def kept(ctx, report) -> tuple[str | None, str]:
    """Write the report's HTML to the export folder (atomically, never over another file): its path and
    the sentence saying where; or None and why it could not be (the failure to send is told first)."""
    from .report_page.writing import save

    try:
        path = save(report, ctx.settings.export_dir)
    except StatboticError as problem:
        return None, f"The report could not be kept either: {problem.message}"
    return str(path.resolve()), f"The report is kept in {path.resolve()}"


def address_argument(value: str) -> str:
    """An argparse type: --to's e-mail address."""
    try:
        return address_of(value)
    except InvalidInput as problem:
        raise argparse.ArgumentTypeError(problem.message) from None


def webhook_argument(value: str) -> str:
    """An argparse type: --webhook's URL (https, or http to this machine); a message never shows its path."""
    problem = text_problem(value, MAX_PATH)
    if problem:
        raise argparse.ArgumentTypeError(f"the webhook URL is {problem}")
    wrong = webhook_problem(value.strip())
    if wrong:
        where = webhook_name(value.strip()) if "://" in value else "the webhook URL"
        raise argparse.ArgumentTypeError(f"{where} {wrong}")
    return value.strip()


def add_digest_command(commands) -> None:
    """Declare `digest` among ``commands`` (build_parser's subparsers)."""
    parser = command(commands, "digest", digest, "e-mail a period's report, or post its check to a webhook")
    parser.add_argument("period", help="e.g. yesterday, 'last week', 2026-11")
    parser.add_argument(
        "--to",
        action="extend",
        nargs="+",
        type=address_argument,
        metavar="ADDRESS",
        help="e-mail the report to these addresses (mail settings: README, Digests)",
    )
    parser.add_argument(
        "--webhook", metavar="URL", type=webhook_argument, help="post the check's JSON to this https:// URL"
    )
    parser.add_argument("--all-teams", action="store_true", help="the department: every team you may see (e-mail only)")
    parser.add_argument("--json", action="store_true", help="say what was sent as JSON")
    team_option(parser)
    who_option(parser)
