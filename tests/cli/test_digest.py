"""`statbotic digest` (issue 14) against real servers the test starts: an SMTP server (aiosmtpd) plain, with
STARTTLS and with implicit TLS (certificates made at test time by trustme, trusted through
STATBOTIC_DIGEST_CA_FILE), with a login required and refused, and down; a webhook (http.server) taking
the check's JSON or answering 500.  A failure exits 1, keeps the report in the export folder and never
shows the SMTP password."""

import email
import email.policy
import json
import os
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from statbotic.cli import main
from statbotic.config import Settings
from tests.cli.conftest import DAY
from tests.conftest import need

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:  # pragma: no cover - requirements-dev.txt installs it; CI fails below without it
    Controller = None
try:
    import trustme
except ImportError:  # pragma: no cover
    trustme = None

BILLING = ["--team", "billing"]
TO = ["manager@example.com", "lead@example.org"]
SENDER = "Statbotic <stats@example.com>"
SMTP_USER, SMTP_PASSWORD = "stats", "smtp-Pa55word-never-shown"
HOST = "127.0.0.1"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture
def servers():
    need(Controller is not None, "aiosmtpd is not installed (pip install -r requirements-dev.txt)")
    started = []
    yield started
    for server in started:
        server.stop()


class Inbox:
    """aiosmtpd's handler: keeps every envelope; refuses RCPT for ``refused`` addresses."""

    def __init__(self, refused=()):
        self.envelopes, self.refused, self.sessions = [], set(refused), []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.sessions.append((session.authenticated, session.ssl is not None))
        return "250 Message accepted"


def accept_only_the_password(server, session, envelope, mechanism, auth_data):
    right = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=right, handled=False)  # not handled: aiosmtpd answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_smtp(servers, inbox, **options) -> int:
    port = free_port()
    controller = Controller(inbox, hostname=HOST, port=port, **options)
    controller.start()
    servers.append(controller)
    return port


@pytest.fixture(scope="module")
def ca():
    need(trustme is not None, "trustme is not installed (pip install -r requirements-dev.txt)")
    return trustme.CA()


