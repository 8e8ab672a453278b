"""The files the app leaves on disk: who may read them, where the log goes, no export leftovers."""

import os
import subprocess
import sys
import time

import pytest

from statbotic.cli import main
from tests.conftest import ROOT

FIGURES = ["--comments", "5", "--solves", "5", "--chats", "5", "--wait", "30", "--ratings", "5", "--positive", "5"]
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


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


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
