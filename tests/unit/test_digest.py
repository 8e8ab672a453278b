"""digest.py's pure parts and addresses.py: addresses, senders and webhook URLs checked before any network
is touched, the webhook shown without its secret path, and the message built from a report."""

import email
import email.policy

import pytest

from statbotic.addresses import address_of, is_loopback, sender_of, webhook_name, webhook_problem
from statbotic.digest import mail
from statbotic.errors import InvalidInput
from statbotic.report_page import ReportDocument


@pytest.mark.parametrize("text", ["manager@example.com", "a.b+tag@sub.example.co.uk", "ops@localhost"])
def test_plain_addresses_are_taken(text):
    assert address_of(f" {text} ") == text


@pytest.mark.parametrize(
    "text",
    [
        "manager",
        "manager@",
        "@example.com",
        "a@b@example.com",
        "a b@example.com",
        "a@example.com,b@example.com",
        "Name <a@example.com>",
        "a@-example.com",
        "a@example.com\r\nBcc: x@evil.example",
        "x" * 250 + "@example.com",
    ],
)
def test_anything_else_is_refused_quoted_short(text):
    with pytest.raises(InvalidInput) as problem:
        address_of(text)
    assert "is not an e-mail address" in problem.value.message and len(problem.value.message) < 120


@pytest.mark.parametrize(
    "text, words",
    [("josé@example.com", "only plain (ASCII) e-mail addresses"), ("ana@exämple.com", "is not an e-mail address")],
)
def test_a_non_ascii_address_is_refused_before_any_server_is_asked(text, words):
    with pytest.raises(InvalidInput) as problem:
        address_of(text)
    assert words in problem.value.message


def test_a_sender_may_carry_a_name():
    assert sender_of("stats@example.com") == "stats@example.com"
    assert sender_of("Statbotic <stats@example.com>") == "Statbotic <stats@example.com>"
    for bad in ("Statbotic <stats@example.com", "Statbotic stats@example.com>", "<a@x.com> <b@x.com>"):
        with pytest.raises(InvalidInput):
            sender_of(bad)


@pytest.mark.parametrize(
    "url,problem",
    [
        ("https://hooks.slack.com/triggers/T0/B0/secret", None),
        ("http://127.0.0.1:8080/hook", None),
        ("http://localhost/hook", None),
        ("http://hooks.example.com/hook", "must be https://"),
        ("ftp://hooks.example.com/hook", "must be an https:// URL"),
        ("https:///no-host", "must be an https:// URL"),
        ("https://hooks.example.com:99999/x", "is not a URL"),
        ("https://hooks.example.com/a b", "holds a space"),
        ("http://user:pw@127.0.0.1:8099/x", "may not carry a user or password"),
        ("https://user@hooks.example.com/x", "may not carry a user or password"),
        ("https://:pw@hooks.example.com/x", "may not carry a user or password"),
    ],
)
def test_webhook_urls(url, problem):
    found = webhook_problem(url)
    assert found == problem if problem is None else problem in found


def test_a_webhook_is_shown_without_its_path_nor_credentials():
    assert webhook_name("https://user:pw@hooks.slack.com/triggers/T0/B0/secret?x=1") == "https://hooks.slack.com/…"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "localhost.example.com", "0.0.0.0"])
def test_other_hosts(host):
    assert not is_loopback(host)


def test_the_message_has_the_text_then_the_html_alternative():
    report = ReportDocument("Report:\nteam ops, May", "<!doctype html><p>" + "é" * 2000 + "</p>", "Ops: ✓\n", "r.html")
    message = mail(report, "Statbotic <stats@example.com>", ("a@example.com", "b@example.com"))
    parsed = email.message_from_bytes(message.as_bytes(policy=email.policy.SMTP), policy=email.policy.default)
    assert parsed["Subject"] == "Report: team ops, May" and parsed["To"] == "a@example.com, b@example.com"
    assert parsed["Message-ID"].endswith("@example.com>") and parsed["Date"]
    plain, page = parsed.iter_parts()
    assert (plain.get_content_type(), page.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content().splitlines() == ["Ops: ✓"] and page.get_content().splitlines() == [report.html]
    assert max(len(line) for line in message.as_bytes(policy=email.policy.SMTP).split(b"\r\n")) <= 998


@pytest.mark.parametrize(
    "title",
    [
        "Team default: stats for 2026-11-01..2026-11-15 (2026-11-01 to 2026-11-15)",
        "Department (12 teams): stats for 2026-11, to date (2026-11-01 to 2026-11-28), and more words to fold",
        "Team billing-and-receivables-nort: stats for last week (2026-11-16 to 2026-11-22) — é ✓",
    ],
)
def test_a_long_subject_parses_back_exactly(title):
    message = mail(ReportDocument(title, "<p>x</p>", "x\n", "r.html"), "Stats <s@example.com>", ("a@example.com",))
    raw = message.as_bytes()
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == title
    assert not raw.startswith(b"Subject:\r\n") and b"\r\nSubject:\r\n" not in raw and b"\n\n" not in raw


def test_a_password_in_an_error_never_reaches_the_log(tmp_path):
    from statbotic.logfile import log_failure

    path = log_failure(
        ValueError("login failed for smtp-secret-1"), "unexpected", tmp_path / "s.log", None, ["smtp-secret-1"]
    )
    text = (tmp_path / "s.log").read_text(encoding="utf-8")
    assert path == str(tmp_path / "s.log") and "smtp-secret-1" not in text and "login failed for ***" in text
