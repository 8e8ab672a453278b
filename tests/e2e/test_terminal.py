"""The truth about terminals: run.py in a real pseudo-terminal, driven like a person would."""

import json
import time

import pytest

pytestmark = pytest.mark.pty

PASSWORD = "pty-password-1"


def answer(child, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


def register_and_log_in(child, name="pat"):
    answer(child, "Choose an option: ", "2")
    answer(child, "Choose a username", name)
    answer(child, "Choose a password", PASSWORD)
    answer(child, "Confirm the password: ", PASSWORD)
    child.expect_exact(f"Registered {name}.")
    answer(child, "Choose an option: ", "1")
    answer(child, "Username: ", name)
    answer(child, "Password: ", PASSWORD)
    child.expect_exact(f"Hello, {name}!")


def expect_clean_exit(child) -> None:
    """Goodbye, end of output, exit status 0 and no traceback anywhere."""
    child.expect_exact("Goodbye!")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before


def interrupt(child) -> None:
    """Ctrl-C once the app is waiting for the answer.  The prompt is written just before the read starts;
    a SIGINT landing in that gap is only noticed at the next keystroke (CPython checks for signals when
    its read is interrupted), which a person never hits but a test sending ^C within microseconds can."""
    time.sleep(0.3)
    child.sendintr()


def add_day(child, day, values, overwrite=None):
    answer(child, "Date of the stats", day)
    if overwrite is not None:
        answer(child, "Overwrite the figures", overwrite)
    for prompt, value in zip(
        ["public comments", "Ticket solves", "Live chats", "1m 5s)", "rated)", "96%)"], values, strict=True
    ):
        answer(child, prompt, value)
    answer(child, "Save? (y/n): ", "y")


def test_a_whole_session_register_add_overwrite_view_export_exit(spawn_app, settings):
    child = spawn_app()
    child.expect_exact("Welcome to Statbotic")
    register_and_log_in(child)
    answer(child, "Choose an option: ", "1")
    add_day(child, "2026-11-01", ["2", "2", "10", "30", "2", "2"])
    answer(child, "Enter more stats? (y/n): ", "y")
    add_day(child, "2026-11-02", ["1", "1", "1", "1", "1", "1"])
    answer(child, "Enter more stats? (y/n): ", "y")
    add_day(child, "2026-11-02", ["50", "10", "100", "2:00", "50", "90%"], overwrite="y")
    child.expect_exact("Updated the stats for 2026-11-02.")
    answer(child, "Enter more stats? (y/n): ", "n")
    answer(child, "Choose an option: ", "2")
    answer(child, "Start date", "2026-11-01")
    answer(child, "extra days", "2")
    child.expect_exact("111.8 s")
    child.expect_exact("90.4 %")
    child.expect_exact("Days with data: 2 of 3.")
    answer(child, "View more stats? (y/n): ", "n")
    answer(child, "Choose an option: ", "3")
    answer(child, "Start date", "2026-11-01")
    answer(child, "extra days", "1")
    answer(child, "Choose a format: ", "1")
    child.expect_exact("Exported 2 days to ")
    answer(child, "Export more stats? (y/n): ", "n")
    answer(child, "Choose an option: ", "0")
    child.expect_exact("Goodbye!")
    child.expect(r"\Z|$")
    child.wait()
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before
    document = json.loads((settings.export_dir / "stats-2026-11-01-2026-11-02.json").read_text())
    assert [d["entered"]["comments"] for d in document["days"]] == [2, 50]
    assert document["summary"]["figures"]["csat_percent"]["value"] == 90.3846


def test_the_password_is_never_echoed(spawn_app):
    child = spawn_app()
    answer(child, "Choose an option: ", "2")
    answer(child, "Choose a username", "quinn")
    answer(child, "Choose a password", PASSWORD)
    child.expect_exact("Confirm the password: ")
    assert PASSWORD not in child.before
    child.sendline(PASSWORD)
    child.expect_exact("Registered quinn.")
    assert PASSWORD not in child.before
    child.sendeof()
    child.expect_exact("Goodbye!")


def test_end_of_input_leaves_cleanly_with_status_0(spawn_app):
    child = spawn_app()
    child.expect_exact("Choose an option: ")
    child.sendeof()
    expect_clean_exit(child)


def test_ctrl_c_in_a_form_cancels_it_and_ctrl_c_at_the_menu_exits(spawn_app, settings):
    child = spawn_app()
    register_and_log_in(child, "ctrlc")
    answer(child, "Choose an option: ", "1")
    answer(child, "Date of the stats", "2026-11-05")
    answer(child, "comments: ", "5")
    child.expect_exact("solves: ")
    interrupt(child)
    child.expect_exact("Cancelled. Nothing was saved.")
    answer(child, "Choose an option: ", "2")
    answer(child, "Start date", "2026-11-05")
    answer(child, "extra days", "0")
    child.expect_exact("No stats were entered for 2026-11-05.")
    answer(child, "View more stats? (y/n): ", "n")
    child.expect_exact("Choose an option: ")
    interrupt(child)
    expect_clean_exit(child)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_colour_appears_in_a_terminal_and_not_with_no_color(spawn_app, app_env):
    coloured = spawn_app(env={k: v for k, v in app_env.items() if k != "NO_COLOR"})
    coloured.expect_exact("Choose an option: ")
    assert "\x1b[" in coloured.before
    plain = spawn_app()
    plain.expect_exact("Choose an option: ")
    assert "\x1b[" not in plain.before
