"""`statbotic` given bad input: every argument and setting bounded, a .env that is not text, a password
that is not UTF-8, a database name MongoDB refuses.  Each is one short line naming the cause (and the
option, setting or file), with exit 1 or 2; never a traceback, never the input echoed whole."""

import io
import subprocess
import sys

import pytest

from tests.cli.test_commands import FIGURES, run
from tests.conftest import ROOT

HUGE = "9" * 100_000
SHORT = 600  # characters of stderr: one line, plus argparse's usage line for usage errors


def figures_with(option: str, value: str) -> list[str]:
    at = FIGURES.index(option) + 1
    return [*FIGURES[:at], value, *FIGURES[at + 1 :]]


@pytest.mark.parametrize(
    "argv,named",
    [
        (["add", "2026-11-0" + HUGE, *FIGURES], "argument date"),
        (["add", "2026-11-02", *figures_with("--wait", HUGE)], "argument --wait"),
        (["add", "2026-11-02", *figures_with("--positive", HUGE + "%")], "argument --positive"),
        (["view", HUGE], "argument period"),
        (["view", "2026-11", "--user", HUGE], "argument --user"),
        (["view", "2026-11", "--sort", HUGE], "argument --sort"),
        (["export", "2026-11", "--format", HUGE], "argument --format"),
        (["export", "2026-11", "--format", "csv", "-o", "/tmp/" + HUGE], "argument -o/--output"),
        (["targets", "set", "csat", ">= " + HUGE], "argument TARGET"),
        (["targets", "set", HUGE, "95"], "argument METRIC"),
        (["users", "add", HUGE], "argument name"),
        (["copy-data", "--to", "mongodb://" + HUGE], "argument --to"),
        ([HUGE], "argument COMMAND"),
        (["view", "2026-11", *[HUGE] * 5], "unrecognized arguments"),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_long_argument_is_a_short_usage_error(cli_env, capsys, argv, named):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith(f"statbotic: {named}") and len(err) < SHORT, err[:SHORT]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_argument_that_is_not_utf8_is_a_usage_error(cli_env, capsys):
    status, _, err = run(capsys, "view", "2026-11-\udcff1")
    assert status == 2 and err.startswith("statbotic: argument period: not UTF-8 text")


@pytest.mark.parametrize(
    "name,value",
    [("STATBOTIC_USER", HUGE), ("STATBOTIC_WEEK_START", HUGE), ("STATBOTIC_TEAM", HUGE), ("STATBOTIC_PASSWORD", HUGE)],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_long_setting_is_named_in_one_short_line(cli_env, capsys, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    status, out, err = run(capsys, "view", "2026-11")
    assert (status, out) == (1, "")
    assert err.startswith(f"statbotic: {name} is too long: at most ") and err.count("\n") == 1 and len(err) < 100


@pytest.mark.parametrize(
    "content,message",
    [
        (b"STATBOTIC_TEAM=ops\nSTATBOTIC_WEEK_START=caf\xe9\n", ".env line 2 is not UTF-8 text"),
        (b"\xff\xfeS\x00T\x00A\x00T\x00", ".env line 1 is not UTF-8 text"),  # UTF-16, as some editors save
        (b"STATBOTIC_TEAM=ops\n\nSTATBOTIC_DATA_DIR=/tmp/a\x00b\n", ".env line 3 holds a NUL byte"),
        (b"STATBOTIC_TEAM=ops\nthis is not a setting\n", ".env line 2 is not a setting"),
        (b"# comments\n" * 7000, ".env is larger than 65,536 bytes"),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_dotenv_that_is_not_settings_text_names_the_file_and_the_line(cli_env, capsys, tmp_path, content, message):
    (tmp_path / ".env").write_bytes(content)  # cli_env runs the commands in tmp_path
    status, out, err = run(capsys, "view", "2026-11")
    assert (status, out) == (1, "")
    assert err.startswith(f"statbotic: {message}") and err.count("\n") == 1, err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_good_dotenv_is_read_and_real_variables_win(cli_env, store, capsys, tmp_path, monkeypatch):
    from statbotic.records import Team
    from statbotic.services import utc_now

    store.add_team(Team("équipe", "équipe", utc_now()), by=None)  # a team STATBOTIC_TEAM may name
    (tmp_path / ".env").write_bytes("\ufeffSTATBOTIC_TEAM=équipe\nSTATBOTIC_USER=nobody\n".encode())
    status, out, _ = run(capsys, "targets", "list")  # STATBOTIC_USER from the environment: lead
    assert status == 0 and "Targets for team équipe" in out


@pytest.mark.parametrize(
    "stdin,message",
    [
        (b"caf\xe9-password\n", "The password read by --password-stdin is not UTF-8 text"),
        (b"p" * 5000 + b"\n", "The password read by --password-stdin is too long: at most 1,024 characters."),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_password_on_stdin_that_is_not_utf8_or_too_long_is_named(cli_env, capsys, monkeypatch, stdin, message):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin)), encoding="utf-8"))
    status, out, err = run(capsys, "users", "add", "dana", "--password-stdin")
    assert (status, out) == (1, "")
    assert err.startswith(f"statbotic: {message}") and err.count("\n") == 1, err


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_real_process_refuses_a_password_that_is_not_utf8(cli_env):
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "users", "add", "dana", "--password-stdin"],
        input=b"caf\xe9-password\n",
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **cli_env},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.decode().startswith("statbotic: The password read by --password-stdin is not UTF-8 text")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_mongodb_database_name_mongodb_refuses_names_the_setting(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/")
    monkeypatch.setenv("STATBOTIC_DB_NAME", "bad/na$me")
    status, _, err = run(capsys, "view", "2026-11")
    assert status == 1 and err.startswith("statbotic: STATBOTIC_DB_NAME must be a MongoDB database name")
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/" + "d" * 70)
    monkeypatch.delenv("STATBOTIC_DB_NAME")
    status, _, err = run(capsys, "view", "2026-11")
    assert status == 1 and err.startswith("statbotic: The database named in MONGODB_URI must be a MongoDB database")