def server_context(ca):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def use_mail(monkeypatch, port: int, security: str, **more: str) -> None:
    settings = {
        "STATBOTIC_SMTP_HOST": HOST,
        "STATBOTIC_SMTP_PORT": str(port),
        "STATBOTIC_SMTP_SECURITY": security,
        "STATBOTIC_SMTP_FROM": SENDER,
        "STATBOTIC_DIGEST_TIMEOUT": "10",
        **more,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


def the_report(store, team: str = "billing", period_text: str = DAY):
    """What `digest` sends: report_page.build_document for the same user, period and day."""
    from statbotic.periods import parse_period
    from statbotic.report_page import build_document

    settings = Settings.from_env(dict(os.environ))
    period = parse_period(period_text, date.today(), settings.week_start)
    user = store.get_user(os.environ["STATBOTIC_USER"])
    return build_document(store, team, period, settings, user=user, today=date.today())


def received(inbox: Inbox):
    (envelope,) = inbox.envelopes
    return envelope, email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def lines(text: str) -> list[str]:
    """A text as a list of lines: a MIME text part travels with CRLF and ends with a line break."""
    return text.splitlines()


def kept_files(settings):
    return sorted(settings.export_dir.glob("*.html")) if settings.export_dir.exists() else []


def test_the_report_arrives_with_its_text_and_its_html(org, store, settings, servers, capsys, monkeypatch):
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", *TO, *BILLING)
    assert status == 0, err
    report = the_report(store)
    envelope, message = received(inbox)
    assert envelope.mail_from == "stats@example.com" and envelope.rcpt_tos == TO
    assert message["Subject"] == report.title and message["From"] == SENDER and message["To"] == ", ".join(TO)
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    plain, page = message.get_body(("plain",)), message.get_body(("html",))
    assert message.get_content_type() == "multipart/alternative"
    assert lines(plain.get_content()) == lines(report.text)
    assert lines(page.get_content()) == lines(report.html)
    assert f"to {', '.join(TO)}" in out and f"{len(envelope.original_content):,} bytes" in out
    assert kept_files(settings) == []  # nothing to keep: it went out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_readme_shows_the_line_a_digest_prints(org, servers, capsys, monkeypatch):
    import re
    from pathlib import Path

    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", "last week", "--to", TO[0], *BILLING)
    assert status == 0, err
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    (example,) = re.findall(r"\(\*\"(Sent .*?)\"\*\)", readme)

    def shape(line: str) -> str:  # figures and dates vary: their places must not
        return re.sub(r"\d[\d,]*", "N", line.strip().replace(TO[0], "manager@example.com"))

    assert shape(example) == shape(out)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_long_title_is_the_subject_exactly(org, store, servers, capsys, monkeypatch):
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    period = "last 30 days"  # "Department (1 team): stats for last 30 days (…)": past 78 with "Subject: "
    status, _, err = run(capsys, "digest", period, "--to", *TO, "--all-teams")
    assert status == 0, err
    from statbotic.periods import parse_period
    from statbotic.report_page import build_document

    settings = Settings.from_env(dict(os.environ))
    span = parse_period(period, date.today(), settings.week_start)
    user = store.get_user("lead")
    title = build_document(store, "default", span, settings, user=user, today=date.today(), all_teams=True).title
    envelope, message = received(inbox)
    assert len(f"Subject: {title}") > 78 and message["Subject"] == title
    assert f"Subject: {title}".encode() in envelope.original_content.split(b"\r\n")  # one line, as it travels


@pytest.mark.parametrize("backend", ["sqlite"])
def test_starttls_with_a_login_delivers_over_a_verified_connection(
    org, store, servers, ca, ca_file, capsys, monkeypatch
):
    inbox = Inbox()
    port = start_smtp(
        servers,
        inbox,
        tls_context=server_context(ca),
        require_starttls=True,
        auth_required=True,
        authenticator=accept_only_the_password,
    )
    use_mail(
        monkeypatch,
        port,
        "starttls",
        STATBOTIC_SMTP_USER=SMTP_USER,
        STATBOTIC_SMTP_PASSWORD=SMTP_PASSWORD,
        STATBOTIC_DIGEST_CA_FILE=str(ca_file),
    )
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING, "--json")
    assert status == 0, err
    assert inbox.sessions == [(True, True)]  # logged in, over TLS
    _, message = received(inbox)
    assert lines(message.get_body(("html",)).get_content()) == lines(the_report(store).html)
    answer = json.loads(out)
    assert answer["ok"] is True and answer["kept"] is None and answer["title"] == the_report(store).title
    size = len(received(inbox)[0].original_content)
    assert answer["deliveries"] == [{"by": "mail", "to": TO[0], "ok": True, "bytes": size}]
    assert SMTP_PASSWORD not in out + err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_certificate_nobody_vouched_for_is_refused_and_the_report_kept(
    org, settings, servers, ca, capsys, monkeypatch
):
    inbox = Inbox()
    port = start_smtp(servers, inbox, tls_context=server_context(ca), require_starttls=True)
    use_mail(monkeypatch, port, "starttls")  # no STATBOTIC_DIGEST_CA_FILE: the system's CAs don't know it
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and inbox.envelopes == []
    assert "certificate is not trusted" in err and "STATBOTIC_DIGEST_CA_FILE" in err
    assert [str(path) for path in kept_files(settings)] == [line.split("kept in ")[1] for line in err.splitlines()[-1:]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_implicit_tls_delivers(org, servers, ca, ca_file, capsys, monkeypatch):
    inbox = Inbox()
    port = start_smtp(servers, inbox, ssl_context=server_context(ca))
    use_mail(monkeypatch, port, "tls", STATBOTIC_DIGEST_CA_FILE=str(ca_file))
    status, out, err = run(capsys, "digest", DAY, "--to", TO[1], *BILLING)
    assert status == 0, err
    assert received(inbox)[0].rcpt_tos == [TO[1]]  # over TLS from the first byte: a plain client gets nothing


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_refused_login_exits_1_keeps_the_report_and_never_shows_the_password(
    org, store, settings, servers, ca, ca_file, capsys, monkeypatch
):
    inbox = Inbox()
    port = start_smtp(
        servers, inbox, tls_context=server_context(ca), auth_required=True, authenticator=accept_only_the_password
    )
    wrong = "wrong-" + SMTP_PASSWORD
    use_mail(
        monkeypatch,
        port,
        "starttls",
        STATBOTIC_SMTP_USER=SMTP_USER,
        STATBOTIC_SMTP_PASSWORD=wrong,
        STATBOTIC_DIGEST_CA_FILE=str(ca_file),
    )
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING, "--debug")
    assert status == 1 and inbox.envelopes == []
    assert f"refused the login of {SMTP_USER}" in err and "STATBOTIC_SMTP_PASSWORD" in err
    (kept,) = kept_files(settings)
    assert kept.read_text(encoding="utf-8") == the_report(store).html and str(kept) in err
    logs = [path.read_text(encoding="utf-8") for path in settings.data_dir.glob("*.log")]
    assert not any(wrong in text or SMTP_PASSWORD in text for text in [out, err, *logs])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_server_that_is_down_exits_1_and_keeps_the_report(org, settings, capsys, monkeypatch):
    use_mail(monkeypatch, free_port(), "none")  # nothing listens there
    status, out, err = run(capsys, "digest", DAY, "--to", *TO, *BILLING)
    assert status == 1 and out == ""
    assert f"Can't reach the mail server {HOST}:" in err and "connection refused" in err
    assert len(kept_files(settings)) == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_refused_recipient_is_named_and_the_others_still_get_it(org, settings, servers, capsys, monkeypatch):
    inbox = Inbox(refused={TO[1]})
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", *TO, *BILLING)
    assert status == 1 and received(inbox)[0].rcpt_tos == [TO[0]]
    assert out.startswith("Sent ") and out.rstrip().endswith(f"to {TO[0]}.")  # who got it, and only them
    assert f"refused {TO[1]} (550 5.1.1 no such mailbox here)" in err and f"went to {TO[0]} only" in err
    (kept,) = kept_files(settings)
    assert err.rstrip().endswith(f"kept in {kept}")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_json_names_who_got_it_and_who_was_refused(org, settings, servers, capsys, monkeypatch):
    third = "ops@example.net"
    inbox = Inbox(refused={TO[1], third})
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[1], TO[0], third, *BILLING, "--json")
    assert status == 1 and received(inbox)[0].rcpt_tos == [TO[0]]
    answer = json.loads(out)  # one JSON document, whatever failed
    (kept,) = kept_files(settings)
    refused = {"by": "mail", "ok": False, "error": "refused: 550 5.1.1 no such mailbox here"}
    assert answer["ok"] is False and answer["kept"] == str(kept)
    assert answer["deliveries"] == [
        {**refused, "to": TO[1]},
        {"by": "mail", "to": TO[0], "ok": True, "bytes": len(received(inbox)[0].original_content)},
        {**refused, "to": third},
    ]
    assert f"went to {TO[0]} only" in err and f"kept in {kept}" in err and "Sent " not in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_recipient_refused_prints_json_naming_each(org, settings, servers, capsys, monkeypatch):
    inbox = Inbox(refused=set(TO))
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", *TO, *BILLING, "--json")
    assert status == 1 and inbox.envelopes == []
    answer = json.loads(out)
    (kept,) = kept_files(settings)
    assert answer["ok"] is False and answer["kept"] == str(kept)
    assert [(d["to"], d["ok"], d["error"]) for d in answer["deliveries"]] == [
        (address, False, "refused: 550 5.1.1 no such mailbox here") for address in TO
    ]
    assert "refused every recipient" in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_server_that_is_down_still_gets_a_json_answer(org, settings, capsys, monkeypatch):
    use_mail(monkeypatch, free_port(), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING, "--json")
    assert status == 1 and "connection refused" in err
    (delivery,) = json.loads(out)["deliveries"]
    assert delivery["to"] == TO[0] and delivery["ok"] is False and "connection refused" in delivery["error"]
    assert json.loads(out)["kept"] == str(kept_files(settings)[0])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_starttls_asked_of_a_server_without_it_is_refused_before_any_password(org, servers, capsys, monkeypatch):
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "starttls", STATBOTIC_SMTP_USER=SMTP_USER)
    monkeypatch.setenv("STATBOTIC_SMTP_PASSWORD", SMTP_PASSWORD)
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "does not offer STARTTLS" in err and inbox.envelopes == []


