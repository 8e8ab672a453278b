"""The files the app leaves on disk: who may read them, where the log goes, no export leftovers."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from statbotic.logfile import log_failure
from tests.cli.test_commands import FIGURES, run
from tests.conftest import ROOT

HOUR = 3600

# An export killed mid-write (kill -9): its chunks never end, so the writer sits with its temp file open.
KILLED_WRITER = """
import sys, time
from pathlib import Path
from statbotic.export import write_atomic

def chunks():
    yield "{"
    print("writing", flush=True)
    time.sleep(600)

write_atomic(Path(sys.argv[1]) / "stats-killed.json", chunks())
"""


def killed_mid_export(folder) -> str:
    """The temp file an export killed with SIGKILL leaves behind in ``folder``."""
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline() == "writing\n"
    writer.kill()
    writer.wait(timeout=30)
    writer.stdout.close()
    (left,) = [name for name in os.listdir(folder) if name.startswith(".partial-")]
    return left


def aged(path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_export_sweeps_away_the_stale_temp_files_of_killed_exports_and_nothing_else(cli_env, capsys, settings):
    folder = settings.export_dir
    folder.mkdir()
    stale = killed_mid_export(folder)
    aged(folder / stale, 2 * HOUR)
    fresh = ".partial-k3y9_x2q.csv"  # another export writing right now
    (folder / fresh).write_text("team,date\n")
    aged(folder / fresh, 60)
    outside = folder.parent / "precious.txt"
    outside.write_text("not ours")
    planted = {
        ".partial-notes.txt": "a name of the user's own, not of our naming",
        "stats-old.json": "a finished export",
    }
    for name, text in planted.items():
        (folder / name).write_text(text)
        aged(folder / name, 48 * HOUR)
    (folder / ".partial-aaaaaaaa.json").symlink_to(outside)  # of our naming, but a link: never followed
    aged(folder / ".partial-aaaaaaaa.json", 48 * HOUR)
    (folder / ".partial-bbbbbbbb.json").mkdir()  # of our naming, but a folder
    aged(folder / ".partial-bbbbbbbb.json", 48 * HOUR)

    run(capsys, "add", "2026-10-02", *FIGURES)
    assert run(capsys, "export", "2026-10", "--format", "csv")[0] == 0

    assert sorted(os.listdir(folder)) == sorted(
        [fresh, *planted, ".partial-aaaaaaaa.json", ".partial-bbbbbbbb.json", "stats-2026-10-01-2026-10-31.csv"]
    )
    assert outside.read_text() == "not ours"
    assert (folder / fresh).read_text() == "team,date\n"


def mode(path) -> int:
    return os.stat(path).st_mode & 0o777


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_cli_names_on_stderr_each_file_other_users_can_read_and_still_runs(cli_env, capsys, settings):
    folder = settings.data_dir
    status, _, err = run(capsys, "view", "2026-10")
    assert status == 0 and err == ""  # all private: nothing to say
    settings.log_path.write_text("an old entry\n")  # 0644, as the log of an earlier Statbotic
    for path, loose in ((folder, 0o755), (settings.database_path, 0o644)):
        os.chmod(path, loose)
    status, out, err = run(capsys, "view", "2026-10")
    assert status == 0 and "No stats were entered for 2026-10" in out
    assert err.splitlines() == [
        f"statbotic: warning: The data folder {folder} can be read by other users (mode 0755); "
        f"to keep it private: chmod 700 {folder}",
        f"statbotic: warning: The data file {settings.database_path} can be read by other users (mode 0644); "
        f"to keep it private: chmod 600 {settings.database_path}",
        f"statbotic: warning: The log file {settings.log_path} can be read by other users (mode 0644); "
        f"to keep it private: chmod 600 {settings.log_path}",
    ]
    assert (mode(folder), mode(settings.database_path), mode(settings.log_path)) == (0o755, 0o644, 0o644)


def failure() -> BaseException:
    try:
        raise RuntimeError("the details")
    except RuntimeError as error:
        return error


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The temp folder (tempfile.gettempdir()) moved into this test's own folder."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir(mode=0o1777)
    os.chmod(folder, 0o1777)  # like /tmp: anyone may create names in it
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_log_of_a_run_without_settings_goes_to_a_private_folder_of_ours_in_the_temp_folder(temp_folder, umask_022):
    ours = temp_folder / f"statbotic-{os.getuid()}"
    assert log_failure(failure(), "first") == str(ours / "statbotic.log")
    assert log_failure(failure(), "second") == str(ours / "statbotic.log")
    assert (mode(ours), mode(ours / "statbotic.log")) == (0o700, 0o600)
    text = (ours / "statbotic.log").read_text()
    assert "first" in text and "second" in text and "RuntimeError: the details" in text
    assert os.listdir(temp_folder) == [ours.name]


def test_a_new_log_in_the_data_folder_is_private_even_under_umask_022(tmp_path, umask_022):
    log = tmp_path / "data" / "statbotic.log"
    assert log_failure(failure(), "stored", log) == str(log)
    assert (mode(log.parent), mode(log)) == (0o700, 0o600)


def test_a_link_planted_at_the_log_or_at_our_temp_folder_is_never_followed(tmp_path, temp_folder):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    data = tmp_path / "data"
    data.mkdir()
    (data / "statbotic.log").symlink_to(victim)
    (temp_folder / f"statbotic-{os.getuid()}").symlink_to(elsewhere, target_is_directory=True)

    written = log_failure(failure(), "planted", data / "statbotic.log")

    assert victim.read_text() == "precious\n" and os.listdir(elsewhere) == []
    assert_in_a_new_private_folder(written, temp_folder)


def assert_in_a_new_private_folder(written: str, temp_folder) -> None:
    """The log went to a folder of its own (random name, mode 0700) in the temp folder, not statbotic-<uid>."""
    folder = os.path.dirname(written)
    assert os.path.dirname(folder) == str(temp_folder) and os.path.basename(folder) != f"statbotic-{os.getuid()}"
    assert (mode(folder), mode(written)) == (0o700, 0o600)
    assert "RuntimeError: the details" in Path(written).read_text()


@pytest.mark.parametrize("loose", [0o755, 0o777, 0o1777], ids=oct)
def test_our_temp_folder_is_not_used_when_others_may_use_it(temp_folder, loose):
    ours = temp_folder / f"statbotic-{os.getuid()}"
    ours.mkdir()
    os.chmod(ours, loose)
    written = log_failure(failure(), "loose")
    assert os.listdir(ours) == []
    assert_in_a_new_private_folder(written, temp_folder)


def test_our_temp_folder_is_not_used_when_another_user_owns_it(temp_folder):
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    ours = temp_folder / f"statbotic-{os.getuid()}"
    ours.mkdir(mode=0o700)
    os.chown(ours, 12345, 12345)
    written = log_failure(failure(), "not ours")
    assert os.listdir(ours) == []
    assert_in_a_new_private_folder(written, temp_folder)
