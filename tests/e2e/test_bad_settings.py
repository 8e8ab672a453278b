"""The menus given bad settings or bad bytes, as a real `python3 run.py` (piped, no terminal needed):
a bad .env or setting stops the app before the banner with one line naming it (exit 1, no traceback);
a long or undecodable answer is refused and the same question asked again."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

PASSWORD = "menu-password-1"


pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def run_menus(app_env, cwd, stdin: bytes, **settings) -> tuple[int, str]:
    """run.py with ``app_env`` (tests/e2e/conftest.py) and ``settings``, in ``cwd``: (status, all output)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py")],
        input=stdin,
        capture_output=True,
        env={**app_env, **settings},
        cwd=cwd,
        timeout=60,
    )
    return result.returncode, (result.stdout + result.stderr).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "content,line",
    [
        (b"STATBOTIC_TEAM=ops\nSTATBOTIC_WEEK_START=caf\xe9\n", ".env line 2 is not UTF-8 text"),
        (b"STATBOTIC_TEAM=ops\nSTATBOTIC_DATA_DIR=/tmp/a\x00b\n", ".env line 2 holds a NUL byte"),
    ],
)
def test_a_dotenv_that_is_not_text_stops_the_menus_at_start_naming_the_file_and_line(app_env, tmp_path, content, line):
    (tmp_path / ".env").write_bytes(content)
    status, output = run_menus(app_env, tmp_path, b"1\n0\n")
    assert status == 1
    assert output.startswith(line) and output.count("\n") == 1, output


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("STATBOTIC_WEEK_START", "someday", "STATBOTIC_WEEK_START must be a weekday name"),
        ("STATBOTIC_TARGET_CSAT", "150", "STATBOTIC_TARGET_CSAT must be a number from 0 to 100"),
        ("STATBOTIC_DB_NAME", "bad/na$me", "STATBOTIC_DB_NAME must be a MongoDB database name"),
        ("STATBOTIC_TEAM", "t" * 100_000, "STATBOTIC_TEAM is too long: at most 64 characters."),
        ("MONGODB_URI", "mysql://lead:hunter2secret@db/x", "MONGODB_URI is not a usable MongoDB connection string"),
    ],
)
def test_a_bad_setting_stops_the_menus_at_start_in_one_line(app_env, tmp_path, name, value, message):
    status, output = run_menus(app_env, tmp_path, b"0\n", **{name: value})
    assert status == 1
    assert output.startswith(message) and output.count("\n") == 1, output[:500]
    assert "hunter2secret" not in output


def test_a_long_answer_or_one_that_is_not_utf8_is_refused_and_asked_again(app_env, tmp_path):
    session = [
        b"1" * 1_000_000,  # at the login menu: refused, asked again
        b"2",
        b"caf\xe9",  # the username: not text
        b"dana",
        b"\xffpassword-1",  # the password: not text
        PASSWORD.encode(),
        PASSWORD.encode(),
        b"0",
    ]
    status, output = run_menus(app_env, tmp_path, b"\n".join(session) + b"\n")
    assert status == 0 and "Traceback" not in output and len(output) < 10_000
    assert "That answer is too long: at most 200 characters." in output
    assert "That answer is not UTF-8 text" in output
    assert "That password is not UTF-8 text" in output
    assert "Registered dana." in output
