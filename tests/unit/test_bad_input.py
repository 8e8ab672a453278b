"""Bad input of every kind is refused in a short message that names what is wrong (and the setting):
answers and settings too long or not UTF-8 text, database names MongoDB refuses.  Nothing is ever
echoed whole: a message quotes at most a short, cut prefix of what was typed."""

import io
from datetime import date

import pytest

from statbotic.config import Settings
from statbotic.errors import ConfigError, InvalidInput
from statbotic.parsing import parse_date
from statbotic.periods import parse_period
from statbotic.ui.console import TerminalConsole

TODAY = date(2026, 11, 26)
HUGE = "9" * 100_000
SHORT = 300  # characters: any message about bad input fits in this


@pytest.mark.parametrize("text", ["2026-11-2" + HUGE, "x" * 100_000, "2026-11-01..2026-11-0" + HUGE])
@pytest.mark.parametrize("parse", [parse_date, parse_period])
def test_a_long_date_or_period_is_quoted_as_a_short_prefix(parse, text):
    with pytest.raises(InvalidInput) as problem:
        parse(text, TODAY)
    assert len(problem.value.message) < SHORT and "…" in problem.value.message


def settings_problem(name: str, value: str, **more: str) -> str:
    with pytest.raises(ConfigError) as problem:
        Settings.from_env({"STATBOTIC_DATA_DIR": "/tmp/statbotic-test", name: value, **more})
    return problem.value.message


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("STATBOTIC_WEEK_START", "x" * 100_000, "STATBOTIC_WEEK_START is too long: at most 64 characters."),
        ("STATBOTIC_WEEK_START", "someday", "STATBOTIC_WEEK_START must be a weekday name"),
        ("STATBOTIC_USER", "x" * 100_000, "STATBOTIC_USER is too long: at most 64 characters."),
        ("STATBOTIC_USER", "dana smith", "STATBOTIC_USER: A username has 3 to 32 characters"),
        ("STATBOTIC_TEAM", "t" * 65, "STATBOTIC_TEAM is too long: at most 64 characters."),
        ("STATBOTIC_TEAM", "ops\x1b[31m", "STATBOTIC_TEAM holds a control character"),
        ("STATBOTIC_DATA_DIR", "/tmp/" + "d" * 1100, "STATBOTIC_DATA_DIR is too long: at most 1,024 characters."),
        ("STATBOTIC_EXPORT_DIR", "/tmp/a\0b", "STATBOTIC_EXPORT_DIR holds a control character"),
        ("STATBOTIC_EXPORT_DIR", "/tmp/caf\udce9", "STATBOTIC_EXPORT_DIR is not UTF-8 text"),
        ("STATBOTIC_PASSWORD", "p" * 1025, "STATBOTIC_PASSWORD is too long: at most 1,024 characters."),
        ("STATBOTIC_PASSWORD", "caf\udce9-password", "STATBOTIC_PASSWORD is not UTF-8 text"),
        ("STATBOTIC_TOKEN", "sbt_" + "x" * 300, "STATBOTIC_TOKEN is too long: at most 200 characters."),
        ("STATBOTIC_WEB", "1" * 65, "STATBOTIC_WEB is too long"),
        ("STATBOTIC_TARGET_CSAT", HUGE, "STATBOTIC_TARGET_CSAT is too long: at most 64 characters."),
        ("STATBOTIC_TARGET_CSAT", "150", "STATBOTIC_TARGET_CSAT must be a number from 0 to 100"),
        ("STATBOTIC_TARGET_COMMENTS_PER_SOLVE", "two", "STATBOTIC_TARGET_COMMENTS_PER_SOLVE must be a number"),
        ("MONGODB_URI", "mysql://db.example/stats", "MONGODB_URI is not a usable MongoDB connection string"),
        ("MONGODB_URI", "mongodb://" + "h" * 1100, "MONGODB_URI is too long: at most 1,024 characters."),
        ("STATBOTIC_SMTP_HOST", "smtp example.com", "STATBOTIC_SMTP_HOST must be a host name or an IP address"),
        ("STATBOTIC_SMTP_HOST", "user@smtp.example.com", "STATBOTIC_SMTP_HOST must be a host name or an IP address"),
        ("STATBOTIC_SMTP_PORT", "99999", "STATBOTIC_SMTP_PORT must be a port number from 1 to 65535"),
        ("STATBOTIC_SMTP_PORT", "submission", "STATBOTIC_SMTP_PORT must be a port number from 1 to 65535"),
        ("STATBOTIC_SMTP_SECURITY", "ssl", "STATBOTIC_SMTP_SECURITY must be starttls, tls or none"),
        ("STATBOTIC_SMTP_FROM", "stats at example.com", "STATBOTIC_SMTP_FROM: 'stats at example.com' is not"),
        ("STATBOTIC_SMTP_FROM", "Stats <stats@example.com", "STATBOTIC_SMTP_FROM: 'Stats <stats@example.com' is not"),
        ("STATBOTIC_SMTP_PASSWORD", "p" * 1025, "STATBOTIC_SMTP_PASSWORD is too long: at most 1,024 characters."),
        ("STATBOTIC_SMTP_USER", "u" * 201, "STATBOTIC_SMTP_USER is too long: at most 200 characters."),
        ("STATBOTIC_DIGEST_TIMEOUT", "0", "STATBOTIC_DIGEST_TIMEOUT must be a whole number of seconds, 1 to 300"),
        ("STATBOTIC_DIGEST_TIMEOUT", "2.5", "STATBOTIC_DIGEST_TIMEOUT must be a whole number of seconds, 1 to 300"),
        ("STATBOTIC_DIGEST_CA_FILE", "/tmp/ca\0.pem", "STATBOTIC_DIGEST_CA_FILE holds a control character"),
    ],
)
def test_each_bad_setting_is_named_in_a_short_message(name, value, message):
    text = settings_problem(name, value)
    assert message in text and len(text) < SHORT
    assert "9" * 50 not in text and "x" * 50 not in text


