"""Every command README.md and TESTING.md show runs as written.

The ```bash blocks of each file run in order as one shell script (so a block can use what an
earlier one set up), from the repository root, against a temporary data and export folder, with no
terminal on stdin.  The few lines that can't run here are listed below with the reason, and must
still be in the docs.  Inline commands in TESTING.md's tables (`./scripts/test tests/unit`...) are
checked to name folders and files that exist.
"""

import os
import re
import subprocess

import pytest

from tests.conftest import ROOT

NOT_RUN = {
    "./scripts/test   # installs what it needs (first time) and runs every test suite": "it runs this very suite",
    '.venv/bin/statbotic copy-data --to "mongodb+srv://USER:PASSWORD@cluster0.xxxxx.mongodb.net/statbotic"': (
        "needs a MongoDB Atlas cluster; tests/cli/test_copy_data.py runs copy-data against the wire server"
    ),
    "npm ci && npm start      # http://127.0.0.1:3000": "starts a server; tests/web starts it the same way",
    "printf '%s\\n' 'web-admin-password' | STATBOTIC_DATA_DIR=.data .venv/bin/statbotic users add webadmin "
    "--password-stdin": "it writes the web page's own store in the repository; tests/web/app.test.mjs makes "
    "the page's admin the same way",
}


def shell_blocks(name: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", (ROOT / name).read_text(encoding="utf-8"), flags=re.M | re.S)


def script_of(name: str) -> str:
    lines = [line for block in shell_blocks(name) for line in block.splitlines()]
    return "\n".join(line for line in lines if line.strip() not in NOT_RUN)


def test_every_line_left_out_is_still_in_the_docs():
    blocks = [block for name in ("README.md", "TESTING.md") for block in shell_blocks(name)]
    assert set(NOT_RUN) <= {line.strip() for block in blocks for line in block.splitlines()}


@pytest.mark.parametrize("name", ["README.md", "TESTING.md"])
def test_the_shell_blocks_run_as_written(name, tmp_path):
    script = script_of(name)
    if not script.strip():
        pytest.skip(f"{name} has no shell block to run")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "STATBOTIC_DATA_DIR": str(tmp_path / "data"),
        "STATBOTIC_EXPORT_DIR": str(tmp_path / "exports"),
    }
    result = subprocess.run(
        ["bash", "-euxo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"a command of {name} failed:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stdout + result.stderr


INLINE_COMMAND = re.compile(r"`((?:\./)?scripts/test|node|\.venv/bin/python) ([^`]+)`")


def test_the_commands_in_testings_tables_name_what_exists():
    text = (ROOT / "TESTING.md").read_text(encoding="utf-8")
    found = INLINE_COMMAND.findall(text)
    assert len(found) >= 6
    for _, arguments in found:
        for word in arguments.split():
            if "/" in word and not word.startswith("-"):
                assert (ROOT / word.split("::")[0]).exists(), f"TESTING.md names {word}, which doesn't exist"