class Webhook(BaseHTTPRequestHandler):
    answer = 200
    posts: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.posts.append((self.path, self.headers["Content-Type"], body))
        self.send_response(self.answer)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def webhook():
    """A local webhook: (its URL, the POSTs it got, a function to set its status)."""
    handler = type("Hook", (Webhook,), {"posts": []})
    server = ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def answer(status: int) -> None:
        handler.answer = status

    yield f"http://{HOST}:{server.server_port}/hooks/secret-token-123", handler.posts, answer
    server.shutdown()
    server.server_close()


def test_the_webhook_gets_the_checks_json(org, settings, webhook, capsys):
    url, posts, _ = webhook
    status, out, err = run(capsys, "digest", DAY, "--webhook", url, *BILLING)
    assert status == 0, err
    _, expected, _ = run(capsys, "check", "--for", DAY, "--json", *BILLING)
    ((path, content_type, body),) = posts
    assert path == "/hooks/secret-token-123" and content_type == "application/json; charset=utf-8"
    assert json.loads(body) == json.loads(expected) and json.loads(body)["findings"]
    assert f"{len(body):,} bytes of JSON" in out and "secret-token" not in out
    assert kept_files(settings) == []


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "code,said",
    [(500, "answered 500 Internal Server Error."), (404, "answered 404 Not Found."), (302, "a redirect, which is not")],
)
def test_a_webhook_answering_500_exits_1_naming_it_and_keeps_the_report(org, settings, webhook, capsys, code, said):
    url, posts, answer = webhook
    answer(code)
    status, _, err = run(capsys, "digest", DAY, "--webhook", url, *BILLING)
    assert status == 1 and len(posts) == 1
    assert said in err and "secret-token" not in err and len(kept_files(settings)) == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_mail_and_webhook_together_one_failing_says_what_went_out(org, settings, webhook, capsys, monkeypatch):
    url, posts, _ = webhook
    use_mail(monkeypatch, free_port(), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], "--webhook", url, *BILLING)
    assert status == 1 and len(posts) == 1
    assert "Posted the check of team billing" in out and "connection refused" in err
    assert len(kept_files(settings)) == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_mail_sent_and_the_webhook_failing_prints_one_json_document(
    org, settings, servers, webhook, capsys, monkeypatch
):
    url, posts, answer = webhook
    answer(500)
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], "--webhook", url, *BILLING, "--json")
    assert status == 1 and len(posts) == 1 and len(inbox.envelopes) == 1
    document = json.loads(out)  # the whole of stdout: no "Sent ..." line beside it
    (kept,) = kept_files(settings)
    assert document["ok"] is False and document["kept"] == str(kept)
    mailed, posted = document["deliveries"]
    assert mailed == {"by": "mail", "to": TO[0], "ok": True, "bytes": len(inbox.envelopes[0].original_content)}
    assert posted["by"] == "webhook" and posted["ok"] is False and posted["status"] == 500
    assert posted["to"] == f"http://{HOST}:{url.split(':')[2].split('/')[0]}/…"
    assert "answered 500 Internal Server Error" in posted["error"] and "answered 500" in err
    assert "secret-token" not in out + err and f"kept in {kept}" in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_both_delivered_json_says_ok(org, settings, servers, webhook, capsys, monkeypatch):
    url, posts, _ = webhook
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], "--webhook", url, *BILLING, "--json")
    assert status == 0, err
    document = json.loads(out)
    assert document["ok"] is True and document["kept"] is None and kept_files(settings) == []
    assert [(d["by"], d["ok"]) for d in document["deliveries"]] == [("mail", True), ("webhook", True)]
    assert document["deliveries"][1]["bytes"] == len(posts[0][2]) and document["deliveries"][1]["status"] == 200


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_webhook_url_with_a_password_is_refused_up_front(org, webhook, capsys):
    url, posts, _ = webhook
    with_login = url.replace("http://", "http://hookuser:hook-Pa55-secret@")
    status, out, err = run(capsys, "digest", DAY, "--webhook", with_login, *BILLING)
    assert status == 2 and posts == [] and out == ""
    assert "may not carry a user or password" in err and "no such host" not in err
    assert "hook-Pa55-secret" not in err and "hookuser" not in err and "secret-token" not in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_viewer_may_send_the_team_digest_and_someone_outside_it_may_not(org, settings, servers, capsys, monkeypatch):
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    monkeypatch.setenv("STATBOTIC_USER", "vic")  # a viewer of billing: it is what `view` shows them
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 0, err
    monkeypatch.setenv("STATBOTIC_USER", "sam")  # the lead of support only
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "billing" in err and len(inbox.envelopes) == 1
    assert kept_files(settings) == []  # nothing made, nothing kept


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "argv,message",
    [
        ([], "say where the digest goes: --to ADDRESS"),
        (["--to", "manager at example.com"], "'manager at example.com' is not an e-mail address"),
        (["--to", "a@example.com,b@example.com"], "is not an e-mail address"),
        (["--webhook", "http://hooks.example.com/secret-token"], "must be https://"),
        (["--webhook", "ftp://hooks.example.com/x"], "must be an https:// URL"),
        (["--webhook", "https://127.0.0.1/x", "--all-teams"], "--webhook posts one team's check"),
    ],
)
def test_bad_arguments_are_usage_errors(org, capsys, argv, message):
    status, _, err = run(capsys, "digest", DAY, *argv, *BILLING)
    assert status == 2 and message in err and "secret-token" not in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_mail_without_a_server_set_says_which_setting(org, capsys, monkeypatch):
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "STATBOTIC_SMTP_HOST is not set" in err
    use_mail(monkeypatch, 2525, "none", STATBOTIC_SMTP_USER=SMTP_USER)
    status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "STATBOTIC_SMTP_PASSWORD is not" in err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_non_ascii_password_is_refused_plainly_and_never_shown(org, servers, capsys, monkeypatch):
    inbox = Inbox()
    port = start_smtp(servers, inbox, auth_require_tls=False, authenticator=accept_only_the_password)
    use_mail(monkeypatch, port, "none", STATBOTIC_SMTP_USER=SMTP_USER, STATBOTIC_SMTP_PASSWORD="pässwörd-secret")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "must be ASCII text" in err and "secret" not in out + err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_server_that_never_answers_is_given_up_after_the_timeout(org, settings, capsys, monkeypatch):
    with socket.socket() as silent:  # the kernel accepts the connection; nobody ever says hello
        silent.bind((HOST, 0))
        silent.listen(1)
        use_mail(monkeypatch, silent.getsockname()[1], "none", STATBOTIC_DIGEST_TIMEOUT="1")
        status, _, err = run(capsys, "digest", DAY, "--to", TO[0], *BILLING)
    assert status == 1 and "did not answer within 1 s (STATBOTIC_DIGEST_TIMEOUT)" in err
    assert len(kept_files(settings)) == 1