@pytest.mark.parametrize(
    "value",
    ["bad/na$me", "bad name", "stats.2026", 'say"hi"', "back\\slash", "d" * 64, "é" * 32, "nul\0name"],
)
def test_a_database_name_mongodb_refuses_names_the_setting(value):
    text = settings_problem("STATBOTIC_DB_NAME", value)
    assert text.startswith("STATBOTIC_DB_NAME ") and len(text) < SHORT
    assert "1 to 63 bytes" in text or "control character" in text or "too long" in text


def test_good_database_names_are_kept():
    assert Settings.from_env({"STATBOTIC_DATA_DIR": "/tmp/x", "STATBOTIC_DB_NAME": "d" * 63}).db_name == "d" * 63
    assert Settings.from_env({"STATBOTIC_DATA_DIR": "/tmp/x", "STATBOTIC_DB_NAME": "é" * 31}).db_name == "é" * 31


@pytest.mark.parametrize("path", ["d" * 64, "back\\slash", "nul%00name"])
def test_a_database_named_in_the_uri_that_mongodb_refuses_names_the_setting(path):
    from statbotic.storage.mongo.store import parse_uri

    with pytest.raises(ConfigError) as problem:
        parse_uri(f"mongodb://lead:hunter2secret@127.0.0.1:9/{path}", "--to")
    text = problem.value.message
    assert text.startswith("The database named in --to ") and "1 to 63 bytes" in text
    assert "hunter2secret" not in text and len(text) < SHORT


class BoundedInput(io.StringIO):
    """Standard input that fails the test on a read without a size: a pasted megabyte is never held whole."""

    def readline(self, size=-1):
        assert 0 < size <= 65_536, f"an unbounded read (size {size})"
        return super().readline(size)


def test_a_long_answer_is_refused_without_reading_it_whole_and_the_next_line_is_read():
    console = TerminalConsole(stdin=BoundedInput("x" * 1_000_000 + "\nok\n"), stdout=io.StringIO())
    with pytest.raises(InvalidInput, match=r"^That answer is too long: at most 200 characters\.$"):
        console.ask("? ")
    assert console.ask("? ") == "ok"


def test_a_long_password_is_refused_and_a_long_one_within_the_limit_kept():
    console = TerminalConsole(stdin=BoundedInput("p" * 1025 + "\n" + "p" * 1024 + "\n"), stdout=io.StringIO())
    with pytest.raises(InvalidInput, match=r"^That password is too long: at most 1,024 characters\.$"):
        console.ask_secret("Password: ")
    assert console.ask_secret("Password: ") == "p" * 1024


def test_an_answer_that_is_not_utf8_is_refused_and_the_next_line_is_read():
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(b"caf\xe9\nok\n")), encoding="utf-8")  # strict
    console = TerminalConsole(stdin=stdin, stdout=io.StringIO())
    with pytest.raises(InvalidInput, match="^That answer is not UTF-8 text"):
        console.ask("? ")
    assert console.ask("? ") == "ok"


@pytest.mark.parametrize("host", ["smtp.example.com", "192.168.1.10", "[2001:db8::1]"])
def test_plain_smtp_to_another_machine_is_refused(host):
    text = settings_problem("STATBOTIC_SMTP_SECURITY", "none", STATBOTIC_SMTP_HOST=host)
    assert "sends the password and the report unencrypted" in text and "Use starttls or tls" in text


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "mail.localhost"])
def test_plain_smtp_to_this_machine_is_taken(host):
    environ = {"STATBOTIC_DATA_DIR": "/tmp/statbotic-test", "STATBOTIC_SMTP_SECURITY": "none"}
    mail = Settings.from_env({**environ, "STATBOTIC_SMTP_HOST": host}).mail
    assert (mail.security, mail.port) == ("none", 25)


def test_mail_settings_default_to_starttls_on_587_and_never_show_the_password():
    environ = {"STATBOTIC_DATA_DIR": "/tmp/statbotic-test", "STATBOTIC_SMTP_HOST": "smtp.example.com"}
    environ |= {"STATBOTIC_SMTP_USER": "stats", "STATBOTIC_SMTP_PASSWORD": " pw hid "}
    environ["STATBOTIC_SMTP_FROM"] = "Statbotic <stats@example.com>"
    settings = Settings.from_env(environ)
    mail = settings.mail
    assert (mail.security, mail.port, mail.timeout, mail.ca_file) == ("starttls", 587, 30, None)
    assert mail.password.value == " pw hid " and mail.sender == "Statbotic <stats@example.com>"
    assert "pw hid" not in repr(settings) and "pw hid" not in repr(mail)
    assert Settings.from_env({**environ, "STATBOTIC_SMTP_SECURITY": "TLS"}).mail.port == 465


def test_a_dotenv_copied_from_the_example_passes_the_checks():
    from statbotic.environment import check_settings, read_dotenv
    from tests.conftest import ROOT

    variables = read_dotenv(str(ROOT / ".env.example"))
    assert variables["STATBOTIC_TEAM"] == "default" and variables["STATBOTIC_PASSWORD"] == ""
    check_settings(variables)