def test_the_department_report_goes_by_mail_with_all_teams(org, store, servers, capsys, monkeypatch):
    inbox = Inbox()
    use_mail(monkeypatch, start_smtp(servers, inbox), "none")
    status, out, err = run(capsys, "digest", DAY, "--to", TO[0], "--all-teams")
    assert status == 0, err
    from statbotic.periods import parse_period
    from statbotic.report_page import build_document

    settings = Settings.from_env(dict(os.environ))
    period = parse_period(DAY, date.today(), settings.week_start)
    user = store.get_user("lead")
    report = build_document(store, "default", period, settings, user=user, today=date.today(), all_teams=True)
    _, message = received(inbox)
    assert message["Subject"] == report.title and lines(message.get_body(("html",)).get_content()) == lines(report.html)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_https_webhook_is_verified_against_the_ca_file(org, ca, ca_file, capsys, monkeypatch):
    handler = type("Hook", (Webhook,), {"posts": []})
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.socket = server_context(ca).wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://{HOST}:{server.server_port}/hooks/secret-token-456"
        status, _, err = run(capsys, "digest", DAY, "--webhook", url, *BILLING)  # the system's CAs: refused
        assert status == 1 and "certificate that is not trusted" in err and handler.posts == []
        monkeypatch.setenv("STATBOTIC_DIGEST_CA_FILE", str(ca_file))
        status, out, err = run(capsys, "digest", DAY, "--webhook", url, *BILLING)
        assert status == 0 and len(handler.posts) == 1 and "secret-token" not in out + err
    finally:
        server.shutdown()
        server.server_close()
